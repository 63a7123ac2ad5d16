"""Typed values passed between stages: Article -> Chunk -> Passage -> Answer with Citations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from datetime import date
from typing import Any

from assistant.errors import BadFilter


@dataclass(frozen=True)
class Article:
    """A cleaned article. ``text`` is the body that every offset points into."""

    id: str
    title: str
    text: str
    content_hash: str
    source_path: str = ""
    outlet: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when the article gives one, else empty
    author: str = ""
    url: str = ""

    def metadata(self) -> dict[str, str]:
        return {
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "author": self.author,
            "url": self.url,
        }


@dataclass(frozen=True)
class Chunk:
    """A span of an article's cleaned text: ``text == article.text[start:end]``."""

    article_id: str
    position: int
    start: int
    end: int
    text: str
    tokens: int

    def chunk_id(self, content_hash: str) -> str:
        # Deterministic: the same article version always yields the same ids.
        return f"{self.article_id}:{content_hash[:12]}:{self.position}"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article's metadata and its fused score."""

    chunk_id: str
    article_id: str
    position: int
    start: int
    end: int
    text: str
    score: float
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    dense_score: float | None = None


@dataclass(frozen=True)
class Filters:
    """Restricts retrieval; empty fields do not filter."""

    article_ids: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    published_from: date | None = None
    published_to: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.article_ids or self.outlets or self.published_from or self.published_to)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters:
        data = data or {}
        as_date = read_day

        def as_tuple(value: Any) -> tuple[str, ...]:
            if value in (None, ""):
                return ()
            return (value,) if isinstance(value, str) else tuple(str(v) for v in value)

        return cls(
            article_ids=as_tuple(data.get("article_ids")),
            outlets=as_tuple(data.get("outlets")),
            published_from=as_date(data.get("published_from")),
            published_to=as_date(data.get("published_to")),
        )


def narrow_filters(filters: Filters | None, start: date | None, end: date | None) -> Filters | None:
    """``filters`` narrowed to articles published from ``start`` to ``end``; None when that
    leaves no day."""
    filters = filters or Filters()
    if filters.published_from and start:
        start = max(start, filters.published_from)
    start = start or filters.published_from
    if filters.published_to and end:
        end = min(end, filters.published_to)
    end = end or filters.published_to
    if start and end and start > end:
        return None
    return replace(filters, published_from=start, published_to=end)


def read_day(value: Any) -> date | None:
    """A date given as YYYY-MM-DD (or a ``date``), None when empty; else ``BadFilter``."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadFilter(
            f"cannot read the date {str(value)[:40]!r}: write it as YYYY-MM-DD"
        ) from None


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    chunk_id: str
    quote: str
    start: int  # offsets of the quote in the cleaned article text
    end: int
    verified: bool
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    problem: str = ""  # why verification failed, when it did


@dataclass(frozen=True)
class ShortAnswer:
    """The exact phrase that answers: ``text == article.text[start:end]``, cited as ``[n]``."""

    text: str
    n: int
    article_id: str
    start: int
    end: int
    # A relative or yearless date in ``text`` ("last week", "Aug. 10") resolved against the
    # article's publication date (2021-08-10, "week of 2021-08-23"); "" when there is none.
    resolved_date: str = ""


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class NearbyArticle:
    article_id: str
    title: str
    outlet: str
    score: float


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event of a timeline answer: a verbatim, cited span of an article."""

    date: str  # as precisely as the text gives it: 2021-02-01, 2021-02, 2021, week of 2021-02-01
    text: str  # == article.text[start:end]
    n: int  # the citation marker it carries
    article_id: str
    start: int
    end: int
    dated_by: str  # "event": the sentence dates the event; "publication": only its article's date


@dataclass(frozen=True)
class Figure:
    """One of the differing figures the articles give for a count: ``text`` is
    ``article.text[start:end]``, cited as ``[n]``, with its article's outlet and date."""

    text: str
    n: int
    article_id: str
    start: int
    end: int
    published: str  # empty when the article gives no date
    outlet: str  # empty when the article names none


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    engine: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    nearest: tuple[NearbyArticle, ...] = ()
    search_query: str = ""
    flagged: tuple[str, ...] = ()  # sentences removed by verification, with the reason
    evidence_score: float | None = None  # the engine's evidence strength, where it has one
    short_answer: ShortAnswer | None = None
    timeline: tuple[TimelineEntry, ...] = ()  # for "timeline of ..." questions, oldest first

    # Whether the quoted text answers the question: "high", "partial" or "none".
    confidence: str = "none"
    resolved_question: str = ""  # the question made self-contained from the history
    # A count the articles give differently (over time, or by source): each, newest first.
    figures: tuple[Figure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer contract shared by the CLI and the HTTP API: every field, with
        passages cut to ``ANSWER_PASSAGE_FIELDS`` and numbers rounded.

        A new field of ``Answer`` is in the contract, and in the API's response model (which
        ``web/schemas.py`` derives from this class), with no second edit.
        """
        data = {
            name: [_plain(v) for v in value] if isinstance(value, tuple) else _plain(value)
            for name, value in ((f.name, getattr(self, f.name)) for f in fields(self))
        }
        data["passages"] = [
            {k: round(p.score, 6) if k == "score" else getattr(p, k) for k in ANSWER_PASSAGE_FIELDS}
            for p in self.passages
        ]
        if self.evidence_score is not None:
            data["evidence_score"] = round(self.evidence_score, 4)
        data["timings_ms"] = {k: round(v, 2) for k, v in self.timings_ms.items()}
        return data


# What an answer's passages show of a ``Passage`` (the rest is in its citations or not needed).
ANSWER_PASSAGE_FIELDS = ("article_id", "chunk_id", "score", "text", "title", "start", "end")


def _plain(value: Any) -> Any:
    """A dataclass as a dict, anything else as it is (for JSON)."""
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value


@dataclass
class IndexReport:
    """What an index run did, for the CLI summary and the API."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> reason
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
