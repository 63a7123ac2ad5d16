"""Finding the phrase of a sentence that holds one kind of answer: a count with its noun, a
date, a place, a person or group, a role, a reason, what someone said. Every finder returns
offsets into the sentence (or None), so the phrase is a verbatim, citable span.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.entity_question import asked_entity
from assistant.answering.name_words import PEOPLES
from assistant.answering.places import known_places, person_like, with_region
from assistant.answering.question import AnswerKind, counted_noun
from assistant.answering.spans import in_question as _in_question
from assistant.answering.spans import to_clause_end as _to_clause_end
from assistant.answering.spans import trim
from assistant.lexical import terms
from assistant.lexical import word_set as _words

_WORD_NUMBER = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"a dozen|dozens|hundreds|thousands|millions"
)
_COUNT = rf"(?:\d[\d,.]*\d|\d|\b(?:{_WORD_NUMBER})\b)(?:\s+(?:million|billion|thousand|hundred)\b)?"
_QUALIFIER = (
    r"(?:(?:nearly|about|around|roughly|approximately|almost|over|some|at least|at most|up to|"
    r"more than|less than|fewer than)\s+)?"
)
_CURRENCY = r"(?:kyat|dollars?|euros?|pounds?|yuan|baht|rupees?|yen|won|pesos?|francs?)"
_MONEY = re.compile(
    rf"(?:US|U\.S\.)?\s?\$\s?[\d,.]+(?:\s+(?:million|billion|thousand))?"
    rf"|{_COUNT}\s+{_CURRENCY}(?:\s*\([^)]{{1,30}}\))?",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    rf"{_QUALIFIER}{_COUNT}\s*(?:%|percent|per cent|tons?|tonnes?|kilograms?|kg|litres?|liters?|"
    rf"barrels?|acres?|hectares?|miles?|kilometres?|km)\b",
    re.IGNORECASE,
)
# A share: "52%", "about 40 percent" (no word boundary after "%": "52% of").
_PERCENT = re.compile(rf"{_QUALIFIER}{_COUNT}\s*(?:%|(?:percent|per cent)\b)", re.IGNORECASE)
# An age, as its number ("How old" already says the unit): "16-year-old", "aged 85".
_AGE = re.compile(
    r"\b\d{1,3}(?=[- ]years?[- ]old\b)|(?<=\bage )\d{1,3}\b|(?<=\baged )\d{1,3}\b",
    re.IGNORECASE,
)
_NOT_COUNTED = r"(?:of|the|a|an|in|on|at|to|and|or|for|from|by|as|is|are|was|were|ha[sdve]+)\b"
_ANY_COUNT = re.compile(rf"{_QUALIFIER}{_COUNT}(?:\s+(?!{_NOT_COUNTED})[a-z][\w-]*)?", re.I)

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Most precise first: a day of a month, a month and year, a weekday, a year, a relative date.
_DATES = [
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b"),
    re.compile(rf"\b\d{{1,2}}\s+{_MONTH}(?:,?\s+(?:19|20)\d\d)?\b"),
    re.compile(rf"\b{_MONTH}\s+(?:19|20)\d\d\b"),
    re.compile(rf"\b{_WEEKDAY}\b"),
    re.compile(r"\b(?:19|20)\d\d\b"),
    re.compile(
        r"\b(?:last|next|this|earlier this|later this) (?:week|month|year)\b|\byesterday\b|"
        r"\btoday\b|\btomorrow\b",
        re.IGNORECASE,
    ),
]
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)|\b(?:noon|midnight)\b", re.I
)

_CAP = r"[A-Z][\w’'-]*"
_NAME_RUN = rf"{_CAP}(?:\s+(?:of\s+|the\s+|for\s+|and\s+)?{_CAP})*"
_PLACE_NOUN = r"(?:state|region|township|province|district|division|city|town|village|county)"
_PLACE = re.compile(
    rf"\b(?:in|at|from|near|to|into|across|based in)\s+(?:the\s+)?(?:(?:town|city|village|region|"
    rf"state|province|township|district) of\s+)?(?:[a-z]+\s+(?={_CAP}))?"
    rf"((?:{_CAP})(?:\s+{_CAP})*(?:\s+{_PLACE_NOUN})?(?:\s+and\s+{_CAP}(?:\s+{_CAP})*"
    rf"(?:\s+{_PLACE_NOUN})?)?)"
)
_NAME = re.compile(rf"(?<![\w’'-])({_CAP}(?:\s+{_CAP}){{1,4}})")
_ORG = re.compile(rf"(?<![\w’'-])((?:{_NAME_RUN})\s+\([A-Z]{{2,6}}\)|[A-Z]{{2,6}}\b)")
_NOT_NAME_START = _words(
    "The A An In On At For From By With And But Or If As It Its He She They We You I This That These Those When Where What Who Why How Since After Before Although While Some Many Most Two Three Local According Current Myanmar’s"
)
_SPEECH = r"(?:(?:has |have |had )?(?:said|says|told|added|asked|explained|wrote|stated|announced|reported))"
_SPEAKER_AFTER = re.compile(
    rf"\b(?:said|says|added|wrote)\s+((?:an?|the)\s+[^,.;“”\"]{{2,60}}?|{_NAME_RUN})(?=[,.;]|$)"
)
_SPEAKER_BEFORE = re.compile(
    rf"(?:^|[,.”\"]\s+)((?:an?|the)\s+[^,.;“”\"]{{2,60}}?|{_NAME_RUN})\s+{_SPEECH}\b"
)
_ORG_WORDS = re.compile(
    r"\b(?:Branch|Service|Union|Force|Forces|Government|Channel|Army|Party|Movement|Agreement|"
    r"Battalions?|Brigade|Factbook|Council|Ministry|Department|Association|Embrace|Now|News)\b"
)
ATTRIBUTION_TAIL = re.compile(
    rf",[”\"]?\s+(?:[a-z][\w’'-]*\s+){{1,3}}?{_SPEECH}\.?$|"
    rf",?[”\"]?\s*(?:said|says|added|told)\s+(?:{_NAME_RUN}|(?:an?|the)\s+[\w\s’'-]{{1,60}})\.?$|"
    rf",?[”\"]?\s*(?:,\s*)?(?:{_NAME_RUN}|(?:he|she|they|it|an?|the)(?:\s+[\w’'-]+){{0,6}}?)\s+"
    rf"(?:{_SPEECH}|{_SPEECH}\s+\w+)(?:\s+[\w’'.-]+){{0,6}}\.?$"
)
# "X was not released", "It was unclear when X": the clause as a whole says what is unknown.
# Verbs and nouns too general to say what a question or clause is about ("when X took place").
_AUXILIARIES = _words("has have had did do does is are was were will would can could of")
GENERIC_TERMS = frozenset(terms("take took taken place happen occur come go make do get give held"))
SAY_QUESTION = re.compile(
    r"^\s*what (?:did|has|have|does|do)\b.*\b(?:say|said|tell|told|ask|add|write)\b(?!\s+(?:about|that)\b.*\b(?:when|where|"
    r"how many|why)\b)",
    re.IGNORECASE,
)
SPEAKER_ASKED = re.compile(
    r"^\s*what (?:did|has|have|does|do)\s+(.+?)\s+(?:say|said|tell|told|ask|add|write)\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"\b(?:saying|said|says|told [\w’']+(?:[’']s)?(?: [A-Z][\w’']+)*)\s+(?:that\s+)?",
)


def said_span(question: str, sentence: str) -> tuple[int, int] | None:
    """The quotation's words, or the clause after "said that", said by the speaker asked about."""
    speaker = SPEAKER_ASKED.search(question)
    if speaker:
        named = set(terms(speaker.group(1))) - GENERIC_TERMS
        pronoun = re.search(r"\b(?:he|she|they)\s+(?:said|says|added|told|asked)\b", sentence)
        if named and not named & set(terms(sentence)) and not pronoun:
            return None  # someone else's words
    quoted = re.search(r"[“\"]([^”\"]{12,})[”\"]", sentence)
    if quoted:
        return trim(sentence, quoted.start(1), quoted.end(1))
    said = _SAID.search(sentence)
    return to_clause_end(sentence, said.end()) if said else None


