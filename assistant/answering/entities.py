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
from enum import StrEnum
from functools import lru_cache

from assistant.answering.gazetteer import CITIES, COUNTRIES, PLACES, REGIONS, US_STATES
from assistant.answering.spans import in_question
from assistant.lexical import terms


class Entity(StrEnum):
    PERSON = "person"
    COUNTRY = "country"
    STATE = "state"
    CITY = "city"
    REGION = "region"
    PLACE = "place"
    ORG = "organisation"
    WORK = "work"
    NAME = "name"


def _nouns(text: str, entity: Entity) -> dict[str, Entity]:
    return {noun: entity for noun in text.split()}


# Head nouns of "which/what <noun>" and the type of thing they ask for (singular forms; a
# plural is found by dropping its "s").
NOUN_TYPES: dict[str, Entity] = {
    **_nouns(
        "person man woman comedian athlete star singer actor actress musician rapper player "
        "ceo president leader politician senator governor justice judge celebrity author "
        "writer director host coach quarterback candidate minister king queen prince "
        "princess pope astronaut billionaire entrepreneur founder artist cyclist golfer "
        "driver chef lawmaker secretary chairman designer model influencer mayor suspect "
        "billionaire businessman executive anchor journalist broadcaster pitcher swimmer "
        "gymnast boxer footballer striker skater sprinter runner official legend icon "
        "character couple rival nominee frontrunner winner climber explorer scientist officer "
        "colonel captain major lieutenant sergeant commander soldier spokesman spokeswoman "
        "spokesperson activist reporter editor lawyer attorney prosecutor doctor nurse "
        "teacher student victim survivor",
        Entity.PERSON,
    ),
    **_nouns("country nation", Entity.COUNTRY),
    **_nouns("state", Entity.STATE),
    **_nouns("city capital metropolis", Entity.CITY),
    **_nouns("region continent", Entity.REGION),
    **_nouns("mountain island river lake volcano ocean sea territory", Entity.PLACE),
    **_nouns(
        "company firm chain team club agency airline university college newspaper network "
        "outlet brand retailer bank carmaker automaker manufacturer maker organization "
        "organisation league studio startup platform broadcaster channel giant group "
        "publisher magazine paper insurer supermarket restaurant store franchise school "
        "charity lab laboratory",
        Entity.ORG,
    ),
    **_nouns(
        "film movie show series song album book novel play musical game documentary sitcom "
        "podcast painting opera ballet franchise single anthem poem", Entity.WORK
    ),
}
# Nouns other finders already answer (a date, a count, a town of the shipped articles ...).
_LEFT_TO_OTHERS = frozenset(
    "time year date day month week percentage number amount share age reason town village "
    "township province district area place battalion battalions".split()
)
_STOP = frozenset(
    "is are was were be been has have had do does did will would can could may might should "
    "in on at of to for from by with about into over after before during as that who which "
    "whose whom what when where why how and or but than this these those its their his her "
    "recently reportedly also just first last the a an he she they it we you i".split()
)
_DESCRIBED_BY = re.compile(r"\b(?:type|kind|sort|breed|species|variety|brand) of\s+$", re.I)


def is_place(entity: Entity) -> bool:
    return entity in (Entity.COUNTRY, Entity.STATE, Entity.CITY, Entity.REGION, Entity.PLACE)


@dataclass(frozen=True)
class Asked:
    entity: Entity
    noun: str  # the question's head noun ("comedian"); "" for "who"
    required: bool  # only a name of this type answers (else: one is preferred)


