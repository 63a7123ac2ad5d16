"""Shared fixtures: the real bundled model, a real Chroma in a temporary folder, the shipped corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import SentenceTransformerEmbeddings  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402
from assistant.service import Assistant  # noqa: E402

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


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    def build(articles_dir: Path = ARTICLES, **sections: dict) -> Settings:
        return make_settings(tmp_path / "index", articles_dir, **sections)

    return build


@pytest.fixture
def bot_for(tmp_path: Path, embeddings: SentenceTransformerEmbeddings) -> Callable[..., Assistant]:
    """Build an assistant over a given articles folder, indexed into this test's tmp folder."""

    def build(articles_dir: Path = ARTICLES, chat_model=None, **sections: dict) -> Assistant:
        settings = make_settings(tmp_path / "index", articles_dir, **sections)
        return build_assistant(settings, embeddings=embeddings, chat_model=chat_model)

    return build


@pytest.fixture(scope="session")
def shipped_bot(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:
    """The shipped articles indexed once for the session (read-only use)."""
    index_dir = tmp_path_factory.mktemp("shipped-index")
    bot = build_assistant(make_settings(index_dir), embeddings=embeddings)
    report = bot.index()
    assert sorted(report.added) == list(SEED_IDS)
    return bot


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped articles."""
    target = tmp_path / "articles"
    shutil.copytree(ARTICLES, target)
    return target
