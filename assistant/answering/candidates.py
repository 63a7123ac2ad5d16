"""Candidate sentences of the retrieved passages, cheaply scored, and the shortlist of them
worth the costly steps (the default engine's first stage).

Every passage is split into sentences by regex; each sentence is scored by IDF-weighted overlap
with the question's terms (its own, and for less its neighbours') and by whether it offers the
kind of answer asked for. Only the paragraphs holding the best sentences are split again by
pysbd, and only the shortlist of those is embedded by the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answering.negative import negative_clause
from assistant.answering.soft_terms import NEIGHBOUR_WEIGHT, NO_MATCHES, SoftMatches, coverage
from assistant.lexical import terms
from assistant.sentences import paragraph_sentences, paragraph_spans, quick_sentence_spans

# Embedding the shortlisted sentences is most of an answer's cost (~6 ms a sentence on 2 cores).
# A part's shortlist: its SHORTLIST best sentences by cheap score, less those whose score without
# similarity is more than SIMILARITY_MARGIN below the best one's (they would need a similarity
# ~0.55 higher to overtake it). Measured on evals/shipped.yaml and 170 questions at 1,000
# articles against the former 8 with no margin: (8, 0.25) changed no answer; (6, 0.25) changed
# no evaluation figure and the supporting sentences of 14 answers, embedding 5.0 sentences
# instead of 8.6; a 0.2 margin lost a supporting sentence the evaluation asks for; a shortlist
# of 4 cited the wrong article once.
SHORTLIST = 6
# The best sentences by cheap score that get the finer (~10x dearer) kind test before the
# shortlist is drawn: three shortlists' worth, so a sentence the finer test demotes ("in the
# Myanmar military" for "which town") leaves room for the one it promotes.
REFINED = 3 * SHORTLIST
KIND_CHEAP_WEIGHT = 0.1
SIMILARITY_MARGIN = 0.25

# Confidence of a sentence = weighted similarity, term coverage and kind match (0..1).
# Evidence below ``abstain_below`` means abstention. The value is not a constant here: it is
# calibrated on the tuning half of evals/shipped.yaml by `assistant eval ... --calibrate --write`
# into answering/calibration.json, which the composition root reads (rule: evals/README.md).
WEIGHTS = {"similarity": 0.45, "coverage": 0.4, "kind": 0.15}
KIND_BONUS = 0.12  # ranking bonus for offering the kind of answer asked for


@dataclass(frozen=True)
class Candidate:
    passage_index: int
    start: int  # offset of the sentence in its passage's text
    text: str
    coverage: float  # question terms in the sentence, or for less in its neighbours
    own_coverage: float  # question terms in the sentence itself
    kind_match: float  # 0..1: how well the sentence offers the kind of answer asked for
    cheap: float
    similarity: float = 0.0
    terms: frozenset[str] = frozenset()  # the sentence's terms
    context: frozenset[str] = frozenset()  # its neighbours' terms

    @property
    def confidence(self) -> float:
        return (
            WEIGHTS["similarity"] * self.similarity
            + WEIGHTS["coverage"] * self.coverage
            + WEIGHTS["kind"] * self.kind_match
        )

    @property
    def score(self) -> float:
        return self.confidence + KIND_BONUS * self.kind_match

    @property
    def partial_score(self) -> float:
        """``score`` without the similarity, known before embedding."""
        return self.score - WEIGHTS["similarity"] * self.similarity


@dataclass(frozen=True)
class _Split:
    """Sentences as offsets, each with its terms and whether it may be a candidate."""

    spans: tuple[tuple[int, int], ...]
    terms: tuple[frozenset[str], ...]
    eligible: tuple[bool, ...]


def _split(text: str, spans: tuple[tuple[int, int], ...]) -> _Split:
    sentence_terms = tuple(frozenset(terms(text[s:e])) for s, e in spans)
    return _Split(spans, sentence_terms, (True,) * len(spans))


@lru_cache(maxsize=512)
def _rough_paragraphs(text: str) -> tuple[tuple[int, int, _Split], ...]:
    """Each paragraph of a passage with its sentences split by regex (offsets into ``text``)."""
    return tuple(
        (start, end, _split(text, tuple(quick_sentence_spans(text, start, end))))
        for start, end in paragraph_spans(text)
    )


@lru_cache(maxsize=2048)
def _exact_paragraph(paragraph: str) -> _Split:
    return _split(paragraph, paragraph_sentences(paragraph))


@lru_cache(maxsize=512)
def _joined(text: str, exact: frozenset[int] | None = None) -> _Split:
    """A passage's sentences: split by pysbd in its ``exact`` paragraphs, which alone are
    eligible, by regex elsewhere; by regex everywhere, all eligible, when ``exact`` is None."""
    spans: list[tuple[int, int]] = []
    sentence_terms: list[frozenset[str]] = []
    eligible: list[bool] = []
    for k, (start, end, rough) in enumerate(_rough_paragraphs(text)):
        split = rough
        if exact is not None and k in exact:
            split = _exact_paragraph(text[start:end])
            spans += [(start + s, start + e) for s, e in split.spans]
        else:
            spans += split.spans
        sentence_terms += split.terms
        eligible += [exact is None or k in exact] * len(split.spans)
    return _Split(tuple(spans), tuple(sentence_terms), tuple(eligible))


def candidates_of(
    texts: list[str],
    weights: dict[str, float],
    kind_match: Callable[[str], float],
    refine: Callable[[str], float] | None = None,
    soft: SoftMatches = NO_MATCHES,
) -> list[Candidate]:
    """The sentences of the paragraphs that could make the shortlist, split by pysbd.

    pysbd costs ~1 ms a paragraph, a regex split ~50 times less: every passage is split by
    regex first, and only the paragraphs holding the sentences that would then be shortlisted
    are split by pysbd, whose sentences are the candidates.
    """
    roughly = [
        c
        for i, text in enumerate(texts)
        for c in _candidates(i, text, _joined(text), weights, kind_match, soft)
    ]
    wanted: dict[int, frozenset[int]] = {}
    for c in shortlist_of(roughly, refine):
        paragraphs = _rough_paragraphs(texts[c.passage_index])
        k = next(k for k, (_, end, _) in enumerate(paragraphs) if c.start < end)
        wanted[c.passage_index] = wanted.get(c.passage_index, frozenset()) | {k}
    if not roughly:  # no sentence of three words, roughly: let pysbd look at everything
        wanted = {i: frozenset(range(len(_rough_paragraphs(t)))) for i, t in enumerate(texts)}
    return [
        c
        for i in sorted(wanted)
        for c in _candidates(i, texts[i], _joined(texts[i], wanted[i]), weights, kind_match, soft)
    ]


def _candidates(
    index: int,
    text: str,
    split: _Split,
    weights: dict[str, float],
    kind_match: Callable[[str], float],
    soft: SoftMatches = NO_MATCHES,
) -> list[Candidate]:
    """The eligible sentences of passage ``index`` (three words or more), cheaply scored."""
    candidates: list[Candidate] = []
    sentence_terms = split.terms
    for i, (s, e) in enumerate(split.spans):
        sentence = text[s:e]
        if not split.eligible[i] or len(sentence.split()) < 3:
            continue
        mine = sentence_terms[i]
        around = frozenset().union(
            *sentence_terms[max(0, i - 2) : i], *sentence_terms[i + 1 : i + 3]
        )
        found = coverage(weights, mine, around, soft, NEIGHBOUR_WEIGHT)
        own = coverage(weights, mine, frozenset(), soft, NEIGHBOUR_WEIGHT)
        match = kind_match(sentence)
        cheap = found + KIND_CHEAP_WEIGHT * match + 0.05 / (1 + index)
        candidates.append(
            Candidate(index, s, sentence, found, own, match, cheap, terms=mine, context=around)
        )
    return candidates


def shortlist_of(
    candidates: list[Candidate], refine: Callable[[str], float] | None = None
) -> list[Candidate]:
    """The candidates worth embedding: the best by cheap score, close enough to the best.
    With ``refine``, the REFINED best first get the finer kind test, then are ranked again."""
    if refine is not None:
        top = set(map(id, sorted(candidates, key=lambda c: -c.cheap)[:REFINED]))
        candidates = [_refined(c, refine) if id(c) in top else c for c in candidates]
    pool = sorted(candidates, key=lambda c: -c.cheap)[:SHORTLIST]
    best = max((c.partial_score for c in pool), default=0.0)
    chosen = [c for c in pool if c.partial_score >= best - SIMILARITY_MARGIN]
    # A sentence saying the fact asked for is unknown may be the answer: always embedded (rare).
    chosen += [
        c
        for c in candidates
        if c.kind_match >= 1.0 and c not in chosen and c.coverage > 0 and negative_clause(c.text)
    ]
    if all(c.kind_match < 1.0 for c in chosen):  # none offers the kind asked: the 2 best that do
        offer = [c for c in candidates if c.kind_match >= 1 and c.own_coverage]
        chosen += sorted(offer, key=lambda c: -c.cheap)[:2]
    return chosen


def _refined(candidate: Candidate, refine: Callable[[str], float]) -> Candidate:
    match = refine(candidate.text)
    cheap = candidate.cheap + KIND_CHEAP_WEIGHT * (match - candidate.kind_match)
    return replace(candidate, kind_match=match, cheap=cheap)
