"""What soft term matching costs `ask()`: the same questions with it on and off, in one run.

    python -m bench.soft_terms --testset /work/data/rtqa-p/testset.yaml \\
        --articles /work/data/rtqa-p/articles --index /work/data/rtqa-p/index

Soft matching (assistant/answering/soft_terms.py) adds a spelling search over the retrieved
passages' words, a second retrieval for a misspelt query, and word embeddings for questions
that would be refused. Each question is asked once with it and once without, in alternating
order (half the questions with it first), in one process, so machine load falls on both
alike; the figures to read are the ratios (on / off) of the p50 and p95 of the whole `ask()`
and of its answer stage, and how many answers differ.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import percentile, print_table, settings_for, write_json


@contextlib.contextmanager
def soft_matching_off() -> Iterator[None]:
    """Every soft match disabled: exact terms only, the query searched as asked."""
    from assistant import service
    from assistant.answering import extractive, soft_terms

    saved = (
        service.respelled_query,
        extractive.spelling_matches,
        extractive.respelled_question,
        soft_terms.QuestionTerms.coverage_with_synonyms,
    )
    service.respelled_query = lambda question, texts, known: question  # type: ignore[assignment]
    extractive.spelling_matches = lambda asked, texts: soft_terms.NO_MATCHES  # type: ignore[assignment]
    extractive.respelled_question = lambda question: question  # type: ignore[assignment]
    soft_terms.QuestionTerms.coverage_with_synonyms = (  # type: ignore[method-assign]
        lambda self, sentence, vectors: sentence.coverage
    )
    try:
        yield
    finally:
        (
            service.respelled_query,
            extractive.spelling_matches,
            extractive.respelled_question,
            soft_terms.QuestionTerms.coverage_with_synonyms,
        ) = saved  # type: ignore[method-assign]


def _ask(bot: Any, question: str, off: bool) -> tuple[float, float, str]:
    context = soft_matching_off() if off else contextlib.nullcontext()
    with context:
        started = time.perf_counter()
        answer = bot.ask(question)
        wall = (time.perf_counter() - started) * 1000
    return wall, float(answer.timings_ms.get("answer", 0.0)), answer.answer


def main() -> None:
    from assistant.evaluation.testset import load_testset
    from assistant.factory import build_assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testset", type=Path, required=True)
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=0, help="at most this many (0: all)")
    args = parser.parse_args()

    bot = build_assistant(settings_for(args.index, args.articles))
    cases = [c for c in load_testset(args.testset) if not c.history]
    if args.questions:
        cases = cases[: args.questions]
    for case in cases[:5]:  # warm-up: model loaded, caches of the first questions filled
        _ask(bot, case.question, off=False)
    runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    differ = 0
    for k, case in enumerate(cases):
        order = (False, True) if k % 2 else (True, False)
        texts = {}
        for off in order:
            wall, answer_ms, text = _ask(bot, case.question, off)
            runs[off].append((wall, answer_ms))
            texts[off] = text
        differ += texts[True] != texts[False]
    rows, result = [], {}
    for name, index in (("ask() ms", 0), ("answer stage ms", 1)):
        on = [r[index] for r in runs[False]]
        off = [r[index] for r in runs[True]]
        figures = {
            f"{mode}_{p}": round(percentile(values, p), 1)
            for mode, values in (("on", on), ("off", off))
            for p in (50, 95)
        }
        figures["ratio_p50"] = round(figures["on_50"] / max(figures["off_50"], 1e-9), 3)
        figures["ratio_p95"] = round(figures["on_95"] / max(figures["off_95"], 1e-9), 3)
        result[name] = figures
        rows.append([name, *figures.values()])
    print_table(["measure", "on p50", "on p95", "off p50", "off p95", "p50 ×", "p95 ×"], rows)
    print(f"{len(cases)} questions; answers that differ with soft matching: {differ}")
    write_json("soft_terms", {"questions": len(cases), "answers_differ": differ, **result})


if __name__ == "__main__":
    main()