def _count_span(question: str, sentence: str) -> tuple[int, int] | None:
    lowered = question.lower()
    if re.search(r"\bhow old\b|\bwhat age\b", lowered):
        return _first(_AGE, sentence, question)
    if re.search(r"\bwhat (?:percentage|percent|share|proportion)\b|\bhow many percent", lowered):
        return _first(_PERCENT, sentence, question)  # a share asked: a share, not "4 million"
    if re.search(r"\bhow much\b", lowered):
        # An amount: money, or a count with a unit; never a bare number ("Aug. 20").
        return _first(_MONEY, sentence, question) or _first(_AMOUNT, sentence, question)
    asked = _question_stems(question)
    for m in _ANY_COUNT.finditer(sentence):
        if _states_question_number(m.group(0), question):
            continue  # "plan number 3" in the question: 3 is what is asked about, not the answer
        before = re.search(r"(\w+)\s+$", sentence[max(0, m.start() - 30) : m.start()])
        if (
            before
            and _stem(before.group(1)) in asked
            and re.search(r"\d", m.group(0))
            and not _not_a_count(sentence, m.start(), m.group(0))  # "in May" asked: "May 16"
        ):
            return trim(sentence, m.start(), m.end())  # "arrested 212 others": the verb's count
    counted = _counted_pattern(question)
    if counted is not None:
        return _first(counted, sentence, question, skip_words=True)
    return _first(_ANY_COUNT, sentence, question, skip_words=True)


