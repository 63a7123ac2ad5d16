"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank, de-duplicated and capped."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from datetime import date, timedelta

from langchain_core.embeddings import Embeddings

from assistant.config import RetrievalSettings
from assistant.dates import as_date
from assistant.lexical import terms
from assistant.models import Filters, Passage, narrow_filters
from assistant.question_time import TimeFrame
from assistant.storage.boosts import (
    article_ranks,
    article_support,
    lead_ranking,
    phrase_ranking,
    question_phrases,
    title_ranking,
)
from assistant.storage.records import ChunkRecord
from assistant.storage.snapshot import IndexSnapshot
from assistant.storage.store import ChromaStore

# The most unfiltered neighbours asked for when a filter is applied to them here.
OVERFETCH_MAX = 500


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
        nearest_only: bool = False,
    ) -> list[Passage]:
        """The best passages for ``query``; ``vector`` is its embedding when already computed;
        ``frame``, the time the question is about, favours articles of that time.
        ``nearest_only``: the dense ranking keeps the filtered articles' chunks among the
        nearest unfiltered neighbours, never asking Chroma to filter (a narrow filter costs a
        metadata scan, ~100 ms on 22,000 chunks); BM25 still searches all filtered chunks."""
        timings = timings if timings is not None else {}
        top_k = top_k or self.settings.top_k
        n = self.settings.candidates

        t0 = time.perf_counter()
        if vector is None:
            vector = self.embeddings.embed_query(query)
        t1 = time.perf_counter()
        dense = self._dense(snapshot, vector, n, filters, nearest_only)
        t2 = time.perf_counter()
        lexical = snapshot.lexical.search(query, n, snapshot.mask(filters))
        t3 = time.perf_counter()

        fused: dict[str, float] = defaultdict(float)
        chunks: dict[str, ChunkRecord] = {}
        dense_sim: dict[str, float] = {}
        self._fuse_dense(fused, chunks, dense_sim, dense, self.settings.dense_weight)
        self._fuse_lexical(fused, chunks, snapshot, lexical, self.settings.lexical_weight)
        period = _period(frame, self.settings.recent_days)
        if period is not None and self.settings.period_weight > 0:
            self._fuse_period(fused, chunks, dense_sim, snapshot, query, vector, filters, period)
        self._fuse_boosts(fused, chunks, snapshot, query, filters)
        if frame is not None and not frame.empty:
            self._fuse_time(fused, chunks, frame)
        article_support(fused, chunks, self.settings.article_support)
        if self.settings.article_fusion > 0:
            rankings = [
                ([c.chunk_id for c, _ in dense], self.settings.dense_weight),
                ([snapshot.chunk_ids[row] for row, _ in lexical], self.settings.lexical_weight),
            ]
            by_article = article_ranks(rankings, chunks, self.settings.rrf_k)
            for cid in fused:
                fused[cid] += self.settings.article_fusion * by_article[chunks[cid].article_id]
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

    def _dense(
        self,
        snapshot: IndexSnapshot,
        vector: list[float],
        n: int,
        filters: Filters | None,
        nearest_only: bool = False,
    ) -> list[tuple[ChunkRecord, float]]:
        """The ``n`` nearest committed chunks passing ``filters``.

        Chroma applies a ``where`` filter by scanning metadata (about 180 ms on 22,000 chunks,
        against 10 ms unfiltered), so when the filter passes a good share of the articles (an
        ``as_of`` date, a period) more neighbours are asked for without it and filtered here;
        only when too few of them pass is Chroma asked again with the filter.
        """
        fp = snapshot.fingerprint
        allowed = snapshot.allowed_articles(filters)
        share = len(allowed) / max(1, len(snapshot.committed)) if allowed is not None else 1.0
        if allowed is not None and (share >= self.settings.overfetch_share or nearest_only):
            wanted = min(OVERFETCH_MAX, math.ceil(2 * n / max(share, 1e-9)))
            near = self.store.query(fp, vector, wanted)
            kept = [
                (c, sim) for c, sim in near if c.article_id in allowed and snapshot.is_committed(c)
            ]
            if len(kept) >= n or len(near) < wanted or nearest_only:
                return kept[:n]
        return [
            (chunk, sim)
            for chunk, sim in self.store.query(fp, vector, n, filters)
            if snapshot.is_committed(chunk)
        ]

    def _fuse_dense(
        self,
        fused: dict[str, float],
        chunks: dict[str, ChunkRecord],
        dense_sim: dict[str, float],
        dense: list[tuple[ChunkRecord, float]],
        weight: float,
    ) -> None:
        if weight <= 0:  # a ranking weighted 0 is off: it brings in no candidates either
            return
        for rank, (chunk, sim) in enumerate(dense):
            fused[chunk.chunk_id] += weight / (self.settings.rrf_k + rank + 1)
            chunks[chunk.chunk_id] = chunk
            dense_sim[chunk.chunk_id] = sim

    def _fuse_lexical(
        self,
        fused: dict[str, float],
        chunks: dict[str, ChunkRecord],
        snapshot: IndexSnapshot,
        lexical: list[tuple[int, float]],
        weight: float,
    ) -> None:
        if weight <= 0:
            return
        for rank, (row, _score) in enumerate(lexical):
            cid = snapshot.chunk_ids[row]
            fused[cid] += weight / (self.settings.rrf_k + rank + 1)
            if cid not in chunks:
                chunks[cid] = snapshot.chunk(row)

    def _fuse_period(
        self,
        fused: dict[str, float],
        chunks: dict[str, ChunkRecord],
        dense_sim: dict[str, float],
        snapshot: IndexSnapshot,
        query: str,
        vector: list[float],
        filters: Filters | None,
        period: tuple[date | None, date | None],
    ) -> None:
        """Retrieve the question's period on purpose: a dense and a BM25 ranking of only the
        articles published in it, fused with ``period_weight`` each, so a report of that week
        that neither whole-archive ranking reached still becomes a candidate."""
        narrowed = narrow_filters(filters, *period)
        if narrowed is None:
            return
        n, weight = self.settings.candidates, self.settings.period_weight
        dense = self._dense(snapshot, vector, n, narrowed)
        self._fuse_dense(fused, chunks, dense_sim, dense, weight)
        lexical = snapshot.lexical.search(query, n, snapshot.mask(narrowed))
        self._fuse_lexical(fused, chunks, snapshot, lexical, weight)

    def _fuse_boosts(
        self,
        fused: dict[str, float],
        chunks: dict[str, ChunkRecord],
        snapshot: IndexSnapshot,
        query: str,
        filters: Filters | None,
    ) -> None:
        """Fuse the title ranking (bringing in the best passage of a matching title's article
        when no ranking reached it) and the ranking by the question's names and phrases."""
        rrf_k = self.settings.rrf_k
        if self.settings.title_weight > 0:
            allowed = snapshot.allowed_articles(filters)
            articles = snapshot.titles.search(query, self.settings.title_depth, allowed)
            missing = set(articles) - {c.article_id for c in chunks.values()}
            if missing:
                for row, _ in snapshot.lexical.search(
                    query, 3 * len(missing), snapshot.rows_of(missing)
                ):
                    cid = snapshot.chunk_ids[row]
                    if snapshot.chunks.article_id(row) in missing and cid not in chunks:
                        chunks[cid] = snapshot.chunk(row)
                        fused[cid] += 0.0
                        missing.discard(snapshot.chunks.article_id(row))
            for rank, cid in enumerate(title_ranking(articles, chunks)):
                fused[cid] += self.settings.title_weight / (rrf_k + rank + 1)
        if self.settings.lead_weight > 0:
            for rank, cid in enumerate(lead_ranking(fused, chunks)):
                fused[cid] += self.settings.lead_weight / (rrf_k + rank + 1)
        if self.settings.phrase_weight > 0:
            for rank, cid in enumerate(phrase_ranking(question_phrases(query), chunks)):
                fused[cid] += self.settings.phrase_weight / (rrf_k + rank + 1)

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
            if frame.bounded and frame.contains(published):
                return (0, 0.0, -fused[cid])
            if frame.recent:
                return (1, -published.toordinal(), -fused[cid])
            return (2, 0.0, -fused[cid])

        order = sorted(fused, key=key)
        for rank, cid in enumerate(order):
            if key(cid)[0] < 2:
                fused[cid] += weight / (self.settings.rrf_k + rank + 1)

    def _select(self, ranked: list[Passage], top_k: int) -> list[Passage]:
        """Collapse near-duplicates and cap passages per article, keeping rank order; with
        ``spread_articles``, every article's best passage comes before any article's second."""
        rounds = self.settings.per_article_cap if self.settings.spread_articles else 1
        cap = 1 if self.settings.spread_articles else self.settings.per_article_cap
        chosen: list[Passage] = []
        taken: set[int] = set()
        term_sets: list[set[str]] = []
        per_article: dict[str, int] = defaultdict(int)
        for _ in range(rounds):
            for i, passage in enumerate(ranked):
                if len(chosen) >= top_k:
                    return chosen
                if i in taken or per_article[passage.article_id] >= cap:
                    continue
                words = set(terms(passage.text, stem=False))
                if any(_jaccard(words, o) > self.settings.near_duplicate for o in term_sets):
                    continue
                chosen.append(passage)
                taken.add(i)
                term_sets.append(words)
                per_article[passage.article_id] += 1
            cap += 1
        return chosen


def _period(frame: TimeFrame | None, recent_days: int) -> tuple[date | None, date | None] | None:
    """The publication period a question asks about: its own ("this week", "in March 2024"),
    else, for one that wants the newest reports, the ``recent_days`` up to its reference day."""
    if frame is None:
        return None
    if frame.bounded:
        return frame.start, frame.end
    if frame.recent and frame.reference is not None and recent_days > 0:
        return frame.reference - timedelta(days=recent_days), frame.reference
    return None


def _published(chunk: ChunkRecord) -> date | None:
    return as_date(chunk.article.published)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
