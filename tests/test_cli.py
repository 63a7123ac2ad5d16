"""The `assistant` command, run as a real process the way a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTICLES


def run(*args: str, index: Path, articles: Path = ARTICLES, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(index / "data")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            *args,
            "--articles",
            str(articles),
            "--index",
            str(index),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        **kw,
    )


@pytest.mark.slow
def test_index_twice_then_ask(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = run("index", index=index)
    assert first.returncode == 0, first.stderr
    assert "added 2" in first.stderr and "failed 0" in first.stderr
    second = run("index", index=index)
    assert "unchanged 2" in second.stderr and "chunks embedded 0" in second.stderr

    answer = run("ask", "Who is Thet Naing Oo?", "--json", index=index)
    data = json.loads(answer.stdout)
    assert "Myingyan" in data["answer"] and data["citations"][0]["verified"]

    questions = tmp_path / "q.txt"
    questions.write_text(
        "How many soldiers defected to the KNU?\n\nWhat is the weather in Dawei today?\n"
    )
    batch = run("ask", "--json", "--file", str(questions), index=index)
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [line["abstained"] for line in lines] == [False, True]

    filtered = run(
        "ask",
        "Who is the NUG's defense minister?",
        "--json",
        "--article-id",
        "000_fa0faf298b5d84ef",
        index=index,
    )
    assert all(
        p["article_id"] == "000_fa0faf298b5d84ef" for p in json.loads(filtered.stdout)["passages"]
    )


def test_bad_input_gets_clear_messages(tmp_path: Path) -> None:
    missing = run("index", index=tmp_path / "i", articles=tmp_path / "does-not-exist")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    bad_date = run("ask", "x", "--from", "yesterday", index=tmp_path / "i")
    assert bad_date.returncode == 2 and "date" in bad_date.stderr


@pytest.mark.slow
def test_bad_files_are_named_in_the_summary(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.txt").write_text("A title\n\nTwelve soldiers defected to the KNU in Hpapun.")
    (articles / "broken.txt").write_bytes(b"\xff\xfe\x80 not utf-8")
    (articles / "image.png").write_bytes(b"\x89PNG")
    result = run("index", index=tmp_path / "index", articles=articles)
    assert result.returncode == 0
    assert "failed: broken.txt: not valid UTF-8" in result.stderr
    assert "image.png: skipped" in result.stderr
    assert "added 1" in result.stderr
