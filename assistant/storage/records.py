"""What the index stores, as typed records: the one module that knows the metadata keys.

Chroma keeps flat string-keyed metadata beside each vector. Every record here owns its layout
(``to_metadata`` / ``from_metadata``), so adding a stored field is a change to this file only:
an article field goes in ``ArticleFields`` (the manifest and every chunk carry it), a chunk
field in ``ChunkRecord``. Records read from an older index lack new keys and get the defaults;
an unchanged article is not rewritten, so a field that existing indexes must fill also needs
them rebuilt (bump ``format`` in ``Settings.index_fingerprint``).

The commit check lives here too (``ManifestRecord.holds``): a chunk counts only when its article
hash matches the manifest's, and retrieval filters are the same predicate twice, as a Chroma
``where`` clause and in Python.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from assistant.models import Article, Chunk, Filters, Passage

Metadata = dict[str, Any]


def published_ordinal(published: str) -> int:
    """YYYYMMDD as an int for range filters; 0 when the article gives no date."""
    return int(published.replace("-", "")) if published else 0


@dataclass(frozen=True)
class ArticleFields:
    """An article's metadata, stored in its manifest record and copied onto each chunk."""

    title: str = ""
    outlet: str = ""
    published: str = ""  # ISO date, or empty: never invented
    author: str = ""
    url: str = ""

    @classmethod
    def of(cls, article: Article) -> ArticleFields:
        return cls(**{f.name: getattr(article, f.name) for f in fields(cls)})

    @classmethod
    def from_metadata(cls, meta: Metadata) -> ArticleFields:
        return cls(**{f.name: str(meta.get(f.name) or "") for f in fields(cls)})

    def to_metadata(self) -> Metadata:
        # published_ord: Chroma compares numbers, not ISO strings, in range filters
        return {**asdict(self), "published_ord": published_ordinal(self.published)}


@dataclass(frozen=True)
class ChunkRecord:
    """One stored chunk: its text, where it lies in which article version, and that article's
    fields (so Chroma can filter on them)."""

    chunk_id: str
    text: str
    article_id: str
    article_hash: str  # the content hash of the article version the chunk was cut from
    position: int = 0
    start: int = 0
    end: int = 0
    tokens: int = 0
    embed_key: str = ""  # identifies the embedded text, so its vector can be reused
    article: ArticleFields = ArticleFields()

    @classmethod
    def of(cls, article: Article, chunk: Chunk, embed_key: str) -> ChunkRecord:
        return cls(
            chunk.chunk_id(article.content_hash),
            chunk.text,
            article.id,
            article.content_hash,
            chunk.position,
            chunk.start,
            chunk.end,
            chunk.tokens,
            embed_key,
            ArticleFields.of(article),
        )

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: Metadata) -> ChunkRecord:
        return cls(
            chunk_id,
            text,
            str(meta.get("article_id", "")),
            str(meta.get("article_hash", "")),
            int(meta.get("position", 0) or 0),
            int(meta.get("start", 0) or 0),
            int(meta.get("end", 0) or 0),
            int(meta.get("tokens", 0) or 0),
            str(meta.get("embed_key") or ""),
            ArticleFields.from_metadata(meta),
        )

    def to_metadata(self) -> Metadata:
        return {
            "embed_key": self.embed_key,
            "article_id": self.article_id,
            "article_hash": self.article_hash,
            "position": self.position,
            "start": self.start,
            "end": self.end,
            "tokens": self.tokens,
            **self.article.to_metadata(),
        }

    def to_passage(self, score: float, dense: float | None = None) -> Passage:
        a = self.article
        return Passage(
            chunk_id=self.chunk_id,
            article_id=self.article_id,
            position=self.position,
            start=self.start,
            end=self.end,
            text=self.text,
            score=score,
            title=a.title,
            outlet=a.outlet,
            published=a.published,
            url=a.url,
            dense_score=dense,
        )


@dataclass(frozen=True)
class StoredVector:
    """A stored chunk's embedding and what identifies it, for reuse instead of re-embedding."""

    record: ChunkRecord
    embedding: list[float]


