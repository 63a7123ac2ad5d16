"""The default engine: no LLM; answers with verbatim article sentences, each cited.

Sentences of the retrieved passages are scored by similarity to the question (bundled MiniLM),
by IDF-weighted overlap with its terms (in the sentence and, for less, its neighbours), and by
whether they hold the kind of answer asked for ("how many": a number). The best one opens the
answer, close runners-up support it; each part of a two-part question gets its own. Weak
evidence means abstention. Cheap scores decide which few sentences get the costly steps:
splitting by pysbd (only their paragraphs) and embedding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.attribution import with_attributions
from assistant.answering.engine import AnswerEvent, Evidence, abstention, answer_from, stream_text
from assistant.answering.figures import with_figures
from assistant.answering.kind_match import kind_matcher as _kind_matcher
from assistant.answering.kind_match import precise_kind_matcher
from assistant.answering.lead import answerable_lead, refusal_reason, with_short_answer
from assistant.answering.negative import negative_clause
from assistant.answering.published import is_publication_question, publication_answer
from assistant.answering.question import is_identity_question, sub_questions
from assistant.answering.soft_terms import (
    NEIGHBOUR_WEIGHT,
    NO_MATCHES,
    SYNONYM_CREDIT,
    QuestionTerms,
    SoftMatches,
    WordVectors,
    coverage,
    respelled_question,
    spelling_matches,
    term_weights,
)
from assistant.answering.things import ThingTyper
from assistant.answering.verify import DraftSentence, verify
from assistant.config import AnswerSettings
from assistant.conversation import resolve_question, search_query_for
from assistant.lexical import near_duplicate, terms
from assistant.models import Answer, Turn
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
VECTOR_CACHE = 50_000  # sentence embeddings kept (1.5 KB each)

# Confidence of a sentence = weighted similarity, term coverage and kind match (0..1).
# Evidence below ``abstain_below`` means abstention. The value is not a constant here: it is
# calibrated on the tuning half of evals/shipped.yaml by `assistant eval ... --calibrate --write`
# into answering/calibration.json, which the composition root reads (rule: evals/README.md).
WEIGHTS = {"similarity": 0.45, "coverage": 0.4, "kind": 0.15}
# Synonyms (soft_terms) are looked for below ``AnswerSettings.synonyms_below`` (0: off), in
# sentences they could lift to SYNONYMS_FLOOR (not the threshold: calibration sees real scores).
SYNONYMS_FLOOR = 0.3
SUPPORT_RATIO = 0.8  # a supporting sentence scores at least this share of the best one
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


class ExtractiveEngine:
    name = "extractive"

    def __init__(
        self, embeddings: Embeddings, settings: AnswerSettings, abstain_below: float
    ) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.abstain_below = abstain_below
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._words = WordVectors(embeddings.embed_documents)

    def search_query(self, question: str, history: list[Turn]) -> str:
        return search_query_for(question, history)

    def stream(self, evidence: Evidence) -> Iterator[AnswerEvent]:
        answer = with_figures(self.answer(evidence), evidence)
        for piece in stream_text(answer.answer):
            yield AnswerEvent(delta=piece)
        yield AnswerEvent(answer=answer)

    def answer(self, evidence: Evidence) -> Answer:
        resolved = resolve_question(evidence.question, evidence.history)
        answer = self._answer(evidence, resolved)
        return replace(answer, resolved_question=resolved)

    def _answer(self, evidence: Evidence, resolved: str) -> Answer:
        if is_publication_question(resolved):  # the date is the article's, not a sentence's
            rank = partial(self.rank, evidence)
            return publication_answer(evidence, resolved, rank, self.abstain_below, self.name)
        history = evidence.history  # its terms, carried from the query as it was not respelled:
        query = self.search_query(evidence.question, history) if history else ""
        carried = query[len(resolved) :] if query.startswith(resolved) else ""
        # A question alone is searched for as asked, or respelled (service.ask_stream).
        parts = sub_questions(respelled_question(resolved if history else evidence.search_query))
        rankings = [self.rank(evidence, part, carried) for part in parts]
        article_text = lru_cache(maxsize=None)(evidence.article_text)  # read each once
        leads = [
            answerable_lead(
                part, ranked, evidence.passages, article_text, ThingTyper(self._vectors)
            )
            for part, ranked in zip(parts, rankings, strict=True)
        ]
        score = min((lead.candidate.confidence if lead else 0.0) for lead in leads)
        if score < self.abstain_below or any(lead is None for lead in leads):
            reasons = [
                refusal_reason(part, ranked, evidence.passages)
                for part, ranked in zip(parts, rankings, strict=True)
            ]
            refusal = abstention(evidence, self.name, reason=next((r for r in reasons if r), ""))
            return replace(refusal, evidence_score=score)
        found = [lead for lead in leads if lead is not None]
        rankings = [
            [lead.candidate, *(c for c in ranked if c is not lead.candidate)]
            for lead, ranked in zip(found, rankings, strict=True)
        ]
        chosen = self._choose(rankings, [is_identity_question(p) for p in parts])
        drafts = [DraftSentence(c.text, (c.passage_index + 1,), at=c.start) for c in chosen]
        checked = verify(drafts, evidence.passages, article_text)
        answer = answer_from(evidence, self.name, checked, evidence_score=score)
        answer = with_short_answer(answer, evidence.passages, article_text, found[0], parts[0])
        return with_attributions(answer, article_text)

    def rank(self, evidence: Evidence, question: str, carried: str = "") -> list[Candidate]:
        """Candidate sentences for one question (part), best first; ``carried``: terms from
        earlier turns, which count for less."""
        weights, asked = term_weights(question, carried, evidence.term_weight)
        kind_match = _kind_matcher(question)
        refine = precise_kind_matcher(question)
        texts = [p.text for p in evidence.passages]
        soft = spelling_matches(asked, texts)
        candidates = _candidates_of(texts, weights, kind_match, refine, soft)
        if not candidates:
            return []
        shortlist = _shortlist(candidates, refine)
        query = " ".join(f"{question} {carried}".split())
        texts = [c.text for c in shortlist]
        if evidence.query_vector is not None and query == " ".join(evidence.search_query.split()):
            # Retrieval embedded this very text (the tokeniser ignores spacing): reuse it.
            query_vector = np.asarray(evidence.query_vector, dtype=np.float32)
            vectors = self._vectors(texts)
        else:
            vectors = self._vectors([query, *texts])
            query_vector, vectors = vectors[0], vectors[1:]
        similarities = vectors @ query_vector
        scored = [
            replace(c, similarity=float(v)) for c, v in zip(shortlist, similarities, strict=True)
        ]
        if max(c.confidence for c in scored) < self.settings.synonyms_below:
            # Weak evidence: do the question's words stand in the sentences as synonyms? (A
            # new word costs a model call: only sentences that could then count are looked at.)
            asked_terms = QuestionTerms(f"{question} {carried}", weights, asked, soft)
            gain = WEIGHTS["coverage"] * SYNONYM_CREDIT  # at most, per uncovered share
            eligible = [
                c for c in scored if c.confidence + gain * (1 - c.coverage) >= SYNONYMS_FLOOR
            ]
            asked_terms.prefetch(eligible, self._words)
            scored = [
                replace(c, coverage=asked_terms.coverage_with_synonyms(c, self._words))
                if c in eligible
                else c
                for c in scored
            ]
        return sorted(scored, key=lambda c: -c.score)

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts``; sentences recur across questions, so they are cached."""
        with self._cache_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            fresh = np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32)
            with self._cache_lock:
                self._cache.update(zip(missing, fresh, strict=True))
                while len(self._cache) > VECTOR_CACHE:
                    self._cache.popitem(last=False)
        with self._cache_lock:
            return np.stack([self._cache[t] for t in texts])

    def _choose(self, rankings: list[list[Candidate]], identity: list[bool]) -> list[Candidate]:
        """The best sentence of each part first, then close runners-up, within the word budget."""
        chosen: list[Candidate] = []
        for ranked, wants_role in zip(rankings, identity, strict=True):
            lead = ranked[0]
            if wants_role and lead.kind_match < 1.0:
                # "Who is X?" is answered by the sentence describing X's role, if one is close.
                described = [
                    c for c in ranked if c.kind_match >= 1.0 and c.coverage >= 0.5 * lead.coverage
                ]
                if described:
                    chosen.append(described[0])
            if not near_duplicate(lead.text, [c.text for c in chosen]):
                chosen.append(lead)
            if all(c.own_coverage < 0.5 for c in chosen):
                # The answer borrows the question's subject from a neighbouring sentence: show
                # the sentence that names it too, so the reader sees the link.
                naming = [c for c in ranked if c.own_coverage >= 0.8]
                if naming and not near_duplicate(naming[0].text, [c.text for c in chosen]):
                    chosen.append(naming[0])
        words = sum(len(c.text.split()) for c in chosen)
        best = max(r[0].score for r in rankings)
        for c in sorted((c for r in rankings for c in r[1:]), key=lambda c: -c.score):
            if len(chosen) >= self.settings.max_sentences or c.score < SUPPORT_RATIO * best:
                break
            n = len(c.text.split())
            if words + n > self.settings.max_words or near_duplicate(
                c.text, [x.text for x in chosen]
            ):
                continue
            chosen.append(c)
            words += n
        return chosen


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


def _candidates_of(
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
    for c in _shortlist(roughly, refine):
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


def _shortlist(
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
