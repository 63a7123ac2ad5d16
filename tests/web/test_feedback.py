"""The feedback store: ratings kept in SQLite, exported as JSON lines or CSV, safe across threads."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.feedback import FeedbackStore

CITATION = {"n": 1, "article_id": "a1", "quote": "Twelve soldiers", "start": 0, "end": 15}


def test_record_and_export_jsonl(tmp_path: Path) -> None:
    store = FeedbackStore.in_folder(tmp_path / "data")
    assert store.export("jsonl") == ""  # nothing yet, and no file made by reading
    assert not store.path.exists()
    first = store.record("Q?", "A [1]", [CITATION], "extractive", "like")
    second = store.record("Q2?", "A2", [], "extractive", "dislike", comment="wrong")
    assert second == first + 1
    lines = [json.loads(line) for line in store.export("jsonl").splitlines()]
    assert [e["rating"] for e in lines] == ["like", "dislike"]
    assert lines[0]["citations"] == [CITATION]
    assert lines[0]["question"] == "Q?" and lines[0]["engine"] == "extractive"
    assert lines[1]["comment"] == "wrong"
    assert lines[0]["created_at"].endswith("+00:00")


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.record('=HYPERLINK("http://x")', "+1", [CITATION], "extractive", "like")
    rows = list(csv.DictReader(io.StringIO(store.export("csv"))))
    assert rows[0]["question"].startswith("'=")
    assert rows[0]["answer"] == "'+1"
    assert json.loads(rows[0]["citations"]) == [CITATION]


def test_bad_rating_and_format_are_refused(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(ValueError, match="rating"):
        store.record("q", "a", [], "extractive", "meh")
    with pytest.raises(ValueError, match="format"):
        store.export("xml")  # type: ignore[arg-type]


def test_first_writes_from_many_stores_at_once_lose_nothing(tmp_path: Path) -> None:
    """Each store stands for a worker process opening a new feedback file at the same moment."""
    for attempt in range(5):
        path = tmp_path / f"new-{attempt}.sqlite3"
        stores = [FeedbackStore(path) for _ in range(8)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(lambda s: s.record("q", "a", [], "x", "like"), stores))
        assert len(set(ids)) == 8
        assert len(FeedbackStore(path).entries()) == 8


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda i: store.record(f"q{i}", "a", [], "x", "like"), range(40)))
    assert len(set(ids)) == 40
    assert len(store.entries()) == 40