@lru_cache(maxsize=256)
def asked_entity(question: str) -> Asked | None:
    """The type of named thing ``question`` asks for, or None when it asks for another kind."""
    lowered = question.lower().replace("’", "'")
    named = re.search(r"\bwhat (?:is|was|are|were) the names? of (?:the |a |an |this |that )?", lowered)
    if named:
        noun = _head_noun(lowered[named.end() :])
        entity = _noun_type(noun)
        if entity is Entity.PERSON:
            return None  # "the name of the army colonel": the person finder's (names of ...)
        if entity is None or entity is Entity.WORK:
            entity = Entity.NAME
        return Asked(entity, noun, True)
    for m in re.finditer(r"\b(which|what)\s+", lowered):
        rest = lowered[m.end() :]
        superlative = re.match(r"(?:is|was) the (?=\w+est\b|most\b|biggest\b|largest\b)", rest)
        if superlative:  # "Which is the happiest country ...?"
            rest = rest[superlative.end() :]
        elif re.match(r"(?:is|was|are|were|do|does|did|has|have|had|will|would|can)\b", rest):
            continue
        noun = _head_noun(rest)
        if not noun or noun in _LEFT_TO_OTHERS:
            return None
        entity = _noun_type(noun)
        if entity is not None:
            return Asked(entity, noun, True)
        if m.group(1) == "which":
            return Asked(Entity.NAME, noun, False)
        return None
    if re.search(r"\b(?:who|whom)\s*\?\s*$", lowered) or re.match(r"\s*whom\b", lowered):
        return Asked(Entity.PERSON, "", True)
    who = re.match(r"\s*who\s+(\w+)\s+(\S+)", question, re.IGNORECASE)
    if who and who.group(1).lower() not in _NOT_PERSON_VERBS:
        return Asked(Entity.PERSON, "", True)  # "Who wrote ...?"
    if who and who.group(1).lower() in ("is", "was", "are", "were"):
        if not who.group(2)[0].isupper() and who.group(2).lower() not in ("he", "she", "they"):
            return Asked(Entity.PERSON, "", True)  # "Who was elected ...?", not "Who is X?"
    return None


# "Who is X?" asks for a role, "Who said ...?" for a speaker: other finders answer those.
_NOT_PERSON_VERBS = frozenset("is are was were said says told tells added asks asked say tell".split())


def _head_noun(rest: str) -> str:
    """The last word of the noun phrase opening ``rest`` ("fast-food chain before ..." ->
    "chain"), which ends at a verb or a function word; past "type of"."""
    words: list[str] = []
    for m in re.finditer(r"[a-z][\w'-]*|[^\sa-z]", rest):
        word = m.group(0)
        if _DESCRIBED_BY.search(rest[: m.start()]):
            words = []  # "type of ape": the ape
        if word == "of" and words and re.fullmatch(r"type|kind|sort|breed|species|variety", words[-1]):
            continue
        verb = word in _VERBS or (words and len(word) > 4 and word.endswith("ed"))
        if word in _STOP or verb or not word[0].isalpha() or len(words) >= 4:
            break
        words.append(word)
    return words[-1] if words else ""


# Verbs that follow the noun of "Which <noun> ...?" ("Which issue took ...").
_VERBS = frozenset(
    "took won hit set cut made became left went got gave ran says said has won lost beat "
    "plans plan will announced broke topped sold bought led fell rose struck killed wants "
    "hosted scored signed faces faced".split()
)


def _noun_type(noun: str) -> Entity | None:
    for form in (noun, noun[:-1] if noun.endswith("s") else noun, noun[:-2] if noun.endswith("es") else noun):
        if form in NOUN_TYPES:
            return NOUN_TYPES[form]
    return None


# --- candidates in a sentence ------------------------------------------------------------

_TOKEN = re.compile(r"\w(?:[\w’'&-]|\.(?=\w))*\.?")
# Titles and roles that stand before a name, not in it ("Chipotle CEO Brian Niccol").
_TITLES = frozenset(
    "CEO CFO COO President Vice Sen. Senator Gov. Governor Rep. Representative Dr. Mr. Mrs. Ms. "
    "Judge Justice Chief Secretary Minister Prime King Queen Prince Princess Pope Gen. General "
    "Col. Capt. Lt. Sgt. Officer Coach Attorney Mayor Speaker Chairman Chair Commissioner "
    "Director Sir Dame Lord Lady Rev. Saint St Former Late Actor Actress Singer Star Rapper "
    "President-elect Leader Chancellor Ambassador Agent Detective Sheriff Deputy".split()
)
# Words for dates: never part of a name.
_DATE_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan. Feb. Mar. Apr. Jun. Jul. Aug. "
    "Sept. Sep. Oct. Nov. Dec. Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# Capitalised words that open sentences, not names.
