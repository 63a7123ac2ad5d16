"""The composition root: builds the one ``Assistant`` from settings, with optional replacements."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from assistant.answering.calibration import load_calibration
from assistant.answering.engine import AnswerEngine
from assistant.answering.extractive import ExtractiveEngine
from assistant.batching import BatchingEmbeddings
from assistant.config import Settings
from assistant.embeddings import SentenceTransformerEmbeddings
from assistant.errors import NotIndexed
from assistant.service import Assistant
from assistant.storage.chroma_client import make_client, release_client, store_location
from assistant.storage.store import ChromaStore


def build_assistant(
    settings: Settings | None = None,
    *,
    embeddings: Embeddings | None = None,
    chat_model: BaseChatModel | None = None,
    client: Any = None,
) -> Assistant:
    """Wire settings into a ready service; tests pass a fake chat model or a shared client."""
    settings = settings or Settings()
    es = settings.embedding
    model = embeddings or SentenceTransformerEmbeddings(
        es.model_path, es.batch_size, es.device, es.threads
    )
    # Concurrent questions share model calls; indexing's large batches go straight through.
    # With single-threaded model calls, one batching worker per core keeps every core busy.
    cores = os.cpu_count() or 1
    workers = max(1, cores // es.threads) if es.threads else 1
    embeddings = BatchingEmbeddings(model, max_batch=es.batch_size, workers=workers)
    store = ChromaStore(
        (lambda: client) if client is not None else (lambda: make_client(settings)),
        settings.index.name,
        store_location(settings),
        release=None if client is not None else release_client,  # a client passed in stays open
    )
    # The abstention threshold: a setting when given (calibration turns abstention off with
    # one), else the calibrated value shipped in answering/calibration.json.
    abstain_below = settings.answer.abstain_below
    if abstain_below is None:
        abstain_below = load_calibration().abstain_below
    engines: dict[str, AnswerEngine] = {
        "extractive": ExtractiveEngine(embeddings, settings.answer, abstain_below)
    }
    if chat_model is not None or settings.llm.model or settings.llm.base_url:
        from assistant.answering.llm import LLMEngine
        from assistant.prompts import load_prompts

        engines["llm"] = LLMEngine(
            chat_model=chat_model,
            settings=settings.llm,
            prompts=load_prompts(settings.prompts),
        )
    return Assistant(settings, store, embeddings, engines)


def copy_index_to_server(
    settings: Settings,
    host: str,
    port: int,
    ssl: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy the embedded index under ``settings.index.dir`` to the Chroma server at host:port.

    Vectors included, nothing re-embedded; returns the records copied per collection.
    """
    from assistant.storage.migrate import copy_index

    source_settings = settings.with_overrides(chroma={"host": ""})
    target_settings = source_settings.with_overrides(
        chroma={"host": host, "port": port, "ssl": ssl}
    )
    source = ChromaStore(
        lambda: make_client(source_settings), source_settings.index.name, release=release_client
    )
    target = ChromaStore(
        lambda: make_client(target_settings), target_settings.index.name, release=release_client
    )
    try:
        if source.state() is None:
            raise NotIndexed(f"nothing indexed under {source_settings.index.dir}")
        return copy_index(source, target, progress)
    finally:
        source.close()
        target.close()
