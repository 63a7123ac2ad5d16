"""`assistant eval`: index if needed, run the test set, print, write, gate on thresholds."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.answering.calibration import (
    CALIBRATION_FILE,
    Calibration,
    load_calibration,
    save_calibration,
)
from assistant.errors import LLMNotConfigured
from assistant.evaluation.judge import Judge
from assistant.evaluation.report import print_table, write_json, write_report
from assistant.evaluation.runner import calibrate, check_thresholds, choose_threshold, run_eval
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


ABSTENTION_OFF = -1.0  # evidence scores are >= 0, so no case abstains for want of evidence
CALIBRATION_RULE = (
    "best accuracy on the tune split; of tied runs of thresholds, the one refusing most of the "
    "questions to refuse, then the widest; its middle"
)


def calibrate_command(
    bot: Assistant,
    cases: list[EvalCase],
    console: Console,
    testset: str,
    write: bool = False,
    check: bool = False,
    path: Path = CALIBRATION_FILE,
) -> int:
    """Choose the abstention threshold on the tuning cases; 0, or 1 when --check finds a change.

    ``bot`` must be built with abstention off (``answer.abstain_below`` below 0). Only the
    ``tune`` cases are asked; the held-out half is never read here.
    """
    off = bot.settings.answer.abstain_below
    if off is None or off >= 0:
        raise ValueError("calibration needs an assistant built with abstention off")
    tune = [c for c in cases if c.split == "tune"]
    if not tune:
        raise ValueError("the test set has no tune cases to calibrate on")
    run = run_eval(bot, tune, "extractive")
    rows = calibrate(run.results)
    chosen = choose_threshold(rows)
    shipped = load_calibration(path)
    table = Table(
        title=f"abstention threshold on {len(tune)} tune cases (shipped {shipped.abstain_below})"
    )
    for column in ("threshold", "correctness", "refusal_recall", "refusal_precision", "accuracy"):
        table.add_column(column, justify="right")
    for row in rows:
        style = "bold green" if row is chosen else None
        table.add_row(*(f"{row[k]:.2f}" for k in row), style=style)
    console.print(table)
    for r in sorted(run.results, key=lambda r: r.evidence_score or 0):
        mark = "answerable" if r.answerable else "refuse"
        score = r.evidence_score or 0
        console.print(f"  {score:.3f} {mark:10} {'ok ' if r.correct else '   '} {r.id}")
    computed = Calibration(chosen["threshold"], f"{testset}, split tune", CALIBRATION_RULE)
    console.print(f"chosen: abstain below {computed.abstain_below} ({CALIBRATION_RULE})")
    if write:
        save_calibration(computed, path)
        console.print(f"wrote {path}")
    if check and computed.abstain_below != shipped.abstain_below:
        console.print(
            f"[red]calibration check failed:[/] shipped {shipped.abstain_below}, "
            f"calibration computes {computed.abstain_below}"
        )
        return 1
    return 0


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
