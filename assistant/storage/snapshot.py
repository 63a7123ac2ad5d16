"""A reader's view of one index generation: the committed manifest, chunk columns and BM25.

Building it means reading every chunk from Chroma and tokenising it for BM25 (23 s for 71,000
chunks on 2 cores), so a finished generation is saved beside the index, under
``<index dir>/snapshots/<fingerprint>-<generation>/``, and the next process or worker that sees
that generation opens it in well under a second. Chunk texts and BM25 matrices stay on disk,
memory-mapped, instead of living in Python objects. Generations are random tokens written by
each index run (see ``records.IndexState``), so a saved snapshot never goes stale; a run still in
progress (``dirty``) is never saved, and a snapshot that cannot be read is rebuilt from Chroma.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.lexical import LexicalIndex, document_terms
from assistant.models import Filters
from assistant.storage.boosts import TitleIndex
from assistant.storage.records import ChunkRecord, IndexState, ManifestRecord, is_committed
from assistant.storage.store import ChromaStore

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the saved layout changes; older folders are then rebuilt
STALE_TEMPORARY_S = 3600  # a temporary folder this old was left by a killed process
KEEP = 2  # saved generations kept per index (a worker may still be opening the previous one)
_COLUMNS = ("article", "position", "start", "end", "tokens")


@dataclass
class ChunkTable:
    """Committed chunks as columns; row ``i`` is the BM25 document ``i``."""

    ids: list[str]
    article_ids: list[str]  # distinct article ids; ``article`` holds indexes into it
    columns: dict[str, np.ndarray]  # int32 columns named in _COLUMNS
    text_bytes: np.ndarray  # every chunk text, UTF-8, concatenated (uint8, maybe memory-mapped)
    text_offsets: np.ndarray  # int64, len(ids) + 1

    def __len__(self) -> int:
        return len(self.ids)

    def text(self, row: int) -> str:
        start, end = int(self.text_offsets[row]), int(self.text_offsets[row + 1])
        return self.text_bytes[start:end].tobytes().decode("utf-8")

    def article_id(self, row: int) -> str:
        return self.article_ids[int(self.columns["article"][row])]

    @classmethod
    def build(cls, chunks: Iterable[ChunkRecord]) -> ChunkTable:
        ids: list[str] = []
        article_row: dict[str, int] = {}
        values: dict[str, list[int]] = {name: [] for name in _COLUMNS}
        encoded: list[bytes] = []
        for chunk in chunks:
            ids.append(chunk.chunk_id)
            values["article"].append(article_row.setdefault(chunk.article_id, len(article_row)))
            for name in _COLUMNS[1:]:
                values[name].append(int(getattr(chunk, name)))
            encoded.append(chunk.text.encode("utf-8"))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(
            ids,
            list(article_row),
            {name: np.asarray(v, dtype=np.int32) for name, v in values.items()},
            np.frombuffer(b"".join(encoded), dtype=np.uint8),
            offsets,
        )

    def save(self, folder: Path) -> None:
        (folder / "texts.bin").write_bytes(self.text_bytes.tobytes())
        np.save(folder / "text_offsets.npy", self.text_offsets)
        np.save(folder / "columns.npy", np.stack([self.columns[name] for name in _COLUMNS]))
        _write_json(folder / "ids.json", {"chunks": self.ids, "articles": self.article_ids})

    @classmethod
    def load(cls, folder: Path) -> ChunkTable:
        names = json.loads((folder / "ids.json").read_text("utf-8"))
        stacked = np.load(folder / "columns.npy")
        columns = {name: stacked[i] for i, name in enumerate(_COLUMNS)}
        texts = folder / "texts.bin"
        text_bytes = (
            np.memmap(texts, dtype=np.uint8, mode="r")
            if texts.stat().st_size
            else np.zeros(0, dtype=np.uint8)
        )
        return cls(
            list(names["chunks"]),
            list(names["articles"]),
            columns,
            text_bytes,
            np.load(folder / "text_offsets.npy"),
        )


@dataclass
class TokenTable:
    """Each row's BM25 terms as ids into ``vocabulary``, kept so the next build reuses them."""

    vocabulary: list[str]
    ids: np.ndarray  # int32, every row's term ids concatenated
    offsets: np.ndarray  # int64, rows + 1

    def row(self, row: int) -> list[int]:
        ids: list[int] = self.ids[int(self.offsets[row]) : int(self.offsets[row + 1])].tolist()
        return ids

    @classmethod
    def build(cls, rows: list[list[int]], vocabulary: list[str]) -> TokenTable:
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=offsets[1:])
        flat = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(offsets[-1]))
        return cls(vocabulary, flat, offsets)

    def save(self, folder: Path) -> None:
        np.save(folder / "token_ids.npy", self.ids)
        np.save(folder / "token_offsets.npy", self.offsets)
        _write_json(folder / "vocabulary.json", self.vocabulary)

    @classmethod
    def load(cls, folder: Path) -> TokenTable:
        return cls(
            json.loads((folder / "vocabulary.json").read_text("utf-8")),
            np.load(folder / "token_ids.npy", mmap_mode="r"),
            np.load(folder / "token_offsets.npy"),
        )


