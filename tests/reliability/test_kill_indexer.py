"""SIGKILL the indexer while it writes: the previous index keeps answering, the next run heals.

A kill counts only if it LANDED: the run had begun writing the new versions' chunks to the
store (observed before the kill), it was still running, and it had not yet committed every
article.
Rounds whose kill missed are reported, not counted; the test fails when too few landed.
Survival is recorded per landed round and asserted at the end, so the figures file tells
failures too. Short by default (30 articles, rounds until 3 kills landed, at most 9); the long
variant (1,000 articles, 20 kills) runs with ASSISTANT_LONG_RELIABILITY=1. Figures go to artifacts/reliability/.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from assistant.ingest import load_corpus
from tests.conftest import ROOT, make_settings
from tests.reliability.synthetic import write_corpus

LONG = os.environ.get("ASSISTANT_LONG_RELIABILITY") == "1"
ARTICLES, KILLS = (1000, 20) if LONG else (30, 3)
MAX_TRIES = 3 * KILLS  # rounds tried at most to land KILLS kills
MIN_LANDED = KILLS - 1 if LONG else KILLS  # rounds whose kill must land for the test to count
# Small embedding batches make the run write in many groups (30 articles would otherwise be
# one group: one write, then the commit), so there is a writing phase to land a kill in. The
# batch size is not part of the index fingerprint: the same index is written.
INDEX_ENV = {"ASSISTANT_EMBEDDING_BATCH_SIZE": "4"}
EXTRA_DELAY_S = (0.0, 20.0) if LONG else (0.0, 1.5)  # after writing began, before the kill

pytestmark = pytest.mark.slow


def start_index(articles: Path, index: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            "--articles",
            str(articles),
            "--index",
            str(index),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, **INDEX_ENV},
    )


def new_version_written(index: Path, hashes: set[str]) -> int:
    """How many of the new article versions have records in the store (chunks or manifest).

    Read-only from another process, straight from Chroma's SQLite metadata: a record carries its
    article version's hash (``article_hash`` on chunks, ``content_hash`` in the manifest); the
    new versions' hashes exist nowhere before this run writes them, so a count above 0 means
    the run is writing its chunks.
    """
    db = index / "chroma" / "chroma.sqlite3"
    marks = ",".join("?" * len(hashes))
    query = (
        "SELECT count(DISTINCT string_value) FROM embedding_metadata "
        f"WHERE key IN ('article_hash', 'content_hash') AND string_value IN ({marks})"
    )
    for _ in range(50):
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
                return int(conn.execute(query, sorted(hashes)).fetchone()[0])
        except sqlite3.OperationalError:  # locked by the writer for a moment
            time.sleep(0.1)
    raise AssertionError(f"cannot read {db}")


def wait_for_writing(process: subprocess.Popen[bytes], index: Path, hashes: set[str]) -> bool:
    """True once the run has written records of a new version; False if it ended first."""
    deadline = time.monotonic() + 3600
    while process.poll() is None and time.monotonic() < deadline:
        if new_version_written(index, hashes):
            return True
        time.sleep(0.05)
    return False


def still_answers(bot) -> bool | str:
    """True when the previous index answers with verbatim citations; else False or the error."""
    try:
        answer = bot.ask("Which plan did the council in Arlen approve?")
        return bool(answer.passages) and all(
            bot.article(c.article_id).text[c.start : c.end] == c.quote for c in answer.citations
        )
    except Exception as exc:  # recorded in the figures, and fails the test at the end
        return f"{type(exc).__name__}: {exc}"


def check_consistent(bot) -> None:
    fp = bot.snapshot().fingerprint
    committed = bot.store.committed(fp)
    keys = bot.store.chunk_keys(fp)
    assert all(c.article_id in committed and committed[c.article_id].holds(c) for c in keys)
    counts: dict[str, int] = {}
    for c in keys:
        counts[c.article_id] = counts.get(c.article_id, 0) + 1
    assert all(counts.get(aid, 0) == record.chunks for aid, record in committed.items())


def test_sigkill_during_indexing(tmp_path: Path, embeddings) -> None:
    rng = random.Random(2021)
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, ARTICLES)
    first = start_index(articles, index)
    assert first.wait(timeout=3600) == 0
    settings = make_settings(index, articles)
    rounds: list[dict[str, object]] = []
    round_ = 0
    # Rounds go on until KILLS kills landed (at most MAX_TRIES): on a fast or a loaded machine
    # the run may finish inside the random delay, and such a round is reported, not counted.
    while sum(1 for r in rounds if r["landed"]) < KILLS and round_ < MAX_TRIES:
        round_ += 1
        write_corpus(articles, ARTICLES, version=round_)  # every article changes: real work to kill
        latest = {a.id: a.content_hash for a in load_corpus(articles).articles}
        process = start_index(articles, index)
        writing = wait_for_writing(process, index, set(latest.values()))
        delay = rng.uniform(*EXTRA_DELAY_S)
        time.sleep(delay if writing else 0)
        alive = process.poll() is None
        if alive:
            process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
        bot = build_assistant(settings, embeddings=embeddings)
        committed = bot.store.committed(bot.snapshot().fingerprint)
        done = sum(
            1 for aid, h in latest.items() if aid in committed and committed[aid].content_hash == h
        )
        landed = writing and alive and code == -signal.SIGKILL and done < ARTICLES
        rounds.append(
            {
                "landed": landed,
                "survived": still_answers(bot) if landed else None,
                "articles_at_new_version_after_kill": done,
                "delay_after_writing_began_s": round(delay, 2),
            }
        )
    landed_rounds = [r for r in rounds if r["landed"]]
    survived = sum(1 for r in landed_rounds if r["survived"] is True)
    final = build_assistant(settings, embeddings=embeddings)
    report = final.index()
    assert not report.failed
    check_consistent(final)
    committed = final.store.committed(final.snapshot().fingerprint)
    assert len(committed) == ARTICLES
    assert all(f"revision {round_}" in final.article(aid).text for aid in list(committed)[:50])
    figures = {
        "articles": ARTICLES,
        "kills_tried": len(rounds),
        "kills_landed": len(landed_rounds),
        "survived_among_landed": survived,
        "final_run_consistent": True,
        "rounds": rounds,
    }
    out = ROOT / "artifacts" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"kill-indexer-{'long' if LONG else 'short'}.json").write_text(
        json.dumps(figures, indent=2)
    )
    assert len(landed_rounds) >= MIN_LANDED, rounds
    assert survived == len(landed_rounds), rounds
