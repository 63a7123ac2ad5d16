"""Soft term matching: a question's word found in another form in a sentence.

A reader asks with their own words: "defence" where the article writes "defense", "minster" for
"minister", "cops" for "police". Term coverage (which share of the question's terms a sentence
holds) is lexical, so such a question looks unanswered. Here a question term also counts as
found, for a little less than an exact match, when a sentence holds

- a spelling variant or misspelling of it: a word of five letters or more one edit away (see
  SPELLING_MIN_SIMILARITY), looked for among the words of the retrieved passages only (cheap:
  every candidate sentence gets it). A query word that no article holds is also respelled as
  the retrieved passages write it, and searched for again (``respelled_query``), since a
  misspelt query finds the wrong passages too;
- a close synonym: a word whose MiniLM embedding (the engine's own model, one word at a time,
  cached) is close to the question word's, looked for only in the few shortlisted sentences of
  a question that would otherwise be refused (each new word costs a model call).

Both are kinds of match, not word lists: no pair of words is named anywhere.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from assistant.answering.engine import TermWeight
from assistant.answering.phrases import GENERIC_TERMS
from assistant.answering.question import QUESTION_WORDS
from assistant.lexical import stem_words, terms

NEIGHBOUR_WEIGHT = 0.6  # question terms found only in an adjacent sentence count for less
CARRIED_WEIGHT = 0.5  # terms carried over from earlier turns of a conversation

# A misspelling is one edit in five letters or fewer (optimal string alignment: a swap of two
# letters is one edit), keeps its first letter and is not a prefix ("Africa"/"African"). Words shorter than 5 letters have too many
# one-edit neighbours ("coup", "corp"). "defence"/"defense" (0.86), "minster"/"minister"
# (0.88), "soldeir"/"soldier" (0.86) match; "defected"/"elected" (0.75) does not, but
# "police"/"polite" (0.83) would: a spelling match counts for less than an exact one.
SPELLING_MIN_LENGTH = 5
SPELLING_MIN_SIMILARITY = 0.8
SPELLING_CREDIT = 0.8
# Cosine of two single words' MiniLM vectors: "cops"/"police" 0.93, "troops"/"soldiers" 0.89,
# "nation"/"country" 0.77, while words merely of one topic stay lower ("police"/"soldiers"
# 0.49, "government"/"military" 0.55). Names are never synonyms ("Thailand"/"Bangkok" score
# high): only words written in lower case in their text are compared. A synonym adds to a
# sentence's coverage but not to its own coverage, which says it speaks of the question's
# subject at all (lead.py): "the military" is not yet about "the army colonel".
SYNONYM_MIN_COSINE = 0.75
SYNONYM_CREDIT = 0.6
SYNONYM_MIN_LENGTH = 3  # "s" of "NUG's" and the like stand for nothing
WORD_CACHE = 50_000  # word vectors kept (1.5 KB each)

# Question words as typed in a hurry ("wat", "wich", "wen"): one edit away from one of these.
_WH_WORDS = ("what", "which", "when", "where", "who", "whom", "whose", "why", "how")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class SoftMatches:
    """For each question term (a key of the term weights), the sentence terms (stems) that
    stand for it and the share of its weight each earns."""

    matches: Mapping[str, Mapping[str, float]]

    def credit(self, term: str, found: AbstractSet[str]) -> float:
        """The best share of ``term``'s weight that the terms ``found`` earn (0 if none)."""
        options = self.matches.get(term)
        if not options:
            return 0.0
        return max((c for t, c in options.items() if t in found), default=0.0)

    def merged(self, other: SoftMatches) -> SoftMatches:
        joined: dict[str, dict[str, float]] = {k: dict(v) for k, v in self.matches.items()}
        for key, options in other.matches.items():
            mine = joined.setdefault(key, {})
            for term, credit in options.items():
                mine[term] = max(mine.get(term, 0.0), credit)
        return SoftMatches(joined)


NO_MATCHES = SoftMatches({})


def term_weights(
    question: str, carried: str, term_weight: TermWeight
) -> tuple[dict[str, float], dict[str, set[str]]]:
    """Question terms weighted by IDF (terms carried from earlier turns count for less), and
    the words of the question each stands for."""
    weights: dict[str, float] = {}
    asked: dict[str, set[str]] = {}
    ignored = QUESTION_WORDS | GENERIC_TERMS

    def pairs(text: str) -> list[tuple[str, str]]:
        return list(zip(terms(text), terms(text, stem=False), strict=True))

    own = [p for p in pairs(question) if p[0] not in ignored] or pairs(question)
    mine = {t for t, _ in own}
    extra = [p for p in pairs(carried) if p[0] not in mine and p[0] not in ignored]
    for (term, word), factor in [(p, 1.0) for p in own] + [(p, CARRIED_WEIGHT) for p in extra]:
        known, idf = term_weight(term)
        weights[known] = max(weights.get(known, 0.0), factor * idf)
        asked.setdefault(known, set()).add(word)
    return weights, asked


