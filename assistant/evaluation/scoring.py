"""Scores for one case and aggregates over many."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answering.verify import MARKER, split_draft
from assistant.evaluation.testset import EvalCase
from assistant.models import Answer


def normalise_for_match(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


def group_found(group: list[str], answer_text: str) -> bool:
    haystack = normalise_for_match(answer_text)
    return any(normalise_for_match(alt) in haystack for alt in group)


@dataclass
class CaseResult:
    id: str
    split: str
    category: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    correct: bool | None  # answerable cases only
    refusal_ok: bool  # abstained exactly when it should
    missing: list[list[str]]
    hit: bool | None
    reciprocal_rank: float | None
    citations: int
    citations_verbatim: int
    cites_expected_source: bool | None
    sentences: int
    sentences_cited: int
    retrieved_articles: list[str]
    cited_articles: list[str]
    timings_ms: dict[str, float]
    confidence: float | None = None
    error: str = ""
    judged_faithful: bool | None = None  # LLM-judged, only with --judge
    judged_relevance: int | None = None  # LLM-judged, 1..5, only with --judge

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_case(case: EvalCase, answer: Answer, article_text: Callable[[str], str]) -> CaseResult:
    retrieved = [p.article_id for p in answer.passages]
    rank = next((i + 1 for i, a in enumerate(retrieved) if a in case.sources), None)
    has_sources = case.answerable and bool(case.sources)
    plain = MARKER.sub("", answer.answer)
    missing = [g for g in case.expected if not group_found(g, plain)] if case.answerable else []
    verbatim = sum(
        1 for c in answer.citations if article_text(c.article_id)[c.start : c.end] == c.quote
    )
    cited = [c.article_id for c in answer.citations]
    # Answer text between markers: each piece followed by a [n] counts as cited.
    pieces = [] if answer.abstained else _cited_pieces(answer.answer)
    return CaseResult(
        id=case.id,
        split=case.split,
        category=case.category,
        question=case.question,
        answerable=case.answerable,
        abstained=answer.abstained,
        answer=answer.answer,
        correct=(not answer.abstained and not missing) if case.answerable else None,
        refusal_ok=answer.abstained != case.answerable,
        missing=missing,
        hit=rank is not None if has_sources else None,
        reciprocal_rank=(1.0 / rank if rank else 0.0) if has_sources else None,
        citations=len(answer.citations),
        citations_verbatim=verbatim,
        cites_expected_source=(
            any(a in case.sources for a in cited)
            if case.answerable and not answer.abstained
            else None
        ),
        sentences=len(pieces),
        sentences_cited=sum(1 for _, cited in pieces if cited),
        retrieved_articles=list(dict.fromkeys(retrieved)),
        cited_articles=list(dict.fromkeys(cited)),
        timings_ms=dict(answer.timings_ms),
        confidence=answer.evidence_score,
    )


def _cited_pieces(text: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in MARKER.finditer(text):
        if text[last : match.start()].strip():
            pieces.append((text[last : match.start()], True))
        last = match.end()
    tail = text[last:]
    pieces += [(s.text, False) for s in split_draft(tail)] if tail.strip() else []
    return pieces


@dataclass
class Summary:
    cases: int = 0
    correctness: float = 0.0
    refusal_precision: float = 0.0
    refusal_recall: float = 0.0
    false_refusals: int = 0
    hit_at_k: float = 0.0
    mrr: float = 0.0
    citation_verbatim: float = 0.0
    cites_expected_source: float = 0.0
    sentences_cited: float = 0.0
    errors: int = 0
    llm_judged_faithfulness: float | None = None
    llm_judged_relevance: float | None = None
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _mean(values: Iterable[float | bool]) -> float:
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else 0.0


def _optional_mean(values: Iterable[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _ratio(num: int, den: int, empty: float = 1.0) -> float:
    return num / den if den else empty


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, int(q) - 1))]


def summarise(results: list[CaseResult]) -> Summary:
    ok = [r for r in results if not r.error]
    answerable = [r for r in ok if r.answerable]
    refused = [r for r in ok if r.abstained]
    should_refuse = [r for r in ok if not r.answerable]
    true_refusals = sum(1 for r in refused if not r.answerable)
    stages = sorted({k for r in ok for k in r.timings_ms})
    return Summary(
        cases=len(results),
        correctness=_mean(bool(r.correct) for r in answerable),
        refusal_precision=_ratio(true_refusals, len(refused)),
        refusal_recall=_ratio(true_refusals, len(should_refuse)),
        false_refusals=sum(1 for r in answerable if r.abstained),
        hit_at_k=_mean(bool(r.hit) for r in ok if r.hit is not None),
        mrr=_mean(r.reciprocal_rank for r in ok if r.reciprocal_rank is not None),
        citation_verbatim=_ratio(
            sum(r.citations_verbatim for r in ok), sum(r.citations for r in ok)
        ),
        cites_expected_source=_mean(
            bool(r.cites_expected_source) for r in ok if r.cites_expected_source is not None
        ),
        sentences_cited=_ratio(sum(r.sentences_cited for r in ok), sum(r.sentences for r in ok)),
        errors=len(results) - len(ok),
        llm_judged_faithfulness=_optional_mean(r.judged_faithful for r in ok),
        llm_judged_relevance=_optional_mean(r.judged_relevance for r in ok),
        latency_ms={
            stage: {
                "p50": round(
                    percentile([r.timings_ms[stage] for r in ok if stage in r.timings_ms], 50), 2
                ),
                "p95": round(
                    percentile([r.timings_ms[stage] for r in ok if stage in r.timings_ms], 95), 2
                ),
            }
            for stage in stages
        },
    )
