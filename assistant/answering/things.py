"""Answers that are common nouns of the kind asked for: "Which sea animal ...?" -> "orcas",
"... overindulging in what food ...?" -> "cheese", "What type of ape ...?" -> "orangutan".

No capitalised name answers such a question (``Entity.THING``), and no word list could name
every animal, food or disease. The candidates are the plain nouns of a sentence, guessed
without a tagger (lower-case content words, and pairs of them: "razor wire"), less those the
question states. Each is typed by meaning: the cosine between the bundled MiniLM embedding of
the word and of the asked kind ("sea animal", "food"). A candidate below ``SIMILAR_FROM`` is not
of the kind; among the others, closeness to the question's words decides, as it does for names
(entities.py). Vectors come from the engine's cached embeddings (``ThingTyper``), so words
recurring across questions are embedded once; without a typer no common noun is an answer.
Every candidate is a span of the sentence, so the short answer stays verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from assistant.answering.entities import Candidate, entity_candidates
from assistant.answering.entity_question import NOUN_TYPES, Asked, Entity, asked_entity
from assistant.answering.spans import in_question
from assistant.lexical import terms

# A candidate is of the asked kind from this cosine up (MiniLM, word against "<modifier> noun").
# Chosen on the tune split of the RealTime QA dev set only: the gold answers of its answerable
# kind-of-thing questions score 0.58 ("orangutan"/"ape") and 0.61 ("cheese"/"food") (and 0.31,
# "orcas"/"sea animal": out of reach); the best candidates of the sentences retrieved for its
# unanswerable ones score at most 0.52 ("sushi"/"seafood dish", "giant toad"/"amphibian",
# "barley"/"plant"). 0.55 lies between.
SIMILAR_FROM = 0.55
# A question naming a kind the word lists do not know ("Which type of livestock ...?", "Which
# drug ...?") asks for a kind of thing when that noun is this close to one of the known kinds
# of thing (NOUN_TYPES): "livestock"/"animal" 0.58, "drug"/"substance" 0.64, "food item"/
# "food" 0.75; "festival" 0.34, "storm" 0.41, "royal residence" 0.20, "award" 0.42, "vaccine"
# 0.52. Such a question is open: a name or a common noun may answer (see ``open_thing``).
THING_LIKE_FROM = 0.55
# In an open question, a common noun of the kind beats the sentence's best name only when the
# name is typed this much further from the kind ("cows"/"livestock" 0.80 vs "Texas" 0.21).
OPEN_MARGIN = 0.2
CLOSENESS_WEIGHT = 0.15  # how much standing by the question's words adds to the cosine
PAIR_MARGIN = 0.03  # a pair ("razor wire") beats its head word only by this much
PAIR_SLACK = 0.1  # a pair is typed only when its head word's cosine is this near the threshold
MAX_PHRASES = 40  # candidates embedded per sentence at most (the nearest the question's words)

_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_FUNCTION = frozenset(
    """
    a an the this that these those its it their his her our your my he she they we you i
    is are was were be been being has have had do does did will would can could may might must
    should shall not no nor and or but if then than so as of in on at to for from by with about
    into onto over under after before during since while when where which who whom whose what
    why how also just only even still very more most much many some any all each every both
    other another such same own there here now again ever never once first last new next one
    two three four five six seven eight nine ten said says say told according year years week
    weeks day days month months time times way ways lot part kind type sort number people
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class ThingTyper:
    """Cosines between phrases and a kind, from L2-normalised embeddings (``vectors`` maps
    texts to one row each; the engine passes its cached embedder)."""

    vectors: Callable[[list[str]], np.ndarray]

    def prepare(self, question: str, sentences: Sequence[str]) -> None:
        """Embed the candidate nouns of ``sentences`` in one batch (one model call instead of
        one a sentence; ``vectors`` caches them), for a kind-of-thing question only."""
        asked = asked_entity(question)
        if asked is None or not asked.noun:
            return
        if asked.entity is not Entity.THING and not is_open(asked, question, self):
            return
        texts = {
            sentence[s:e].lower()
            for sentence in sentences
            for s, e in _phrases(question, sentence, asked.noun)
        }
        _typed(self, asked_kind(question, asked.noun), texts)

    def similarities(self, kind: str, phrases: Sequence[str]) -> list[float]:
        if not phrases:
            return []
        rows = self.vectors([kind, *phrases])
        return [float(x) for x in rows[1:] @ rows[0]]


