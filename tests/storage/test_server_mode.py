"""Server mode: a real `chroma run` process, shared by several app processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import StoreUnavailable
from assistant.factory import build_assistant
from tests.chroma_server import ChromaServer
from tests.conftest import ARTICLES, ROOT, make_settings

pytestmark = pytest.mark.slow

WORKER = """
import json, sys
from assistant import Settings, build_assistant
bot = build_assistant(Settings())
bot.refresh_interval_s = 0.0
print("ready", flush=True)
for line in sys.stdin:
    answer = bot.ask(line.strip())
    print(json.dumps({"cited": sorted({c.article_id for c in answer.citations}),
                      "articles": len(bot.snapshot().committed), "answer": answer.answer}), flush=True)
"""


def server_env(server: ChromaServer, tmp_path: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_CHROMA_HOST": "127.0.0.1",
        "ASSISTANT_CHROMA_PORT": str(server.port),
        "ASSISTANT_INDEX_NAME": name,
        "ASSISTANT_INDEX_DIR": str(tmp_path / "unused-local-index"),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
    }


def test_server_going_away_is_a_clear_error_and_recovery_needs_no_restart(
    tmp_path: Path, embeddings
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        settings = make_settings(tmp_path / "idx").with_overrides(
            chroma={"host": "127.0.0.1", "port": server.port, "timeout_s": 3.0}
        )
        bot = build_assistant(settings, embeddings=embeddings)
        bot.index()
        assert bot.ask("Who is Thet Naing Oo?").citations

        server.pause()  # a server that stops answering: an error after the timeout, not a hang
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="unavailable"):
            bot.ask("How many soldiers defected to the KNU?")
        # The event is the error; the bound (40x the 3 s timeout) only tells it from a hang.
        assert time.monotonic() - started < 120
        server.resume()

        server.stop()  # a server that is gone: an immediate, clear error
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{server.port}"):
            bot.ask("How many soldiers defected to the KNU?")

        server.start()  # same data, same port: the same Assistant answers again
        answer = bot.ask("How many soldiers defected to the KNU?")
        assert "Twelve soldiers" in answer.answer
    finally:
        server.stop()


def test_migrate_embedded_index_to_server(
    tmp_path: Path, chroma_server: ChromaServer, embeddings
) -> None:
    index = tmp_path / "index"
    env = {**os.environ, "ASSISTANT_INDEX_NAME": "migrated"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            "--index",
            str(index),
            "--articles",
            str(ARTICLES),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "migrate",
            "--index",
            str(index),
            "--to-host",
            "127.0.0.1",
            "--to-port",
            str(chroma_server.port),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "copied" in result.stderr
    local = build_assistant(
        make_settings(index).with_overrides(index={"name": "migrated"}), embeddings=embeddings
    )
    remote = build_assistant(
        make_settings(tmp_path / "other").with_overrides(
            index={"name": "migrated"}, chroma={"host": "127.0.0.1", "port": chroma_server.port}
        ),
        embeddings=embeddings,
    )
    assert not remote.needs_index()
    assert remote.stats()["chunks"] == local.stats()["chunks"]
    question = "Who is Thet Naing Oo?"
    assert remote.ask(question).answer == local.ask(question).answer


def test_two_app_processes_stay_consistent_after_a_third_indexes(
    tmp_path: Path, chroma_server: ChromaServer
) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    env = server_env(chroma_server, tmp_path, "shared")
    index_cmd = [sys.executable, "-m", "assistant.cli", "index", "--articles", str(articles)]
    subprocess.run(index_cmd, check=True, capture_output=True, env=env, timeout=300, cwd=ROOT)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    try:
        for w in workers:
            assert w.stdout.readline().strip() == "ready"

        def ask_all(question: str) -> list[dict]:
            for w in workers:
                w.stdin.write(question + "\n")
                w.stdin.flush()
            return [json.loads(w.stdout.readline()) for w in workers]

        before = ask_all("Who runs the ferry between Lindqvist Harbour and Osterby?")
        assert all(b["articles"] == 2 for b in before)
        (articles / "ferry.txt").write_text(
            "Ferry resumes\n\nThe ferry between Lindqvist Harbour and Osterby is run by the Brannvik "
            "Ferry Company, which resumed crossings on Monday after floods.\n",
            encoding="utf-8",
        )
        subprocess.run(index_cmd, check=True, capture_output=True, env=env, timeout=300, cwd=ROOT)
        after = ask_all("Who runs the ferry between Lindqvist Harbour and Osterby?")
        assert all(a["articles"] == 3 for a in after)
        assert all(a["cited"] == ["ferry"] and "Brannvik" in a["answer"] for a in after), after
        assert after[0]["answer"] == after[1]["answer"]
    finally:
        for w in workers:
            w.kill()
