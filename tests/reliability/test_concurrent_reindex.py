"""Questions from several threads while another process re-indexes a changing corpus.

Each round changes, adds and deletes articles (churn.change_corpus keeps every version with its
times), then runs ``assistant index`` in its own process over the server's index folder, while
ASKERS threads keep asking the real server. Afterwards: no server errors, no failed or hung
requests, and every citation quotes a version of its article that could have been in the index
while the question was being answered (churn.citation_problem says exactly what that means).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.churn import REFRESH_GRACE_S, change_corpus, citation_problem
from tests.reliability.live_server import LONG, CorpusHistory, IndexRun, LiveApp, write_figures

ROUNDS = 8 if LONG else 2
ASKERS = 4
STATIC_QUESTIONS = [
    "Which plan did the town council in Arlen approve?",
    "How many soldiers defected to the KNU?",
    "What did the library in Dunmore fund?",
    "How many residents signed a petition about plan number 12?",
    "Who is Thet Naing Oo?",
]


@dataclass
class Asked:
    question: str
    started: float
    ended: float
    status: int  # -1: no HTTP answer (timeout, connection error)
    body: Any


def ask(client: httpx.Client, question: str) -> Asked:
    started = time.monotonic()
    try:
        response = client.post("/api/v1/ask", json={"question": question})
        status = response.status_code
        body = response.json() if status == 200 else response.text
    except httpx.HTTPError as exc:
        status, body = -1, repr(exc)
    return Asked(question, started, time.monotonic(), status, body)


class Askers:
    """ASKERS threads asking the live server, each question drawn from a pool the test updates."""

    def __init__(self, live_app: LiveApp) -> None:
        self.live_app = live_app
        self.pool = list(STATIC_QUESTIONS)
        self.asked: list[Asked] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(ASKERS)]

    def __enter__(self) -> Askers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        with self.live_app.server.client(timeout=60) as client:
            while not self.stop.is_set():
                asked = ask(client, rng.choice(self.pool))
                self.asked.append(asked)
                if asked.status != 200:
                    time.sleep(0.5)  # count failures without turning them into a flood


@pytest.mark.slow
def test_answers_cite_only_live_passages_while_reindexing(live_app: LiveApp) -> None:
    rng = random.Random(2024)
    server, history = live_app.server, live_app.history
    runs: list[IndexRun] = []
    added: list[str] = []
    rounds = []
    with Askers(live_app) as askers:
        time.sleep(2)  # some questions before anything changes
        for round_ in range(1, ROUNDS + 1):
            done = change_corpus(history, round_, rng, added)
            askers.pool = STATIC_QUESTIONS + done["questions"]
            run = server.reindex()
            runs.append(run)
            assert run.returncode == 0, server.log.with_name("indexer.log").read_text()[-2000:]
            rounds.append({**done, "index_s": round(run.ended - run.started, 1)})
            time.sleep(REFRESH_GRACE_S + 1)
    # Once the last run has settled, the articles it added are answerable.
    with server.client(timeout=60) as client:
        final = [ask(client, q) for q in rounds[-1]["questions"][:2]]
    asked = askers.asked + final

    statuses = Counter(a.status for a in asked)
    failures = [f"{a.status} for {a.question!r}: {str(a.body)[:300]}" for a in asked
                if a.status != 200]  # fmt: skip
    problems: list[str] = []
    citations = cited_changed = cited_retired_later = 0
    for a in asked:
        for citation in a.body["citations"] if a.status == 200 else []:
            citations += 1
            problem = citation_problem(citation, a.started, a.ended, history, runs)
            if problem:
                problems.append(f"{a.question!r}: {problem}")
            versions = history.versions[citation["article_id"]]
            cited_changed += any(v.written > 0 for v in versions)
            cited_retired_later += any(v.replaced is not None for v in versions)
    fresh = [
        a for a in final if a.status == 200 and any(
            c["article_id"].startswith(f"added-r{ROUNDS}-") for c in a.body["citations"])
    ]  # fmt: skip
    write_figures(
        "concurrent-reindex",
        {
            "rounds": ROUNDS,
            "askers": ASKERS,
            "questions_asked": len(asked),
            "status_counts": {str(k): v for k, v in sorted(statuses.items())},
            "server_errors": sum(n for s, n in statuses.items() if s >= 500),
            "failed_or_hung": statuses.get(-1, 0),
            "citations_checked": citations,
            "citations_of_articles_the_test_changed_or_added": cited_changed,
            "citations_of_articles_replaced_or_deleted_later": cited_retired_later,
            "citation_violations": len(problems),
            "index_runs_s": [r["index_s"] for r in rounds],
            "rounds_detail": rounds,
            "failures": failures[:20],
            "problems": problems[:50],
        },
    )
    assert not failures, f"{len(failures)} failed requests:\n" + "\n".join(failures[:10])
    assert not problems, f"{len(problems)} impossible citations:\n" + "\n".join(problems[:20])
    assert len(fresh) == len(final), "the last round's added articles are not answerable"
    assert cited_changed > 0, "no answer ever cited an article changed during the run"
    live_app.assert_key_not_logged()


def test_the_citation_check_itself(tmp_path: Path) -> None:
    """churn.citation_problem accepts what the index could hold at the time, and nothing else."""
    history = CorpusHistory(tmp_path)
    history.write("a.txt", "Title\n\nThe ferry runs at noon.\n")
    history.versions["a"][0].written = 10.0
    history.versions["a"][0].replaced = 20.0  # replaced (or deleted) at t=20
    runs = [IndexRun(15.0, 18.0, 0), IndexRun(25.0, 30.0, 0)]  # the run after t=20 ends at 30
    cite = {"article_id": "a", "quote": "The ferry  runs\nat noon."}
    assert citation_problem(cite, 12.0, 13.0, history, runs) is None
    assert citation_problem(cite, 31.0, 32.0, history, runs) is None  # within the refresh grace
    assert "not in the index" in citation_problem(cite, 40.0, 41.0, history, runs)
    assert "not in the index" in citation_problem(cite, 1.0, 2.0, history, runs)  # not yet written
    assert "no version" in citation_problem(
        {**cite, "quote": "The ferry sank."}, 12, 13, history, runs
    )
    assert "never wrote" in citation_problem({**cite, "article_id": "b"}, 12, 13, history, runs)
