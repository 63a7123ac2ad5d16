"""The "reported" subset of bench.retrieval_quality: cases whose listed source appeared in the
31 days up to the case's as_of (a report of the week's event is in the archive)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.retrieval_quality import per_split, published_dates, with_reported


def _article(folder: Path, stem: str, published: str | None) -> None:
    head = f'title: "{stem}"\n' + (f'published: "{published}"\n' if published else "")
    (folder / f"{stem}.md").write_text(f"---\n{head}---\n\nBody of {stem}.\n", encoding="utf-8")


def test_reported_needs_a_source_published_within_the_month_before_as_of(tmp_path: Path) -> None:
    _article(tmp_path, "week", "2024-01-20")
    _article(tmp_path, "old", "2019-05-01")
    _article(tmp_path, "later", "2024-02-10")
    _article(tmp_path, "undated", None)
    published = published_dates(tmp_path)
    assert published == {
        "week": date(2024, 1, 20),
        "old": date(2019, 5, 1),
        "later": date(2024, 2, 10),
    }
    as_of = date(2024, 1, 26)
    cases = [
        {"id": "a", "split": "tune", "sources": ["old", "week"], "as_of": as_of},
        {"id": "b", "split": "tune", "sources": ["old"], "as_of": as_of},
        {"id": "c", "split": "heldout", "sources": ["later", "undated"], "as_of": as_of},
        {"id": "d", "split": "heldout", "sources": ["week"], "as_of": None},
    ]
    marked = with_reported(cases, published)
    assert [c["reported"] for c in marked] == [True, False, False, False]

    ranked = [["week"], ["week"], ["later"], ["x"]]
    hits = per_split(marked, ranked)
    assert hits["tune"]["n"] == 2 and hits["tune"]["hit@1"] == 0.5
    assert hits["tune, reported"]["n"] == 1 and hits["tune, reported"]["hit@1"] == 1.0
    assert hits["heldout, reported"]["n"] == 0
    assert hits["all"]["hit@1"] == 0.5  # a, c of four


def test_cases_without_the_mark_get_no_subset() -> None:
    cases = [{"id": "a", "split": "tune", "sources": ["s"]}]
    assert set(per_split(cases, [["s"]])) == {"tune", "heldout", "all"}
