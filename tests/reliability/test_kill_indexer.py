"""SIGKILL the indexer at random points: the previous index keeps answering, the next run heals.

Short by default (30 articles, 3 kills). The long variant of the issue (1,000 articles, 20 kills)
runs with ASSISTANT_LONG_RELIABILITY=1 and writes its figures to artifacts/reliability/.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from tests.conftest import ROOT, make_settings
from tests.reliability.synthetic import write_corpus

LONG = os.environ.get("ASSISTANT_LONG_RELIABILITY") == "1"
ARTICLES, KILLS = (1000, 20) if LONG else (30, 3)

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
    )


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
    survived, tried, durations = 0, 0, []
    for round_ in range(1, KILLS + 1):
        write_corpus(articles, ARTICLES, version=round_)  # every article changes: real work to kill
        process = start_index(articles, index)
        delay = rng.uniform(4.0, 12.0 if not LONG else 40.0)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            tried += 1
        process.wait(timeout=60)
        bot = build_assistant(settings, embeddings=embeddings)
        answer = bot.ask("Which plan did the council in Arlen approve?")
        assert answer.passages, "the previous index must still answer after a kill"
        assert all(
            bot.article(c.article_id).text[c.start : c.end] == c.quote for c in answer.citations
        )
        survived += 1
        durations.append(delay)
    final = build_assistant(settings, embeddings=embeddings)
    report = final.index()
    assert not report.failed
    check_consistent(final)
    committed = final.store.committed(final.snapshot().fingerprint)
    assert len(committed) == ARTICLES
    assert all(f"revision {KILLS}" in final.article(aid).text for aid in list(committed)[:50])
    figures = {
        "articles": ARTICLES,
        "kills_tried": tried,
        "kills_survived": survived,
        "final_run_consistent": True,
        "kill_delays_s": [round(d, 1) for d in durations],
    }
    out = ROOT / "artifacts" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"kill-indexer-{'long' if LONG else 'short'}.json").write_text(
        json.dumps(figures, indent=2)
    )
    assert tried >= 1 and survived == KILLS