def _states_question_number(text: str, question: str) -> bool:
    """Whether the numbers of ``text`` are all numbers the question itself states."""
    numbers = re.findall(r"\d[\d,.]*", text)
    asked = {n.replace(",", "") for n in re.findall(r"\d[\d,.]*", question)}
    return bool(numbers) and all(n.replace(",", "").rstrip(".") in asked for n in numbers)


@lru_cache(maxsize=256)
def _counted_pattern(question: str) -> re.Pattern[str] | None:
    """A count of the noun of "how many X" (cached: one question, many sentences)."""
    noun = counted_noun(question)
    if not noun or noun in _AUXILIARIES:
        return None
    stem = noun[: max(4, len(noun) - 2)]  # a prefix, so that "soldirs" finds "soldiers"
    return re.compile(
        rf"{_QUALIFIER}{_COUNT}\s+(?:[\w-]+\s+){{0,2}}?{re.escape(stem)}\w*", re.IGNORECASE
    )


@lru_cache(maxsize=256)
def _question_stems(question: str) -> frozenset[str]:
    return frozenset(terms(question)) - GENERIC_TERMS


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    found = terms(word)
    return found[0] if found else ""


@lru_cache(maxsize=256)
def _term_patterns(question: str) -> tuple[re.Pattern[str], ...]:
    stems = {t for t in _question_stems(question) if len(t) > 2 and not t.isdigit()}
    return tuple(re.compile(rf"\b{re.escape(stem)}\w*", re.IGNORECASE) for stem in sorted(stems))


def _date_span(question: str, sentence: str) -> tuple[int, int] | None:
    lowered = question.lower()
    order = list(_DATES)
    if re.search(r"\b(which|what) year\b", lowered):
        order = [_DATES[4], *order]
    elif re.search(r"\bday of the week\b|\bwhich day\b", lowered):
        order = [_DATES[3], *order]
    elif re.search(r"\bwhat time\b", lowered):  # a time of day: "8 a.m.", nothing else
        order = [_CLOCK]
    for pattern in order:
        found = _first(pattern, sentence, question)
        if found:
            return found
    return None


