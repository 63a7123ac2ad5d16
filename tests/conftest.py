"""Shared fixtures: the real bundled model, a real Chroma in a temporary folder, the shipped corpus."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import SentenceTransformerEmbeddings  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from tests.chroma_server import ChromaServer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_IDS = ("000_fa0faf298b5d84ef", "002_680d75cd3c7ca208")


@pytest.fixture(scope="session")
def embeddings() -> SentenceTransformerEmbeddings:
    """The real bundled all-MiniLM-L6-v2, loaded once per test session."""
    return SentenceTransformerEmbeddings()


def make_settings(index_dir: Path, articles_dir: Path = ARTICLES, **sections: dict) -> Settings:
    """Settings for a test: its own index folder, no environment surprises."""
    settings = Settings().with_overrides(
        articles={"dir": articles_dir}, index={"dir": index_dir}, data={"dir": index_dir / "data"}
    )
    return settings.with_overrides(**sections) if sections else settings


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_stores`` run against the embedded store and a real Chroma server."""
    if "store_mode" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_stores") is not None
        metafunc.parametrize(
            "store_mode", ["embedded", "server"] if both else ["embedded"], scope="session"
        )


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One `chroma run` process shared by the session's server-mode tests."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data").start()
    yield server
    server.stop()


def store_sections(store_mode: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings sections for the store mode; each server-mode user gets its own collections."""
    if store_mode == "embedded":
        return {}
    server = request.getfixturevalue("chroma_server")
    return {
        "chroma": {"host": "127.0.0.1", "port": server.port, "timeout_s": 5.0},
        "index": {"name": f"t{uuid.uuid4().hex[:12]}"},
    }


@pytest.fixture
def settings_for(
    tmp_path: Path, store_mode: str, request: pytest.FixtureRequest
) -> Callable[..., Settings]:
    """Settings for this test's index folder, in the store mode under test."""
    store = store_sections(store_mode, request)

    def build(articles_dir: Path = ARTICLES, **sections: dict) -> Settings:
        return make_settings(tmp_path / "index", articles_dir, **sections).with_overrides(**store)

    return build


@pytest.fixture
def bot_for(
    settings_for, embeddings: SentenceTransformerEmbeddings
) -> Iterator[Callable[..., Assistant]]:
    """Build an assistant over a given articles folder, indexed into this test's tmp folder;
    closed when the test ends."""
    built: list[Assistant] = []

    def build(articles_dir: Path = ARTICLES, chat_model=None, **sections: dict) -> Assistant:
        bot = build_assistant(
            settings_for(articles_dir, **sections), embeddings=embeddings, chat_model=chat_model
        )
        built.append(bot)
        return bot

    yield build
    for bot in built:
        bot.close()


@pytest.fixture(scope="session")
def shipped_bot(
    tmp_path_factory: pytest.TempPathFactory,
    embeddings,
    store_mode: str,
    request: pytest.FixtureRequest,
) -> Iterator[Assistant]:
    """The shipped articles indexed once per store mode for the session (read-only use)."""
    index_dir = tmp_path_factory.mktemp("shipped-index")
    settings = make_settings(index_dir).with_overrides(**store_sections(store_mode, request))
    with build_assistant(settings, embeddings=embeddings) as bot:
        report = bot.index()
        assert sorted(report.added) == list(SEED_IDS)
        yield bot


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped articles."""
    target = tmp_path / "articles"
    shutil.copytree(ARTICLES, target)
    return target
