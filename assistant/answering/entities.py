"""Named things of the kind a quiz-style question asks for, and where they stand in a sentence.

"Which comedian ...?" asks for a person, "... to which country?" for a country, "Which airline
...?" for an organisation, "What is the name of the ... spacecraft?" for a name. The answer type
comes from the question's head noun (``asked_entity``); the candidates are the capitalised
names of a sentence (split at titles such as "CEO" or "Gov."), kept when they are of that type
and not already in the question, and scored by how close they stand to the question's words
and to its noun ("comedian Jon Stewart"): classic rule-based question answering. Every
candidate is a span of the sentence, so the short answer stays verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.entity_question import NOUN_TYPES, Asked, Entity, asked_entity, is_place
from assistant.answering.gazetteer import (
    CELESTIAL,
    CITIES,
    COUNTRIES,
    PLACES,
    REGIONS,
    US_STATES,
)
from assistant.answering.name_context import (
    acronym_after,
    aged_after,
    dateline_end,
    equated_with_noun,
    names_a_thing,
    other_kind_of_org,
    possessive_end,
    question_verb,
    subject_of,
)
from assistant.answering.name_words import (
    CONNECTORS,
    DATE_WORDS,
    EVENT_NOUNS,
    EVENT_WORDS,
    MONONYMS,
    NOT_NAMES,
    NUMBER_WORDS,
    OFFICE_WORDS,
    ORG_WORDS,
    PEOPLES,
    TITLES,
)
from assistant.answering.spans import in_question
from assistant.lexical import terms

__all__ = [
    "Asked",
    "Candidate",
    "Entity",
    "asked_entity",
    "best_entity",
    "entity_candidates",
    "is_place",
]


# A word, or a lone "&" that joins a name ("Ben & Jerry's", "Procter & Gamble").
_TOKEN = re.compile(r"\w(?:[\w’'&-]|\.(?=\w))*\.?|&")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    score: float


def _runs(sentence: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words (names), split at titles, dates and possessives."""
    runs: list[tuple[int, int, list[str]]] = []
    current: list[re.Match[str]] = []

    def close() -> None:
        while current and current[-1].group(0).lower() in CONNECTORS:
            current.pop()
        if current and _OFFICE_OF.search(sentence[: current[0].start()]):
            while len(current) > 2 and current[0].group(0) in OFFICE_WORDS:
                current.pop(0)  # "Secretary of State Marco Rubio": the person's name
        if current:
            runs.append((current[0].start(), _end(current[-1]), [w.group(0) for w in current]))
        current.clear()

    for m in _TOKEN.finditer(sentence):
        word = m.group(0)
        bare = word.rstrip(".") if not _initial(word) else word
        gap = sentence[current[-1].end() : m.start()] if current else " "
        if current and gap.strip():  # punctuation between words ends a name
            close()
        if bare in DATE_WORDS or word in TITLES or bare in TITLES:
            close()
            continue
        if not current and re.sub(r"[’']s$", "", bare) in NOT_NAMES:
            continue
        if not current and NOUN_TYPES.get(bare.lower()) is Entity.PERSON and bare[0].isupper():
            continue  # "Comedian Trevor Noah": the noun, then the name
        capital = word[0].isupper() or (current and (word.isdigit() or word in ("II", "III")))
        if capital:
            current.append(m)
            numbered = word == "No." and re.match(r"\s+\d", sentence[m.end() :])  # "Red No. 3"
            if re.search(r"[’']s$", word) or (
                word.endswith(".") and not _initial(word) and not numbered
            ):
                close()  # "Spotify's Wrapped": the owner; a full stop ends the sentence
        elif current and word in CONNECTORS and not word.endswith("."):
            current.append(m)
        else:
            close()
    close()
    return runs


# A title and "of" before a run: its first words may name the office ("State", "Health").
_OFFICE_OF = re.compile(
    r"\b(?:Secretary|Minister|Director|Commissioner|Administrator|Chief)\s+of\s+(?:the\s+)?"
    r"(?:[A-Z]\w+\s+(?:and|&)\s+)?$"
)


def _initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|(?:St|Jr|Sr|Mt|Ft)\.", word))


def _end(m: re.Match[str]) -> int:
    word = m.group(0)
    end = m.end()
    possessive = re.search(r"[’']s?$", word)
    if possessive:
        end -= len(possessive.group(0))
    elif word.endswith(".") and not _initial(word):
        end -= 1
    return end


_PAIRS = frozenset(["couple", "duo", "pair", "twins"])
_HOME = frozenset(["US", "U.S.", "USA", "United States", "America"])


