"""What kind of answer a question asks for, and whether a sentence offers that kind."""

from __future__ import annotations

import re
from enum import Enum


class AnswerKind(str, Enum):
    NUMBER = "number"
    PERSON = "person"
    DATE = "date"
    PLACE = "place"
    REASON = "reason"
    GENERAL = "general"


_KIND_PATTERNS = [
    (AnswerKind.NUMBER, r"\bhow (many|much)\b|\bwhat (number|percentage|share|amount)\b|\bhow large\b"),
    (AnswerKind.DATE, r"\bwhen\b|\bwhat (date|year|month|day|time)\b|\bwhich (date|year|month|day)\b|\bhow long ago\b"),
    (AnswerKind.PLACE, r"\bwhere\b|\bwhich (town|city|region|state|country|village|place|area|province)\b|\bwhat (town|city|region|state|country|place|area)\b"),
    (AnswerKind.PERSON, r"\bwho\b|\bwhom\b|\bwhose\b|\bwhat is the name\b|\bwhich (officer|person|spokes\w*|minister|official|leader)\b"),
    (AnswerKind.REASON, r"\bwhy\b|\bwhat (reason|motivated|made|caused|led)\b|\bfor what reason\b"),
]
_MONTHS = r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
_DATE = re.compile(
    rf"\b{_MONTHS}\s+\d{{1,2}}\b|\b(19|20)\d\d\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"|\b(last|next|this) (week|month|year)\b|\byesterday\b|\b{_MONTHS}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}\b|\b(said|told|spokes\w+|minister|officer|captain|major|colonel)\b")
_PLACE = re.compile(
    r"\b(in|at|from|near|based in|to)\s+[A-Z][a-z]+|\b(state|region|township|town|city|village|province|border)\b"
)
_REASON = re.compile(r"\bbecause\b|\bdue to\b|\breasons?\b|\bso that\b|\bsince\b|\bas a result\b|\bunhappy\b|\bwant(ed)? to\b|\bin order to\b", re.IGNORECASE)

_KIND_RE = {
    AnswerKind.NUMBER: _NUMBER,
    AnswerKind.DATE: _DATE,
    AnswerKind.PERSON: _PERSON,
    AnswerKind.PLACE: _PLACE,
    AnswerKind.REASON: _REASON,
}


def answer_kind(question: str) -> AnswerKind:
    lowered = question.lower()
    for kind, pattern in _KIND_PATTERNS:
        if re.search(pattern, lowered):
            return kind
    return AnswerKind.GENERAL


def offers(kind: AnswerKind, sentence: str) -> bool:
    """Whether ``sentence`` contains the kind of thing the question asks for."""
    pattern = _KIND_RE.get(kind)
    return bool(pattern.search(sentence)) if pattern else False
