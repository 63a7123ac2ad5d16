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
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache, partial

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.attribution import with_attributions
from assistant.answering.candidates import WEIGHTS, Candidate, candidates_of, shortlist_of
from assistant.answering.engine import AnswerEvent, Evidence, abstention, answer_from, stream_text
from assistant.answering.figures import with_figures
from assistant.answering.kind_match import kind_matcher as _kind_matcher
from assistant.answering.kind_match import precise_kind_matcher
from assistant.answering.lead import answerable_lead, refusal_reason, with_short_answer
from assistant.answering.published import is_publication_question, publication_answer
from assistant.answering.question import is_identity_question, sub_questions
from assistant.answering.soft_terms import (
    SYNONYM_CREDIT,
    QuestionTerms,
    WordVectors,
    respelled_question,
    spelling_matches,
    term_weights,
)
from assistant.answering.things import ThingTyper
from assistant.answering.verify import DraftSentence, verify
from assistant.config import AnswerSettings
from assistant.conversation import resolve_question, search_query_for
from assistant.lexical import near_duplicate
from assistant.models import Answer, Turn

VECTOR_CACHE = 50_000  # sentence embeddings kept (1.5 KB each)
# Synonyms (soft_terms) are looked for below ``AnswerSettings.synonyms_below`` (0: off), in
# sentences they could lift to SYNONYMS_FLOOR (not the threshold: calibration sees real scores).
SYNONYMS_FLOOR = 0.3
SUPPORT_RATIO = 0.8  # a supporting sentence scores at least this share of the best one


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
        candidates = candidates_of(texts, weights, kind_match, refine, soft)
        if not candidates:
            return []
        shortlist = shortlist_of(candidates, refine)
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
