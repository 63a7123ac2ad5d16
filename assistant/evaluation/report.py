"""Console table, JSON file, and an HTML or Markdown report with a chart."""

from __future__ import annotations

import html
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from assistant.evaluation.runner import EvalRun
from assistant.evaluation.scoring import Summary

COLUMNS = [
    ("cases", "cases", "{:d}"),
    ("correct", "correctness", "{:.2f}"),
    ("refuse P", "refusal_precision", "{:.2f}"),
    ("refuse R", "refusal_recall", "{:.2f}"),
    ("false ref.", "false_refusals", "{:d}"),
    ("hit@k", "hit_at_k", "{:.2f}"),
    ("MRR", "mrr", "{:.2f}"),
    ("verbatim", "citation_verbatim", "{:.2f}"),
    ("uncited", "uncited_answers", "{:d}"),
    ("cites src", "cites_expected_source", "{:.2f}"),
    ("cited sent.", "sentences_cited", "{:.2f}"),
    ("short EM", "short_em", "{:.2f}"),
    ("short F1", "short_f1", "{:.2f}"),
    ("words p50", "answer_words_median", "{:.0f}"),
    ("words p90", "answer_words_p90", "{:.0f}"),
]

# Whether the answers' confidence labels hold: answers with each label, and the share right.
LABELS_TITLE = "Confidence labels: answers with each, and the share right"
LABEL_COLUMNS = [
    ("high: answers", "high_answers", "{:d}"),
    ("high: right", "high_right", "{:.2f}"),
    ("partial: answers", "partial_answers", "{:d}"),
    ("partial: right", "partial_right", "{:.2f}"),
]


def _row(summary: Summary, columns: list[tuple[str, str, str]] = COLUMNS) -> list[str]:
    """Formatted cells; a metric with nothing to measure shows as n/a."""
    return [
        "n/a" if getattr(summary, attr) is None else fmt.format(getattr(summary, attr))
        for _, attr, fmt in columns
    ]


def print_table(run: EvalRun, console: Console) -> None:
    console = Console(file=console.file, width=max(console.width, 200))
    table = Table(title=f"evaluation — engine {run.engine} — {run.seconds:.1f} s")
    table.add_column("slice")
    for label, _, _ in COLUMNS:
        table.add_column(label, justify="right")
    table.add_row("all", *_row(run.overall), style="bold")
    for name, summary in run.by_split.items():
        table.add_row(f"split: {name}", *_row(summary))
    for name, summary in run.by_category.items():
        table.add_row(f"  {name}", *_row(summary))
    console.print(table)
    labels = Table(title=LABELS_TITLE.lower())
    labels.add_column("slice")
    for label, _, _ in LABEL_COLUMNS:
        labels.add_column(label, justify="right")
    for name, cells in _label_rows(run):
        labels.add_row(name, *cells)
    console.print(labels)
    latency = "  ".join(
        f"{stage} p50 {v['p50']:.0f} / p95 {v['p95']:.0f} ms"
        for stage, v in run.overall.latency_ms.items()
        if stage in ("retrieve", "answer", "total")
    )
    console.print(f"latency: {latency}")
    if run.overall.llm_judged_faithfulness is not None:
        console.print(
            f"LLM-judged (an LLM's opinion, not a gate): faithfulness "
            f"{run.overall.llm_judged_faithfulness:.2f}, relevance "
            f"{run.overall.llm_judged_relevance or 0:.2f} / 5"
        )
    for miss in run.missed:
        console.print(f"[red]below threshold:[/] {miss}")


