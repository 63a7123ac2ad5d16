"""The disk fills up while re-indexing: a clear error, the previous index answers, the next run heals.

``assistant index`` runs in a process whose file-size limit (RLIMIT_FSIZE) sits just above the
index's largest file, with SIGXFSZ ignored, so a write past it fails with EFBIG the way a write
to a full disk fails with ENOSPC, without root or a small mount. Short: 30 articles, one failed
run; long (ASSISTANT_LONG_RELIABILITY=1): 200 articles, three failed runs in a row at different
limits. Each failed run changes every article and adds new ones, so it has real writing to do.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from assistant.service import Assistant
from tests.conftest import ROOT, make_settings
from tests.reliability.live_server import LONG, normalised, write_figures
from tests.reliability.synthetic import write_corpus
from tests.reliability.test_kill_indexer import check_consistent

pytestmark = pytest.mark.slow

ARTICLES, ADDED_PER_ROUND = (200, 20) if LONG else (30, 10)
# Room left above the largest index file, one failed run each (SQLite grows by 4 KB pages).
MARGINS = (4_096, 65_536, 262_144) if LONG else (16_384,)
QUESTION = "Which plan did the council in Arlen approve?"


def index_command(
    articles: Path, index: Path, file_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``assistant index`` in its own process, optionally unable to grow a file past ``file_limit``."""

    def limit_file_size() -> None:
        assert file_limit is not None
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails instead of the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    command = [sys.executable, "-m", "assistant.cli", "index",
               "--articles", str(articles), "--index", str(index)]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
        preexec_fn=limit_file_size if file_limit is not None else None,
    )  # fmt: skip


def largest_file(folder: Path) -> int:
    return max(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def versions_on_disk(articles: Path) -> dict[str, set[str]]:
    return {p.stem: {normalised(p.read_text("utf-8"))} for p in articles.iterdir()}


def assert_answers_from(bot: Assistant, written: dict[str, set[str]]) -> int:
    """The index answers, and every citation is verbatim in its article as indexed and in a
    version of the article file the test wrote. Returns the number of citations checked."""
    answer = bot.ask(QUESTION)
    assert answer.passages and answer.citations, "the index must still answer"
    for c in answer.citations:
        article = bot.article(c.article_id)
        assert c.verified and article is not None
        assert article.text[c.start : c.end] == c.quote
        assert any(normalised(c.quote) in text for text in written[c.article_id]), c.quote
    return len(answer.citations)


def test_disk_full_while_reindexing(tmp_path: Path, embeddings) -> None:
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, ARTICLES)
    first = index_command(articles, index)
    assert first.returncode == 0, first.stderr
    settings = make_settings(index, articles)
    written = versions_on_disk(articles)
    originals = set(written)
    failures: list[dict[str, object]] = []
    citations = 0
    for round_, margin in enumerate(MARGINS, start=1):
        count = ARTICLES + ADDED_PER_ROUND * round_
        write_corpus(articles, count, version=round_)  # every article changes, new ones appear
        for stem, texts in versions_on_disk(articles).items():
            written.setdefault(stem, set()).update(texts)
        limit = largest_file(index) + margin
        started = time.monotonic()
        run = index_command(articles, index, file_limit=limit)
        seconds = time.monotonic() - started

        # A clear one-line error naming the problem, no traceback dumped at the user.
        assert run.returncode != 0, run.stderr
        assert "Traceback" not in run.stderr and "╭" not in run.stderr, run.stderr
        errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, run.stderr
        assert "the index could not be written" in errors[0], errors[0]
        assert f"may not write files over {limit:,} bytes" in errors[0], errors[0]

        # The previous index still answers; no article that was indexed before is lost, and
        # each is at a version that was on disk (the run may have committed some new ones).
        bot = build_assistant(settings, embeddings=embeddings)
        citations += assert_answers_from(bot, written)
        committed = bot.store.committed(bot.snapshot().fingerprint)
        assert originals <= set(committed)
        for article_id in committed:
            text = normalised(bot.article(article_id).text)
            assert any(f"revision {v}" in text for v in range(round_ + 1)), article_id
        failures.append({"margin_bytes": margin, "limit_bytes": limit, "seconds": round(seconds, 1),
                         "committed_after": len(committed), "error": errors[0]})  # fmt: skip

    healed = index_command(articles, index)
    assert healed.returncode == 0, healed.stderr
    assert "failed 0" in healed.stderr, healed.stderr
    final = build_assistant(settings, embeddings=embeddings)
    check_consistent(final)  # no orphan chunks, every committed article has all its chunks
    committed = final.store.committed(final.snapshot().fingerprint)
    assert set(committed) == {p.stem for p in articles.iterdir()}
    last = len(MARGINS)
    assert all(f"revision {last}" in final.article(aid).text for aid in committed)
    citations += assert_answers_from(final, versions_on_disk(articles))
    write_figures(
        "disk-full",
        {"articles_before": ARTICLES, "articles_after": len(committed), "failed_runs": failures,
         "previous_index_answered": len(failures), "citations_checked": citations,
         "final_run_consistent": True},
    )  # fmt: skip
