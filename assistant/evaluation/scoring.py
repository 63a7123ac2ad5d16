"""Scores for one case and aggregates over many."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answering.verify import MARKER, split_draft
from assistant.evaluation.matching import exact_match, group_found, token_f1
from assistant.evaluation.source_check import SourceFiles
from assistant.evaluation.testset import EvalCase
from assistant.models import Answer, Citation, ShortAnswer


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
    citations_verbatim: int  # found in the article's file AND equal to the stored slice
    citations_in_source: int  # found in the article's file (normalised, evals/README.md)
    cites_expected_source: bool | None
    sentences: int
    sentences_cited: int
    retrieved_articles: list[str]
    cited_articles: list[str]
    timings_ms: dict[str, float]
    evidence_score: float | None = None
    confidence: str = "none"  # the answer's own label: "high", "partial", "none" (abstained)
    answer_words: int = 0  # words of the answer without citation markers; 0 when abstained
    short_answer: str | None = None
    short_em: float | None = None  # answerable cases that list ``short`` only
    short_f1: float | None = None
    short_verbatim: bool | None = None  # the short answer, checked like a quote
    error: str = ""
    judged_faithful: bool | None = None  # LLM-judged, only with --judge
    judged_relevance: int | None = None  # LLM-judged, 1..5, only with --judge

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_case(
    case: EvalCase, answer: Answer, article_text: Callable[[str], str], sources: SourceFiles
) -> CaseResult:
    """Score one answer; quotes are checked against the store's text AND the article files.

    An answerable case is correct only when it is answered (not abstained), every expected
    group is found, it cites at least one passage, and every citation is verbatim.
    """
    retrieved = [p.article_id for p in answer.passages]
    rank = next((i + 1 for i, a in enumerate(retrieved) if a in case.sources), None)
    has_sources = case.answerable and bool(case.sources)
    plain = MARKER.sub("", answer.answer)
    missing = [g for g in case.expected if not group_found(g, plain)] if case.answerable else []
    in_source = [sources.contains(c.article_id, c.quote) for c in answer.citations]
    verbatim = sum(
        1
        for c, found in zip(answer.citations, in_source, strict=True)
        if found and _slice_matches(c, article_text)
    )
    cited = [c.article_id for c in answer.citations]
    # Answer text between markers: each piece followed by a [n] counts as cited.
    pieces = [] if answer.abstained else _cited_pieces(answer.answer)
    answered = not answer.abstained
    grounded = bool(answer.citations) and verbatim == len(answer.citations)
    short = answer.short_answer if answered else None
    scored_short = case.answerable and bool(case.short)
    return CaseResult(
        id=case.id,
        split=case.split,
        category=case.category,
        question=case.question,
        answerable=case.answerable,
        abstained=answer.abstained,
        answer=answer.answer,
        correct=(answered and not missing and grounded) if case.answerable else None,
        refusal_ok=answer.abstained != case.answerable,
        missing=missing,
        hit=rank is not None if has_sources else None,
        reciprocal_rank=(1.0 / rank if rank else 0.0) if has_sources else None,
        citations=len(answer.citations),
        citations_verbatim=verbatim,
        citations_in_source=sum(in_source),
        cites_expected_source=(
            any(a in case.sources for a in cited) if case.answerable and answered else None
        ),
        sentences=len(pieces),
        sentences_cited=sum(1 for _, cited in pieces if cited),
        retrieved_articles=list(dict.fromkeys(retrieved)),
        cited_articles=list(dict.fromkeys(cited)),
        timings_ms=dict(answer.timings_ms),
        evidence_score=answer.evidence_score,
        confidence="none" if answer.abstained else answer.confidence,
        answer_words=len(plain.split()) if answered else 0,
        short_answer=short.text if short else None,
        short_em=exact_match(short.text if short else "", case.short) if scored_short else None,
        short_f1=token_f1(short.text if short else "", case.short) if scored_short else None,
        short_verbatim=_short_verbatim(short, article_text, sources) if short else None,
    )


def _slice_matches(c: Citation, article_text: Callable[[str], str]) -> bool:
    return 0 <= c.start < c.end and article_text(c.article_id)[c.start : c.end] == c.quote


def _short_verbatim(
    short: ShortAnswer, article_text: Callable[[str], str], sources: SourceFiles
) -> bool:
    stored = 0 <= short.start < short.end and (
        article_text(short.article_id)[short.start : short.end] == short.text
    )
    return stored and sources.contains(short.article_id, short.text)


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
    """Aggregates. A ratio with nothing to count is None ("n/a"), never a free 1.0: a gate on
    it fails (``check_thresholds``), so a run with no citations or no refusals cannot pass."""

    cases: int = 0
    correctness: float = 0.0
    refusal_precision: float | None = None
    refusal_recall: float | None = None
    false_refusals: int = 0
    uncited_answers: int = 0  # answerable cases answered without any citation (all fail)
    hit_at_k: float = 0.0
    mrr: float = 0.0
    citation_verbatim: float | None = None
    cites_expected_source: float = 0.0
    sentences_cited: float | None = None
    short_em: float | None = None  # over answerable cases that list ``short``
    short_f1: float | None = None
    # Does the answer's confidence label hold? Answers labelled "high" (or "partial"), and the
    # share of them that are right: an answerable case answered correctly. An answered
    # unanswerable case is wrong whatever its label.
    high_answers: int = 0
    high_right: float | None = None
    partial_answers: int = 0
    partial_right: float | None = None
    answer_words_median: float | None = None  # over answered cases
    answer_words_p90: float | None = None
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


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, int(q) - 1))]


def _labels(results: list[CaseResult]) -> dict[str, Any]:
    """Per confidence label: how many answers carry it, and the share of them that are right."""
    figures: dict[str, Any] = {}
    for label in ("high", "partial"):
        labelled = [r for r in results if not r.abstained and r.confidence == label]
        right = sum(1 for r in labelled if r.answerable and r.correct)
        figures[f"{label}_answers"] = len(labelled)
        figures[f"{label}_right"] = _ratio(right, len(labelled))
    return figures


def summarise(results: list[CaseResult]) -> Summary:
    ok = [r for r in results if not r.error]
    answerable = [r for r in ok if r.answerable]
    refused = [r for r in ok if r.abstained]
    should_refuse = [r for r in ok if not r.answerable]
    true_refusals = sum(1 for r in refused if not r.answerable)
    stages = sorted({k for r in ok for k in r.timings_ms})
    words = [float(r.answer_words) for r in ok if not r.abstained]
    return Summary(
        cases=len(results),
        correctness=_mean(bool(r.correct) for r in answerable),
        refusal_precision=_ratio(true_refusals, len(refused)),
        refusal_recall=_ratio(true_refusals, len(should_refuse)),
        false_refusals=sum(1 for r in answerable if r.abstained),
        uncited_answers=sum(1 for r in answerable if not r.abstained and not r.citations),
        hit_at_k=_mean(bool(r.hit) for r in ok if r.hit is not None),
        mrr=_mean(r.reciprocal_rank for r in ok if r.reciprocal_rank is not None),
        citation_verbatim=_ratio(
            sum(r.citations_verbatim for r in ok), sum(r.citations for r in ok)
        ),
        cites_expected_source=_mean(
            bool(r.cites_expected_source) for r in ok if r.cites_expected_source is not None
        ),
        sentences_cited=_ratio(sum(r.sentences_cited for r in ok), sum(r.sentences for r in ok)),
        short_em=_optional_mean(r.short_em for r in answerable),
        short_f1=_optional_mean(r.short_f1 for r in answerable),
        **_labels(ok),
        answer_words_median=statistics.median(words) if words else None,
        answer_words_p90=round(percentile(words, 90), 1) if words else None,
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