@dataclass
class IndexSnapshot:
    """What a reader needs besides Chroma's vectors: committed versions, chunks and BM25."""

    fingerprint: str
    generation: str
    committed: dict[str, ManifestRecord]  # article id -> its committed version
    chunks: ChunkTable
    lexical: LexicalIndex
    tokens: TokenTable

    @property
    def chunk_ids(self) -> list[str]:
        return self.chunks.ids

    @classmethod
    def build(
        cls,
        store: ChromaStore,
        fingerprint: str,
        generation: str,
        base: IndexSnapshot | None = None,
    ) -> IndexSnapshot:
        """Read the committed chunks from Chroma and index them for BM25.

        With ``base`` (an earlier snapshot of the same fingerprint), the chunks and terms of
        every article still at the version ``base`` holds are taken from it, and only the
        other articles' chunks are read and tokenised: after changing 1 % of the articles,
        about 1 % of the work.
        """
        committed = store.committed(fingerprint)
        kept: set[str] = set()
        if base is not None and base.fingerprint == fingerprint:
            kept = {
                a for a, record in committed.items() if record.same_version(base.committed.get(a))
            }
        chunks: list[ChunkRecord] = []
        rows: list[list[int]] = []
        vocabulary: dict[str, int] = {}
        fresh: Iterable[ChunkRecord]
        if base is not None and kept:
            vocabulary = {term: i for i, term in enumerate(base.tokens.vocabulary)}
            for row in range(len(base.chunks)):
                if base.chunks.article_id(row) in kept:
                    chunks.append(base.chunk(row))
                    rows.append(base.tokens.row(row))
            fresh = store.chunks_of(fingerprint, sorted(set(committed) - kept))
        else:
            fresh = store.iter_chunks(fingerprint)
        for chunk in fresh:
            if not is_committed(committed, chunk):
                continue
            record = committed[chunk.article_id]
            document = f"{record.fields.title} {record.fields.outlet}\n{chunk.text}"
            chunks.append(chunk)
            rows.append(
                [vocabulary.setdefault(w, len(vocabulary)) for w in document_terms(document)]
            )
        return cls(
            fingerprint,
            generation,
            committed,
            ChunkTable.build(chunks),
            LexicalIndex.from_tokens(rows, vocabulary),
            TokenTable.build(rows, list(vocabulary)),
        )

    def is_committed(self, chunk: ChunkRecord) -> bool:
        return is_committed(self.committed, chunk)

    def chunk(self, row: int) -> ChunkRecord:
        """Row ``row`` as the chunk record Chroma holds (article fields from the manifest)."""
        record = self.committed[self.chunks.article_id(row)]
        columns = self.chunks.columns
        return ChunkRecord(
            self.chunks.ids[row],
            self.chunks.text(row),
            record.article_id,
            record.content_hash,
            position=int(columns["position"][row]),
            start=int(columns["start"][row]),
            end=int(columns["end"][row]),
            tokens=int(columns["tokens"][row]),
            article=record.fields,
        )

    @cached_property
    def titles(self) -> TitleIndex:
        """BM25 over the articles' titles (built on first use: about 0.1 s for 2,000 titles)."""
        return TitleIndex(self.committed)

    def allowed_articles(self, filters: Filters | None) -> set[str] | None:
        """The ids of the articles passing ``filters``, or None for no filter."""
        if filters is None or filters.empty:
            return None
        return {a for a, record in self.committed.items() if record.matches(filters)}

    def rows_of(self, article_ids: set[str]) -> np.ndarray:
        """A row mask of the chunks of ``article_ids``."""
        wanted = np.array([a in article_ids for a in self.chunks.article_ids], dtype=bool)
        if not len(wanted):
            return np.zeros(len(self.chunks), dtype=bool)
        mask: np.ndarray = wanted[self.chunks.columns["article"]]
        return mask

    def any_match(self, filters: Filters) -> bool:
        """Whether any committed article passes ``filters``."""
        return any(record.matches(filters) for record in self.committed.values())

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        """Which rows pass the filters (decided once per article), or None for no filter."""
        if filters is None or filters.empty:
            return None
        per_article = np.array(
            [self.committed[a].matches(filters) for a in self.chunks.article_ids], dtype=bool
        )
        if not len(per_article):
            return np.zeros(len(self.chunks), dtype=bool)
        mask: np.ndarray = per_article[self.chunks.columns["article"]]
        return mask

    # -- saved copies ------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        self.chunks.save(folder)
        self.tokens.save(folder)
        self.lexical.save(folder / "bm25")
        _write_json(
            folder / "committed.json", {a: r.to_metadata() for a, r in self.committed.items()}
        )

    @classmethod
    def open(cls, folder: Path, fingerprint: str, generation: str) -> IndexSnapshot:
        saved = json.loads((folder / "committed.json").read_text("utf-8"))
        committed = {a: ManifestRecord.from_metadata(a, meta) for a, meta in saved.items()}
        chunks = ChunkTable.load(folder)
        lexical = LexicalIndex.load(folder / "bm25", len(chunks))
        return cls(fingerprint, generation, committed, chunks, lexical, TokenTable.load(folder))