@dataclass(frozen=True)
class ManifestRecord:
    """The record that makes one article version count as indexed (written after its chunks)."""

    article_id: str
    content_hash: str
    fields: ArticleFields = ArticleFields()
    source_path: str = ""
    chunks: int = 0
    indexed_at: str = ""

    @classmethod
    def of(cls, article: Article, n_chunks: int, indexed_at: str) -> ManifestRecord:
        return cls(
            article.id,
            article.content_hash,
            ArticleFields.of(article),
            article.source_path,
            n_chunks,
            indexed_at,
        )

    @classmethod
    def from_metadata(cls, article_id: str, meta: Metadata) -> ManifestRecord:
        return cls(
            article_id,
            str(meta.get("content_hash", "")),
            ArticleFields.from_metadata(meta),
            str(meta.get("source_path", "")),
            int(meta.get("chunks", 0) or 0),
            str(meta.get("indexed_at", "")),
        )

    def to_metadata(self) -> Metadata:
        return {
            **self.fields.to_metadata(),
            "content_hash": self.content_hash,
            "source_path": self.source_path,
            "chunks": self.chunks,
            "indexed_at": self.indexed_at,
        }

    def to_article(self, text: str) -> Article:
        return Article(
            id=self.article_id,
            text=text,
            content_hash=self.content_hash,
            source_path=self.source_path,
            **asdict(self.fields),
        )

    def listing(self) -> dict[str, Any]:
        """The article as the API and the CLI list it."""
        return {"id": self.article_id, **asdict(self.fields), "chunks": self.chunks}

    def holds(self, chunk: ChunkRecord) -> bool:
        """The commit check: whether ``chunk`` was cut from the version this record commits."""
        return chunk.article_id == self.article_id and chunk.article_hash == self.content_hash

    def same_version(self, other: ManifestRecord | None) -> bool:
        return other is not None and other.content_hash == self.content_hash

    def matches(self, filters: Filters | None) -> bool:
        """The same predicate as ``chroma_where``, for results that do not come from Chroma."""
        if filters is None or filters.empty:
            return True
        if filters.article_ids and self.article_id not in filters.article_ids:
            return False
        if filters.outlets and self.fields.outlet not in filters.outlets:
            return False
        ordinal = published_ordinal(self.fields.published)
        if filters.published_from and ordinal < _ordinal_of(filters.published_from):
            return False
        return not (filters.published_to and not 0 < ordinal <= _ordinal_of(filters.published_to))


def is_committed(committed: dict[str, ManifestRecord], chunk: ChunkRecord) -> bool:
    """Whether a chunk belongs to the version of its article that the manifest holds."""
    record = committed.get(chunk.article_id)
    return record is not None and record.holds(chunk)


@dataclass(frozen=True)
class IndexState:
    """The index's active settings fingerprint and generation (changed by every index run)."""

    fingerprint: str
    generation: str
    indexed_at: str
    dirty: bool
    settings: dict[str, Any]

    @classmethod
    def from_metadata(cls, meta: Metadata) -> IndexState:
        """The state; KeyError, TypeError or ValueError when the record is unreadable."""
        return cls(
            fingerprint=str(meta["fingerprint"]),
            generation=str(meta["generation"]),
            indexed_at=str(meta.get("indexed_at", "")),
            dirty=bool(meta.get("dirty", False)),
            settings=json.loads(str(meta.get("settings", "{}"))),
        )

    def to_metadata(self) -> Metadata:
        return {
            "fingerprint": self.fingerprint,
            "generation": self.generation,
            "indexed_at": self.indexed_at,
            "dirty": self.dirty,
            "settings": json.dumps(self.settings, sort_keys=True),
        }


# -- filters as Chroma ``where`` clauses ---------------------------------------------------
def of_articles(article_ids: list[str]) -> Metadata:
    """A Chroma ``where`` clause for the chunks of these articles."""
    if len(article_ids) == 1:
        return {"article_id": article_ids[0]}
    return {"article_id": {"$in": article_ids}}


def chroma_where(filters: Filters | None) -> Metadata | None:
    """A Chroma ``where`` clause for the filters, or None."""
    if filters is None or filters.empty:
        return None
    clauses: list[Metadata] = []
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.outlets:
        clauses.append({"outlet": {"$in": list(filters.outlets)}})
    if filters.published_from:
        clauses.append({"published_ord": {"$gte": _ordinal_of(filters.published_from)}})
    if filters.published_to:
        clauses.append({"published_ord": {"$lte": _ordinal_of(filters.published_to)}})
        clauses.append({"published_ord": {"$gt": 0}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _ordinal_of(day: Any) -> int:
    return published_ordinal(day.isoformat())
