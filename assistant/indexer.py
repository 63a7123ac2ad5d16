"""Incremental, idempotent indexing of cleaned articles into the store.

Unchanged articles cost nothing; a changed article's chunks are replaced; a removed article's
chunks are deleted; a chunk text already embedded (in this run or in the article's previous
version) is never embedded again. A change of chunking or model settings rebuilds into new
collections, and the old ones keep answering until the new ones are complete.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.chunking import chunk_article
from assistant.config import Settings
from assistant.filters import published_ordinal
from assistant.ingest import CorpusLoad
from assistant.models import Article, Chunk, IndexReport
from assistant.store import ChromaStore

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (articles done, articles to embed)


def embedding_text(article: Article, chunk: Chunk) -> str:
    """What gets embedded: the title travels with the chunk to help retrieval."""
    return f"{article.title}\n\n{chunk.text}" if article.title else chunk.text


def embed_key(text: str) -> str:
    """Identifies an embedding input, so a stored vector can be reused instead of recomputed."""
    return hashlib.sha1(text.encode()).hexdigest()


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    return {
        "embed_key": embed_key(embedding_text(article, chunk)),
        "article_id": article.id,
        "article_hash": article.content_hash,
        "position": chunk.position,
        "start": chunk.start,
        "end": chunk.end,
        "tokens": chunk.tokens,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "published_ord": published_ordinal(article.published),
        "url": article.url,
    }


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    texts: list[str]
    reusable: dict[str, list[float]]


class Indexer:
    def __init__(self, store: ChromaStore, embeddings: Embeddings, settings: Settings) -> None:
        self.store = store
        self.embeddings = embeddings
        self.settings = settings

    def run(
        self, corpus: CorpusLoad, articles_dir: Path | None = None, progress: Progress | None = None
    ) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport(failed=dict(corpus.failed), warnings=list(corpus.warnings))
        fp = self.settings.index_fingerprint()
        state = self.store.state()
        if state is not None and state.fingerprint != fp:
            report.rebuilt = True
            report.warnings.append(
                "chunking or embedding settings changed since the last index: "
                "rebuilding the index from scratch (the old index answers until it is done)"
            )
        committed = self.store.committed(fp)
        if state is None or state.fingerprint == fp and state.dirty or report.rebuilt:
            self._remove_orphans(fp, committed)

        # A file that failed to load keeps its previously indexed version: nothing is lost.
        failed_ids = {Path(name).stem for name in corpus.failed}
        todo: list[_Pending] = []
        for article in corpus.articles:
            old = committed.get(article.id)
            if old is None:
                report.added.append(article.id)
            elif old.get("content_hash") == article.content_hash:
                report.unchanged.append(article.id)
                continue
            else:
                report.updated.append(article.id)
            todo.append(self._prepare(fp, article, reuse=old is not None))
        present = {a.id for a in corpus.articles} | failed_ids
        report.removed = sorted(set(committed) - present)

        if todo or report.removed or report.rebuilt or state is None:
            active_fp = state.fingerprint if state and report.rebuilt else fp
            self.store.write_state(active_fp, self._settings_record(), dirty=True)
            report.chunks_embedded = self._embed_and_commit(fp, todo, progress)
            for article_id in report.removed:
                self.store.uncommit_article(fp, article_id)
                self.store.delete_chunks(fp, article_id)
            self.store.write_state(fp, self._settings_record(), dirty=False)
            if report.rebuilt and state is not None:
                self.store.drop_fingerprint(state.fingerprint)
        report.seconds = time.perf_counter() - started
        return report

    def _settings_record(self) -> dict[str, Any]:
        return {
            "chunking": self.settings.chunking.model_dump(),
            "embedding_model": self.settings.embedding.model_path or "bundled:all-MiniLM-L6-v2",
        }

    def _prepare(self, fp: str, article: Article, reuse: bool) -> _Pending:
        chunks = chunk_article(
            article,
            self.settings.chunking.size_tokens,
            self.settings.chunking.overlap_tokens,
            self.settings.chunking.encoding,
        )
        texts = [embedding_text(article, c) for c in chunks]
        reusable = self.store.chunk_embeddings(fp, article.id) if reuse else {}
        return _Pending(article, chunks, texts, reusable)

    def _embed_and_commit(self, fp: str, todo: list[_Pending], progress: Progress | None) -> int:
        """Embed in batches that span articles; commit each article once all its chunks are in."""
        batch_size = max(1, self.settings.embedding.batch_size) * 4
        embedded = 0
        known: dict[str, list[float]] = {}
        done = 0
        group: list[_Pending] = []

        def flush() -> None:
            nonlocal embedded, done
            needed = list(
                dict.fromkeys(
                    t
                    for p in group
                    for t in p.texts
                    if t not in known and embed_key(t) not in p.reusable
                )
            )
            if needed:
                known.update(zip(needed, self.embeddings.embed_documents(needed), strict=True))
                embedded += len(needed)
            for p in group:
                vectors = [p.reusable.get(embed_key(t)) or known[t] for t in p.texts]
                ids = [c.chunk_id(p.article.content_hash) for c in p.chunks]
                metas = [chunk_metadata(p.article, c) for c in p.chunks]
                self.store.add_chunks(fp, ids, vectors, [c.text for c in p.chunks], metas)
                self.store.commit_article(fp, p.article, len(p.chunks))
                self.store.delete_chunks(fp, p.article.id, keep_hash=p.article.content_hash)
                done += 1
                if progress:
                    progress(done, len(todo))
            group.clear()
            known.clear()

        pending_texts = 0
        for item in todo:
            group.append(item)
            pending_texts += len(item.texts)
            if pending_texts >= batch_size:
                flush()
                pending_texts = 0
        if group:
            flush()
        return embedded

    def _remove_orphans(self, fp: str, committed: dict[str, dict[str, Any]]) -> None:
        """Chunks left by a run that was killed before committing their article."""
        valid = {aid: str(m.get("content_hash", "")) for aid, m in committed.items()}
        orphans = [cid for cid, aid, h in self.store.chunk_keys(fp) if valid.get(aid) != h]
        if orphans:
            log.info("removing %d chunks left by an interrupted run", len(orphans))
            self.store.delete_chunk_ids(fp, orphans)
