"""Changing the live server's corpus while it answers, and checking answers against the history.

``change_corpus`` changes, adds and deletes a few articles through ``CorpusHistory`` (which keeps
every version with the time it was written and replaced). ``citation_problem`` decides whether a
citation could have come from the index while its question was being answered: its quote must be
verbatim (whitespace-normalised) in a version of the article that was written before the answer
finished and not yet retired when the question started. A version is retired once the first index
run that started after it was replaced or deleted has finished, plus REFRESH_GRACE_S, because the
server re-reads the index at most once a second. A question asked before a delete took effect may
therefore cite the deleted article; one asked after it may not.
"""

from __future__ import annotations

import math
import random
from typing import Any

from tests.reliability.live_server import CorpusHistory, IndexRun, normalised

REFRESH_GRACE_S = 1.0 + 1.0  # Assistant.refresh_interval_s, plus slack for a loaded machine


def revise(text: str, round_: int, rng: random.Random) -> str:
    """The article with its closing line replaced by a new, distinctive one."""
    lines = text.rstrip("\n").split("\n")
    lines[-1] = (
        f"Revision {round_} update: the committee set a budget of {rng.randint(100, 99_999)} "
        f"crowns and the next meeting is on day {rng.randint(1, 28)}."
    )
    return "\n".join(lines) + "\n"


def new_article(round_: int, k: int, rng: random.Random) -> tuple[str, str, str]:
    """(file name, text, a question it answers) for an article added in round ``round_``."""
    code = f"Kestrel-{round_}-{k}"
    text = (
        f"Project {code} announced in Farrow\n\n"
        f"The harbour board in Farrow launched project {code} on Tuesday and hired "
        f"{rng.randint(3, 400)} pilots for it, the board said.\n\n"
        f"Officials said project {code} would run the night ferry to Halden from next spring.\n"
    )
    return f"added-r{round_}-{k}.txt", text, f"How many pilots did project {code} hire?"


def plan_number(name: str) -> int:
    return int(name[3:8])  # art00012.txt -> 12


def change_corpus(
    history: CorpusHistory, round_: int, rng: random.Random, added: list[str], changes: int = 4
) -> dict[str, Any]:
    """Change ``changes`` synthetic articles, add 2, delete 2 (never a shipped one); ``added`` is
    the list of articles added so far, kept up to date. Returns what was done, and questions."""
    synthetic = sorted(p.name for p in history.folder.glob("art*.txt"))
    changed = rng.sample(synthetic, min(changes, len(synthetic) - 4))
    for name in changed:
        history.write(name, revise((history.folder / name).read_text("utf-8"), round_, rng))
    new = [new_article(round_, k, rng) for k in range(2)]
    for name, text, _ in new:
        history.write(name, text)
    # Long runs make many rounds: keep enough synthetic articles to change.
    candidates = (synthetic if len(synthetic) > 12 else []) + added
    deleted = rng.sample([n for n in candidates if n not in changed], 2)
    for name in deleted:
        history.delete(name)
        if name in added:
            added.remove(name)
    added.extend(name for name, _, _ in new)
    questions = [q for _, _, q in new]
    questions += [f"When is the next meeting about plan number {plan_number(n)}?" for n in changed]
    questions += [
        f"How many residents signed a petition about plan number {plan_number(n)}?"
        for n in deleted
        if n.startswith("art")
    ]
    return {"changed": changed, "added": [n for n, _, _ in new], "deleted": deleted,
            "questions": questions}  # fmt: skip


def retired_at(replaced: float | None, runs: list[IndexRun]) -> float:
    """When a version replaced at ``replaced`` must have left the answers (inf: not yet)."""
    if replaced is None:
        return math.inf
    later = [run.ended for run in runs if run.started >= replaced]
    return min(later) + REFRESH_GRACE_S if later else math.inf


def citation_problem(
    citation: dict[str, Any],
    started: float,
    ended: float,
    history: CorpusHistory,
    runs: list[IndexRun],
) -> str | None:
    """Why a citation in an answer asked during [started, ended] is impossible, or None."""
    article_id = citation["article_id"]
    versions = history.versions.get(article_id)
    if not versions:
        return f"cites {article_id!r}, an article the test never wrote"
    quote = normalised(citation["quote"])
    holding = [v for v in versions if quote in v.text]
    if not holding:
        return f"quote in no version of {article_id}: {quote[:80]!r}"
    if not any(v.written <= ended and started <= retired_at(v.replaced, runs) for v in holding):
        return (
            f"quote from a version of {article_id} that was not in the index during "
            f"[{started:.2f}, {ended:.2f}]: {quote[:80]!r}"
        )
    return None
