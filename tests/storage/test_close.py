"""Closing an assistant releases its index files and embedding workers, and loses nothing."""

from __future__ import annotations

import gc
import os
import threading
import time
from pathlib import Path

import pytest

from assistant.factory import build_assistant
from tests.conftest import ARTICLES, make_settings

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def _open_files() -> int:
    gc.collect()  # chromadb's clients hold their SQLite connections in reference cycles
    return len(os.listdir("/proc/self/fd"))


def _batchers() -> int:
    return sum(t.name == "embedding-batcher" for t in threading.enumerate())


def _cycle(index_dir: Path, embeddings) -> None:
    with build_assistant(make_settings(index_dir), embeddings=embeddings) as bot:
        bot.index()
        assert not bot.ask("How many soldiers are in Myanmar's military?").abstained


def test_indexing_and_closing_again_and_again_leaves_no_files_or_threads_open(
    tmp_path: Path, embeddings
) -> None:
    _cycle(tmp_path / "warm-up", embeddings)  # imports and caches that stay for the process
    files, threads = _open_files(), _batchers()
    for n in range(3):
        _cycle(tmp_path / f"index-{n}", embeddings)
    # Each unclosed embedded index holds about a dozen descriptors (SQLite, vector files).
    assert _open_files() - files <= 2
    assert _batchers() == threads


def test_an_assistant_dropped_without_closing_gives_its_files_back(
    tmp_path: Path, embeddings
) -> None:
    _cycle(tmp_path / "warm-up", embeddings)
    files, threads = _open_files(), _batchers()
    for n in range(3):
        bot = build_assistant(make_settings(tmp_path / f"index-{n}"), embeddings=embeddings)
        bot.index()
        assert not bot.ask("How many soldiers are in Myanmar's military?").abstained
        assert _batchers() > threads  # the question started an embedding worker
        del bot  # never closed
    assert _open_files() - files <= 2
    deadline = time.monotonic() + 10
    while _batchers() > threads and time.monotonic() < deadline:
        time.sleep(0.05)  # each worker ends once it takes its stop sign
    assert _batchers() == threads


def test_a_closed_assistant_opens_its_index_again_when_used(tmp_path: Path, embeddings) -> None:
    bot = build_assistant(make_settings(tmp_path / "index"), embeddings=embeddings)
    bot.index()
    question = "How many soldiers are in Myanmar's military?"
    before = bot.ask(question)
    bot.close()
    after = bot.ask(question)
    assert after.answer == before.answer and not after.abstained
    bot.close()
    bot.close()  # closing twice is harmless


def test_closing_one_of_two_assistants_on_one_index_leaves_the_other_working(
    tmp_path: Path, embeddings
) -> None:
    settings = make_settings(tmp_path / "index", ARTICLES)
    first = build_assistant(settings, embeddings=embeddings)
    first.index()
    second = build_assistant(settings, embeddings=embeddings)
    assert second.state() is not None  # both hold a client on the same folder now
    first.close()
    answer = second.ask("How many soldiers are in Myanmar's military?")
    assert not answer.abstained and "400,000" in answer.answer
    second.close()


def test_a_client_replaced_on_reopening_is_released_at_the_next_reopening(tmp_path: Path) -> None:
    from assistant.storage.chroma_client import make_client, release_client
    from assistant.storage.store import ChromaStore

    settings = make_settings(tmp_path / "index")
    released: list[object] = []

    def release(client: object) -> None:
        released.append(client)
        release_client(client)

    store = ChromaStore(lambda: make_client(settings), release=release)
    assert store.state() is None  # connects
    first = store.client
    store.reopen_embedded()  # another process wrote the folder: a fresh client
    second = store.client
    assert second is not first and released == []  # requests in flight may still use `first`
    store.reopen_embedded()
    assert released == [first]
    third = store.client
    store.close()
    assert released == [first, second, third]
    assert store.state() is None  # and it connects again
    store.close()