@dataclass(frozen=True)
class Thing:
    start: int
    end: int
    score: float  # cosine to the kind plus closeness to the question's words
    similarity: float


def asked_kind(question: str, noun: str) -> str:
    """The kind asked for, with the word that narrows it: "sea animal", "food", "ape"."""
    lowered = question.lower()
    found = re.search(rf"\b(\w[\w-]*)\s+{re.escape(noun)}\b", lowered)
    if found and found.group(1) not in _FUNCTION | {"which", "what"} and len(found.group(1)) > 2:
        return f"{found.group(1)} {noun}"
    return noun


def thing_candidates(asked: Asked, question: str, sentence: str, typer: ThingTyper) -> list[Thing]:
    """The common nouns (and noun pairs) of ``sentence`` of the asked kind, best first."""
    if asked.entity is not Entity.THING or not asked.noun:
        return []
    phrases = _phrases(question, sentence, asked.noun)
    if not phrases:
        return []
    similarity = _typed(
        typer, asked_kind(question, asked.noun), {sentence[s:e].lower() for s, e in phrases}
    )
    positions = _question_positions(question, sentence)
    best_at: dict[int, Thing] = {}  # by end offset: a pair competes with its head word
    for start, end in phrases:  # a head word comes before its pair
        cosine = similarity.get(sentence[start:end].lower(), 0.0)
        if cosine < SIMILAR_FROM:
            continue
        score = cosine + CLOSENESS_WEIGHT * _closeness(start, end, positions)
        held = best_at.get(end)
        if held is None or score > held.score + PAIR_MARGIN:
            best_at[end] = Thing(start, end, score, cosine)
    return sorted(best_at.values(), key=lambda t: (-t.score, t.start))


def _typed(typer: ThingTyper, kind: str, texts: set[str]) -> dict[str, float]:
    """Cosines to ``kind`` of the single words, then of the pairs whose head word came within
    ``PAIR_SLACK`` of the threshold (a pair far from the kind by its head seldom is of it):
    fewer phrases to embed."""
    words = sorted(t for t in texts if " " not in t)
    cosines = dict(zip(words, typer.similarities(kind, words), strict=True))
    pairs = sorted(
        t
        for t in texts
        if " " in t and cosines.get(t.rsplit(" ", 1)[1], 0.0) >= SIMILAR_FROM - PAIR_SLACK
    )
    cosines.update(zip(pairs, typer.similarities(kind, pairs), strict=True))
    return cosines


def best_thing(asked: Asked, question: str, sentence: str, typer: ThingTyper) -> Thing | None:
    found = thing_candidates(asked, question, sentence, typer)
    return found[0] if found else None


def is_open(asked: Asked, question: str, typer: ThingTyper) -> bool:
    """Whether a name question's noun, unknown to the word lists, is a kind of thing by meaning
    ("Which type of livestock ...?"), so a common noun may answer it as well as a name."""
    if asked.entity is not Entity.NAME or not asked.noun or _noun_known(asked.noun):
        return False
    kind = asked_kind(question, asked.noun)
    return max(typer.similarities(kind, list(_KNOWN_THINGS))) >= THING_LIKE_FROM


def open_thing(asked: Asked, question: str, sentence: str, typer: ThingTyper) -> Thing | None:
    """The common noun answering an open question in ``sentence``, when it is closer to the
    kind than the sentence's best name by ``OPEN_MARGIN`` (or there is no name); else None."""
    if not is_open(asked, question, typer):
        return None
    things = thing_candidates(replace(asked, entity=Entity.THING), question, sentence, typer)
    if not things:
        return None
    names = entity_candidates(asked, question, sentence)
    if names:
        kind = asked_kind(question, asked.noun)
        name = sentence[names[0].start : names[0].end]
        if things[0].similarity - typer.similarities(kind, [name])[0] < OPEN_MARGIN:
            return None
    return things[0]


_KNOWN_THINGS = tuple(sorted(noun for noun, kind in NOUN_TYPES.items() if kind is Entity.THING))