def _place_span(question: str, sentence: str) -> tuple[int, int] | None:
    asked = re.search(
        r"\b(?:which|what) (town|city|region|state|country|village|province)\b", question.lower()
    )
    spans = [
        (m.start(1), m.end(1))
        for m in _PLACE.finditer(sentence)
        if not _in_question(m.group(1), question)
        and m.group(1) not in _NOT_NAME_START
        and not PEOPLES.fullmatch(m.group(1))  # "an open letter to Americans": people
        and not person_like(sentence, m.start(1), m.end(1))  # "a surprise to Perry Akins, 85"
    ]
    # A known place named without a preposition before it ("parts of Los Angeles"), after.
    spans += [
        (s, e)
        for s, e in known_places(sentence)
        if not _in_question(sentence[s:e], question) and not any(a <= s < b for a, b in spans)
    ]
    if asked:
        noun = asked.group(1)
        typed = [
            (s, e)
            for s, e in spans
            if sentence[s:e].lower().endswith(noun)
            or re.search(rf"\b{noun} of\s+(?:the\s+)?$", sentence[max(0, s - 20) : s].lower())
        ]
        spans = typed  # "which town": a town, not any place
    return with_region(sentence, *spans[0]) if spans else None


def _person_span(question: str, sentence: str) -> tuple[int, int] | None:
    if re.search(rf"\bwho\s+(?:{_SPEECH}|say|tell)\b", question.lower()):
        for pattern in (_SPEAKER_AFTER, _SPEAKER_BEFORE):
            for m in pattern.finditer(sentence):
                if not _in_question(m.group(1), question):
                    return trim(sentence, m.start(1), m.end(1))
        pronoun = re.search(r"[,.?!][”\"]\s+(he|she|they)\s+(?:said|added|told)\b", sentence)
        if pronoun:  # "..., he said.": whom "he" is, the answer stage finds before the quote
            return pronoun.span(1)
    names = [
        (m.start(1), m.end(1))
        for m in _NAME.finditer(sentence)
        if not _in_question(m.group(1), question)
        and m.group(1).split()[0] not in _NOT_NAME_START
        and not re.match(_MONTH + r"\b|" + _WEEKDAY, m.group(1))
        and not _ORG_WORDS.search(m.group(1))
    ]
    owner = re.search(r"\bnames? of (?:the )?(?:[a-z]+ )*?([a-z]+s)\b", question)
    if owner:  # "the names of the soldiers": a name standing by the word "soldiers"
        near = [m.span() for m in re.finditer(rf"\b{owner.group(1)}\b", sentence)]
        names = [(s, e) for s, e in names if any(max(s - b, a - e) < 25 for a, b in near)]
    if not names:
        # "Who took in the soldiers?" may be answered by a group, "the names of ..." may not.
        asks_who = re.match(r"\s*who\b", question, re.IGNORECASE)
        return org_span(question, sentence) if asks_who else None
    return _nearest(names, sentence, question)


ORG_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}(?:group|organi[sz]ation|party|union|outlet|force|"
    r"militia|agency|company|army|government|movement|channel)\b",
    re.IGNORECASE,
)


def org_span(question: str, sentence: str) -> tuple[int, int] | None:
    for m in _ORG.finditer(sentence):
        if not _in_question(m.group(1), question) and m.group(1).split()[0] not in _NOT_NAME_START:
            return m.start(1), m.end(1)
    return None


WHICH_NOUN = re.compile(r"^(?:\w+\s+)?(?:which|what)\s+([a-z]{4,})\b", re.IGNORECASE)
_KIND_NOUNS = _words(
    "date year month time town city region state country village province place reason name number percentage share amount group organisation organization party union outlet force militia agency company army government movement channel"
)


def named_thing_span(question: str, sentence: str) -> tuple[int, int] | None:
    """'Which battalions ...?': the capitalised name or numbers carrying that noun."""
    asked = WHICH_NOUN.search(question)
    if not asked or asked.group(1).lower() in _KIND_NOUNS:
        return None
    noun = asked.group(1).lower()
    head = asked_entity(question)
    if head is not None and head.noun and head.noun != noun:
        noun = head.noun  # "Which theme park ...?": the park, not the theme
    stem = noun[:-1] if noun.endswith("s") else noun
    label = r"(?:\d[\d,]*|[A-Z][\w-]*)"
    pattern = re.compile(
        rf"(?:{_CAP}\s+)*\b(?i:{re.escape(stem)})\w*(?:\s+{label}(?:\s+and\s+{label})?)?"
    )
    for m in pattern.finditer(sentence):
        if not _in_question(m.group(0), question) and m.group(0).lower() != noun:
            return trim(sentence, m.start(), m.end())
    return None


