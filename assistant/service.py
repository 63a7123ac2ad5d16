"""The one service every shell uses: ``Assistant.index()``, ``ask()``, ``ask_stream()``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from assistant.answering.engine import AnswerEngine, AnswerEvent, Evidence
from assistant.answering.guard import REFUSAL, is_rule_change_request
from assistant.answering.soft_terms import respelled_query
from assistant.answering.timeline import answer_stream
from assistant.answering.timely import (
    any_too_early,
    beyond_archive,
    matching,
    noting_set_aside,
    refused_if_old_and_weak,
)
from assistant.config import Settings
from assistant.dates import as_date
from assistant.errors import (
    BadQuestion,
    IndexBusy,
    NoMatchingArticles,
    StoreUnavailable,
    UnknownEngine,
)
from assistant.ingest import load_corpus
from assistant.models import Answer, Article, Filters, IndexReport, Passage, Turn, narrow_filters
from assistant.question_time import news_since, question_time
from assistant.storage.indexer import Indexer, Progress
from assistant.storage.reader import IndexReader
from assistant.storage.records import IndexState, ManifestRecord
from assistant.storage.retrieval import HybridSearch
from assistant.storage.snapshot import IndexSnapshot
from assistant.storage.store import ChromaStore

MAX_QUESTION_CHARS = 2000


class Assistant:
    """Indexes articles and answers questions about them, with verified citations."""

    def __init__(
        self,
        settings: Settings,
        store: ChromaStore,
        embeddings: Embeddings,
        engines: dict[str, AnswerEngine],
        refresh_interval_s: float = 1.0,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embeddings = embeddings
        self.engines = engines
        self.reader = IndexReader(store, embeddings, settings, refresh_interval_s)

    def close(self) -> None:
        """Release the index's files and connections and the embedding workers. Nothing is
        lost: a later call opens them again. Also ``with build_assistant() as bot: ...``."""
        self.store.close()
        close = getattr(self.embeddings, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexing --------------------------------------------------------------------
    def index(
        self, articles_dir: Path | None = None, progress: Progress | None = None
    ) -> IndexReport:
        """Bring the index in line with the articles folder (incremental)."""
        folder = Path(articles_dir or self.settings.articles.dir)
        corpus = load_corpus(folder, self.settings.articles.max_bytes)
        lock = self._index_lock()
        try:
            with lock:
                report = Indexer(self.store, self.embeddings, self.settings).run(
                    corpus, folder, progress
                )
        except Timeout:
            raise IndexBusy(
                f"another process is indexing {self.settings.index.dir}; try again when it is done"
            ) from None
        self.reader.changed()  # see our own changes on the next question
        if report.added or report.updated or report.removed or report.rebuilt:
            self.snapshot()  # built and saved once here, so serving processes only open it
        return report

    def _index_lock(self) -> Any:
        if self.settings.chroma.host:
            return _NoLock()  # server mode: Chroma serialises writes; see README (deployment)
        folder = self.settings.index.dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot write to the index folder {folder}: {exc.strerror or exc}"
            ) from exc
        return FileLock(str(folder / ".index.lock"), timeout=0)

    def state(self) -> IndexState | None:
        return self.reader.state()

    def needs_index(self) -> bool:
        return self.reader.needs_index()

    # -- reading ---------------------------------------------------------------------
    @property
    def refresh_interval_s(self) -> float:
        """How often (s) a question checks whether another process changed the index."""
        return self.reader.refresh_interval_s

    @refresh_interval_s.setter
    def refresh_interval_s(self, seconds: float) -> None:
        self.reader.refresh_interval_s = seconds

    @property
    def search(self) -> HybridSearch:
        return self.reader.search

    def snapshot(self) -> IndexSnapshot:
        """The current committed index, reloaded when another process changed it."""
        return self.reader.snapshot()

    def articles(self) -> list[dict[str, Any]]:
        return self.reader.articles()

    def article(self, article_id: str) -> Article | None:
        return self.reader.article(article_id)

    def coverage(self) -> dict[str, Any]:
        """What the archive holds: how many articles, from when to when, how many undated."""
        snap = self.snapshot()
        state = self.reader.state()
        dates = sorted(r.fields.published for r in snap.committed.values() if r.fields.published)
        return {
            "articles": len(snap.committed),
            "oldest": dates[0] if dates else "",
            "newest": dates[-1] if dates else "",
            "undated": len(snap.committed) - len(dates),
            "indexed_at": state.indexed_at if state else "",
        }

    def stats(self) -> dict[str, Any]:
        snap = self.snapshot()
        state = self.reader.state()
        return {
            **self.coverage(),
            "articles": len(snap.committed),
            "chunks": len(snap.chunk_ids),
            "indexed_at": state.indexed_at if state else "",
            "fingerprint": snap.fingerprint,
            "engines": sorted(self.engines),
            "store": "server" if self.settings.chroma.host else "embedded",
        }

    # -- answering -------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: Filters | None = None,
        engine: str | None = None,
        as_of: date | None = None,
    ) -> Answer:
        """Answer a question from the indexed articles, with verified citations.

        ``as_of``: answer as the archive stood that day (only articles published by then), with
        "this week", "latest" and "now" read relative to it; by default relative to the newest
        article of the archive.
        """
        answer: Answer | None = None
        for event in self.ask_stream(question, history, filters, engine, as_of):
            if event.answer is not None:
                answer = event.answer
        assert answer is not None  # ask_stream always ends with the final answer
        return answer

    def ask_stream(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: Filters | None = None,
        engine: str | None = None,
        as_of: date | None = None,
    ) -> Iterator[AnswerEvent]:
        """Text deltas as they are produced, then one event carrying the final ``Answer``."""
        question = validate_question(question, self.settings.api.max_question_chars)
        chosen = self._engine(engine)
        history = list(history or [])
        started = time.perf_counter()
        timings: dict[str, float] = {}
        query = chosen.search_query(question, history) if history else question
        index = self.reader.view()
        if is_rule_change_request(question):
            yield from _refuse_rule_change(question, chosen.name, started)
            return
        filters = _as_of(filters, as_of)
        if filters is not None and not filters.empty and not index.snapshot.any_match(filters):
            raise NoMatchingArticles("no article matches these filters")
        frame = question_time(question, as_of or _newest(index.snapshot.committed))
        embed_started = time.perf_counter()
        vector = self.embeddings.embed_query(query)
        timings["embed_query"] = (time.perf_counter() - embed_started) * 1000
        passages = index.query(query, vector, filters, timings, frame=frame)
        respelled = respelled_query(query, [p.text for p in passages], index.knows_term)
        if respelled != query:  # misspelt words the passages write right: search again
            query, vector = respelled, self.embeddings.embed_query(respelled)
            passages = index.query(query, vector, filters, timings, frame=frame)
        since = news_since(question, frame) if self.settings.retrieval.news_window else None
        older: list[Passage] = []  # news of a moment: only that window's reports answer
        if since is not None and any_too_early(passages, since):
            older, timely = passages, narrow_filters(filters, since, None)
            found = timely is not None and index.snapshot.any_match(timely)
            window = (
                index.query(query, vector, timely, timings, frame=frame, nearest_only=True)
                if found
                else []
            )
            passages = matching(window, older)
        timings["retrieve"] = (time.perf_counter() - started) * 1000
        evidence = Evidence(
            question,
            query,
            history,
            passages or older,
            article_text=index.article_text,
            term_weight=index.term_weight,
            query_vector=vector,
        )
        if since is not None and older and not passages:
            refusal = beyond_archive(evidence, chosen.name, since, filters)
            timings["total"] = (time.perf_counter() - started) * 1000
            yield AnswerEvent(answer=_with_timings(refusal, timings))
            return
        answer_started = time.perf_counter()
        for event in answer_stream(evidence, chosen):
            if event.answer is not None:
                # Weak evidence from old articles only: refused, saying why.
                answer = refused_if_old_and_weak(
                    evidence, event.answer, frame.reference, frame.bounded
                )
                if since is not None and older:
                    answer = noting_set_aside(answer, since, filters)
                timings["answer"] = (time.perf_counter() - answer_started) * 1000
                timings["total"] = (time.perf_counter() - started) * 1000
                timings.update(answer.timings_ms)
                event = AnswerEvent(answer=_with_timings(answer, timings))
            yield event

    def _engine(self, name: str | None) -> AnswerEngine:
        name = name or self.settings.answer.engine
        if name not in self.engines:
            raise UnknownEngine(
                f"unknown engine {name!r}; available: {', '.join(sorted(self.engines))}"
            )
        return self.engines[name]


def _as_of(filters: Filters | None, as_of: date | None) -> Filters | None:
    """The filters narrowed to articles published by ``as_of`` (undated ones cannot show it)."""
    if as_of is None:
        return filters
    filters = filters or Filters()
    end = min(filters.published_to, as_of) if filters.published_to else as_of
    return replace(filters, published_to=end)


def _newest(committed: dict[str, ManifestRecord]) -> date | None:
    """The newest publication date of the archive: the default "now" of a question."""
    return as_date(max((r.fields.published for r in committed.values()), default=""))


def validate_question(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """A trimmed question, or ``BadQuestion`` with a message a person can act on."""
    if not isinstance(question, str) or not question.strip():
        raise BadQuestion("the question is empty: type a question about the articles")
    question = " ".join(question.split())
    if len(question) > limit:
        raise BadQuestion(
            f"the question is too long ({len(question):,} characters; the limit is {limit:,})"
        )
    return question


def _refuse_rule_change(question: str, engine: str, started: float) -> Iterator[AnswerEvent]:
    elapsed = (time.perf_counter() - started) * 1000
    yield AnswerEvent(delta=REFUSAL)
    yield AnswerEvent(
        answer=Answer(
            question,
            REFUSAL,
            True,
            (),
            (),
            engine,
            {"total": elapsed},
            flagged=("rule-change request refused",),
        )
    )


def _with_timings(answer: Answer, timings: dict[str, float]) -> Answer:
    return replace(answer, timings_ms=dict(timings))


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
