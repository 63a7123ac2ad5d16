"""Questions about when an article itself appeared: "When was the report on ... published?".

The answer is not in any sentence of the article but in its metadata (the ``published`` date
that ingestion read from the front matter, a dateline or the HTML). The article is the one
whose sentence best matches the question's subject ("the report on thousands of soldiers ...");
the reply gives its date in a fixed frame, cites that sentence as the verbatim evidence of
which article is meant, and says plainly when the article carries no date. The frame's words
are the only ones not taken from the article: the date, its title and outlet come from the
article's own metadata, never from a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from assistant.answering.engine import Evidence, abstention, answer_from
from assistant.answering.lead import Ranked
from assistant.answering.verify import DraftSentence, verify
from assistant.models import Answer, Passage

# "When was/were ... published?", "What date was the article posted?", "publication date".
_ASKS_WHEN = re.compile(
    r"^\s*(?:when|on what (?:day|date)|what (?:day|date)|what is the date)\b", re.IGNORECASE
)
_PUBLISHED = re.compile(
    r"\b(?:published|posted|put out|released|filed|dated|written|come out|came out|run|ran)\b",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"\b(?:article|report|story|piece|news item|dispatch|column|interview|coverage)s?\b",
    re.IGNORECASE,
)
_PUBLICATION_DATE = re.compile(r"\b(?:publication date|date of publication)\b", re.IGNORECASE)


def is_publication_question(question: str) -> bool:
    """Whether ``question`` asks when an article (a report, a story ...) appeared."""
    if _PUBLICATION_DATE.search(question) and _DOCUMENT.search(question):
        return True
    return bool(
        _ASKS_WHEN.search(question) and _PUBLISHED.search(question) and _DOCUMENT.search(question)
    )


_FRAME_START = re.compile(
    r"^\s*(?:when|on what (?:day|date)|what (?:day|date)|what is the (?:publication )?date of)\s+"
    r"(?:was|were|is|did|does)?\s*",
    re.IGNORECASE,
)
_FRAME_END = re.compile(
    r"\s+(?:first\s+)?(?:published|posted|put out|released|filed|dated|written|come out|"
    r"came out|run|ran)\b.*$",
    re.IGNORECASE,
)


def subject_of(question: str) -> str:
    """The article the question describes, without the "when was ... published" frame:
    "the report on thousands of soldiers and police joining anti-junta forces"."""
    subject = _FRAME_END.sub("", _FRAME_START.sub("", question.strip().rstrip("?")))
    return subject.strip() or question


def with_publication_date(answer: Answer, passage: Passage) -> Answer:
    """``answer`` (the verified quote that identifies the article) opened by the article's
    publication date from its metadata, or by the plain statement that it gives none."""
    if answer.abstained or not answer.citations:
        return answer
    citation = next((c for c in answer.citations if c.article_id == passage.article_id), None)
    if citation is None:
        return answer
    title = f"“{passage.title}”" if passage.title else "the article"
    source = f"{title} ({passage.outlet})" if passage.outlet else title
    if passage.published:
        opening = (
            f"{passage.published} [{citation.n}]: the publication date of {source}, "
            "from the article's metadata."
        )
        confidence = "high"
    else:
        opening = f"{source} [{citation.n}] does not give its publication date."
        confidence = "partial"
    return replace(
        answer, answer=f"{opening} {answer.answer}", short_answer=None, confidence=confidence
    )


def publication_answer(
    evidence: Evidence,
    question: str,
    rank: Callable[[str], Sequence[Ranked]],
    abstain_below: float,
    engine: str,
) -> Answer:
    """The answer to a publication question. The article is retrieval's first (it weighs the
    titles, which such questions often paraphrase); its best sentence about the subject
    (ranked by ``rank``) is the cited evidence; its metadata gives the date. Weak evidence
    abstains."""
    if not evidence.passages:
        return abstention(evidence, engine)
    by_outlet = [  # "When was the RFA report published?": the article of that outlet
        p
        for p in evidence.passages
        if p.outlet and re.search(rf"\b{re.escape(p.outlet)}\b", question, re.IGNORECASE)
    ]
    article_id = (by_outlet or evidence.passages)[0].article_id
    ranked = [
        c
        for c in rank(subject_of(question))
        if evidence.passages[c.passage_index].article_id == article_id
    ]
    best = ranked[0] if ranked else None
    if best is None or best.confidence < abstain_below:
        score = best.confidence if best else 0.0
        return replace(abstention(evidence, engine), evidence_score=score)
    draft = DraftSentence(best.text, (best.passage_index + 1,), at=best.start)
    article_text = lru_cache(maxsize=None)(evidence.article_text)
    checked = verify([draft], list(evidence.passages), article_text)
    answer = answer_from(evidence, engine, checked, evidence_score=best.confidence)
    return with_publication_date(answer, evidence.passages[best.passage_index])
