"""Ask every case through the service and score it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import NoMatchingArticles
from assistant.evaluation.judge import Judge
from assistant.evaluation.scoring import CaseResult, Summary, score_case, summarise
from assistant.evaluation.source_check import SourceFiles
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

    # Quotes are also checked against the files of the folder this run indexed.
    sources = SourceFiles(bot.settings.articles.dir)
    results = []
    for i, case in enumerate(cases):
        results.append(_run_case(bot, case, engine, article_text, sources, judge))
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
    sources: SourceFiles,
    judge: Judge | None = None,
) -> CaseResult:
    try:
        answer = bot.ask(case.question, case.turns(), case.filter_values(), engine, case.as_of)
    except NoMatchingArticles as exc:
        # The product declines with this message: no article passes the case's filters or
        # was published by its ``as_of`` day. A refusal, scored like any other.
        answer = Answer(case.question, exc.message, True, (), (), engine or "", {})
    except Exception as exc:  # one broken case must not stop the run
        failed = Answer(case.question, "", False, (), (), engine or "", {})
        result = score_case(case, failed, article_text, sources)
        result.error = f"{type(exc).__name__}: {exc}"
        result.correct = False if case.answerable else None
        result.refusal_ok = False
        return result
    result = score_case(case, answer, article_text, sources)
    if judge is not None and not answer.abstained:
        verdict = judge.score(case.question, answer)
        result.judged_faithful, result.judged_relevance = verdict.faithful, verdict.relevance
    return result


THRESHOLD_FIELDS = {
    "correctness": "correctness",
    "refusal_precision": "refusal_precision",
    "refusal_recall": "refusal_recall",
    "citation_verbatim": "citation_verbatim",
    "short_em": "short_em",
    "short_f1": "short_f1",
    "high_right": "high_right",
}


FOLLOW_UP_CATEGORY = "conversation"  # evals/README.md: follow-up questions with a history


def check_thresholds(run: EvalRun, thresholds: dict[str, float]) -> list[str]:
    """Names and values of the overall metrics below their threshold."""
    run.thresholds = dict(thresholds)
    missed = []
    for name, minimum in thresholds.items():
        if name == "follow_ups":  # the conversation cases: follow-ups and topic switches
            conversation = run.by_category.get(FOLLOW_UP_CATEGORY)
            value = conversation.correctness if conversation else None
        else:
            value = getattr(run.overall, THRESHOLD_FIELDS[name])
        if value is None:  # nothing to measure (no citations, no refusals): not a pass
            if minimum > 0:  # a threshold of 0 is no gate
                missed.append(f"{name} n/a (nothing to measure) < {minimum:.3f}")
        elif value < minimum:
            missed.append(f"{name} {value:.3f} < {minimum:.3f}")
    if run.overall.errors:
        missed.append(f"{run.overall.errors} case(s) raised an error")
    run.missed = missed
    return missed


CALIBRATION_GRID = [round(0.20 + 0.01 * i, 2) for i in range(51)]


def calibrate(results: list[CaseResult], grid: list[float] | None = None) -> list[dict[str, float]]:
    """For each abstention threshold, what the cases would score (answers run with none).

    An answer does not change with the threshold, only whether it is withheld, so one run
    with abstention off is enough: a case abstains at threshold t when its evidence score is
    below t, or when the engine abstained anyway (nothing survived verification).
    """
    rows = []
    answerable = sum(1 for r in results if r.answerable)
    unanswerable = len(results) - answerable
    for t in grid or CALIBRATION_GRID:
        refuses = [r.abstained or (r.evidence_score or 0.0) < t for r in results]
        answered_right = sum(
            1
            for r, no in zip(results, refuses, strict=True)
            if r.answerable and r.correct and not no
        )
        refused_right = sum(
            1 for r, no in zip(results, refuses, strict=True) if not r.answerable and no
        )
        refused = sum(refuses)
        rows.append(
            {
                "threshold": t,
                "correctness": answered_right / answerable if answerable else 0.0,
                "refusal_recall": refused_right / unanswerable if unanswerable else 0.0,
                "refusal_precision": refused_right / refused if refused else 0.0,
                "accuracy": (answered_right + refused_right) / len(results) if results else 0.0,
            }
        )
    return rows


def choose_threshold(rows: list[dict[str, float]]) -> dict[str, float]:
    """The middle of a run of adjacent grid thresholds with the best accuracy.

    Accuracy (right answers + right refusals) is a step function of the threshold. Inside a
    tied run every threshold decides every tuning case the same way; its middle is furthest
    from the cases whose scores bound the run, so a small drift in evidence scores (a new
    model or library version) changes the fewest decisions. Between runs of equal accuracy,
    the one refusing more of the questions that must be refused (a desk trusts a refusal
    over a wrong answer), then the widest, then the lowest; the lower middle of an even run.
    Deterministic for a given run.
    """
    if not rows:
        raise ValueError("no thresholds to choose from")
    best = max(r["accuracy"] for r in rows)
    runs: list[list[dict[str, float]]] = [[]]
    for row in rows:
        if row["accuracy"] == best:
            runs[-1].append(row)
        elif runs[-1]:
            runs.append([])
    chosen = max(  # max keeps the first (lowest) on ties
        (run for run in runs if run),
        key=lambda run: (max(r.get("refusal_recall", 0.0) for r in run), len(run)),
    )
    return chosen[(len(chosen) - 1) // 2]
