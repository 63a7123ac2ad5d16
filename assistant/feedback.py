"""Likes and dislikes on answers, kept in SQLite under ``settings.data.dir`` and exportable.

Each call opens its own connection, so one store may be shared by threads, and several app
workers may write the same file: SQLite (in WAL mode) serialises the writers.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.errors import BadInput

RATINGS = ("like", "dislike")
ExportFormat = Literal["jsonl", "csv"]
COLUMNS = ("id", "created_at", "rating", "question", "answer", "engine", "citations", "comment")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('like', 'dislike')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    engine TEXT NOT NULL,
    citations TEXT NOT NULL,
    comment TEXT NOT NULL
)
"""
# A spreadsheet treats a cell starting with one of these as a formula; see OWASP "CSV injection".
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class FeedbackStore:
    """Ratings of answers, with the question, answer, citations and engine they were given to."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False
        self._ready_lock = threading.Lock()

    @classmethod
    def in_folder(cls, data_dir: Path) -> FeedbackStore:
        return cls(Path(data_dir) / "feedback.sqlite3")

    def _prepare(self) -> None:
        """Create the table and switch the file to WAL, once per store.

        Switching to WAL takes an exclusive lock and SQLite does not wait for it (no busy
        handler), so concurrent first writers each trying it got "database is locked"; it is
        done once here, retried while another process holds the lock. WAL persists in the file.
        """
        with self._ready_lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            deadline = time.monotonic() + 30
            with closing(sqlite3.connect(self.path, timeout=30)) as conn:
                while True:
                    try:
                        conn.execute("PRAGMA journal_mode=WAL")
                        break
                    except sqlite3.OperationalError as exc:
                        if "locked" not in str(exc) or time.monotonic() > deadline:
                            raise
                        time.sleep(0.05)
                with conn:
                    conn.execute(_SCHEMA)
            self._ready = True

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self._prepare()
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.row_factory = sqlite3.Row
            with conn:  # one transaction: commit on success, roll back on error
                conn.execute(_SCHEMA)  # cheap; the file may have been replaced since
                yield conn

    def record(
        self,
        question: str,
        answer: str,
        citations: Sequence[dict[str, Any]],
        engine: str,
        rating: str,
        comment: str = "",
    ) -> int:
        """Store one rating; returns its id. ``rating`` is "like" or "dislike"."""
        if rating not in RATINGS:
            raise BadInput(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            rating,
            question,
            answer,
            engine,
            json.dumps(list(citations), ensure_ascii=False),
            comment,
        )
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, rating, question, answer, engine, citations,"
                " comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def entries(self) -> list[dict[str, Any]]:
        """Every rating, oldest first, with citations decoded."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [{**dict(row), "citations": json.loads(row["citations"])} for row in rows]

    def export(self, fmt: ExportFormat = "jsonl") -> str:
        """All ratings as JSON lines or as CSV (citations as a JSON cell)."""
        entries = self.entries()
        if fmt == "jsonl":
            return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        if fmt != "csv":
            raise BadInput(f"unknown export format {fmt!r}; use jsonl or csv")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for entry in entries:
            cells = {**entry, "citations": json.dumps(entry["citations"], ensure_ascii=False)}
            writer.writerow([_csv_cell(cells[c]) for c in COLUMNS])
        return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value
