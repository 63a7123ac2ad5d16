"""A running reader (the web app's process) and ``assistant index`` in another process.

The smallest form of what test_concurrent_reindex.py and test_load.py see through HTTP: once
another process has re-indexed the folder, the reader must answer (not raise) and its dense
search must find the new chunks, not only the lexical side that is rebuilt from the store.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from tests.conftest import ROOT, make_settings
from tests.reliability.synthetic import write_corpus

KESTREL = (
    "Project Kestrel in Farrow\n\n"
    "The harbour board in Farrow hired 77 pilots for project Kestrel, the board said.\n"
)


@pytest.mark.slow
def test_a_reader_sees_what_another_process_indexed(tmp_path: Path, embeddings) -> None:
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, 6)
    bot = build_assistant(make_settings(index, articles), embeddings=embeddings)
    bot.index()
    assert bot.ask("Which plan did the council in Arlen approve?").citations

    write_corpus(articles, 6, version=1)  # every article changes: its old chunks are deleted
    (articles / "kestrel.txt").write_text(KESTREL, "utf-8")
    command = [sys.executable, "-m", "assistant.cli", "index",
               "--articles", str(articles), "--index", str(index)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout.decode()[-2000:]
    time.sleep(bot.refresh_interval_s + 0.1)  # the reader checks for a new index once a second

    answer = bot.ask("How many pilots did the harbour board in Farrow hire for project Kestrel?")
    assert any(c.article_id == "kestrel" for c in answer.citations), answer.to_dict()
    snapshot = bot.snapshot()
    vector = embeddings.embed_query("pilots hired for project Kestrel")
    dense = bot.store.query(snapshot.fingerprint, vector, 5)
    assert any(chunk.article_id == "kestrel" for chunk, _ in dense), dense
