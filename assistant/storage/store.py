"""The Chroma vector store: embedded ``PersistentClient`` by default, a Chroma server when a host is set.

Everything the index needs lives in Chroma, so several app workers sharing one server see the same
state. Per settings fingerprint there are two collections:

* ``<name>-<fp>-chunks``: one record per chunk (embedding, text, article id, article hash, offsets);
* ``<name>-<fp>-articles``: the manifest, one record per *committed* article (its cleaned text,
  metadata and content hash).

An article version counts as indexed only once its manifest record is written, after all its
chunks; readers ignore chunks whose hash does not match the manifest. A run killed half-way
therefore leaves every article either at its old or its new version, never half of each.
A ``<name>-state`` collection holds the active fingerprint and a generation token that changes
with every index change, so workers know when to refresh their lexical index.
"""

from __future__ import annotations

import functools
import logging
import uuid
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from assistant.errors import StoreUnavailable
from assistant.models import Article, Filters
from assistant.storage.chroma_client import reopen_persistent
from assistant.storage.records import (
    ChunkRecord,
    IndexState,
    ManifestRecord,
    StoredVector,
    chroma_where,
    of_articles,
)

log = logging.getLogger(__name__)

_STATE_ID = "active"
_PLACEHOLDER = [1.0]  # manifest and state records carry no meaningful vector


