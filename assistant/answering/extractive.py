"""The default engine: no LLM; answers with verbatim article sentences, each cited.

Sentences of the retrieved passages are scored by semantic similarity to the question (bundled
MiniLM), by IDF-weighted overlap with the question's terms (in the sentence and, for less, in its
neighbours), and by whether they hold the kind of answer asked for (a number for "how many", a
person for "who", ...). The best one opens the answer, close runners-up support it. A question
in two parts ("who ..., and how many ...?") gets a best sentence for each part. Weak evidence
means abstention.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.engine import AnswerEvent, Evidence, abstention, answer_from, stream_text
from assistant.answering.question import (
    QUESTION_WORDS,
    AnswerKind,
    answer_kind,
    counted_noun,
    counts,
    describes_role,
    is_identity_question,
    offers,
    sub_questions,
    trailing_phrase,
)
from assistant.answering.verify import DraftSentence, numbers_in, verify
from assistant.config import AnswerSettings
from assistant.conversation import search_query_for
from assistant.lexical import LexicalIndex, terms
from assistant.models import Answer, Turn
from assistant.sentences import passage_sentences

SHORTLIST = 8  # sentences embedded per question part: the cost that bounds latency
VECTOR_CACHE = 50_000  # sentence embeddings kept (1.5 KB each)
NEIGHBOUR_WEIGHT = 0.6  # question terms found only in an adjacent sentence count for less
CARRIED_WEIGHT = 0.5  # terms carried over from earlier turns of a conversation

# Confidence of a sentence = weighted similarity, term coverage and kind match (0..1).
# Evidence below ABSTAIN_BELOW means abstention. The value is calibrated on the tuning half of
# evals/shipped.yaml with `assistant eval evals/shipped.yaml --calibrate`, which answers every
# tuning case with abstention off and reports, per threshold, correctness and refusal
# precision/recall; we take the threshold with the best accuracy (right answers + right
# refusals). The held-out half is reported separately and never used for this choice.
WEIGHTS = {"similarity": 0.45, "coverage": 0.4, "kind": 0.15}
ABSTAIN_BELOW = 0.35
SUPPORT_RATIO = 0.8  # a supporting sentence scores at least this share of the best one
KIND_BONUS = 0.12  # ranking bonus for offering the kind of answer asked for


@dataclass(frozen=True)
class Candidate:
    passage_index: int
    sentence_index: int
    text: str
    coverage: float  # question terms in the sentence, or for less in its neighbours
    own_coverage: float  # question terms in the sentence itself
    kind_match: float  # 0..1: how well the sentence offers the kind of answer asked for
    cheap: float
    similarity: float = 0.0

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


class ExtractiveEngine:
    name = "extractive"

    def __init__(
        self, embeddings: Embeddings, settings: AnswerSettings, abstain_below: float = ABSTAIN_BELOW
    ) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.abstain_below = abstain_below
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def search_query(self, question: str, history: list[Turn]) -> str:
        return search_query_for(question, history)

    def stream(self, evidence: Evidence) -> Iterator[AnswerEvent]:
        answer = self.answer(evidence)
        for piece in stream_text(answer.answer):
            yield AnswerEvent(delta=piece)
        yield AnswerEvent(answer=answer)

    def answer(self, evidence: Evidence) -> Answer:
        parts = sub_questions(evidence.question)
        rankings = [self.rank(evidence, part) for part in parts]
        confidence = min((r[0].confidence if r else 0.0) for r in rankings)
        if confidence < self.abstain_below:
            return replace(abstention(evidence, self.name), confidence=confidence)
        chosen = self._choose(rankings, [is_identity_question(p) for p in parts])
        drafts = [DraftSentence(c.text, (c.passage_index + 1,)) for c in chosen]
        checked = verify(drafts, evidence.passages, evidence.article_text)
        return answer_from(evidence, self.name, checked, confidence=confidence)

    def rank(self, evidence: Evidence, question: str) -> list[Candidate]:
        """Candidate sentences for one question (part), best first."""
        carried = evidence.search_query[len(evidence.question) :] if evidence.history else ""
        weights = _term_weights(question, carried, evidence.lexical)
        kind = answer_kind(question)
        identity = is_identity_question(question)
        question_numbers = numbers_in(question)
        noun = counted_noun(question)
        phrase = trailing_phrase(question)
        candidates: list[Candidate] = []
        for index, passage in enumerate(evidence.passages):
            spans = passage_sentences(passage.text)
            sentence_terms = [set(terms(passage.text[s:e])) for s, e in spans]
            for i, (s, e) in enumerate(spans):
                text = passage.text[s:e]
                if len(text.split()) < 3:
                    continue
                neighbours = set().union(
                    *sentence_terms[max(0, i - 2) : i], *sentence_terms[i + 1 : i + 3]
                )
                coverage = _coverage(weights, sentence_terms[i], neighbours)
                own = _coverage(weights, sentence_terms[i], set())
                if phrase is not None:
                    match = float(
                        bool(phrase.search(text))
                    )  # "siding with" -> "siding with the truth"
                else:
                    match = _kind_match(text, kind, identity, noun, question_numbers)
                cheap = coverage + 0.1 * match + 0.05 / (1 + index)
                candidates.append(Candidate(index, i, text, coverage, own, match, cheap))
        if not candidates:
            return []
        shortlist = sorted(candidates, key=lambda c: -c.cheap)[:SHORTLIST]
        query = f"{question} {carried}".strip()
        vectors = self._vectors([query] + [c.text for c in shortlist])
        similarities = vectors[1:] @ vectors[0]
        scored = [
            replace(c, similarity=float(v)) for c, v in zip(shortlist, similarities, strict=True)
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
            if not _near_duplicate(lead.text, chosen):
                chosen.append(lead)
            if all(c.own_coverage < 0.5 for c in chosen):
                # The answer borrows the question's subject from a neighbouring sentence: show
                # the sentence that names it too, so the reader sees the link.
                naming = [c for c in ranked if c.own_coverage >= 0.8]
                if naming and not _near_duplicate(naming[0].text, chosen):
                    chosen.append(naming[0])
        words = sum(len(c.text.split()) for c in chosen)
        best = max(r[0].score for r in rankings)
        for c in sorted((c for r in rankings for c in r[1:]), key=lambda c: -c.score):
            if len(chosen) >= self.settings.max_sentences or c.score < SUPPORT_RATIO * best:
                break
            n = len(c.text.split())
            if words + n > self.settings.max_words or _near_duplicate(c.text, chosen):
                continue
            chosen.append(c)
            words += n
        return chosen


def _kind_match(
    text: str, kind: AnswerKind, identity: bool, noun: str, question_numbers: set[str]
) -> float:
    if identity:
        return float(describes_role(text))
    if kind is AnswerKind.NUMBER:
        if noun and counts(text, noun):
            return 1.0  # "Twelve soldiers" for "how many soldiers"
        return 0.5 if numbers_in(text) - question_numbers else 0.0
    return float(offers(kind, text))


def _term_weights(question: str, carried: str, lexical: LexicalIndex | None) -> dict[str, float]:
    """Question terms weighted by IDF; terms carried from earlier turns count for less."""
    weights: dict[str, float] = {}
    own = [t for t in terms(question) if t not in QUESTION_WORDS]
    extra = [t for t in terms(carried) if t not in own and t not in QUESTION_WORDS]
    for term, factor in [(t, 1.0) for t in own] + [(t, CARRIED_WEIGHT) for t in extra]:
        known = (lexical.closest_term(term) if lexical else None) or term
        idf = lexical.idf(known) if lexical else 1.0
        weights[known] = max(weights.get(known, 0.0), factor * idf)
    return weights


def _coverage(weights: dict[str, float], own: set[str], neighbours: set[str]) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    found = sum(
        w if t in own else NEIGHBOUR_WEIGHT * w if t in neighbours else 0.0
        for t, w in weights.items()
    )
    return found / total


def _near_duplicate(text: str, chosen: list[Candidate]) -> bool:
    words = set(terms(text, stem=False))
    for c in chosen:
        other = set(terms(c.text, stem=False))
        if words and other and len(words & other) / len(words | other) > 0.6:
            return True
    return False
