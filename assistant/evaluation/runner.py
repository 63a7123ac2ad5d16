"""Ask every case through the service and score it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.evaluation.judge import Judge
from assistant.evaluation.scoring import CaseResult, Summary, score_case, summarise
from assistant.evaluation.testset import EvalCase
from assistant.models import Answer
from assistant.service import Assistant


@dataclass
class EvalRun:
    engine: str
    results: list[CaseResult]
    overall: Summary
    by_split: dict[str, Summary]
    by_category: dict[str, Summary]
    seconds: float
    thresholds: dict[str, float] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "seconds": round(self.seconds, 2),
            "overall": self.overall.to_dict(),
            "by_split": {k: v.to_dict() for k, v in self.by_split.items()},
            "by_category": {k: v.to_dict() for k, v in self.by_category.items()},
            "thresholds": self.thresholds,
            "missed_thresholds": self.missed,
            "cases": [r.to_dict() for r in self.results],
        }


def run_eval(
    bot: Assistant,
    cases: list[EvalCase],
    engine: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    judge: Judge | None = None,
) -> EvalRun:
    """Run every case; a case that raises is scored as an error, not a crash of the run."""
    started = time.perf_counter()
    engine_name = engine or bot.settings.answer.engine
    texts: dict[str, str] = {}

    def article_text(article_id: str) -> str:
        if article_id not in texts:
            article = bot.article(article_id)
            texts[article_id] = article.text if article else ""
        return texts[article_id]

    results = []
    for i, case in enumerate(cases):
        results.append(_run_case(bot, case, engine, article_text, judge))
        if progress:
            progress(i + 1, len(cases))
    return EvalRun(
        engine=engine_name,
        results=results,
        overall=summarise(results),
        by_split={
            s: summarise([r for r in results if r.split == s])
            for s in sorted({r.split for r in results})
        },
        by_category={
            c: summarise([r for r in results if r.category == c])
            for c in sorted({r.category for r in results})
        },
        seconds=time.perf_counter() - started,
    )


def _run_case(
    bot: Assistant,
    case: EvalCase,
    engine: str | None,
    article_text: Callable[[str], str],
    judge: Judge | None = None,
) -> CaseResult:
    try:
        answer = bot.ask(case.question, case.turns(), case.filter_values(), engine)
    except Exception as exc:  # one broken case must not stop the run
        failed = Answer(case.question, "", False, (), (), engine or "", {})
        result = score_case(case, failed, article_text)
        result.error = f"{type(exc).__name__}: {exc}"
        result.correct = False if case.answerable else None
        result.refusal_ok = False
        return result
    result = score_case(case, answer, article_text)
    if judge is not None and not answer.abstained:
        verdict = judge.score(case.question, answer)
        result.judged_faithful, result.judged_relevance = verdict.faithful, verdict.relevance
    return result


THRESHOLD_FIELDS = {
    "correctness": "correctness",
    "refusal_precision": "refusal_precision",
    "refusal_recall": "refusal_recall",
    "citation_verbatim": "citation_verbatim",
}


def check_thresholds(run: EvalRun, thresholds: dict[str, float]) -> list[str]:
    """Names and values of the overall metrics below their threshold."""
    run.thresholds = dict(thresholds)
    missed = []
    for name, minimum in thresholds.items():
        value = getattr(run.overall, THRESHOLD_FIELDS[name])
        if value < minimum:
            missed.append(f"{name} {value:.3f} < {minimum:.3f}")
    if run.overall.errors:
        missed.append(f"{run.overall.errors} case(s) raised an error")
    run.missed = missed
    return missed


def calibrate(results: list[CaseResult], grid: list[float] | None = None) -> list[dict[str, float]]:
    """For each abstention threshold, what the cases would score (answers run with none).

    An answer does not change with the threshold, only whether it is withheld, so one run
    with abstention off is enough: a case abstains at threshold t when its confidence < t.
    """
    grid = grid or [round(0.20 + 0.01 * i, 2) for i in range(51)]
    rows = []
    for t in grid:
        answered_right = sum(
            1 for r in results if r.answerable and r.correct and (r.confidence or 0) >= t
        )
        refused_right = sum(1 for r in results if not r.answerable and (r.confidence or 0) < t)
        refused = sum(1 for r in results if (r.confidence or 0) < t)
        answerable = sum(1 for r in results if r.answerable)
        unanswerable = len(results) - answerable
        rows.append(
            {
                "threshold": t,
                "correctness": answered_right / answerable if answerable else 0.0,
                "refusal_recall": refused_right / unanswerable if unanswerable else 1.0,
                "refusal_precision": refused_right / refused if refused else 1.0,
                "accuracy": (answered_right + refused_right) / len(results) if results else 0.0,
            }
        )
    return rows
