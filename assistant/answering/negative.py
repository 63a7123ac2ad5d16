"""Explicit negative evidence: a sentence saying the fact asked for is unknown or withheld
("No details about the names ... were available", "officials would not disclose where ...").
Such a clause answers a question about that very fact, and no other question.
"""

from __future__ import annotations

import re

from assistant.answering.phrases import ATTRIBUTION_TAIL, GENERIC_TERMS, SAY_QUESTION, trim
from assistant.answering.question import AnswerKind, answer_kind
from assistant.lexical import terms

_UNKNOWN = (
    r"it (?:was|is|remains) (?:unclear|not clear|not known|unknown)|(?:was|were|is|are|has|"
    r"have been) not (?:yet )?(?:released|disclosed|identified|available|known|made public|"
    r"confirmed|reported)|no details"
)
# "X would not disclose Y": what follows says what is withheld; nothing follows = no comment.
_WITHHELD = (
    r"would not (?:disclose|say|confirm|reveal|comment)|(?:declined|refused) to (?:say|comment|"
    r"disclose|reveal|give)|did not (?:say|disclose|reveal)|(?:has|have) not (?:yet )?"
    r"(?:commented|said|disclosed|revealed)"
)
NEGATIVE = re.compile(rf"\b(?:({_UNKNOWN})|{_WITHHELD})\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r",\s+(?:but|and|while|although|though)\b|[;:]|\.\s*$|\.(?=[”\"]?$)")


def negative_clause(sentence: str) -> tuple[int, int] | None:
    """The clause saying a fact is unknown or withheld ("No details ... were available")."""
    found = NEGATIVE.search(sentence)
    if not found:
        return None
    start = 0
    for boundary in re.finditer(r",\s+(?:but|and|while)\s+|;\s*", sentence[: found.start()]):
        start = boundary.end()
    end_match = _CLAUSE_END.search(sentence, found.end())
    end = end_match.start() if end_match else len(sentence)
    tail = ATTRIBUTION_TAIL.search(sentence[:end] + ".", found.end())
    end = tail.start() if tail else end  # "..., police said" is not what is unknown
    return trim(sentence, start, end)


_WH_KIND = {
    "when": AnswerKind.DATE,
    "where": AnswerKind.PLACE,
    "who": AnswerKind.PERSON,
    "why": AnswerKind.REASON,
    "how": AnswerKind.NUMBER,
}


# What an "unknown" clause can say is unknown, and the kind of question it then answers.
_UNKNOWN_THINGS = {
    "name": AnswerKind.PERSON,
    "names": AnswerKind.PERSON,
    "identity": AnswerKind.PERSON,
    "identities": AnswerKind.PERSON,
    "who": AnswerKind.PERSON,
    "number": AnswerKind.NUMBER,
    "toll": AnswerKind.NUMBER,
    "figures": AnswerKind.NUMBER,
    "cause": AnswerKind.REASON,
    "motive": AnswerKind.REASON,
    "why": AnswerKind.REASON,
    "location": AnswerKind.PLACE,
    "whereabouts": AnswerKind.PLACE,
    "where": AnswerKind.PLACE,
    "date": AnswerKind.DATE,
    "when": AnswerKind.DATE,
    "ranks": AnswerKind.GENERAL,
    "rank": AnswerKind.GENERAL,
}


# Prepositions are terms (the index's stop list is short) but never the subject of a question:
# "where the money was coming from" does not answer "Which battalions were the troops from?".
_PREPOSITIONS = frozenset(terms("from about after before over under between against during"))


def negative_answers(question: str, clause: str) -> bool:
    """Whether an 'unknown/withheld' clause is about what ``question`` asks (same subject)."""
    wanted = set(terms(question)) - GENERIC_TERMS - _PREPOSITIONS
    after = NEGATIVE.search(clause)
    asked_about = re.match(r"\s*(when|where|who|why|how)\b", clause[after.end() :] if after else "")
    if asked_about and _WH_KIND[asked_about.group(1).lower()] is not answer_kind(question):
        return False  # "It was unclear when ..." does not answer "Why ...?"
    if after is None or after.group(1):  # unknown: the clause's subject is what is unknown
        things = [w for w in re.findall(r"[a-z]+", clause.lower()) if w in _UNKNOWN_THINGS]
        kind = answer_kind(question)
        asked = question.lower()
        matches = [
            (_UNKNOWN_THINGS[w] is kind and kind is not AnswerKind.GENERAL) or w in asked
            for w in things
        ]
        if things and not any(matches):
            return False  # "no details about the names" does not answer "when" or "why"
        topic = set(terms(clause))
    elif re.search(r"comment|say|said", after.group(0), re.IGNORECASE):
        # "X has not commented on Y": answers what X said about Y, nothing else.
        if not SAY_QUESTION.search(question):
            return False
        topic = set(terms(clause))
    else:  # "X would not disclose Y": Y is what is withheld
        topic = set(terms(clause[after.end() :]))
    return bool(wanted & (topic - GENERIC_TERMS))


def about_another_unknown(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says something is unknown, and that is not what is asked."""
    negative = negative_clause(sentence)
    return negative is not None and not negative_answers(
        question, sentence[negative[0] : negative[1]]
    )