_NOT_NAMES = frozenset(
    "The A An In On At For From By With And But Or If As It Its He She They We You I This That "
    "These Those When Where What Who Why How Since After Before Although While Some Many Most "
    "Last Next Earlier Later Now Then Today Yesterday Tomorrow According Here There Our Their "
    "His Her My Your Not No Yes Also Still Even Just Both Each Every All Other Another Such "
    "One Two Three Four Five Six Seven Eight Nine Ten Dozens Hundreds Thousands Millions "
    "Photo Image Video Read Watch Click Sign Subscribe Getty AP "
    "Reuters CNN Mr Mrs Ms Dr".split()
)
_CONNECTORS = frozenset("of the de la le du van von bin da del & y".split())
_ORG_WORDS = re.compile(
    r"\b(?:Inc|Corp|Corporation|Company|Co|Group|Airlines?|Airways|University|College|Bank|"
    r"Motors?|Holdings|Ltd|LLC|Association|Committee|Council|Department|Agency|Institute|"
    r"Foundation|Party|League|Club|United|City|FC|News|Times|Post|Journal|Network|Studios?|"
    r"Entertainment|Media|Technologies|Systems|Labs?|Pharmacy|Stores?|Records|Court|Congress|"
    r"Senate|House|Administration|Service|Force|Army|Navy|Police|Office|Commission|Board|"
    r"Federation|Union|Organization|Organisation|Movement|Olympics?|Games|Cup|Awards?|Prize|"
    r"Branch|Service|Forces|Government|Channel|Brigade|Battalions?|Factbook|"
    r"Festival|Museum|Hospital|Church|Bureau|Ministry|Parliament|Republicans?|Democrats?)\b"
)


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
        while current and current[-1].group(0).lower() in _CONNECTORS:
            current.pop()
        if current:
            runs.append((current[0].start(), _end(current[-1]), [w.group(0) for w in current]))
        current.clear()

    for m in _TOKEN.finditer(sentence):
        word = m.group(0)
        bare = word.rstrip(".") if not _initial(word) else word
        gap = sentence[current[-1].end() : m.start()] if current else " "
        if current and gap.strip():  # punctuation between words ends a name
            close()
        if bare in _DATE_WORDS or word in _TITLES or bare in _TITLES:
            close()
            continue
        if not current and re.sub(r"[’']s$", "", bare) in _NOT_NAMES:
            continue
        if not current and bare.lower() in NOUN_TYPES and bare[0].isupper():
            continue  # "Comedian Trevor Noah": the noun, then the name
        capital = word[0].isupper() or (current and (word.isdigit() or word in ("II", "III")))
        if capital:
            current.append(m)
            if re.search(r"[’']s$", word) or (word.endswith(".") and not _initial(word)):
                close()  # "Spotify's Wrapped": the owner; a full stop ends the sentence
        elif current and word in _CONNECTORS and not word.endswith("."):
            current.append(m)
        else:
            close()
    close()
    return runs


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


# Nouns for people often known by one name.
_MONONYMS = frozenset(
    "star singer musician rapper artist celebrity actor actress comedian model designer dj "
    "performer entertainer icon legend player footballer".split()
)