_UNAVAILABLE = (httpx.TransportError, ConnectionError, TimeoutError)
F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """Turn a lost connection into StoreUnavailable and reconnect on the next call."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _UNAVAILABLE as exc:
            self.forget_handles()
            raise StoreUnavailable(
                f"the Chroma store at {self.where} is unavailable: {exc}"
            ) from exc

    return wrapper  # type: ignore[return-value]


class ChromaStore:
    """Chunks, manifest and state of one index, in one Chroma database."""

    def __init__(
        self,
        connect: Callable[[], Any],
        name: str = "news",
        where: str = "",
        release: Callable[[Any], None] | None = None,
    ) -> None:
        self._connect = connect
        self._release = release  # gives back a client ``connect`` opened; None: not ours to close
        self._client: Any = None
        self._retired: list[Any] = []  # clients replaced by ``reopen_embedded``, closed last
        # A store dropped without close() still gives its clients back when it is collected
        # (a notebook that builds assistant after assistant would otherwise keep every index
        # open to the end of the process): one finalizer per client it opened.
        self._finalizers: dict[int, weakref.finalize[Any, Any]] = {}
        self.name = name
        self.where = where or "the configured location"
        self._collections: dict[str, Any] = {}

    @property
    def client(self) -> Any:
        """The Chroma client, connected on first use (and again after a lost connection)."""
        if self._client is None:
            self._client = self._opened(self._connect())
        return self._client

    def _opened(self, client: Any) -> Any:
        """Note a client this store opened, to be given back even if close() is never called."""
        if self._release is not None:
            finalizer = weakref.finalize(self, self._release, client)
            finalizer.atexit = False  # at exit the process lets go of everything anyway
            self._finalizers[id(client)] = finalizer
        return client

    # -- collections -----------------------------------------------------------------
    def _collection(self, suffix: str) -> Any:
        name = f"{self.name}-{suffix}"
        collections = self._collections
        if name not in collections:
            collections[name] = self.client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        return collections[name]

    def chunks(self, fp: str) -> Any:
        return self._collection(f"{fp}-chunks")

    def manifest(self, fp: str) -> Any:
        return self._collection(f"{fp}-articles")

    @_guarded
    def drop_fingerprint(self, fp: str) -> None:
        for suffix in ("chunks", "articles"):
            name = f"{self.name}-{fp}-{suffix}"
            self._collections.pop(name, None)
            try:
                self.client.delete_collection(name)
            except Exception:  # already gone
                log.debug("collection %s was not there", name)

    @_guarded
    def fingerprints(self) -> set[str]:
        prefix = f"{self.name}-"
        names = [getattr(c, "name", c) for c in self.client.list_collections()]
        return {
            n[len(prefix) : -len("-chunks")]
            for n in names
            if n.startswith(prefix) and n.endswith("-chunks")
        }

    def close(self) -> None:
        """Release the client (its files and connections); the next call connects again."""
        client, self._client = self._client, None
        retired, self._retired = self._retired, []
        self._collections = {}
        self._give_back(*retired, client)

    def _give_back(self, *clients: Any) -> None:
        """Release clients this store opened (None ones skipped); a client passed in stays."""
        for client in clients:
            finalizer = self._finalizers.pop(id(client), None) if client is not None else None
            if finalizer is not None:
                finalizer()  # releases the client, once

    def forget_handles(self) -> None:
        """Drop the client and collection handles; the next call reconnects."""
        self._collections.clear()
        client, self._client = self._client, None
        self._give_back(client)  # its connection is lost: nothing in flight can use it

    def reopen_embedded(self) -> None:
        """Make an embedded store see what other processes wrote to its folder since it opened.

        chromadb's embedded client keeps each collection's vector index in memory and never
        re-reads it: after ``assistant index`` ran in another process, queries still return the
        chunks that run deleted (with no text or metadata) and never the ones it added. chromadb
        caches that client per folder for the whole process, so the cache entry goes too
        (``chroma_client.reopen_persistent``), and the next calls load the index afresh. Requests
        in flight keep their old handles, which go on working. A Chroma server needs none of this.
        """
        old = self._client
        if old is None or not old.get_settings().is_persistent:
            return
        fresh = reopen_persistent(old, self._connect)
        if fresh is not None:
            self._opened(fresh)
            # Requests in flight may still use the old client: it is released at the next
            # reopen (or by close()), by when they have long finished (a search takes ~0.1 s).
            earlier, self._retired = self._retired, [old]
            self._client = fresh
            self._give_back(*earlier)
            self._collections = {}  # a new dict: other threads may be reading the old one

    # -- state -----------------------------------------------------------------------
    @_guarded
    def state(self) -> IndexState | None:
        got = self._collection("state").get(ids=[_STATE_ID], include=["metadatas"])
        if not got["ids"]:
            return None
        try:
            return IndexState.from_metadata(got["metadatas"][0])
        except (KeyError, TypeError, ValueError) as exc:
            # Unreadable state: treat the index as not yet built; the next index run checks
            # every stored chunk against the manifest and writes a fresh state record.
            log.warning(
                "the index state record is unreadable (%s); run `assistant index` to repair", exc
            )
            return None

    @_guarded
    def write_state(self, fp: str, settings: dict[str, Any], dirty: bool) -> IndexState:
        state = IndexState(
            fingerprint=fp,
            generation=uuid.uuid4().hex,
            indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            dirty=dirty,
            settings=settings,
        )
        self._collection("state").upsert(
            ids=[_STATE_ID],
            embeddings=[_PLACEHOLDER],
            metadatas=[state.to_metadata()],
            documents=[""],
        )
        return state

    # -- manifest --------------------------------------------------------------------
    @_guarded
    def committed(self, fp: str) -> dict[str, ManifestRecord]:
        """article id -> manifest record (hash, title, outlet, ...) of committed articles."""
        got = self.manifest(fp).get(include=["metadatas"])
        return {
            i: ManifestRecord.from_metadata(i, m)
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        }

    @_guarded
    def commit_articles(self, fp: str, articles: Sequence[tuple[Article, int]]) -> None:
        """Write the manifest records (article, number of chunks) in one call.

        Call it only once every chunk of those articles is stored: the record is what makes an
        article version count as indexed.
        """
        if not articles:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        metas = [ManifestRecord.of(article, n, now).to_metadata() for article, n in articles]
        self.manifest(fp).upsert(
            ids=[article.id for article, _ in articles],
            embeddings=[_PLACEHOLDER] * len(articles),
            metadatas=metas,
            documents=[article.text for article, _ in articles],
        )

    @_guarded
    def uncommit_articles(self, fp: str, article_ids: Sequence[str]) -> None:
        """Delete manifest records (before the articles' chunks, so none is left half-indexed)."""
        for i in range(0, len(article_ids), 5000):
            self.manifest(fp).delete(ids=list(article_ids[i : i + 5000]))

    @_guarded
    def article(self, fp: str, article_id: str) -> Article | None:
        got = self.manifest(fp).get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        record = ManifestRecord.from_metadata(article_id, got["metadatas"][0])
        return record.to_article(str(got["documents"][0]))

    # -- chunks ----------------------------------------------------------------------
    @_guarded
    def add_chunks(
        self, fp: str, records: list[ChunkRecord], embeddings: list[list[float]]
    ) -> None:
        collection = self.chunks(fp)
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for i in range(0, len(records), step):
            batch = records[i : i + step]
            collection.upsert(
                ids=[r.chunk_id for r in batch],
                embeddings=embeddings[i : i + step],
                documents=[r.text for r in batch],
                metadatas=[r.to_metadata() for r in batch],
            )

    @_guarded
    def chunk_embeddings(self, fp: str, article_ids: Collection[str]) -> list[StoredVector]:
        """The stored chunks of these articles (any version) with their embeddings, one read."""
        ids = sorted(article_ids)
        if not ids:
            return []
        got = self.chunks(fp).get(where=of_articles(ids), include=["metadatas", "embeddings"])
        metas, vectors = got["metadatas"] or [], got["embeddings"]
        if vectors is None:
            return []
        return [
            StoredVector(ChunkRecord.from_metadata(cid, "", m), [float(x) for x in v])
            for cid, m, v in zip(got["ids"], metas, vectors, strict=True)
        ]

    @_guarded
    def embeddings_of(self, fp: str, chunk_ids: dict[str, str]) -> dict[str, list[float]]:
        """key -> stored embedding of the chunk with that id, for a ``{key: chunk id}`` mapping."""
        if not chunk_ids:
            return {}
        got = self.chunks(fp).get(ids=list(set(chunk_ids.values())), include=["embeddings"])
        if got["embeddings"] is None:
            return {}
        by_id = {
            cid: [float(x) for x in v] for cid, v in zip(got["ids"], got["embeddings"], strict=True)
        }
        return {key: by_id[cid] for key, cid in chunk_ids.items() if cid in by_id}

    @_guarded
    def delete_articles_chunks(self, fp: str, article_ids: Sequence[str]) -> None:
        """Delete every chunk of these articles, in one call per 5,000 articles."""
        for i in range(0, len(article_ids), 5000):
            self.chunks(fp).delete(where=of_articles(list(article_ids[i : i + 5000])))

    def iter_chunks(self, fp: str, page: int = 5000) -> Iterator[ChunkRecord]:
        """Every stored chunk (committed or not), in pages."""
        for got in self._pages(fp, ["documents", "metadatas"], page):
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                yield ChunkRecord.from_metadata(cid, str(doc), meta)

    def chunk_keys(self, fp: str) -> list[ChunkRecord]:
        """Every stored chunk without its text: ids, article and version, offsets."""
        return [
            ChunkRecord.from_metadata(i, "", m)
            for got in self._pages(fp, ["metadatas"], 10000)
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        ]

    def _pages(self, fp: str, include: list[str], page: int) -> Iterator[Any]:
        """The chunks collection read ``page`` records at a time."""
        offset = 0
        while True:
            got = self._page(fp, include, page, offset)
            yield got
            if len(got["ids"]) < page:
                return
            offset += page

    @_guarded
    def _page(self, fp: str, include: list[str], limit: int, offset: int) -> Any:
        return self.chunks(fp).get(include=include, limit=limit, offset=offset)

    @_guarded
    def delete_chunk_ids(self, fp: str, ids: list[str]) -> None:
        for i in range(0, len(ids), 5000):
            self.chunks(fp).delete(ids=ids[i : i + 5000])

    @_guarded
    def query(
        self, fp: str, embedding: list[float], n: int, filters: Filters | None = None
    ) -> list[tuple[ChunkRecord, float]]:
        """Nearest chunks by cosine similarity (1 - distance), filtered."""
        if n <= 0:
            return []
        # No count() first (a third of Chroma's query time): chromadb 1.5 returns what there is
        # when asked for more, and nothing from an empty collection, in both store modes
        # (tests/storage/test_group_commit.py guards it).
        got = self.chunks(fp).query(
            query_embeddings=[embedding],
            n_results=n,
            where=chroma_where(filters),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (ChunkRecord.from_metadata(cid, str(doc), meta), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
            # A chunk another process deleted after this one loaded its vector index.
            if meta is not None and doc is not None
        ]

    @_guarded
    def chunks_of(self, fp: str, article_ids: list[str], batch: int = 500) -> list[ChunkRecord]:
        """Every stored chunk (committed or not) of the given articles."""
        found: list[ChunkRecord] = []
        for i in range(0, len(article_ids), batch):
            got = self.chunks(fp).get(
                where=of_articles(article_ids[i : i + batch]), include=["documents", "metadatas"]
            )
            found += [
                ChunkRecord.from_metadata(cid, str(doc), meta)
                for cid, doc, meta in zip(
                    got["ids"], got["documents"], got["metadatas"], strict=True
                )
            ]
        return found