def _noun_known(noun: str) -> bool:
    singular = noun[:-1] if noun.endswith("s") else noun
    return noun in NOUN_TYPES or singular in NOUN_TYPES


def _phrases(question: str, sentence: str, noun: str) -> list[tuple[int, int]]:
    """Spans of the plain nouns of ``sentence`` (guessed) and of adjacent pairs of them."""
    stated = _question_stems(question)
    words = [
        m
        for m in _WORD.finditer(sentence)
        if _content(m.group(0), _opens(sentence, m.start()), noun) and not _verb_form(m, sentence)
    ]
    spans: list[tuple[int, int]] = []
    for k, m in enumerate(words):
        word = m.group(0).rstrip("’'")
        if _stem(word) in stated or in_question(word, question):
            continue
        spans.append((m.start(), m.start() + len(word)))
        before = words[k - 1] if k else None
        if (
            before is not None
            and re.fullmatch(r"[ -]", sentence[before.end() : m.start()])
            and not re.search(r"[’']s?$", before.group(0))  # "Spotify's": an owner
            and _stem(before.group(0)) not in stated
        ):
            spans.append((before.start(), m.start() + len(word)))
    if len(spans) > MAX_PHRASES:
        positions = _question_positions(question, sentence)
        spans = sorted(spans, key=lambda s: -_closeness(s[0], s[1], positions))[:MAX_PHRASES]
    return spans


def _verb_form(m: re.Match[str], sentence: str) -> bool:
    """A past participle ("documented"), or an "-ing" form with an object ("eating cheese",
    "trigger the"): a verb, seldom the thing itself ("boxing" alone may be the sport)."""
    word = m.group(0).lower()
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return True
    if not word.endswith("ing"):
        return False
    after = re.match(r" ([a-z]+)", sentence[m.end() :])
    return after is not None and (
        after.group(1) in ("the", "a", "an", "his", "her", "their", "its")
        or after.group(1) not in _FUNCTION
    )


def _opens(sentence: str, at: int) -> bool:
    """Whether the word at ``at`` opens the sentence or a clause after a colon ("Vegetable
    recall:Cucumbers in 14 states ..."), where a plain noun may be capitalised."""
    first = _WORD.search(sentence)
    return (first is not None and first.start() == at) or sentence[:at].rstrip().endswith(":")


def _content(word: str, opens: bool, noun: str) -> bool:
    """Whether ``word`` may be a plain noun: lower-case (or opening the sentence), not a
    function word, not the asked kind itself or another kind ("animal", "species")."""
    bare = word.rstrip("’'").lower()
    if len(bare) < 3 or bare in _FUNCTION or bare.endswith("ly"):
        return False
    if not (word[0].islower() or (opens and word[1:].islower())):
        return False
    singular = bare[:-1] if bare.endswith("s") else bare
    kinds = (NOUN_TYPES.get(bare), NOUN_TYPES.get(singular))
    return noun not in (bare, singular) and Entity.THING not in kinds


@lru_cache(maxsize=256)
def _question_stems(question: str) -> frozenset[str]:
    return frozenset(t for t in terms(question) if len(t) > 2 and not t.isdigit())


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    found = terms(word)
    return found[0] if found else ""


def _question_positions(question: str, sentence: str) -> list[tuple[int, int]]:
    stems = _question_stems(question)
    return [m.span() for m in re.finditer(r"\w[\w’'-]*", sentence) if _stem(m.group(0)) in stems]


def _closeness(start: int, end: int, positions: list[tuple[int, int]]) -> float:
    if not positions:
        return 0.0
    gap = min(max(start - b, a - end, 0) for a, b in positions)
    return 1.0 / (1.0 + gap / 30.0)


def named_candidates(
    question: str, sentence: str, typer: ThingTyper | None
) -> list[Candidate] | list[Thing]:
    """The answers of the asked type in ``sentence``, best first: names, or for a kind of
    thing common nouns (with a typer)."""
    asked = asked_entity(question)
    if asked is None:
        return []
    if asked.entity is Entity.THING:
        return thing_candidates(asked, question, sentence, typer) if typer is not None else []
    thing = open_thing(asked, question, sentence, typer) if typer is not None else None
    return [thing] if thing is not None else entity_candidates(asked, question, sentence)
