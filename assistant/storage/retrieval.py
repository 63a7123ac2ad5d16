"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank, de-duplicated and capped."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

from langchain_core.embeddings import Embeddings

from assistant.config import RetrievalSettings
from assistant.dates import as_date
from assistant.lexical import terms
from assistant.models import Filters, Passage
from assistant.question_time import TimeFrame
from assistant.storage.records import ChunkRecord
from assistant.storage.snapshot import IndexSnapshot
from assistant.storage.store import ChromaStore


class HybridSearch:
    """Dense + lexical search over one snapshot of the index."""

    def __init__(
        self, store: ChromaStore, embeddings: Embeddings, settings: RetrievalSettings
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.settings = settings

    def search(
        self,
        snapshot: IndexSnapshot,
        query: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        timings: dict[str, float] | None = None,
        vector: list[float] | None = None,
        frame: TimeFrame | None = None,
    ) -> list[Passage]:
        """The best passages for ``query``; ``vector`` is its embedding when already computed;
        ``frame``, the time the question is about, favours articles of that time."""
        timings = timings if timings is not None else {}
        top_k = top_k or self.settings.top_k
        n = self.settings.candidates

        t0 = time.perf_counter()
        if vector is None:
            vector = self.embeddings.embed_query(query)
        t1 = time.perf_counter()
        dense = [
            (chunk, sim)
            for chunk, sim in self.store.query(snapshot.fingerprint, vector, n, filters)
            if snapshot.is_committed(chunk)
        ]
        t2 = time.perf_counter()
        lexical = snapshot.lexical.search(query, n, snapshot.mask(filters))
        t3 = time.perf_counter()

        fused: dict[str, float] = defaultdict(float)
        chunks: dict[str, ChunkRecord] = {}
        dense_sim: dict[str, float] = {}
        for rank, (chunk, sim) in enumerate(dense):
            fused[chunk.chunk_id] += self.settings.dense_weight / (self.settings.rrf_k + rank + 1)
            chunks[chunk.chunk_id] = chunk
            dense_sim[chunk.chunk_id] = sim
        for rank, (row, _score) in enumerate(lexical):
            cid = snapshot.chunk_ids[row]
            fused[cid] += self.settings.lexical_weight / (self.settings.rrf_k + rank + 1)
            if cid not in chunks:
                chunks[cid] = snapshot.chunk(row)
        if frame is not None and not frame.empty:
            self._fuse_time(fused, chunks, frame)
        ranked = sorted(fused.items(), key=lambda item: -item[1])
        passages = self._select(
            [chunks[cid].to_passage(score, dense_sim.get(cid)) for cid, score in ranked], top_k
        )
        t4 = time.perf_counter()
        timings.setdefault("embed_query", (t1 - t0) * 1000)
        timings.update(
            dense=(t2 - t1) * 1000,
            bm25=(t3 - t2) * 1000,
            fusion=(t4 - t3) * 1000,
        )
        return passages

    def _fuse_time(
        self, fused: dict[str, float], chunks: dict[str, ChunkRecord], frame: TimeFrame
    ) -> None:
        """Fuse a third ranking into ``fused``: the candidates by closeness in time.

        Candidates published within the question's period come first (in fused order), then,
        for a question that wants the newest reports, the rest newest first; undated ones last.
        Weighted like one more ranked list, so a strong lexical and dense match still wins.
        """
        weight = self.settings.time_weight
        if weight <= 0:
            return

        def key(cid: str) -> tuple[int, float, float]:
            published = _published(chunks[cid])
            if published is None:
                return (2, 0.0, -fused[cid])
            inside = frame.start is not None or frame.end is not None
            if inside and frame.contains(published):
                return (0, 0.0, -fused[cid])
            if frame.recent:
                return (1, -published.toordinal(), -fused[cid])
            return (2, 0.0, -fused[cid])

        order = sorted(fused, key=key)
        for rank, cid in enumerate(order):
            if key(cid)[0] < 2:
                fused[cid] += weight / (self.settings.rrf_k + rank + 1)

    def _select(self, ranked: list[Passage], top_k: int) -> list[Passage]:
        """Collapse near-duplicates and cap passages per article, keeping rank order."""
        chosen: list[Passage] = []
        term_sets: list[set[str]] = []
        per_article: dict[str, int] = defaultdict(int)
        for passage in ranked:
            if per_article[passage.article_id] >= self.settings.per_article_cap:
                continue
            words = set(terms(passage.text, stem=False))
            if any(_jaccard(words, other) > self.settings.near_duplicate for other in term_sets):
                continue
            chosen.append(passage)
            term_sets.append(words)
            per_article[passage.article_id] += 1
            if len(chosen) >= top_k:
                break
        return chosen


def _published(chunk: ChunkRecord) -> date | None:
    return as_date(chunk.article.published)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
