"""The ``assistant`` command: a thin shell over the library API."""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from assistant.config import Settings
from assistant.console import console, print_report, run_index
from assistant.errors import AssistantError, BadInput
from assistant.models import Answer, Filters, read_day

app = typer.Typer(
    help="Newsroom question answering over news articles, with verified citations.",
    no_args_is_help=True,
    add_completion=False,
)
F = TypeVar("F", bound=Callable[..., Any])


def command(name: str | None = None) -> Callable[[F], F]:
    """``app.command``, with every ``AssistantError`` shown as one ``error:`` line.

    The one place the CLI catches the library's errors: their message is for a person, so no
    traceback; the exit status is the error's ``exit_code`` (2 for bad input, else 1).
    """

    def register(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except AssistantError as exc:
                fail(exc.message, exc.exit_code)

        app.command(name=name)(run)
        return function

    return register


def fail(message: str, code: int) -> None:
    """Print one ``error:`` line (however narrow the terminal) and exit with ``code``."""
    console.print(f"[red]error:[/] {message}", soft_wrap=True, markup=True, highlight=False)
    raise typer.Exit(code)


ArticlesOpt = Annotated[Path | None, typer.Option("--articles", help="Folder of article files.")]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Folder where the index lives.")]


def settings_from(articles: Path | None = None, index: Path | None = None, **top: Any) -> Settings:
    """Environment settings with command-line flags on top."""
    settings = Settings().with_overrides(articles={"dir": articles}, index={"dir": index})
    top = {k: v for k, v in top.items() if v is not None}
    return settings.model_copy(update=top) if top else settings


def _bot(settings: Settings) -> Any:
    from assistant.factory import build_assistant

    return build_assistant(settings)


@command()
def index(articles: ArticlesOpt = None, index: IndexOpt = None) -> None:
    """Index (incrementally) every article file in the articles folder."""
    settings = settings_from(articles, index)
    try:
        report = run_index(_bot(settings), settings.articles.dir)
    except AssistantError:
        raise
    except Exception as exc:
        # The store's own errors (Chroma's InternalError, ...) do not say that the disk is
        # full. Name the cause when it is one a person can fix; anything else is a bug, and
        # its traceback is what is needed.
        problem = storage_problem(settings.index.dir)
        if problem is None:
            raise
        console.print(
            f"[red]error:[/] the index could not be written: {problem} "
            f"({type(exc).__name__}: {exc}). Every article keeps its last fully indexed "
            "version, so the index still answers; run `assistant index` again once fixed.",
            soft_wrap=True,  # one line, however narrow the terminal
        )
        raise typer.Exit(1) from None
    print_report(report)


MIN_FREE_BYTES = 50_000_000  # below this a failed write is put down to a full disk


def storage_problem(folder: Path) -> str | None:
    """Why writes under ``folder`` fail, when it is full, read-only or a file-size limit applies."""
    folder = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if free is not None and free < MIN_FREE_BYTES:
        return f"the disk holding {folder} is full ({free / 1e6:.1f} MB free)"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is not writable"
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        return f"this process may not write files over {soft:,} bytes (ulimit -f)"
    return None


@command()
def status(articles: ArticlesOpt = None, index: IndexOpt = None) -> None:
    """Show what the index holds and with which settings."""
    bot = _bot(settings_from(articles, index))
    state = bot.state()
    if state is None:
        console.print("nothing indexed yet: run `assistant index`")
        raise typer.Exit(1)
    typer.echo(
        json.dumps(
            {**bot.stats(), "settings": state.settings, "articles_indexed": bot.articles()},
            indent=2,
        )
    )


@command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
    file: Annotated[
        Path | None, typer.Option("--file", help="One question per line; JSON lines out.")
    ] = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="extractive (default) or llm.")
    ] = None,
    article_id: Annotated[
        list[str] | None, typer.Option("--article-id", help="Only these articles.")
    ] = None,
    outlet: Annotated[
        list[str] | None, typer.Option("--outlet", help="Only these outlets.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--from", help="Published on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Published on or before (YYYY-MM-DD).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Answer as the archive stood that day (YYYY-MM-DD): only articles published "
            "by then; 'this week', 'latest' read relative to it.",
        ),
    ] = None,
    articles: ArticlesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Answer a question (or a file of questions) from the indexed articles."""
    settings = settings_from(articles, index)
    filters = Filters.from_dict(
        {
            "article_ids": article_id,
            "outlets": outlet,
            "published_from": since,
            "published_to": until,
        }
    )
    as_of_day = read_day(as_of)
    questions = _questions(question, file)
    bot = _bot(settings)
    if bot.needs_index():
        print_report(run_index(bot, settings.articles.dir))
    status_code = 0
    for q in questions:
        try:
            answer = bot.ask(q, filters=filters, engine=engine, as_of=as_of_day)
        except BadInput as exc:  # this question only: the others in a --file still get answers
            status_code = exc.exit_code
            if as_json or file:
                typer.echo(json.dumps({"question": q, "error": exc.message}))
            else:
                console.print(f"[red]error:[/] {exc.message}", soft_wrap=True)
            continue
        typer.echo(
            json.dumps(answer.to_dict(), ensure_ascii=False) if as_json or file else _format(answer)
        )
    raise typer.Exit(status_code)


@command(name="eval")
def evaluate(
    testset: Annotated[Path, typer.Argument(help="Test set (YAML or JSONL); see evals/README.md.")],
    articles: ArticlesOpt = None,
    index: IndexOpt = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="extractive (default) or llm.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write an HTML (.html) or Markdown report.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write every case's answer and scores.")
    ] = None,
    min_correctness: Annotated[
        float | None, typer.Option(help="Fail below this correctness.")
    ] = None,
    min_refusal_precision: Annotated[
        float | None, typer.Option(help="Fail below this refusal precision.")
    ] = None,
    min_refusal_recall: Annotated[
        float | None, typer.Option(help="Fail below this refusal recall.")
    ] = None,
    min_citation_verbatim: Annotated[
        float | None, typer.Option(help="Fail below this share of verbatim quotes.")
    ] = None,
    min_short_em: Annotated[
        float | None, typer.Option(help="Fail below this short-answer exact match.")
    ] = None,
    min_follow_ups: Annotated[
        float | None, typer.Option(help="Fail below this correctness on follow-up cases.")
    ] = None,
    min_high_right: Annotated[
        float | None,
        typer.Option(help='Fail below this share of right answers among those labelled "high".'),
    ] = None,
    split: Annotated[
        str | None, typer.Option("--split", help="Only the tune or heldout cases.")
    ] = None,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrate", help="Choose the abstention threshold on the tune split (only)."
        ),
    ] = False,
    write_calibration: Annotated[
        bool, typer.Option("--write", help="With --calibrate: write answering/calibration.json.")
    ] = False,
    check_calibration: Annotated[
        bool,
        typer.Option("--check", help="With --calibrate: exit 1 if the shipped value differs."),
    ] = False,
    judge: Annotated[
        bool,
        typer.Option("--judge", help="Add LLM-judged faithfulness and relevance (needs an LLM)."),
    ] = False,
) -> None:
    """Run a scripted test set through the assistant and score it; non-zero exit below thresholds."""
    from assistant.evaluation.command import (
        ABSTENTION_OFF,
        build_judge,
        calibrate_command,
        run_command,
    )
    from assistant.evaluation.testset import TestSetError, load_testset

    settings = settings_from(articles, index)
    try:
        cases = load_testset(testset)
    except TestSetError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if calibrate:
        # Abstention off through the settings, in an assistant of its own: the tune split only.
        answer = settings.answer.model_copy(update={"abstain_below": ABSTENTION_OFF})
        bot = _bot(settings.model_copy(update={"answer": answer}))
        print_report(run_index(bot, settings.articles.dir))
        tune = [c for c in cases if c.split == "tune"]
        try:
            code = calibrate_command(
                bot, tune, console, str(testset), write_calibration, check_calibration
            )
        except ValueError as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
        raise typer.Exit(code)
    if split:
        cases = [c for c in cases if c.split == split]
    bot = _bot(settings)
    print_report(run_index(bot, settings.articles.dir))
    limits = settings.eval.model_copy(
        update={
            k: v
            for k, v in {
                "min_correctness": min_correctness,
                "min_refusal_precision": min_refusal_precision,
                "min_refusal_recall": min_refusal_recall,
                "min_citation_verbatim": min_citation_verbatim,
                "min_short_em": min_short_em,
                "min_follow_ups": min_follow_ups,
                "min_high_right": min_high_right,
            }.items()
            if v is not None
        }
    )
    thresholds = {name.removeprefix("min_"): value for name, value in limits.model_dump().items()}
    llm_judge = build_judge(bot) if judge else None
    if not run_command(bot, cases, console, engine, thresholds, report, json_path, llm_judge):
        raise typer.Exit(1)


@command()
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (uvicorn).")] = 1,
    articles: ArticlesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Serve the chat (/), the embed (/embed) and the HTTP API (/api/v1) on one port."""
    from assistant.web.server import serve as serve_app

    serve_app(settings_from(articles, index), host=host, port=port, workers=workers)