def _type_strength(entity: Entity, text: str, words: list[str], noun: str = "") -> float:
    """How surely the name ``text`` is of type ``entity`` (0: not at all)."""
    place = text in PLACES or text.removeprefix("the ") in PLACES
    if entity is Entity.COUNTRY:
        return 1.0 if text in COUNTRIES else 0.0
    if entity is Entity.STATE:
        return 1.0 if text in US_STATES else 0.0
    if entity is Entity.CITY:
        return 1.0 if text in CITIES else 0.3 if not place and not _ORG_WORDS.search(text) else 0.0
    if entity is Entity.REGION:
        return 1.0 if text in REGIONS else 0.0
    if entity is Entity.PLACE:
        return 1.0 if place or re.match(r"(?:Mount|Mt\.|Lake|River|Isla?)\b", text) else 0.4
    if entity is Entity.PERSON:
        if any(w.lower() in ("of", "the", "&") for w in words):
            return 0.0  # "Into the Groove", "Bank of America": not a person's name
        if place or _ORG_WORDS.search(text) or any(w.isupper() and len(w) > 1 and not _initial(w) for w in words):
            return 0.0
        if any(ch.isdigit() for ch in text) or not any(ch.islower() for ch in text):
            return 0.0
        if len(words) == 1:  # "Madonna": a stage name, not a surname alone
            return 0.5 if noun in _MONONYMS else 0.0
        return 1.0 if len(words) <= 4 else 0.3
    if entity is Entity.ORG:
        if text in COUNTRIES or text in US_STATES:
            return 0.0
        return 1.0 if _ORG_WORDS.search(text) or (text.isupper() and len(text) > 1) else 0.7
    if entity is Entity.WORK:
        return 0.5 if not place else 0.0
    return 0.4 if place else 0.8  # NAME


_SOURCE_BEFORE = re.compile(r"\baccording to (?:the )?$", re.IGNORECASE)
_SOURCE_AFTER = re.compile(r"(?:\s+and\s+[A-Z]\w*)?\s+(?:reported|reports|first reported)\b")
# "Chinese", "Greek": a nationality, not the name of a thing.
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ish|ian|ean|ic)|Greek|French|Dutch|Thai|Swiss")
_TITLE_AFTER = re.compile(r"(?:[’']s)?\s+(?:CEO|chief executive|president|founder|spokes\w+)\b")
_QUOTED_AT = re.compile(r"[“\"][^”\"]*$")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,80}?)[”\"]")


def entity_candidates(asked: Asked, question: str, sentence: str) -> list[Candidate]:
    """The names of ``sentence`` of the asked type that the question does not state, best
    first; each scored by type certainty, closeness to the question's words and noun."""
    found: list[tuple[int, int, float]] = []
    for start, end, words in _runs(sentence):
        acronym = re.match(r"\s*\([A-Z]{2,6}\)", sentence[end:])
        if acronym and asked.entity is Entity.ORG:
            end += acronym.end()  # "National Nurses Union (NNU)"
        text = sentence[start:end]
        if len(words) == 1 and _DEMONYM.fullmatch(text) and not is_place(asked.entity):
            continue
        if start == 0 and len(words) == 1 and asked.entity in (Entity.PERSON, Entity.ORG, Entity.NAME, Entity.WORK):
            strength = 0.6 * _type_strength(asked.entity, text, words, asked.noun)
        else:
            strength = _type_strength(asked.entity, text, words, asked.noun)
        if strength and not in_question(text, question):
            found.append((start, end, strength))
    if asked.entity in (Entity.WORK, Entity.NAME):
        for m in _QUOTED.finditer(sentence):
            text = m.group(1).strip(" ,.")
            if 1 <= len(text.split()) <= 8 and text[0].isupper() and not in_question(text, question):
                found.append((m.start(1), m.start(1) + len(text), 1.0))
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
        if asked.entity is Entity.PERSON and _QUOTED_AT.search(sentence[:start]):
            strength *= 0.3  # inside a quoted title
        if _SOURCE_BEFORE.search(sentence[:start]) or _SOURCE_AFTER.match(sentence, end):
            strength *= 0.5  # "according to Bloomberg": who reports it, rarely the answer
        score = strength * (0.5 + 0.5 * closeness) + 0.4 * near_noun
        scored.append(Candidate(start, end, score))
    return sorted(scored, key=lambda c: (-c.score, c.start))


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
    return [m.span() for m in re.finditer(rf"\b{re.escape(stem)}\w*", sentence, re.IGNORECASE)]