def _team(words: list[str]) -> bool:
    """A place and a plural ("Rochester Royals", "New Orleans Pelicans"): a team, no person."""
    if len(words) < 2 or not re.fullmatch(r"[A-Z][a-z]+[^s’'\W]s", words[-1]):
        return False
    home = " ".join(words[:-1])
    return home in CITIES or home in US_STATES or home in COUNTRIES


def _type_strength(entity: Entity, text: str, words: list[str], noun: str = "") -> float:
    """How surely the name ``text`` is of type ``entity`` (0: not at all)."""
    place = text in PLACES or text.removeprefix("the ") in PLACES
    if entity is Entity.COUNTRY:
        if text in _HOME:  # US news copy names the US everywhere: seldom the country asked
            return 0.5
        return 1.0 if text in COUNTRIES else 0.0
    if entity is Entity.STATE:
        return 1.0 if text in US_STATES else 0.0
    if entity is Entity.CITY:
        return 1.0 if text in CITIES else 0.3 if not place and not ORG_WORDS.search(text) else 0.0
    if entity is Entity.REGION:
        return 1.0 if text in REGIONS else 0.0
    if entity is Entity.PLACE:
        return 1.0 if place or re.match(r"(?:Mount|Mt\.|Lake|River|Isla?)\b", text) else 0.4
    if entity is Entity.PERSON:
        if _team(words):
            return 0.0  # "New Orleans Pelicans": a team
        if EVENT_WORDS.search(text):
            return 0.0  # "Celebration Tour", "Tony Awards": an event, not its star
        if not noun and ORG_WORDS.search(text) and not place:
            return 0.6  # a plain "Who runs ...?" may be answered by a company or a group
        if any(w.lower() in ("of", "the", "&") for w in words):
            return 0.0  # "Into the Groove", "Bank of America": not a person's name
        if (
            place
            or ORG_WORDS.search(text)
            or any(w.isupper() and len(w) > 1 and not _initial(w) for w in words)
        ):
            return 0.0
        if any(ch.isdigit() for ch in text) or not any(ch.islower() for ch in text):
            return 0.0
        if len(words) == 1 and words[0].lower() in NUMBER_WORDS:
            return 0.0  # "Twelve soldiers ...": a count opening the sentence
        if len(words) == 1:  # "Madonna": a stage name; "Biden": a surname, less surely
            return 0.5 if noun in MONONYMS else 0.3
        return 1.0 if len(words) <= 4 else 0.3
    if entity is Entity.ORG:
        if text in COUNTRIES or text in US_STATES or text in CELESTIAL:
            return 0.0  # a country, a state, a planet: not an organisation
        if EVENT_WORDS.search(text) and len(words) > 1:
            return 0.2  # "Paris Air Show", "Consumer Electronics Show": what a firm attends
        if place:  # "Boston beat Miami": a city for its team; "Amazon", "Atlantic": firms too
            return 0.3 if text in CITIES else 0.7
        if other_kind_of_org(noun, text, bool(ORG_WORDS.search(text))):
            return 0.3  # "Department of Education" for "Which university ...?"
        if _team(words):
            return 1.0  # "Detroit Lions", "Los Angeles Lakers"
        return 1.0 if ORG_WORDS.search(text) or (text.isupper() and len(text) > 1) else 0.7
    if entity is Entity.WORK:
        return 0.5 if not place else 0.0
    if entity is Entity.THING:
        return 0.0  # a name is not a kind of animal, food or disease
    if noun in EVENT_NOUNS:  # "Which event ...?": "Met Gala", not the museum that hosts it
        return 1.0 if EVENT_WORDS.search(text) else 0.4 if place or ORG_WORDS.search(text) else 0.7
    return 0.4 if place else 0.8  # NAME


