"""The service's one way into a built index: the committed generation, search and article texts.

``IndexReader`` keeps the current ``IndexSnapshot`` (reloaded when another process changed the
index) and hands out ``IndexView``s: one generation, for one question, with ``query`` (hybrid
search to ``Passage``s), ``article_text`` and ``term_weight``. The answer stage receives those
two callables, never the store.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import NotIndexed
from assistant.models import Article, Filters, Passage
from assistant.question_time import TimeFrame
from assistant.storage.records import IndexState
from assistant.storage.retrieval import HybridSearch
from assistant.storage.snapshot import IndexSnapshot, load_snapshot
from assistant.storage.store import ChromaStore


@dataclass(frozen=True)
class IndexView:
    """One committed generation of the index, read by one question."""

    snapshot: IndexSnapshot
    store: ChromaStore
    search: HybridSearch

    @property
    def fingerprint(self) -> str:
        return self.snapshot.fingerprint

    def query(
        self,
        text: str,
        vector: list[float] | None = None,
        filters: Filters | None = None,
        timings: dict[str, float] | None = None,
        top_k: int | None = None,
        frame: TimeFrame | None = None,
        nearest_only: bool = False,
    ) -> list[Passage]:
        """The best passages for ``text`` (``vector`` is its embedding, when computed; ``frame``
        the time the question is about; ``nearest_only``: see ``HybridSearch.search``)."""
        return self.search.search(
            self.snapshot, text, filters, top_k, timings, vector, frame, nearest_only
        )

    def article(self, article_id: str) -> Article | None:
        return self.store.article(self.snapshot.fingerprint, article_id)

    def article_text(self, article_id: str) -> str:
        """An article's cleaned text (every offset points into it); "" for an unknown id."""
        article = self.article(article_id)
        return article.text if article else ""

    def term_weight(self, term: str) -> tuple[str, float]:
        """The corpus term ``term`` stands for (itself, or what it misspells) and its IDF."""
        return self.snapshot.lexical.term_weight(term)

    def knows_term(self, term: str) -> bool:
        """Whether an indexed passage holds ``term`` (a stemmed term, see lexical.terms)."""
        return term in self.snapshot.lexical.document_frequency


class IndexReader:
    """Reads one index (fingerprint of the settings) from a store, for many questions."""

    def __init__(
        self,
        store: ChromaStore,
        embeddings: Embeddings,
        settings: Settings,
        refresh_interval_s: float = 1.0,
    ) -> None:
        self.store = store
        self.settings = settings
        self.search = HybridSearch(store, embeddings, settings.retrieval)
        self.refresh_interval_s = refresh_interval_s
        self._snapshot: IndexSnapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def state(self) -> IndexState | None:
        return self.store.state()

    def needs_index(self) -> bool:
        state = self.store.state()
        return state is None or state.fingerprint != self.settings.index_fingerprint()

    def changed(self) -> None:
        """This process changed the index: look again on the next read."""
        self._checked_at = 0.0

    def snapshot(self) -> IndexSnapshot:
        """The current committed index, reloaded when another process changed it."""
        now = time.monotonic()
        with self._lock:
            if self._snapshot is not None and now - self._checked_at < self.refresh_interval_s:
                return self._snapshot
            state = self.store.state()  # raises StoreUnavailable when the store is gone
            if state is None:
                raise NotIndexed("nothing is indexed yet: run `assistant index` first")
            if self._snapshot is None or self._snapshot.generation != state.generation:
                self.store.reopen_embedded()  # another process may have written the index
                self._snapshot = load_snapshot(
                    self.store, state, self._snapshot_dir(), previous=self._snapshot
                )
            self._checked_at = now
            return self._snapshot

    def _snapshot_dir(self) -> Path:
        """Where finished snapshots are saved for the next process: beside the index."""
        return self.settings.index.dir / "snapshots"

    def view(self) -> IndexView:
        """The current generation, for one question."""
        return IndexView(self.snapshot(), self.store, self.search)

    def articles(self) -> list[dict[str, Any]]:
        """The committed articles' ids and metadata, by id."""
        records = self.snapshot().committed.values()
        return sorted((r.listing() for r in records), key=lambda a: str(a["id"]))

    def article(self, article_id: str) -> Article | None:
        return self.view().article(article_id)
