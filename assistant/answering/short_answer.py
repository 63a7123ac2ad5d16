"""The exact phrase of a sentence that answers a question: a count with its noun, a date, a
name, a place, an organisation, a role ("Who is X?") or the clause after "because"/"to"/...

Rules, not a model: every phrase is a span of the sentence (offsets returned), so it can be
cited and verified like a quote. ``typed_span`` finds a phrase of the kind asked for, or None;
``short_span`` falls back to the sentence's core (its quotation, without the attribution).
A sentence saying the fact is unknown or withheld ("... were not released") is answered by
that clause (``negative_clause``).
"""

from __future__ import annotations

import re

from assistant.answering.entities import Entity, asked_entity, best_entity, is_place
from assistant.answering.inline_wh import inline_what_span
from assistant.answering.negative import NEGATIVE, negative_answers, negative_clause
from assistant.answering.phrases import (
    ATTRIBUTION_TAIL,
    FINDERS,
    ORG_QUESTION,
    SAY_QUESTION,
    SPEAKER_ASKED,
    WHICH_NOUN,
    named_thing_span,
    near_terms,
    org_span,
    role_span,
    said_span,
    to_clause_end,
    trim,
)
from assistant.answering.question import (
    AnswerKind,
    answer_kind,
    describes_role,
    is_identity_question,
    trailing_phrase,
)
from assistant.answering.quoted import asked_quotation
from assistant.answering.reasons import reason_span
from assistant.answering.things import ThingTyper, best_thing, open_thing


def typed_span(
    question: str, sentence: str, typer: ThingTyper | None = None
) -> tuple[int, int] | None:
    """Offsets of the phrase of ``sentence`` holding the kind of answer ``question`` asks for;
    ``typer`` types common nouns by meaning ("Which sea animal ...?": none without it)."""
    negative = negative_clause(sentence)
    if negative:
        if negative_answers(question, sentence[negative[0] : negative[1]]):
            return negative
        marker = NEGATIVE.search(sentence)
        assert marker is not None  # negative_clause found it
        if marker.group(1):
            # A sentence saying X is unknown is about X: it answers a question about X, no
            # other; the rest of it may still answer ("..., but ... on Sunday"): look there.
            rest = sentence[negative[1] :]
            if not near_terms(rest, question):
                return None
            sentence = " " * negative[1] + rest
        else:  # "X declined to comment": only what X withheld is missing
            blank = " " * (negative[1] - marker.start())
            sentence = sentence[: marker.start()] + blank + sentence[negative[1] :]
    question = _wh_spelled(question)
    kind = answer_kind(question)
    phrase = trailing_phrase(question) if kind is AnswerKind.GENERAL else None
    found = phrase.search(sentence) if phrase is not None else None
    if found:  # "... siding with?" -> what follows "siding with"
        return to_clause_end(sentence, found.end())
    inline = inline_what_span(question, sentence) if kind is AnswerKind.GENERAL else None
    if inline is not None:  # "... can remove what installed by ...?" -> "razor wire"
        return inline
    quoted = asked_quotation(question, sentence)
    if quoted is not None:  # "word of the year" -> "parasocial"; "name of the colour" -> "olo"
        return quoted
    asked = asked_entity(question)
    if asked is not None and asked.entity is Entity.THING:  # "Which sea animal ...?": a noun
        thing = best_thing(asked, question, sentence, typer) if typer is not None else None
        return (thing.start, thing.end) if thing is not None else None
    thing = open_thing(asked, question, sentence, typer) if asked and typer else None
    if thing is not None:  # "Which type of livestock ...?": "dairy cows", not "Texas"
        return thing.start, thing.end
    if asked is not None and asked.required:  # "Which comedian ...?": a name, not in the question
        best = best_entity(question, sentence)
        if best is not None:
            return best.start, best.end
        if not is_place(asked.entity):
            return None  # a place may be named as "Kayin state": the place finder below
    role = _ROLE_QUESTION.search(question)
    if role:  # "What was X's rank?" is answered like "Who is X?"
        return role_span(f"Who is {role.group(1)}?", sentence)
    if SAY_QUESTION.search(question):
        return said_span(question, sentence)
    if _PURPOSE_QUESTION.search(question):
        return reason_span(question, sentence)
    if is_identity_question(question):
        return role_span(question, sentence)
    named = named_thing_span(question, sentence)
    if named is not None:
        return named
    which = WHICH_NOUN.search(question)
    if (
        which
        and kind is AnswerKind.GENERAL
        and describes_role(question[which.start() : which.end() + 30].split("?")[0])
    ):
        kind = AnswerKind.PERSON  # "Which army captain ...?" asks for a person
    finder = reason_span if kind is AnswerKind.REASON else FINDERS.get(kind)
    if finder is not None:
        return finder(question, sentence)
    if ORG_QUESTION.search(question):
        return org_span(question, sentence)
    if asked is not None:  # "Which event ...?": a name, preferably by the word "event"
        best = best_entity(question, sentence)
        return (best.start, best.end) if best is not None else None
    return None


def needs_typed_answer(question: str) -> bool:
    """Whether only a phrase of a definite kind (a count, a date, a name ...) answers."""
    question = _wh_spelled(question)
    if SAY_QUESTION.search(question):
        # What someone said: the quotation, whatever it holds, but said by that someone.
        speaker = SPEAKER_ASKED.search(question)
        return speaker is not None and speaker.group(1).lower() not in ("he", "she", "they", "it")
    asked = asked_entity(question)
    if asked is not None:
        return asked.required
    return (
        answer_kind(question) is not AnswerKind.GENERAL
        or is_identity_question(question)
        or bool(_ROLE_QUESTION.search(question))
        or bool(ORG_QUESTION.search(question))
    )


# Question words as typed in a hurry ("wich town"), so the kind asked for is still seen.
_WH_TYPOS = {"wich": "which", "whic": "which", "wat": "what", "wht": "what", "wen": "when"}
_ROLE_QUESTION = re.compile(
    r"\b(?i:what) (?:is|was) ([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)[’']s (?:rank|title|position|role|job|post)\b"
)
_PURPOSE_QUESTION = re.compile(r"\bwhat (?:is|was) the (?:purpose|aim|goal|point)\b", re.I)


def _wh_spelled(question: str) -> str:
    return re.sub(r"\b[a-z]+\b", lambda m: _WH_TYPOS.get(m.group(0), m.group(0)), question, count=2)


def short_span(question: str, sentence: str, typer: ThingTyper | None = None) -> tuple[int, int]:
    """The typed phrase, else the sentence's core: its quotation, or it less the attribution."""
    typed = typed_span(question, sentence, typer)
    if typed is not None:
        return typed
    return core_span(sentence)


def core_span(sentence: str) -> tuple[int, int]:
    """A quotation's words, or the sentence without its attribution tail and full stop."""
    quoted = re.search(r"[“\"]([^”\"]{12,})[”\"]", sentence)
    if quoted:
        return trim(sentence, quoted.start(1), quoted.end(1))
    tail = ATTRIBUTION_TAIL.search(sentence)
    end = tail.start() if tail and tail.start() > 20 else len(sentence)
    return trim(sentence, 0, end)