_SOURCE_BEFORE = re.compile(r"\baccording to (?:the )?$", re.IGNORECASE)
_SOURCE_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z]\w*)?\s+(?:reported|reports|first reported|notes|noted|wrote|writes)\b"
)
# "Chinese", "Greek", "Americans", "Hindu": a nationality or a faith, not the name of a thing.
_DEMONYM = re.compile(
    r"[A-Z][a-z]+(?:ese|ish|ian|ean|ic|ics)|Greeks?|French|Dutch|Thai|Swiss|Africans?|Mexicans?|"
    r"Cubans?|Afghans?|Israelis?|Pakistanis?|Iraqis?|Filipinos?|Latinas?"
)
# An office before a title ("U.S. Health Secretary ..."), not the thing a which-question asks.
_TITLE_NEXT = re.compile(r"\s+(?:Secretary|Minister|Commissioner|Director|Chief)\b")
# "Seattle-based", "Chinese-language", "Ukraine-supporting", "16-year-old": a modifier, not a
# name; nor is a lawmaker's party and home town ("R-Waynesboro").
_MODIFIER = re.compile(
    r"[\w.]+-(?:based|born|owned|run|led|backed|funded|made|language|linked|bound|style|era|"
    r"area|related|affiliated|controlled|year-old|years-old|[a-z]+ing|[a-z]+ed)|[RDI]-[A-Z][\w.]*"
)
# A party's members: the answer only to a question about a party.
_PARTISAN = re.compile(r"Republicans?|Democrats?|Democratic|GOP")
_BY = re.compile(r"\bby\s+(?:the\s+)?$")  # the agent of a passive: "suits designed by Acme"
_TITLE_AFTER = re.compile(
    r"(?:[’']s)?\s+(?:CEO|chief executive|president|(?:co-)?founder|spokes\w+)\b"
)
_QUOTED_AT = re.compile(r"[“\"][^”\"]*$|(?:^|\s)[‘'][^’'\s]*$")
# Titles in double quotes, or in single quotes as headlines write them ('Daily Show' return):
# a single quote opens after a space and closes before a space or punctuation.
_QUOTED = re.compile(
    r"[“\"]([^”\"]{2,80}?)[”\"]|(?:^|(?<=\s))[‘']([^’'\n]{2,60}?)[’'](?=[\s,.:;!?]|$)"
)


def entity_candidates(asked: Asked, question: str, sentence: str) -> list[Candidate]:
    """The names of ``sentence`` of the asked type that the question does not state, best
    first; each scored by type certainty, closeness to the question's words and noun."""
    found: list[tuple[int, int, float]] = []
    verb = question_verb(question, asked.noun)
    spelled_out = -1  # where the acronym of the last name ends, "(EVA)": not a name of its own
    filed_at = 0 if is_place(asked.entity) else dateline_end(sentence)  # only a place's answer
    for start, end, words in _runs(sentence):
        if start < spelled_out or start < filed_at:
            continue
        text = sentence[start:end]
        acronym = acronym_after(sentence, end)
        if acronym:
            spelled_out = end + acronym
        if asked.entity is Entity.ORG:
            end = possessive_end(sentence, end, verb)  # "Macy's said ..."
        if len(words) == 1 and _DEMONYM.fullmatch(text) and not is_place(asked.entity):
            continue
        if len(words) == 1 and PEOPLES.fullmatch(text):
            continue  # "Americans", "Hindus": not a place either ("Baltic" may be one)
        if len(words) == 1 and _MODIFIER.fullmatch(text):
            continue
        if len(words) == 1 and _PARTISAN.fullmatch(text) and asked.noun != "party":
            continue
        if asked.entity in (Entity.NAME, Entity.WORK) and _TITLE_NEXT.match(sentence, end):
            continue  # "U.S. Health Secretary ...": an office, not the thing asked
        if (
            start == 0
            and len(words) == 1
            and asked.entity in (Entity.PERSON, Entity.ORG, Entity.NAME, Entity.WORK)
        ):
            strength = 0.6 * _type_strength(asked.entity, text, words, asked.noun)
        else:
            strength = _type_strength(asked.entity, text, words, asked.noun)
        if acronym and asked.entity is Entity.ORG:
            if not ORG_WORDS.search(text):
                strength = min(strength, 0.5)  # "Extra-Vehicular Activity (EVA)": a term
            end += acronym  # "National Nurses Union (NNU)"
            text = sentence[start:end]
        if asked.entity is Entity.PERSON and aged_after(sentence, end) and len(words) <= 4:
            strength = max(strength, 1.0)  # "Madonna, 65, ...": a person
        if strength and not in_question(text, question) and not _alias_asked(text, question):
            if _shares_words(words, question, asked.noun):
                strength *= 0.5  # "Residents of Claymont" for a question about Claymont
            found.append((start, end, strength))
    if asked.noun in _PAIRS:  # "Which celebrity couple ...?": "Jennifer Lopez and Ben Affleck"
        people = [(s, e) for s, e, strength in found if strength >= 1.0]
        for (s1, e1), (s2, e2) in zip(people, people[1:], strict=False):
            if re.fullmatch(r"\s+and\s+", sentence[e1:s2]):
                found.append((s1, e2, 1.2))
    if asked.entity in (Entity.WORK, Entity.NAME):
        for m in _QUOTED.finditer(sentence):
            group = 1 if m.group(1) is not None else 2
            text = m.group(group).strip(" ,.")
            if (
                1 <= len(text.split()) <= 8
                and text[0].isupper()
                and not in_question(text, question)
            ):
                found.append((m.start(group), m.start(group) + len(text), 1.0))
    if not found:
        return []
    positions = _question_word_positions(question, sentence)
    noun_at = _noun_positions(asked.noun, sentence)
    scored = []
    for start, end, strength in found:
        closeness = _closeness(start, end, positions)
        near_noun = any(-40 < start - b < 40 or -40 < a - end < 40 for a, b in noun_at)
        if asked.entity is Entity.ORG and _TITLE_AFTER.match(sentence, end):
            strength = max(strength, 1.0)  # "Chipotle CEO ...": the CEO's company
        if asked.entity is Entity.ORG and strength >= 0.5 and _BY.search(sentence[:start]):
            strength = max(strength, 0.9)  # who made, runs or owns it
        if asked.entity is Entity.PERSON and _QUOTED_AT.search(sentence[:start]):
            strength *= 0.3  # inside a quoted title
        if _SOURCE_BEFORE.search(sentence[:start]) or _SOURCE_AFTER.match(sentence, end):
            strength *= 0.5  # "according to Bloomberg": who reports it, rarely the answer
        if asked.by_noun and not near_noun:
            continue
        inside = any(start <= a and b <= end for a, b in noun_at)  # "Alaska Airlines"
        score = strength * (0.5 + 0.5 * closeness) + 0.4 * near_noun + 0.2 * inside
        sure = min(1.0, strength / 0.7)  # a name barely of the type gains less
        if equated_with_noun(sentence, start, end, asked.noun):
            score += 0.6 * sure  # "Finland as the world's happiest country", "pop star Madonna"
        if subject_of(sentence, end, verb):
            score += 0.6 * sure  # "Which company said ...?": "Acme said ..."
        if (
            asked.entity in (Entity.NAME, Entity.WORK)
            and names_a_thing(sentence, start, end, asked.noun)
            and not _shares_words(sentence[start:end].split(), question, asked.noun)
        ):
            score += 0.6 * sure  # "the Starliner spacecraft", "their name – Space Dunk"
        scored.append(Candidate(start, end, score))
    return sorted(scored, key=lambda c: (-c.score, c.start))


