"""`assistant eval`: index if needed, run the test set, print, write, gate on thresholds."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import LLMNotConfigured
from assistant.evaluation.judge import Judge
from assistant.evaluation.report import print_table, write_json, write_report
from assistant.evaluation.runner import calibrate, check_thresholds, run_eval
from assistant.evaluation.testset import EvalCase
from assistant.service import Assistant


def run_command(
    bot: Assistant,
    cases: list[EvalCase],
    console: Console,
    engine: str | None,
    thresholds: dict[str, float],
    report: Path | None,
    json_path: Path | None,
    judge: Judge | None = None,
) -> bool:
    """True when every threshold is met."""
    with Progress(
        TextColumn("asking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("eval", total=len(cases))
        run = run_eval(
            bot,
            cases,
            engine,
            progress=lambda done, total: bar.update(task, completed=done),
            judge=judge,
        )
    missed = check_thresholds(run, thresholds)
    print_table(run, console)
    if json_path:
        write_json(run, json_path)
        console.print(f"wrote {json_path}")
    if report:
        write_report(run, report)
        console.print(f"wrote {report}")
    return not missed


def calibrate_command(bot: Assistant, cases: list[EvalCase], console: Console) -> None:
    """Answer the tuning cases with abstention off, then show each threshold's outcome."""
    engine = bot.engines["extractive"]
    saved = engine.abstain_below  # type: ignore[attr-defined]
    engine.abstain_below = -1.0  # type: ignore[attr-defined]
    try:
        run = run_eval(bot, [c for c in cases if c.split == "tune"], "extractive")
    finally:
        engine.abstain_below = saved  # type: ignore[attr-defined]
    table = Table(title=f"abstention threshold on the tuning split (current {saved})")
    for column in ("threshold", "correctness", "refusal_recall", "refusal_precision", "accuracy"):
        table.add_column(column, justify="right")
    rows = calibrate(run.results)
    best = max(rows, key=lambda r: (r["accuracy"], r["correctness"]))
    for row in rows:
        style = "bold green" if row is best else None
        table.add_row(*(f"{row[k]:.2f}" for k in row), style=style)
    console.print(table)
    for r in sorted(run.results, key=lambda r: r.confidence or 0):
        mark = "answerable" if r.answerable else "refuse"
        console.print(f"  {r.confidence or 0:.3f} {mark:10} {'ok ' if r.correct else '   '} {r.id}")


def build_judge(bot: Assistant) -> Judge:
    """The LLM judge from the LLM settings; ``LLMNotConfigured`` when there is none."""
    from assistant.answering.chat_models import build_chat_model
    from assistant.prompts import load_judge_prompt

    llm = bot.settings.llm
    if not (llm.model or llm.base_url):
        raise LLMNotConfigured(
            "--judge needs an LLM: set ASSISTANT_LLM_MODEL or ASSISTANT_LLM_BASE_URL"
        )
    return Judge(build_chat_model(llm), load_judge_prompt(bot.settings.prompts))
