"""Where a name stands in a sentence, as evidence that it is the one a question asks for.

A sentence often holds several names of the asked type; the one it *equates* with the
question's noun ("Finland as the world's happiest country", "Madonna, the pop star",
"pop star Madonna") or that is the subject of the question's own verb ("Which company said
...?" - "Acme said ...") answers, not the one that merely stands near the question's words.
A name followed by an age in commas ("Madonna, 65,") is a person; one an acronym in
parentheses follows ("Extra-Vehicular Activity (EVA)") is spelled out, and the acronym is not
a second name. Every test reads the sentence around a candidate's offsets; none changes them
but ``possessive_end``, which only keeps a name's own "'s" ("Macy's said").
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.name_words import NOT_NAMES, OFFICE_WORDS, TITLES
from assistant.lexical import stem_words
from assistant.lexical import word_set as _words

__all__ = [
    "acronym_after",
    "aged_after",
    "dateline_end",
    "full_name_before",
    "equated_with_noun",
    "names_a_thing",
    "other_kind_of_org",
    "possessive_end",
    "question_verb",
    "subject_of",
]


# Words between a question's noun and its verb ("Which company is set to ..."), and between a
# name and its verb in a sentence ("Acme has also said ...").
_AUXILIARIES = _words(
    "is are was were be been being has have had do does did will would can could may might "
    "should shall must also reportedly recently just now still then first once again not "
    "allegedly officially formally finally"
)
# Verbs that equate a name with a noun phrase after it: "X is/was named/became the <noun>".
_EQUATING = (
    r"as|is|was|are|were|became|becomes|become|remains|remained|named|crowned|ranked|voted|"
    r"declared|chosen|picked|hailed|dubbed|called"
)
# Words that end a noun phrase's modifiers: "a cereal made with cookies" is no cookie.
_LINKS = r"(?:with|of|in|on|at|for|to|by|from|that|which|who|and|or|but|than|like)"
_SAY = _words("said says say told tells tell stated states")


@lru_cache(maxsize=1024)
def _stem(word: str) -> str:
    lowered = word.lower()
    if lowered in _SAY:
        return "say"
    return stem_words([lowered])[0]


def _noun_stem(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def equated_with_noun(sentence: str, start: int, end: int, noun: str) -> bool:
    """Whether the sentence equates the name at ``start:end`` with the question's ``noun``:
    "<name> as/is/was named the ... <noun>", "<name>, the ... <noun>", "<noun> <name>"."""
    if not noun:
        return False
    stem = re.escape(_noun_stem(noun))
    after = re.compile(
        rf"(?:[’']s)?(?:,\s+|\s+(?:[a-z]+\s+){{0,2}}?(?:{_EQUATING})\s+(?:as\s+)?)"
        rf"(?:the|a|an|its|their|this|that)\s+(?:(?!{_LINKS}\b)[^\s,.;:!?]+\s+){{0,5}}?"
        rf"{stem}\w*\b(?![’']s\b)",  # not "X, the network's show": X is no network
        re.IGNORECASE,
    )
    if after.match(sentence, end):
        return True
    return bool(re.search(rf"\b{stem}\w*,?\s+$", sentence[max(0, start - 40) : start], re.I))


# Words that introduce a thing's name: "get their name – Space Dunk –", "a storm called
# Ernesto", "dubbed", "known as", "titled".
_NAMING_BEFORE = re.compile(
    r"\b(?:names?|named|called|dubbed|nicknamed|known as|titled|christened)\s*[–—:,-]?\s*[“\"‘']?$",
    re.IGNORECASE,
)


def names_a_thing(sentence: str, start: int, end: int, noun: str) -> bool:
    """Whether the sentence gives the name at ``start:end`` as the name of a thing: introduced
    as a name ("get their name – Space Dunk", "a cookie called X"), or naming the question's
    ``noun`` right after it ("the Starliner spacecraft"). For things, not people or
    organisations ("NASA astronauts" names no astronaut)."""
    if _NAMING_BEFORE.search(sentence[max(0, start - 30) : start]):
        return True
    if not noun:
        return False
    stem = re.escape(_noun_stem(noun))
    return bool(re.match(rf"[”\"’']?\s+{stem}\w*\b", sentence[end:], re.IGNORECASE))


@lru_cache(maxsize=256)
def question_verb(question: str, noun: str) -> str:
    """The verb of "Which <noun> <verb> ...?" or "Who <verb> ...?" ("said"), or ""."""
    lowered = question.lower().replace("’", "'")
    if noun:
        found = re.search(
            rf"\b(?:which|what)\s+(?:[\w'-]+\s+){{0,3}}?{re.escape(noun)}\s+", lowered
        )
    else:
        found = re.match(r"\s*who\s+", lowered)
    if found is None:
        return ""
    for word in re.findall(r"[a-z][\w'-]*", lowered[found.end() :])[:4]:
        if word not in _AUXILIARIES:
            return "" if word in _NOT_VERBS else word
    return ""


# Words that may follow a question's noun but are no verb ("Which country of ...", "Which
# company in ...").
_NOT_VERBS = _words(
    "of in on at to for from with by the a an and or that who which whose whom as than "
    "this these those its their his her"
)


def subject_of(sentence: str, end: int, verb: str) -> bool:
    """Whether the name ending at ``end`` is the subject of ``verb``: the verb (by stem)
    follows it, past a possessive and at most two auxiliaries ("Acme has also said")."""
    if not verb:
        return False
    found = re.match(r"(?:[’']s)?((?:\s+[a-z]+){1,3})\b", sentence[end:])
    if found is None:
        return False
    words = found.group(1).split()
    for word in words:
        if _stem(word) == _stem(verb):
            return True
        if word not in _AUXILIARIES:
            return False
    return False


def possessive_end(sentence: str, end: int, verb: str) -> int:
    """``end`` past the name's "'s" when a verb follows it: "Macy's said" is the shop
    "Macy's" saying, not Macy's something (a possessive is followed by a noun)."""
    found = re.match(r"[’']s\s+([a-z]+)\b", sentence[end:])
    if found is None:
        return end
    word = found.group(1)
    if word in _SAY or (verb and _stem(word) == _stem(verb)):
        return end + 2
    return end


