"""The sentence that answers, and the short answer opening the reply.

A ranked sentence leads only if it holds the kind of answer asked for (a count, a date, a
name ... see ``short_answer``) and does not swap the question's year, group or place for
another. Its answering phrase becomes ``Answer.short_answer``, cited and checked verbatim, and
the reply opens with it; the supporting sentences follow as quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from assistant.answering.answerability import (
    contradicted,
    missing_subject,
    unexplained_event,
    unmentioned_name,
    unsupported_number,
    unsupported_year,
)
from assistant.answering.attribution import referent
from assistant.answering.entities import Entity, asked_entity
from assistant.answering.name_context import full_name_before
from assistant.answering.negative import about_another_unknown, negative_clause
from assistant.answering.question import AnswerKind, answer_kind, is_identity_question
from assistant.answering.short_answer import needs_typed_answer, short_span, typed_span
from assistant.answering.things import ThingTyper, named_candidates
from assistant.answering.verify import verify_short
from assistant.dates import resolved_date
from assistant.models import Answer, Passage, ShortAnswer

# "high" needs a phrase of the asked kind and at least this evidence score. Chosen on the tune
# cases only (`assistant eval --json` on the RealTime QA tune splits, bench/realtimeqa.py; the
# report's "confidence labels" table): the lowest score from which both corpora's "high"
# answers are right at least 3 times in 4. First corpus / second corpus, share right of the
# "high" answers: 0.5 -> 0.65 / 0.66, 0.6 -> 0.72 / 0.70, 0.64 -> 0.76 / 0.79, 0.65 -> 0.78 /
# 0.79, 0.68 -> 0.85 / 0.78. On the shipped tune half every answer is right at any of these
# (0.65 labels 29 of its 33 typed answers "high"). Held-out figures: BENCHMARKS.md.
HIGH_FROM = 0.65
# A lead below this share of the best sentence's score is too far down the ranking to answer
# in its place: the question is then about something the articles do not give. Swept on the
# tune cases only: 0.6, 0.7 and 0.8 give the same figures (correct 0.89, refusal P 0.79 /
# R 1.00, short-answer EM 0.81); 0.7 is the middle of that plateau.
LEAD_RATIO = 0.7
# The group or name a question is about may stand in the sentences around the answer's
# (the paragraph before names the group whose soldiers "no details" are available about).
NEIGHBOURHOOD = 250  # characters either side
# A question asking for a named thing: how many answering sentences compete, and how much
# the surety and closeness of the name (0..1.4, entities.py) adds to a sentence's score.
ENTITY_LEADS = 5
ENTITY_WEIGHT = 0.15
# Every name of the asked type in those sentences competes, not only the surest: a name the
# other good sentences name again (VOTERS best, whole words, MAX_VOTES at most) gains
# VOTE_WEIGHT a mention. Swept on the RealTime QA tune split only, with the name rules of
# entities.py / name_context.py: 0, 0.015, 0.03, 0.045, 0.06 gave short EM 0.39, 0.41, 0.41,
# 0.39, 0.39 (F1 0.42, then 0.44 for all); 0.03 is kept. The shipped set is unchanged by it.
VOTERS = 10
VOTE_WEIGHT = 0.03
MAX_VOTES = 3
# The short answer is shown apart from the quote only when it is a real part of it.
MAX_SHARE_OF_SENTENCE = 0.8


# A sentence opening with a pronoun or connective takes its subject from the one before.
_REFERS_BACK = re.compile(
    r"^[“\"]?(?:[\w’']+,?\s+){0,4}?(?:he|she|they|it|its|his|her|their|this|these|those)\b|"
    r"^[“\"]?(?:in addition|also|but|however|meanwhile)\b",
    re.IGNORECASE,
)


class Ranked(Protocol):
    @property
    def passage_index(self) -> int: ...

    @property
    def start(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def own_coverage(self) -> float: ...

    @property
    def confidence(self) -> float: ...

    @property
    def score(self) -> float: ...


R = TypeVar("R", bound=Ranked)


@dataclass(frozen=True)
class Lead(Generic[R]):
    candidate: R
    span: tuple[int, int]  # the answering phrase, offsets in ``candidate.text``
    typed: bool  # the phrase is of the kind asked for (not the sentence's core)


def answerable_lead(
    question: str,
    ranked: Sequence[R],
    passages: Sequence[Passage],
    article_text: Callable[[str], str] | None = None,
    typer: ThingTyper | None = None,
) -> Lead[R] | None:
    """The best sentence that answers ``question``'s kind about its subject, or None.

    For a question asking for a named thing ("Which comedian ...?") the few best such sentences
    compete: a sure name of the type standing by the question's words beats a weaker one in a
    slightly better ranked sentence. ``typer`` types common nouns ("Which sea animal ...?");
    with ``article_text``, only articles that mention every name the question does answer."""
    leads = _leads(question, ranked, passages, article_text, typer)
    if asked_entity(question) is None:
        return next(leads, None)
    best: tuple[float, Lead[R]] | None = None
    others = [c.text for c in ranked[:VOTERS]]
    for k, lead in enumerate(leads):
        if k >= ENTITY_LEADS:
            break
        names = named_candidates(question, lead.candidate.text, typer) if lead.typed else []
        # The phrase may have come another way ("siding with ...", a count): then it stays.
        named = bool(names) and (names[0].start, names[0].end) == lead.span
        for found in (names if named else names[:1]) or [None]:
            value, option = lead.candidate.score, lead
            if found is not None:  # a sure name near the question's words, named again
                name = lead.candidate.text[found.start : found.end]
                votes = max(0, min(MAX_VOTES, _mentions(name, others) - 1))
                value += ENTITY_WEIGHT * found.score + VOTE_WEIGHT * votes
                if named:
                    option = replace(lead, span=(found.start, found.end))
            if best is None or value > best[0]:
                best = (value, option)
    return best[1] if best else None


def _mentions(name: str, texts: Sequence[str]) -> int:
    """How many of ``texts`` name ``name`` (whole words, any case, either apostrophe); a
    name of several words is named again by its last alone ("Key" for "Francis Scott Key"),
    so a short form never outvotes the full name."""
    name = name.replace("’", "'")
    forms = [re.escape(name)]
    last = name.split()[-1]
    if " " in name and last[:1].isupper() and len(last) > 2:
        forms.append(re.escape(last))
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)", re.IGNORECASE)
    return sum(bool(pattern.search(t.replace("’", "'"))) for t in texts)


def _leads(
    question: str,
    ranked: Sequence[R],
    passages: Sequence[Passage],
    article_text: Callable[[str], str] | None = None,
    typer: ThingTyper | None = None,
) -> Iterator[Lead[R]]:
    """The sentences that answer ``question``'s kind about its subject, in ranking order;
    with ``article_text``, only from articles that mention every name the question does."""
    if not ranked:
        return
    needs_type = needs_typed_answer(question)
    about: dict[str, bool] = {}  # article id -> it names the question's names and event
    near_best = [c for c in ranked if c.score >= LEAD_RATIO * ranked[0].score]
    if typer is not None:  # the nouns of the sentences that may lead, embedded in one batch
        typer.prepare(question, [c.text for c in near_best])
    for candidate in ranked:
        # Below the lead ratio only "says unknown" counts: no noun needs typing there.
        typed = typed_span(question, candidate.text, typer if candidate in near_best else None)
        # A sentence saying the fact asked for is unknown answers however it ranks.
        says_unknown = typed is not None and typed == negative_clause(candidate.text)
        if candidate.score < LEAD_RATIO * ranked[0].score and not says_unknown:
            continue
        passage = passages[candidate.passage_index]
        if (
            contradicted(question, candidate.text)
            or unsupported_year(question, passage.text, passage.published)
            or unsupported_number(question, passage.text)
        ):
            continue
        # "A former officer ... told RFA" answers "Who is X?" with X named in the next sentence;
        # a sentence opening with a pronoun takes its subject from the one before.
        borrows = _REFERS_BACK.match(candidate.text) or is_identity_question(question)
        start = max(0, candidate.start - NEIGHBOURHOOD)
        around = passage.text[start : candidate.start + len(candidate.text) + NEIGHBOURHOOD]
        if not borrows and (not candidate.own_coverage or missing_subject(question, around)):
            continue  # not about the question's subject
        if typed is None and (needs_type or about_another_unknown(question, candidate.text)):
            continue
        if article_text is not None and passage.article_id not in about:
            article = article_text(passage.article_id)  # once an article: it stems its text
            about[passage.article_id] = not (
                unmentioned_name(question, article) or unexplained_event(question, article)
            )
        if not about.get(passage.article_id, True):
            continue  # about another case of the same kind of event, or a false premise
        span = typed or short_span(question, candidate.text, typer)
        yield Lead(candidate, span, typed is not None)


def refusal_reason(question: str, ranked: Sequence[Ranked], passages: Sequence[Passage]) -> str:
    """Why the best sentence does not answer, when it contradicts the question; else ""."""
    if not ranked:
        return ""
    best = ranked[0]
    passage = passages[best.passage_index]
    year = unsupported_year(question, passage.text, passage.published)
    if year:
        return f"The closest passages say nothing about {year}."
    swapped = contradicted(question, best.text)
    if swapped:
        return f"The closest passage is about {swapped[1]}, not {swapped[0]}."
    return ""


def confidence_label(lead: Lead[Any], evidence_score: float) -> str:
    """ "high" when a phrase of the asked kind is backed by strong evidence, else "partial"."""
    return "high" if lead.typed and evidence_score >= HIGH_FROM else "partial"


def _asks_person(question: str) -> bool:
    asked = asked_entity(question)
    return asked is not None and asked.entity is Entity.PERSON


def with_short_answer(
    answer: Answer,
    passages: Sequence[Passage],
    article_text: Callable[[str], str],
    lead: Lead[Any],
    question: str,
) -> Answer:
    """``answer`` opening with the lead's answering phrase, cited, when it survives checking."""
    if answer.abstained:
        return answer
    passage = passages[lead.candidate.passage_index]
    start = passage.start + lead.candidate.start + lead.span[0]
    end = passage.start + lead.candidate.start + lead.span[1]
    citation = next(
        (
            c
            for c in answer.citations
            if c.article_id == passage.article_id and c.start <= start and end <= c.end
        ),
        None,
    )
    label = confidence_label(lead, answer.evidence_score or 0.0)
    if citation is None:
        return replace(answer, confidence="partial")
    article = article_text(passage.article_id)
    if article[start:end].lower() in ("he", "she", "they"):
        # "..., he said": the speaker is the person named before the quote.
        named = referent(article, citation.start)
        if named is None:
            return replace(answer, confidence="partial")
        start, end = named
    elif _asks_person(question) and (full := full_name_before(article, start, end)):
        start, end = full  # "Brody": "Adrien Brody", as the article first named him
    short = ShortAnswer(
        article[start:end],
        citation.n,
        passage.article_id,
        start,
        end,
        resolved_date(article[start:end], citation.published),
    )
    problem = verify_short(short, article)
    if problem:
        return replace(answer, confidence="partial", flagged=(*answer.flagged, problem))
    text = answer.answer
    if lead.span[0] > 0 and end - start < MAX_SHARE_OF_SENTENCE * len(lead.candidate.text):
        frame = ""
        if answer_kind(question) is AnswerKind.NUMBER and citation.published:
            frame = f", as of {citation.published}"  # a count is true as of its article's date
        elif short.resolved_date:  # "last week": which week, from the article's own date
            frame = f" ({short.resolved_date}, from the article's date {citation.published})"
        opening = (
            short.text.rstrip(".") if not re.search(r"\b\w{1,3}\.$", short.text) else short.text
        )
        text = f"{opening}{frame} [{citation.n}]. {text}"
    return replace(answer, answer=text, short_answer=short, confidence=label)
