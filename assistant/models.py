"""Typed values passed between stages: Article -> Chunk -> Passage -> Answer with Citations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


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

        def as_date(value: Any) -> date | None:
            if value in (None, ""):
                return None
            return value if isinstance(value, date) else date.fromisoformat(str(value))

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
class ShortAnswer:
    """The exact phrase that answers: ``text == article.text[start:end]``, cited as ``[n]``."""

    text: str
    n: int
    article_id: str
    start: int
    end: int


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
    # Whether the quoted text answers the question: "high", "partial" or "none".
    confidence: str = "none"
    resolved_question: str = ""  # the question made self-contained from the history

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer contract shared by the CLI and the HTTP API."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "passages": [
                {
                    "article_id": p.article_id,
                    "chunk_id": p.chunk_id,
                    "score": round(p.score, 6),
                    "text": p.text,
                    "title": p.title,
                    "start": p.start,
                    "end": p.end,
                }
                for p in self.passages
            ],
            "nearest": [asdict(n) for n in self.nearest],
            "engine": self.engine,
            "search_query": self.search_query,
            "flagged": list(self.flagged),
            "evidence_score": None
            if self.evidence_score is None
            else round(self.evidence_score, 4),
            "short_answer": None if self.short_answer is None else asdict(self.short_answer),
            "confidence": self.confidence,
            "resolved_question": self.resolved_question,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


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