# Names of one country: a question naming one of them is not answered by another.
_ALIASES = (
    frozenset(["US", "U.S.", "USA", "United States", "America", "American", "Americans"]),
    frozenset(["UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "British"]),
)


def _alias_asked(text: str, question: str) -> bool:
    for group in _ALIASES:
        if text in group and any(re.search(rf"\b{re.escape(a)}(?!\w)", question) for a in group):
            return True
    return False


def _shares_words(words: list[str], question: str, noun: str) -> bool:
    """Whether a name repeats a word of the question other than its noun."""
    asked = set(re.findall(r"\w+", question.lower())) - {noun, noun.rstrip("s")}
    own = {w.lower().rstrip(".") for w in words} - CONNECTORS
    return bool(own & asked)


def best_entity(question: str, sentence: str) -> Candidate | None:
    asked = asked_entity(question)
    if asked is None:
        return None
    found = entity_candidates(asked, question, sentence)
    return found[0] if found else None


def _closeness(start: int, end: int, positions: list[tuple[int, int]]) -> float:
    if not positions:
        return 0.3
    gap = min(max(start - b, a - end, 0) for a, b in positions)
    return 1.0 / (1.0 + gap / 30.0)


@lru_cache(maxsize=256)
def _question_stems(question: str) -> frozenset[str]:
    return frozenset(t for t in terms(question) if len(t) > 2 and not t.isdigit())


def _question_word_positions(question: str, sentence: str) -> list[tuple[int, int]]:
    stems = _question_stems(question)
    return [m.span() for m in re.finditer(r"\w[\w’'-]*", sentence) if _stem(m.group(0)) in stems]


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    found = terms(word)
    return found[0] if found else ""


def _noun_positions(noun: str, sentence: str) -> list[tuple[int, int]]:
    if not noun:
        return []
    stem = noun[:-1] if noun.endswith("s") else noun
    # Not a possessive: "the network's talk show" names the network's show, not a network.
    pattern = rf"\b{re.escape(stem)}\w*(?![’']s\b)"
    return [m.span() for m in re.finditer(pattern, sentence, re.IGNORECASE)]