def write_json(run: EvalRun, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")


def bar_chart_svg(values: dict[str, float], title: str) -> str:
    """A horizontal bar chart (0..1) as standalone SVG; no plotting library needed."""
    bar_h, label_w, width = 22, 190, 560
    height = 40 + bar_h * len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<text x="4" y="18" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, (name, value) in enumerate(values.items()):
        y = 30 + i * bar_h
        w = max(0.0, min(1.0, value)) * (width - label_w - 50)
        colour = "#2e7d32" if value >= 0.8 else "#f9a825" if value >= 0.5 else "#c62828"
        parts += [
            f'<text x="4" y="{y + 15}">{html.escape(name)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="{colour}"/>',
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{value:.2f}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def _category_scores(run: EvalRun) -> dict[str, float]:
    scores = {}
    for name in run.by_category:
        cases = [r for r in run.results if r.category == name]
        scores[name] = sum(1 for r in cases if (r.correct if r.answerable else r.refusal_ok)) / len(
            cases
        )
    return scores


def _failures(run: EvalRun) -> list[dict[str, str]]:
    rows = []
    for r in run.results:
        failed = r.error or (not r.correct if r.answerable else not r.refusal_ok)
        if not failed:
            continue
        if not r.answerable:
            expected = "refusal"
        elif r.missing or r.abstained:
            expected = " AND ".join(" | ".join(g) for g in r.missing)
        else:  # the facts are there, the grounding is not
            expected = (
                f"cited, verbatim answer ({r.citations_verbatim} of {r.citations} citations "
                "verbatim)"
            )
        got = r.error or ("(refused) " if r.abstained else "") + r.answer
        rows.append(
            {
                "id": r.id,
                "split": r.split,
                "category": r.category,
                "question": r.question,
                "expected": expected,
                "got": got,
            }
        )
    return rows


def write_report(run: EvalRun, path: Path) -> None:
    """HTML for a .html path, else Markdown (with the chart as a sibling .svg file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = bar_chart_svg(_category_scores(run), "share of cases passed, by category")
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(_html(run, chart), encoding="utf-8")
    else:
        chart_path = path.with_suffix(".svg")
        chart_path.write_text(chart, encoding="utf-8")
        path.write_text(_markdown(run, chart_path.name), encoding="utf-8")


def _table_rows(run: EvalRun) -> list[tuple[str, list[str]]]:
    rows = [("all", _row(run.overall))]
    rows += [(f"split: {k}", _row(v)) for k, v in run.by_split.items()]
    rows += [(k, _row(v)) for k, v in run.by_category.items()]
    return rows


def _label_rows(run: EvalRun) -> list[tuple[str, list[str]]]:
    rows = [("all", _row(run.overall, LABEL_COLUMNS))]
    return rows + [(f"split: {k}", _row(v, LABEL_COLUMNS)) for k, v in run.by_split.items()]


def _markdown_table(
    columns: list[tuple[str, str, str]], rows: list[tuple[str, list[str]]]
) -> list[str]:
    lines = ["| slice | " + " | ".join(label for label, _, _ in columns) + " |"]
    lines += ["|" + "---|" * (len(columns) + 1)]
    return lines + [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]


def _html_table(columns: list[tuple[str, str, str]], rows: list[tuple[str, list[str]]]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(label)}</th>" for label, _, _ in columns)
    body = "".join(
        f"<tr><td>{esc(name)}</td>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>"
        for name, cells in rows
    )
    return f"<table><tr><th>slice</th>{head}</tr>{body}</table>"


def _markdown(run: EvalRun, chart_name: str) -> str:
    lines = [
        f"# Evaluation report — engine `{run.engine}`",
        "",
        f"{len(run.results)} cases in {run.seconds:.1f} s.",
        "",
        *_markdown_table(COLUMNS, _table_rows(run)),
        "",
        f"## {LABELS_TITLE}",
        "",
        *_markdown_table(LABEL_COLUMNS, _label_rows(run)),
    ]
    lines += ["", f"![share passed by category]({chart_name})", "", "## Latency (ms)", ""]
    lines += [
        f"- {stage}: p50 {v['p50']}, p95 {v['p95']}" for stage, v in run.overall.latency_ms.items()
    ]
    if run.missed:
        lines += ["", "## Thresholds missed", ""] + [f"- {m}" for m in run.missed]
    lines += ["", "## Failures", ""]
    for f in _failures(run):
        got = f["got"].replace("\n", " ")
        lines += [
            f"### {f['id']} ({f['split']}, {f['category']})",
            "",
            f"- question: {f['question']}",
            f"- expected: {f['expected']}",
            f"- got: {got}",
            "",
        ]
    return "\n".join(lines)


def _html(run: EvalRun, chart: str) -> str:
    esc = html.escape
    failures = "".join(
        f"<tr><td>{esc(f['id'])}</td><td>{esc(f['split'])}</td><td>{esc(f['category'])}</td>"
        f"<td>{esc(f['question'])}</td><td>{esc(f['expected'])}</td><td>{esc(f['got'])}</td></tr>"
        for f in _failures(run)
    )
    latency = "".join(
        f"<li>{esc(stage)}: p50 {v['p50']} ms, p95 {v['p95']} ms</li>"
        for stage, v in run.overall.latency_ms.items()
    )
    missed = "".join(f"<li>{esc(m)}</li>" for m in run.missed)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Evaluation report</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}</style></head><body>
<h1>Evaluation report — engine {esc(run.engine)}</h1>
<p>{len(run.results)} cases in {run.seconds:.1f} s.</p>
{_html_table(COLUMNS, _table_rows(run))}
<h2>{LABELS_TITLE}</h2>
{_html_table(LABEL_COLUMNS, _label_rows(run))}
<h2>By category</h2>{chart}
<h2>Latency</h2><ul>{latency}</ul>
{f"<h2>Thresholds missed</h2><ul>{missed}</ul>" if missed else ""}
<h2>Failures</h2><table><tr><th>id</th><th>split</th><th>category</th><th>question</th>
<th>expected</th><th>got</th></tr>{failures}</table></body></html>"""