class Ranked(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def coverage(self) -> float: ...

    @property
    def terms(self) -> frozenset[str]: ...

    @property
    def context(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class QuestionTerms:
    """A question's (part's) weighted terms, their words and their spelling matches."""

    question: str  # with the terms carried from earlier turns
    weights: dict[str, float]
    asked: dict[str, set[str]]
    soft: SoftMatches

    def _known(self, sentence: Ranked) -> set[str]:
        own = sentence.terms
        return {t for t in self.weights if t in own or self.soft.credit(t, own)}

    def prefetch(self, sentences: Iterable[Ranked], vectors: WordVectors) -> None:
        """Embed in one model call the words ``coverage_with_synonyms`` will compare for
        ``sentences`` (a call per sentence costs several times more)."""
        words: set[str] = set()
        for sentence in sentences:
            wanted, mine = synonym_words(
                self.asked, self.question, sentence.text, self._known(sentence)
            )
            if wanted and mine:
                words.update(mine, *wanted.values())
        if words:
            vectors(sorted(words))

    def coverage_with_synonyms(self, sentence: Ranked, vectors: WordVectors) -> float:
        """The coverage of a shortlisted ``sentence``, counting the question terms it holds
        as close synonyms (not its own coverage: see SYNONYM_CREDIT)."""
        own = sentence.terms
        found = synonym_matches(
            self.asked, self.question, sentence.text, vectors, self._known(sentence)
        )
        if not found.matches:
            return sentence.coverage
        both = self.soft.merged(found)
        return coverage(self.weights, own, sentence.context, both, NEIGHBOUR_WEIGHT)


def coverage(
    weights: Mapping[str, float],
    own: AbstractSet[str],
    neighbours: AbstractSet[str],
    soft: SoftMatches = NO_MATCHES,
    neighbour_weight: float = NEIGHBOUR_WEIGHT,
) -> float:
    """IDF-weighted share of the question's terms found in a sentence (``own``) or, for
    ``neighbour_weight`` of their weight, in the sentences around it; a term found only in
    another form earns its soft credit's share."""
    total = sum(weights.values())
    if not total:
        return 0.0
    found = 0.0
    for term, weight in weights.items():
        if term in own:
            found += weight
            continue
        share = soft.credit(term, own)
        if term in neighbours:
            share = max(share, neighbour_weight)
        elif share < neighbour_weight:
            share = max(share, neighbour_weight * soft.credit(term, neighbours))
        found += share * weight
    return found / total


def respelled_question(question: str) -> str:
    """``question`` with a misspelt question word among its first two words written right
    ("wat is ..." -> "what is ..."): one edit from a question word, and no word of its own."""
    words = list(_WORD.finditer(question))[:2]
    for match in reversed(words):
        word = match.group(0)
        lower = word.lower()
        if lower in _WH_WORDS or not terms(lower):  # a question word, or a stop word ("were")
            continue
        fixed = next((w for w in _WH_WORDS if Levenshtein.distance(lower, w) == 1), None)
        if fixed is not None and len(lower) >= 2:
            fixed = fixed.capitalize() if word[0].isupper() else fixed
            question = question[: match.start()] + fixed + question[match.end() :]
    return question


def respelled_query(question: str, texts: Iterable[str], known: Callable[[str], bool]) -> str:
    """``question`` with its misspelt words written as the retrieved passages (``texts``)
    write them, for a second retrieval: a word of five letters or more whose term the corpus
    does not hold (``known``: a term -> whether any article holds it), one edit from a word
    of the passages (see SPELLING_MIN_SIMILARITY); and misspelt question words."""
    question = respelled_question(question)
    words = [m for m in _WORD.finditer(question) if len(m.group(0)) >= SPELLING_MIN_LENGTH]
    unknown = [
        m for m in words if (found := terms(m.group(0))) and not any(known(t) for t in found)
    ]
    if not unknown:
        return question
    vocabulary: dict[str, str] = {}
    for text in texts:
        vocabulary.update(_passage_words(text))
    choices = list(vocabulary)
    for match in reversed(unknown):
        word = match.group(0)
        lower = word.lower()
        near = [
            (score, w)
            for w, score, _ in process.extract(
                lower,
                choices,
                scorer=OSA.normalized_similarity,
                score_cutoff=SPELLING_MIN_SIMILARITY,
                limit=None,
            )
            if _misspelling(lower, w)
        ]
        if near:
            fixed = max(near)[1]
            fixed = fixed.capitalize() if word[0].isupper() else fixed
            question = question[: match.start()] + fixed + question[match.end() :]
    return question


def _misspelling(word: str, other: str) -> bool:
    """Whether ``other``, one edit from ``word`` (see ``process.extract`` above), may be its
    misspelling or spelling variant: same first letter, five letters or more, and not the
    word with a letter more or less at its end ("Africa"/"African", "Iran"/"Irani": another
    word, which the stemmer keeps apart on purpose)."""
    return (
        other[0] == word[0]
        and len(other) >= SPELLING_MIN_LENGTH
        and not other.startswith(word)
        and not word.startswith(other)
    )


@lru_cache(maxsize=1024)
def _passage_words(text: str) -> dict[str, str]:
    """The words of a passage (not stop words), each with its stem."""
    words = list(dict.fromkeys(w for w in terms(text, stem=False) if w.isalpha()))
    return dict(zip(words, stem_words(words), strict=True))


def spelling_matches(asked: Mapping[str, AbstractSet[str]], texts: Iterable[str]) -> SoftMatches:
    """Terms of ``texts`` that are spelling variants or misspellings of the question's words.

    ``asked``: each question term (weights key) with the words of the question it stands for.
    """
    vocabulary: dict[str, str] = {}
    for text in texts:
        vocabulary.update(_passage_words(text))
    choices = list(vocabulary)
    matches: dict[str, dict[str, float]] = {}
    for key, words in asked.items():
        for word in words:
            if len(word) < SPELLING_MIN_LENGTH or not word.isalpha():
                continue
            for found, _, _ in process.extract(
                word,
                choices,
                scorer=OSA.normalized_similarity,
                score_cutoff=SPELLING_MIN_SIMILARITY,
                limit=None,
            ):
                stem = vocabulary[found]
                if stem != key and _misspelling(word, found):
                    matches.setdefault(key, {})[stem] = SPELLING_CREDIT
    return SoftMatches(matches)


class WordVectors:
    """Unit MiniLM vectors of single words, cached (words recur across questions)."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]]) -> None:
        self._embed = embed
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, words: list[str]) -> np.ndarray:
        with self._lock:
            missing = [w for w in dict.fromkeys(words) if w not in self._cache]
        if missing:
            fresh = np.asarray(self._embed(missing), dtype=np.float32)
            fresh /= np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-9)
            with self._lock:
                self._cache.update(zip(missing, fresh, strict=True))
                while len(self._cache) > WORD_CACHE:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.stack([self._cache[w] for w in words]) if words else np.zeros((0, 0))


def lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case somewhere (not names)."""
    return frozenset(_LOWER.findall(text))


_LOWER = re.compile(r"\b[a-z]+\b")


def synonym_words(
    asked: Mapping[str, AbstractSet[str]],
    question: str,
    sentence: str,
    known: AbstractSet[str] = frozenset(),
) -> tuple[dict[str, list[str]], list[str]]:
    """The question's words (by term) still to look for, and the sentence words to compare
    with them: words of three letters or more, written in lower case (names are left out)."""
    common = lower_case_words(question)
    wanted = {
        k: sorted(w for w in ws if w in common and len(w) >= SYNONYM_MIN_LENGTH)
        for k, ws in asked.items()
        if k not in known
    }
    lower = lower_case_words(sentence)
    words = _passage_words(sentence)
    mine = [w for w, stem in words.items() if stem not in asked and w in lower and len(w) >= 3]
    return {k: ws for k, ws in wanted.items() if ws}, mine


def synonym_matches(
    asked: Mapping[str, AbstractSet[str]],
    question: str,
    sentence: str,
    vectors: WordVectors,
    known: AbstractSet[str] = frozenset(),
) -> SoftMatches:
    """Terms of ``sentence`` whose word vectors are close to a word of ``question``'s.

    Only question terms not already in ``known`` (found exactly or by spelling) are looked
    for, so a sentence holding every term costs no model call; names are left out."""
    wanted, mine = synonym_words(asked, question, sentence, known)
    if not wanted or not mine:
        return NO_MATCHES
    words = _passage_words(sentence)
    theirs = sorted({w for ws in wanted.values() for w in ws})
    table = vectors(theirs) @ vectors(mine).T
    row = {w: i for i, w in enumerate(theirs)}
    matches: dict[str, dict[str, float]] = {}
    for key, ws in wanted.items():
        for j, word in enumerate(mine):
            if max(table[row[w], j] for w in ws) >= SYNONYM_MIN_COSINE:
                matches.setdefault(key, {})[words[word]] = SYNONYM_CREDIT
    return SoftMatches(matches)