def load_snapshot(
    store: ChromaStore,
    state: IndexState,
    cache_dir: Path,
    previous: IndexSnapshot | None = None,
) -> IndexSnapshot:
    """The snapshot of ``state``: opened when saved, else built from the newest one we have."""
    stamp = {"format": FORMAT, "store": f"{store.where}/{store.name}"}
    folder = cache_dir / f"{state.fingerprint}-{state.generation}"
    saved = _open_saved(folder, state.fingerprint, stamp)
    if saved is not None:
        return saved
    base = previous if previous is not None and previous.fingerprint == state.fingerprint else None
    snapshot = IndexSnapshot.build(
        store, state.fingerprint, state.generation, base or _newest_saved(cache_dir, state, stamp)
    )
    if not state.dirty:  # an index run in progress may still commit articles: never save it
        _save_atomically(snapshot, folder, stamp)
    return snapshot


def _open_saved(folder: Path, fingerprint: str, stamp: dict[str, Any]) -> IndexSnapshot | None:
    if not (folder / "stamp.json").is_file():
        return None
    try:
        if json.loads((folder / "stamp.json").read_text("utf-8")) != stamp:
            return None
        generation = folder.name[len(fingerprint) + 1 :]
        return IndexSnapshot.open(folder, fingerprint, generation)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("the saved index snapshot %s is unreadable (%s); rebuilding it", folder, exc)
        return None


def _newest_saved(
    cache_dir: Path, state: IndexState, stamp: dict[str, Any]
) -> IndexSnapshot | None:
    """The newest readable saved generation of the same fingerprint, to build on."""
    if not cache_dir.is_dir():
        return None
    folders = sorted(
        (p for p in cache_dir.glob(f"{state.fingerprint}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for folder in folders:
        saved = _open_saved(folder, state.fingerprint, stamp)
        if saved is not None:
            return saved
    return None


def _save_atomically(snapshot: IndexSnapshot, folder: Path, stamp: dict[str, Any]) -> None:
    """Write to a temporary folder, then rename: readers see all of it or none."""
    temporary = folder.parent / f".tmp-{uuid.uuid4().hex}"
    try:
        snapshot.save(temporary)
        _write_json(temporary / "stamp.json", stamp)
        if folder.exists():  # unreadable, or another process saved the same content meanwhile
            stale = folder.parent / f".tmp-{uuid.uuid4().hex}"
            os.rename(folder, stale)
            shutil.rmtree(stale, ignore_errors=True)
        os.rename(temporary, folder)
    except OSError as exc:
        log.warning("could not save the index snapshot in %s: %s", folder.parent, exc)
        shutil.rmtree(temporary, ignore_errors=True)
        return
    _prune(folder)


def _prune(current: Path) -> None:
    """Keep the newest KEEP saved generations of this fingerprint, and no stale temporaries."""
    for temporary in current.parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if time.time() - temporary.stat().st_mtime > STALE_TEMPORARY_S:  # a killed writer
                shutil.rmtree(temporary, ignore_errors=True)
    fingerprint = current.name.rsplit("-", 1)[0]
    saved = sorted(
        (p for p in current.parent.glob(f"{fingerprint}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in [p for p in saved if p != current][KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