@command()
def migrate(
    to_host: Annotated[
        str, typer.Option("--to-host", help="Chroma server host to copy the index to.")
    ],
    to_port: Annotated[int, typer.Option("--to-port", help="Chroma server port.")] = 8000,
    to_ssl: Annotated[bool, typer.Option("--to-ssl", help="Use HTTPS.")] = False,
    index: IndexOpt = None,
) -> None:
    """Copy the embedded index (under --index) to a Chroma server, vectors included."""
    from assistant.factory import copy_index_to_server

    copied = copy_index_to_server(settings_from(None, index), to_host, to_port, to_ssl)
    for name, count in copied.items():
        console.print(f"copied {count} records of {name}")
    console.print(
        f"index copied to {to_host}:{to_port}; set ASSISTANT_CHROMA_HOST={to_host} to use it"
    )


def _questions(question: str | None, file: Path | None) -> list[str]:
    if file is not None:
        if not file.is_file():
            console.print(f"[red]error:[/] no such file: {file}")
            raise typer.Exit(2)
        return [
            line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    if question is None:
        console.print("[red]error:[/] give a question, or --file QUESTIONS.txt")
        raise typer.Exit(2)
    return [question]


# Said apart, so a reader cannot take "the quote exists" for "the answer is right".
_ANSWERS = {"high": "high", "partial": "partial", "none": "not found"}


def _format(answer: Answer) -> str:
    lines = [answer.answer, ""]
    if answer.resolved_question and answer.resolved_question != answer.question:
        lines.insert(0, f"(read as: {answer.resolved_question})")
    if not answer.abstained:
        lines.append(f"answers the question: {_ANSWERS.get(answer.confidence, answer.confidence)}")
    for c in answer.citations:
        mark = "verbatim in the article" if c.verified else "NOT FOUND VERBATIM"
        when = c.published or "date not given"
        source = f"{c.title or c.article_id} — {c.outlet or 'outlet not given'}, {when}"
        lines.append(f"[{c.n}] {source} ({mark})")
        lines.append(f"    “{c.quote}”")
    return "\n".join(lines).rstrip()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
