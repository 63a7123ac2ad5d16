"""The type of named thing a quiz-style question asks for: "Which comedian ...?" a person,
"... to which country?" a country, "Which airline ...?" an organisation, "What is the name of
the ... spacecraft?" a name. The type comes from the question's head noun; the names of that
type in a sentence are found by ``entities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from assistant.lexical import word_set as _words


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
    THING = "thing"  # a kind of thing ("which sea animal", "what food"): a common noun, no name


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
    **_nouns("mountain island river lake volcano ocean sea territory planet", Entity.PLACE),
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
        "podcast painting opera ballet franchise single anthem poem",
        Entity.WORK,
    ),
    # Kinds of thing answered by a common noun ("orcas", "cheese"), not by a proper name: no
    # capitalised name is of this type, so a sentence without one gives no answer.
    **_nouns(
        "animal species plant tree flower food dish drink beverage fruit vegetable ingredient "
        "disease illness virus infection sport creature insect bird fish mammal reptile "
        "amphibian ape whale shark substance material chemical crop",
        Entity.THING,
    ),
}
# Nouns other finders already answer (a date, a count, a town of the shipped articles ...).
_LEFT_TO_OTHERS = _words(
    "time year date day month week percentage number amount share age reason town village "
    "township province district area place battalion battalions"
)
_STOP = _words(
    "is are was were be been has have had do does did will would can could may might should "
    "must shall in on at of to for from by with about into over after before during as that who which "
    "whose whom what when where why how and or but than this these those its their his her "
    "recently reportedly also just first last the a an he she they it we you i"
)
_DESCRIBED_BY = re.compile(r"\b(?:type|kind|sort|breed|species|variety|brand) of\s+$", re.I)


def is_place(entity: Entity) -> bool:
    return entity in (Entity.COUNTRY, Entity.STATE, Entity.CITY, Entity.REGION, Entity.PLACE)


@dataclass(frozen=True)
class Asked:
    entity: Entity
    noun: str  # the question's head noun ("comedian"); "" for "who"
    required: bool  # only a name of this type answers (else: one is preferred)
    by_noun: bool = False  # only a name standing by the question's noun counts


@lru_cache(maxsize=256)
def asked_entity(question: str) -> Asked | None:
    """The type of named thing ``question`` asks for, or None when it asks for another kind."""
    lowered = question.lower().replace("’", "'")
    named = re.search(
        r"\bwhat(?: is|'s| was| are| were) the names? of (?:the |a |an |this |that )?", lowered
    )
    its = re.search(r"\bwhat(?: is|'s| was) (?:its|their) names?\b", lowered)
    if named is None and its:  # "A lunar lander touched down. What was its name?"
        named = re.search(r"\b(?:a|an)\s+(?:new\s+)?", lowered[: its.start()])
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
        # "Which outfit ...?": a name, preferably; "What tradition ...?": a name by that noun.
        return Asked(Entity.NAME, noun, False, by_noun=m.group(1) == "what")
    if re.search(r"\b(?:who|whom)\s*\?\s*$", lowered) or re.match(r"\s*whom\b", lowered):
        return Asked(Entity.PERSON, "", True)
    who = re.match(r"\s*who\s+(\w+)\s+(\S+)", question, re.IGNORECASE)
    if who and who.group(1).lower() not in _NOT_PERSON_VERBS:
        return Asked(Entity.PERSON, "", True)  # "Who wrote ...?"
    if (
        who
        and who.group(1).lower() in ("is", "was", "are", "were")
        and not who.group(2)[0].isupper()
        and who.group(2).lower() not in ("he", "she", "they")
    ):
        return Asked(Entity.PERSON, "", True)  # "Who was elected ...?", not "Who is X?"
    return None


# "Who is X?" asks for a role, "Who said ...?" for a speaker: other finders answer those.
_NOT_PERSON_VERBS = _words("is are was were said says told tells added asks asked say tell")


def _head_noun(rest: str) -> str:
    """The last word of the noun phrase opening ``rest`` ("fast-food chain before ..." ->
    "chain"), which ends at a verb or a function word; past "type of"; at an owner ("company's
    cloud service": the company)."""
    words: list[str] = []
    for m in re.finditer(r"[a-z][\w'-]*|[^\sa-z]", rest):
        word = m.group(0)
        if _DESCRIBED_BY.search(rest[: m.start()]):
            words = []  # "type of ape": the ape
        if (
            word == "of"
            and words
            and re.fullmatch(r"type|kind|sort|breed|species|variety", words[-1])
        ):
            continue
        verb = word in _VERBS or (words and len(word) > 4 and word.endswith("ed"))
        verb = verb or bool(words and _ADVERB.fullmatch(word))  # "a lander successfully ..."
        # "Which basketball player holds ...": a typed noun, then a verb's "-s" form.
        verb = verb or bool(
            words and words[-1] in NOUN_TYPES and word.endswith("s") and _noun_type(word) is None
        )
        if words and word.isdigit():
            continue  # "Which Formula 1 team ...?": the team
        if word in _STOP or verb or not word[0].isalpha() or len(words) >= 4:
            break
        if word.endswith("'s") and len(word) > 3:  # "Which company's cloud service ...?"
            words.append(word[:-2])  # asks for the owner: the company
            break
        words.append(word)
    if len(words) == 1 and len(words[0]) > 4 and words[0].endswith("ed"):
        return ""  # "what caused the fire", "remove what installed by ...": a verb, no noun
    return words[-1] if words else ""


_ADVERB = re.compile(r"\w{4,}(?:ally|fully|edly|ously|ively|ntly)")
# Verbs that follow the noun of "Which <noun> ...?" ("Which issue took ...").
_VERBS = _words(
    "took won hit set cut made became left went got gave ran says said has won lost beat "
    "plans plan will announced broke topped sold bought led fell rose struck killed wants "
    "hosted scored signed faces faced drew saw held came began brought built caught chose "
    "drove fought found flew grew kept knew met paid put sank sent shot spent stood swept "
    "threw told wore wrote sang won wins leads beats makes takes gets draws"
)


def _noun_type(noun: str) -> Entity | None:
    for form in (
        noun,
        noun[:-1] if noun.endswith("s") else noun,
        noun[:-2] if noun.endswith("es") else noun,
    ):
        if form in NOUN_TYPES:
            return NOUN_TYPES[form]
    if _PERSON_SUFFIX.search(noun):  # "congressperson", "chairwoman", "frontman"
        return Entity.PERSON
    return _misspelt_noun_type(noun)


_PERSON_SUFFIX = re.compile(r"\w{4,}(?:person|persons|people|woman|women|man|men)$")


def _misspelt_noun_type(noun: str) -> Entity | None:
    """The type of a known noun one edit away ("minster" for "minister"), same first letter,
    five letters or more: a misspelt head noun still says what kind of thing is asked for."""
    if len(noun) < 5:
        return None
    found = process.extractOne(
        noun,
        [k for k in NOUN_TYPES if k[0] == noun[0] and abs(len(k) - len(noun)) <= 1],
        scorer=Levenshtein.distance,
        score_cutoff=1,
    )
    return NOUN_TYPES[found[0]] if found else None