def acronym_after(sentence: str, end: int) -> int:
    """The length of an acronym in parentheses right after ``end`` (" (EVA)"), or 0."""
    found = re.match(r"\s*\(([A-Z][A-Za-z&]{1,7})\)", sentence[end:])
    if found is None or sum(ch.isupper() for ch in found.group(1)) < 2:
        return 0  # "(Reuters)": a source, not an acronym
    return found.end()


def aged_after(sentence: str, end: int) -> bool:
    """Whether an age in commas follows the name ("Madonna, 65, did not ...", "a surprise
    to Perry Akins, 85.")."""
    return bool(_AGED.match(sentence, end))


_AGED = re.compile(r",\s*\d{1,3}\s*[,.;)]")


def dateline_end(sentence: str) -> int:
    """Where the dateline opening ``sentence`` ends ("SAN FRANCISCO — ", "WASHINGTON (AP) -
    "), or 0: where the report was filed, which answers only a question about a place."""
    found = _DATELINE.match(sentence)
    return found.end() if found else 0


_DATELINE = re.compile(
    r"[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+)*(?:,? [A-Z][\w.]*)*(?: \([A-Za-z ]+\))? [—–-] (?=[A-Z“\"])"
)


# The words that name an organisation of one kind: asked for a university, a name holding
# another kind's word ("Department of Education") is that other kind.
_OWN_WORDS = {
    **dict.fromkeys(["university", "college", "school"], r"University|College|Institute|School"),
    "airline": r"Airlines?|Airways|Air",
    "bank": r"Bank|Bancorp|Banco",
    "party": r"Party",
}
# Public bodies: not what "Which company ...?" asks for.
_BODY = re.compile(
    r"\b(?:Department|Agency|Administration|Court|Congress|Senate|Commission|Committee|"
    r"Council|Ministry|Parliament|Bureau|Police|Army|Navy|Forces?|Government|Party|University|"
    r"College|Foundation|Federation|Organi[sz]ation)\b"
)
_NOT_TEAM = re.compile(
    r"\b(?:League|Conference|Association|Federation|Cup|Championships?|Division|Tournament|"
    r"Series|Games|Olympics|Stadium|Arena|Park)\b"
)
_COMPANY_NOUNS = _words(
    "company firm chain brand retailer carmaker automaker manufacturer maker startup giant "
    "insurer supermarket restaurant store franchise publisher studio airline bank"
)


def other_kind_of_org(noun: str, text: str, org_word: bool) -> bool:
    """Whether the organisation ``text`` (``org_word``: it holds a word such as "Department")
    is of another kind than the ``noun`` asked for: a ministry for "Which university ...?",
    a court or a party for "Which company ...?"."""
    singular = re.sub(r"ies$", "y", noun) if noun.endswith("ies") else _noun_stem(noun)
    own = _OWN_WORDS.get(singular)
    if own is not None and org_word and not re.search(rf"\b(?:{own})\b", text):
        return True
    if singular in ("team", "club", "side"):
        return bool(_NOT_TEAM.search(text))  # "Premier League" is where teams play
    return singular in _COMPANY_NOUNS and bool(_BODY.search(text))


_NOT_FIRST_NAMES = NOT_NAMES | TITLES  # "Mr. Brody", "Actor Brody", "When Brody"


def full_name_before(article: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the full name an article gave earlier for the surname at ``start``..``end``
    ("Adrien Brody" for a later "Brody"): news copy names a person in full once, then by
    surname. The latest such mention before ``start``; None if there is none."""
    surname = article[start:end]
    if not re.fullmatch(r"[A-Z][\w’'-]+", surname):
        return None
    found = None
    pattern = rf"(?=\b((?:[A-Z][\w’'.-]*\s+){{1,3}}){re.escape(surname)}\b)"
    for m in re.finditer(pattern, article[:start]):
        words = m.group(1).split()
        while words and (
            {words[0], words[0].rstrip(".")} & _NOT_FIRST_NAMES
            or (len(words) > 1 and words[0] in OFFICE_WORDS)  # "Secretary of State Marco"
        ):
            words.pop(0)
        if words and words[0].isalpha() and len(words[0]) > 1:
            span = (m.start(1) + m.group(1).index(words[0]), m.end(1) + len(surname))
            # the latest mention; of those ending there, the longest ("Robert F. Kennedy")
            if found is None or span[1] > found[1] or (span[1] == found[1] and span[0] < found[0]):
                found = span
    return found
