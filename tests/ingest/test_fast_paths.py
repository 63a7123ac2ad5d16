"""The fast paths of reading (regex normalisation, libyaml, ISO dates) give what the slow ones did.

An article's content hash decides whether it is re-indexed, so a faster reader must produce the
very same text and metadata: these compare it with the straightforward implementations.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import yaml
from dateutil import parser as date_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest import load_corpus
from assistant.ingest.metadata import parse_date, read_dateline
from assistant.ingest.readers import normalise_text

_DROP = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None, 0xFEFF: None, 0x200B: None}
_SPACES = {0xA0: " ", 0x2007: " ", 0x202F: " ", 0x09: " "}


def reference_normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_DROP).translate(_SPACES)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def reference_parse_date(text: str) -> str:
    candidate = text.strip()
    try:
        parsed = date_parser.parse(candidate, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return ""
    return parsed.date().isoformat()


AWKWARD = st.sampled_from(
    ["\t", "\xa0", "\u2007", "\u202f", "\u200b", "\ufeff", "\x00", "\x0b", "\x0c", "\x1f", "\x7f"]
    + ["\r\n", "\r", "\n", " \n", "\u2028", "\x85", "\u3000", "e\u0301", "\u00e9", "Å", "’"]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), AWKWARD), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalise_text_matches_the_reference(text: str) -> None:
    assert normalise_text(text) == reference_normalise(text)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 9999),
    st.integers(0, 19),
    st.integers(0, 39),
)
def test_iso_dates_parse_as_dateutil_reads_them(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    assert parse_date(text) == reference_parse_date(text)


def test_written_dates_still_go_through_dateutil() -> None:
    assert parse_date("May 2, 2021") == "2021-05-02"
    assert parse_date("2nd September 2021") == "2021-09-02"
    assert parse_date("2021-02-30") == "" and parse_date("not a date") == ""
    assert read_dateline("May 2, 2021 • Author: Jane Roe") == ("2021-05-02", "Jane Roe")
    long_line = "On May 2, 2021 " + "the council met again and talked " * 5
    assert read_dateline(long_line) is None


def test_front_matter_reads_as_the_pure_python_loader_reads_it(tmp_path: Path) -> None:
    head = (
        'title: "Port Arlen: 747 shares announced"\noutlet: City Beacon\n'
        "published: 2021-03-19\nauthor: 'Jane Roe'\nurl: https://example.org/a?b=1\n"
    )
    (tmp_path / "a.md").write_text(f"---\n{head}---\n\nThe ferry resumed.\n", encoding="utf-8")
    (article,) = load_corpus(tmp_path).articles
    meta = yaml.safe_load(head)
    assert meta["published"] == date(2021, 3, 19)
    assert (article.title, article.outlet, article.published, article.author, article.url) == (
        meta["title"],
        meta["outlet"],
        "2021-03-19",
        meta["author"],
        meta["url"],
    )
