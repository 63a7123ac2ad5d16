"""What kind of answer a question asks for, and whether a sentence offers that kind."""

from __future__ import annotations

import re
from enum import StrEnum


class AnswerKind(StrEnum):
    NUMBER = "number"
    PERSON = "person"
    DATE = "date"
    PLACE = "place"
    REASON = "reason"
    GENERAL = "general"


_KIND_PATTERNS = [
    (
        AnswerKind.NUMBER,
        r"\bhow (many|much|old)\b|\bwhat age\b|\bwhat (number|percentage|share|amount)\b|\bhow large\b",
    ),
    (
        AnswerKind.DATE,
        r"\bwhen\b|\bwhat (date|year|month|day|time)\b|\bwhich (date|year|month|day)\b|\bhow long ago\b",
    ),
    (
        AnswerKind.PLACE,
        r"\bwhere\b|\bwhich (town|city|region|state|country|village|place|area|province|location|venue)\b"
        r"|\bwhat (town|city|region|state|country|place|area|location|venue)\b|\bthe (location|venue) of\b",
    ),
    (
        AnswerKind.PERSON,
        r"\bwho\b|\bwhom\b|\bwhose\b|\bwhat is the name\b|\bwhich (officer|person|spokes\w*|minister|official|leader)\b",
    ),
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
# A person's name: two to four capitalised words (not the sentence's first word).
_PERSON = re.compile(r"(?<=[a-z,;:“\"] )[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}\b")
_PLACE = re.compile(
    r"\b(in|at|from|near|based in|to)\s+[A-Z][a-z]+|\b(state|region|township|town|city|village|province|border)\b"
)
# Words that introduce a cause or a purpose in English prose: causal conjunctions and phrases
# ("because", "due to", "since", "as a result"), the noun "reason(s)", purpose clauses ("so
# that", "in order to"), stated motives ("want(ed) to", "in a show of", "in protest at", "for
# fear of"). No topic words: a word that only
# fits one article's answer (e.g. an emotion it names) does not belong here.
_REASON = re.compile(
    r"\bbecause\b|\bdue to\b|\breasons?\b|\bso that\b|\bsince\b|\bas a result\b"
    r"|\bwant(ed)? to\b|\bin order to\b|\bin a show of\b|\bon the grounds that\b"
    r"|\bfor fear of\b|\bin protest (?:at|against|of)\b",
    re.IGNORECASE,
)

_KIND_RE = {
    AnswerKind.NUMBER: _NUMBER,
    AnswerKind.DATE: _DATE,
    AnswerKind.PERSON: _PERSON,
    AnswerKind.PLACE: _PLACE,
    AnswerKind.REASON: _REASON,
}


_IDENTITY = re.compile(r"^\s*who\s+(is|was|are|were)\s+(?!the\b)[A-Z]", re.IGNORECASE)
# Nouns that state what a person is or does in news copy: ranks and offices (officer ...
# president), occupations named in reporting (soldier, police, journalist ...), and the credit
# lines of wire articles ("Translated by X", "Written by X"), which describe X's role.
_ROLE = re.compile(
    r"\b(officer|spokes\w*|minister|captain|major|colonel|general|leader|member|chief|head|"
    r"commander|lawmaker|official|soldier|police\w*|journalist|reporter|activist|director|"
    r"president|chairman|founder|editor|translat\w+|written)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r",?\s+and\s+(?=(?:who|what|how|where|when|which|why)\b)", re.IGNORECASE)
# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(
    [
        "name",
        "date",
        "number",
        "reason",
        "happen",
        "tell",
        "say",
        "know",
        "accord",
        "exact",
        "kind",
        "type",
        "call",
        "mean",
    ]
)


def is_identity_question(question: str) -> bool:
    """'Who is X?': the answer describes X (a role), not merely mentions X."""
    return bool(_IDENTITY.search(question))


def describes_role(sentence: str) -> bool:
    return bool(_ROLE.search(sentence))


def sub_questions(question: str) -> list[str]:
    """'Who is A, and how many B?' -> ['Who is A', 'how many B?']."""
    parts = [p.strip() for p in _SPLIT.split(question) if p.strip()]
    return parts if len(parts) > 1 else [question]


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


_HOW_MANY = re.compile(r"\bhow many\s+(?:more\s+|of the\s+)?([a-z]+)", re.IGNORECASE)
_COUNT = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
    r"hundreds?|thousands?)(?:\s+(?:million|thousand|hundred))?"
)


def counted_noun(question: str) -> str:
    """The thing counted in a 'how many X' question ('soldiers'), or empty."""
    match = _HOW_MANY.search(question)
    return match.group(1).lower() if match else ""


def counts(sentence: str, noun: str) -> bool:
    """Whether a number stands right before ``noun`` (or its singular) in ``sentence``."""
    stem = noun[:-1] if noun.endswith("s") else noun
    pattern = rf"\b{_COUNT}\s+(?:\w+\s+){{0,2}}{re.escape(stem)}"
    return bool(re.search(pattern, sentence, re.IGNORECASE))


_TRAILING = re.compile(
    r"\b([a-z]{4,})\s+(with|about|for|against|from|to|on|of|into)\s*\?*\s*$", re.IGNORECASE
)


def trailing_phrase(question: str) -> re.Pattern[str] | None:
    """'... siding with?' asks for the object of 'siding with': a pattern for that phrase."""
    match = _TRAILING.search(question)
    if not match:
        return None
    word, preposition = match.group(1).lower(), match.group(2).lower()
    stem = word[:-3] if word.endswith("ing") else word.rstrip("eds") or word
    return re.compile(rf"\b{re.escape(stem)}\w*\s+{preposition}\b", re.IGNORECASE)
