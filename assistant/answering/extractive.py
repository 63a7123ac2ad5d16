"""The default engine: no LLM; answers with verbatim article sentences, each cited.

Sentences of the retrieved passages are scored by semantic similarity to the question (bundled
MiniLM), by IDF-weighted overlap with the question's terms, and by whether they hold the kind of
answer asked for (a number for "how many", a person for "who", ...). The best one opens the answer,
close runners-up support it. Weak evidence means abstention.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.engine import (
    AnswerEvent,
    Evidence,
    abstention,
    stream_text,
)
from assistant.answering.question import AnswerKind, answer_kind, offers
from assistant.answering.verify import DraftSentence, numbers_in, verify
from assistant.config import AnswerSettings
from assistant.conversation import search_query_for
from assistant.lexical import LexicalIndex, terms
from assistant.models import Answer, Passage, Turn
from assistant.sentences import sentence_spans

SHORTLIST = 8  # sentences embedded per question: the cost that bounds latency

# Abstention thresholds. The evidence is "strong enough" when the best sentence's
# confidence = SEM_WEIGHT * similarity + (1 - SEM_WEIGHT) * coverage reaches ABSTAIN_BELOW.
# Calibrated on the tuning half of evals/shipped.yaml (see `assistant eval --calibrate`).
SEM_WEIGHT = 0.5
ABSTAIN_BELOW = 0.45
SUPPORT_RATIO = 0.8  # a supporting sentence scores at least this share of the best one


@dataclass(frozen=True)
class Candidate:
    passage_index: int
    text: str
    start: int  # offsets into the article
    end: int
    coverage: float
    kind_match: bool
    cheap: float
    similarity: float = 0.0

    @property
    def confidence(self) -> float:
        return SEM_WEIGHT * self.similarity + (1 - SEM_WEIGHT) * self.coverage

    @property
    def score(self) -> float:
        return self.confidence + (0.12 if self.kind_match else 0.0)


@lru_cache(maxsize=4096)
def _passage_sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))


class ExtractiveEngine:
    name = "extractive"

    def __init__(
        self, embeddings: Embeddings, settings: AnswerSettings, abstain_below: float = ABSTAIN_BELOW
    ) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.abstain_below = abstain_below

    def search_query(self, question: str, history: list[Turn]) -> str:
        return search_query_for(question, history)

    def stream(self, evidence: Evidence) -> Iterator[AnswerEvent]:
        answer = self.answer(evidence)
        for piece in stream_text(answer.answer):
            yield AnswerEvent(delta=piece)
        yield AnswerEvent(answer=answer)

    def answer(self, evidence: Evidence) -> Answer:
        candidates = self.rank(evidence)
        if not candidates or candidates[0].confidence < self.abstain_below:
            return abstention(evidence, self.name)
        chosen = self._choose(candidates)
        drafts = [DraftSentence(c.text, (c.passage_index + 1,)) for c in chosen]
        checked = verify(drafts, evidence.passages, evidence.article_text)
        if not checked.citations:
            return abstention(evidence, self.name, checked.flagged)
        return Answer(
            question=evidence.question,
            answer=checked.text,
            abstained=False,
            citations=checked.citations,
            passages=tuple(evidence.passages),
            engine=self.name,
            search_query=evidence.search_query,
            flagged=checked.flagged,
        )

    def rank(self, evidence: Evidence) -> list[Candidate]:
        """Candidate sentences, best first, with their features."""
        weights = _term_weights(evidence.question, evidence.search_query, evidence.lexical)
        kind = answer_kind(evidence.question)
        question_numbers = numbers_in(evidence.question)
        candidates = []
        for index, passage in enumerate(evidence.passages):
            for s, e in _passage_sentences(passage.text):
                text = passage.text[s:e]
                if len(text.split()) < 3:
                    continue
                candidates.append(
                    _candidate(index, passage, text, s, e, weights, kind, question_numbers)
                )
        if not candidates:
            return []
        candidates.sort(key=lambda c: -c.cheap)
        shortlist = candidates[:SHORTLIST]
        vectors = np.array(self.embeddings.embed_documents([evidence.question] + [c.text for c in shortlist]))
        similarities = vectors[1:] @ vectors[0]
        scored = [replace(c, similarity=float(sim)) for c, sim in zip(shortlist, similarities, strict=True)]
        return sorted(scored, key=lambda c: -c.score)

    def _choose(self, ranked: list[Candidate]) -> list[Candidate]:
        best = ranked[0]
        chosen = [best]
        words = len(best.text.split())
        for c in ranked[1:]:
            if len(chosen) >= self.settings.max_sentences or c.score < SUPPORT_RATIO * best.score:
                break
            n = len(c.text.split())
            if words + n > self.settings.max_words or _near_duplicate(c.text, chosen):
                continue
            chosen.append(c)
            words += n
        return chosen


def _term_weights(question: str, search_query: str, lexical: LexicalIndex | None) -> dict[str, float]:
    """Question terms weighted by IDF; terms carried from earlier turns count for less."""
    weights: dict[str, float] = {}
    own = terms(question)
    carried = [t for t in terms(search_query) if t not in own]
    for term, factor in [(t, 1.0) for t in own] + [(t, 0.35) for t in carried]:
        known = lexical.closest_term(term) if lexical else term
        idf = lexical.idf(known or term) if lexical else 1.0
        weights[known or term] = max(weights.get(known or term, 0.0), factor * idf)
    return weights


def _candidate(
    index: int,
    passage: Passage,
    text: str,
    s: int,
    e: int,
    weights: dict[str, float],
    kind: AnswerKind,
    question_numbers: set[str],
) -> Candidate:
    total = sum(weights.values()) or 1.0
    present = set(terms(text))
    coverage = sum(w for t, w in weights.items() if t in present) / total
    if kind is AnswerKind.NUMBER:
        kind_match = bool(numbers_in(text) - question_numbers)
    else:
        kind_match = offers(kind, text)
    rank_prior = 0.05 / (1 + index)
    cheap = coverage + (0.1 if kind_match else 0.0) + rank_prior
    return Candidate(index, text, passage.start + s, passage.start + e, coverage, kind_match, cheap)


def _near_duplicate(text: str, chosen: list[Candidate]) -> bool:
    words = set(terms(text, stem=False))
    for c in chosen:
        other = set(terms(c.text, stem=False))
        if words and other and len(words & other) / len(words | other) > 0.6:
            return True
    return False
