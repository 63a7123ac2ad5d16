"""Dynamic batching of embedding calls: same vectors, shared model calls, errors delivered."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from assistant.batching import BatchingEmbeddings

TEXTS = [f"Soldier number {i} left battalion {i * 7} near Sagaing." for i in range(40)]


class Gated(Embeddings):
    """The real model behind a gate, so a test can hold the first call while others queue."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.calls: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        self.gate.wait(timeout=30)
        if any("explode" in t for t in texts):
            raise RuntimeError("model failed")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def test_concurrent_calls_share_model_calls_and_get_their_own_vectors(embeddings) -> None:
    gated = Gated(embeddings)
    batcher = BatchingEmbeddings(gated, max_batch=64)
    with ThreadPoolExecutor(16) as pool:
        first = pool.submit(batcher.embed_query, TEXTS[0])
        while not gated.calls:  # the worker is now busy with the first call
            threading.Event().wait(0.01)
        rest = [pool.submit(batcher.embed_documents, TEXTS[i : i + 3]) for i in range(1, 31, 3)]
        threading.Event().wait(0.2)  # let them queue behind the first
        gated.gate.set()
        got = [first.result()] + [v for f in rest for v in f.result()]
    expected = embeddings.embed_documents(TEXTS[:31])
    assert np.allclose(np.array(got), np.array(expected), atol=1e-5)
    assert len(gated.calls) == 2  # the first call, then all ten queued ones together
    assert sorted(gated.calls[1]) == sorted(TEXTS[1:31])


def test_an_error_reaches_every_caller_of_the_batch_and_the_worker_survives(embeddings) -> None:
    gated = Gated(embeddings)
    gated.gate.set()
    batcher = BatchingEmbeddings(gated)
    with pytest.raises(RuntimeError, match="model failed"):
        batcher.embed_documents(["this will explode"])
    assert len(batcher.embed_query("still serving")) == 384


def test_large_calls_and_empty_calls_bypass_the_queue(embeddings) -> None:
    gated = Gated(embeddings)
    gated.gate.set()
    batcher = BatchingEmbeddings(gated, max_batch=8)
    assert batcher.embed_documents([]) == []
    assert len(batcher.embed_documents(TEXTS[:8])) == 8
    assert not batcher._threads  # nothing was queued
    assert gated.calls == [TEXTS[:8]]


def test_duplicate_texts_in_a_batch_are_embedded_once(embeddings) -> None:
    gated = Gated(embeddings)
    gated.gate.set()
    batcher = BatchingEmbeddings(gated)
    vectors = batcher.embed_documents([TEXTS[0], TEXTS[1], TEXTS[0]])
    assert vectors[0] == vectors[2] and vectors[0] != vectors[1]
    assert gated.calls == [[TEXTS[0], TEXTS[1]]]
