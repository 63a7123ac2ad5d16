"""How well a sentence offers the kind of answer a question asks for (0..1), cheaply enough
to score every sentence of the retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.entities import asked_entity, best_entity
from assistant.answering.inline_wh import asks_inline_what, inline_what_span
from assistant.answering.negative import negative_answers, negative_clause
from assistant.answering.question import (
    AnswerKind,
    answer_kind,
    counted_noun,
    counts,
    describes_role,
    is_identity_question,
    offers,
    trailing_phrase,
)
from assistant.answering.reasons import term_reason_span
from assistant.answering.short_answer import needs_typed_answer, typed_span
from assistant.answering.verify import numbers_in


def kind_matcher(question: str) -> Callable[[str], float]:
    """How well a sentence offers the kind of answer ``question`` asks for (0..1), by cheap
    tests (every retrieved sentence goes through it); a sentence saying that very fact is
    unknown offers it fully, one saying another fact is unknown not."""
    offered = _offered_kind(question)

    def match(text: str) -> float:
        negative = negative_clause(text)
        if negative is not None:
            return float(negative_answers(question, text[negative[0] : negative[1]]))
        return offered(text)

    return match


def precise_kind_matcher(question: str) -> Callable[[str], float]:
    """``kind_matcher`` refined by finding the phrase itself (~10 times the cost, so only for
    the few sentences that could be shortlisted): "in the Myanmar military" offers a place,
    but not a town for "In which town ...?"."""
    cheap = kind_matcher(question)
    if not needs_typed_answer(question):
        return cheap

    entity = asked_entity(question)

    def match(text: str) -> float:
        coarse = cheap(text)
        if coarse and negative_clause(text) is None:
            if entity is not None:  # graded: a sure name of the type, near the question's words
                best = best_entity(question, text)
                if best is not None:
                    return min(1.0, best.score)
            return float(typed_span(question, text) is not None)  # "Kayin state", ...
        return coarse

    return match


_NAME_INSIDE = re.compile(r"\S\s+[“\"]?[A-Z]")


def _offered_kind(question: str) -> Callable[[str], float]:
    if asked_entity(question) is not None:  # a capitalised word past the first: maybe a name
        return lambda text: float(bool(_NAME_INSIDE.search(text)))
    phrase = trailing_phrase(question)
    if phrase is not None:
        return lambda text: float(bool(phrase.search(text)))  # "siding with" -> "... the truth"
    if asks_inline_what(question) and answer_kind(question) is AnswerKind.GENERAL:
        # "... can remove what installed by ...?": a sentence with "remove <phrase> installed"
        return lambda text: float(inline_what_span(question, text) is not None)
    if is_identity_question(question):
        return lambda text: float(describes_role(text))
    kind = answer_kind(question)
    if kind is AnswerKind.REASON:  # "because ...", or "unhappy that ..." for "why ... unhappy"
        return lambda text: float(
            offers(kind, text) or term_reason_span(question, text) is not None
        )
    if kind is not AnswerKind.NUMBER:
        return lambda text: float(offers(kind, text))
    noun, question_numbers = counted_noun(question), numbers_in(question)

    def number_match(text: str) -> float:
        if noun and counts(text, noun):
            return 1.0  # "Twelve soldiers" for "how many soldiers"
        return 0.5 if numbers_in(text) - question_numbers else 0.0

    return number_match
