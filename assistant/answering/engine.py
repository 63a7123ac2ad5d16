"""What an answer engine receives and yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.answering.verify import Verified
from assistant.models import Answer, NearbyArticle, Passage, Turn

ArticleText = Callable[[str], str]  # article id -> its cleaned text ("" when unknown)
# A question term -> (the corpus term it stands for: itself, or the word it is probably a
# misspelling of; that term's inverse document frequency).
TermWeight = Callable[[str], tuple[str, float]]


def no_article_text(article_id: str) -> str:
    """For evidence without articles: every quote is then checked against its passage only."""
    return ""


def unit_weight(term: str) -> tuple[str, float]:
    """Every term as it is, with the same weight: for evidence without a corpus behind it."""
    return term, 1.0


@dataclass(frozen=True)
class AnswerEvent:
    """A streamed text delta, or (last) the final verified answer."""

    delta: str = ""
    answer: Answer | None = None


@dataclass
class Evidence:
    """A question with its retrieved passages, and the little of the index answering needs.

    Values and two callables, not the store: an engine cannot reach back into the index, and
    answering is testable with plain passages and a dict of article texts.
    """

    question: str
    search_query: str
    history: list[Turn]
    passages: list[Passage]
    article_text: ArticleText = no_article_text
    term_weight: TermWeight = unit_weight
    query_vector: list[float] | None = None  # the embedding of ``search_query``, when computed


class AnswerEngine(Protocol):
    name: str

    def search_query(self, question: str, history: list[Turn]) -> str:
        """The retrieval query for a (possibly follow-up) question."""
        ...

    def stream(self, evidence: Evidence) -> Iterator[AnswerEvent]:
        """Text deltas, then a final event with the verified ``Answer``."""
        ...


ABSTAIN_TEXT = "The indexed articles do not contain an answer to this question."


def nearest_articles(passages: list[Passage], limit: int = 3) -> tuple[NearbyArticle, ...]:
    """The distinct articles of the best passages, for an asker to look at after an abstention."""
    seen: dict[str, NearbyArticle] = {}
    for p in passages:
        if p.article_id not in seen:
            seen[p.article_id] = NearbyArticle(p.article_id, p.title, p.outlet, round(p.score, 6))
    return tuple(list(seen.values())[:limit])


def abstention(
    evidence: Evidence, engine: str, flagged: tuple[str, ...] = (), reason: str = ""
) -> Answer:
    """A plain refusal: why, when known, the nearest articles, and the newest date they carry."""
    nearest = nearest_articles(evidence.passages)
    text = ABSTAIN_TEXT + (f" {reason}" if reason else "")
    if nearest:
        listed = "; ".join(
            f"{n.title or n.article_id}" + (f" ({n.outlet})" if n.outlet else "") for n in nearest
        )
        text += f" The nearest articles are: {listed}."
    dates = sorted(p.published for p in evidence.passages if p.published)
    if dates:
        text += f" The newest of the articles searched was published on {dates[-1]}."
    return Answer(
        question=evidence.question,
        answer=text,
        abstained=True,
        citations=(),
        passages=tuple(evidence.passages),
        engine=engine,
        nearest=nearest,
        search_query=evidence.search_query,
        flagged=flagged,
    )


def answer_from(
    evidence: Evidence,
    engine: str,
    checked: Verified,
    flagged: tuple[str, ...] | None = None,
    evidence_score: float | None = None,
) -> Answer:
    """The answer made of the verified sentences, or an abstention when none survived."""
    flagged = checked.flagged if flagged is None else flagged
    if not checked.citations:
        return replace(abstention(evidence, engine, flagged), evidence_score=evidence_score)
    return Answer(
        question=evidence.question,
        answer=checked.text,
        abstained=False,
        citations=checked.citations,
        passages=tuple(evidence.passages),
        engine=engine,
        search_query=evidence.search_query,
        flagged=flagged,
        evidence_score=evidence_score,
        # Verified quotes, but nothing here judges whether they answer: never "high".
        confidence="partial",
    )


def stream_text(text: str, size: int = 3) -> Iterator[str]:
    """Split a finished text into small word groups, for engines that do not generate tokens."""
    words = text.split(" ")
    for i in range(0, len(words), size):
        yield " ".join(words[i : i + size]) + (" " if i + size < len(words) else "")
