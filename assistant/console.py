"""Console output shared by the shells (CLI, web server start-up): progress and index summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.models import IndexReport

console = Console(stderr=True)


def run_index(bot: Any, articles_dir: Path | None = None, quiet: bool = False) -> IndexReport:
    """Index with a progress bar on the console; shared by `index`, `ask`, `eval` and `serve`."""
    with Progress(
        TextColumn("embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("index", total=None)
        report = bot.index(
            articles_dir, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    return report


def print_report(report: IndexReport) -> None:
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    for name, reason in sorted(report.failed.items()):
        console.print(f"[red]failed:[/] {name}: {reason}")
    console.print(
        f"added {len(report.added)} · updated {len(report.updated)} · removed {len(report.removed)}"
        f" · unchanged {len(report.unchanged)} · failed {len(report.failed)}"
        f" · chunks embedded {report.chunks_embedded} · {report.seconds:.1f} s"
    )