def role_span(question: str, sentence: str) -> tuple[int, int] | None:
    """'Who is X?': an appositive ("X, an acting major in ...,") or the role that opens a
    sentence about X ("A former police officer from Myingyan told RFA ...")."""
    name = re.sub(r"^\s*who\s+(?:is|was|are|were)\s+", "", question, flags=re.I).rstrip(" ?")
    at = sentence.find(name) if name else -1
    if at >= 0:
        after = re.match(r",\s+((?:an?|the)\s+[^,]{3,80}?),", sentence[at + len(name) :])
        if after:
            s = at + len(name) + after.start(1)
            return s, s + len(after.group(1))
        before = re.search(r"((?:[Tt]he|[Aa]n?)\s+[^,]{3,60}?),\s*$", sentence[:at])
        if before:
            return before.start(1), before.end(1)
    opening = re.match(r"((?:An?|The)\s+[^,;]{3,80}?)(?:,[^,]*,)?\s+(?:told|said|says)\b", sentence)
    if opening:
        return opening.start(1), opening.end(1)
    return None


FINDERS = {
    AnswerKind.NUMBER: _count_span,
    AnswerKind.DATE: _date_span,
    AnswerKind.PLACE: _place_span,
    AnswerKind.PERSON: _person_span,
}


def _first(
    pattern: re.Pattern[str], sentence: str, question: str, skip_words: bool = False
) -> tuple[int, int] | None:
    """The match of ``pattern`` the question does not already state, nearest its terms."""
    spans = []
    for m in pattern.finditer(sentence):
        text = m.group(0).strip()
        if not text or _in_question(text, question) or _states_question_number(text, question):
            continue
        if skip_words and _not_a_count(sentence, m.start(), text):
            continue
        start, end = m.start(), m.end()
        last = re.search(r"\s+(\w+)$", text)
        if skip_words and last and last.group(1).lower() in _NOT_NOUNS:
            end = m.start() + last.start()  # "5 in": a count, not a counted noun
        spans.append(trim(sentence, start, end))
    return _nearest(spans, sentence, question) if spans else None


_NOT_NOUNS = _words(
    "in on at to of and or but for from by with as that than the a an is are was were"
)


def _not_a_count(sentence: str, start: int, text: str) -> bool:
    """A number naming a unit ("Brigade 5", "Battalions 402") or a bare quantifier word."""
    if not re.search(r"\d", text) and re.match(r"(?i)(some|over|about)\b", text):
        return True
    # Capitalised word before: a unit's label, or a month ("Aug. 20").
    return bool(re.search(r"\b[A-Z][a-z]+\.?\s+$", sentence[max(0, start - 20) : start]))


def _term_positions(sentence: str, question: str) -> list[tuple[int, int]]:
    """Where the question's content words (by stem) occur in ``sentence``."""
    return [m.span() for pattern in _term_patterns(question) for m in pattern.finditer(sentence)]


def near_terms(text: str, question: str) -> bool:
    return bool(_term_positions(text, question))


def _nearest(spans: list[tuple[int, int]], sentence: str, question: str) -> tuple[int, int]:
    """The span closest to a word of the question (the first one on a tie)."""
    positions = _term_positions(sentence, question)
    if not positions:
        return spans[0]

    def distance(span: tuple[int, int]) -> int:
        return min(max(span[0] - end, start - span[1], 0) for start, end in positions)

    return min(spans, key=distance)


def to_clause_end(sentence: str, start: int) -> tuple[int, int] | None:
    """From ``start`` to the end of the sentence, less attribution and closing punctuation."""
    return _to_clause_end(sentence, start, ATTRIBUTION_TAIL)
