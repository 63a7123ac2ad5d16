"""Metadata that an article's own text gives: datelines, bylines, "Original Post: X" credits."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser as date_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_RE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)
_DATELINE_MARKERS = re.compile(
    r"•|\||\bauthor\b|^by\s|\bpublished\b|\bupdated\b|\bposted\b|\bmin(ute)?s?\s+read\b",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(r"\bauthor\s*:\s*(.+?)\s*(?:[•|]|$)", re.IGNORECASE)
_BYLINE = re.compile(r"^[Bb]y\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$")
_WRITTEN_BY = re.compile(
    r"\bwritten (?:in english )?by\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})"
)
_CREDIT = re.compile(
    r"^(?:original(?:ly)? (?:post|source|story|article|published (?:by|in|on|at))"
    r"|source|this (?:article|story) (?:was )?(?:originally )?(?:published|appeared) (?:by|in|on))"
    r"\s*:?\s*(.+?)\.?$",
    re.IGNORECASE,
)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DEFAULT_DATE = datetime(2000, 1, 1)  # fills what a date expression leaves out


@lru_cache(maxsize=4096)  # dates repeat across a corpus, and dateutil is slow
def parse_date(text: str) -> str:
    """An ISO date from a date expression, or empty when it cannot be read."""
    match = DATE_RE.search(text)
    candidate = match.group(0) if match else text.strip()
    if not candidate:
        return ""
    if _ISO_DATE.fullmatch(candidate):
        try:  # the common case, as dateutil would read it, without dateutil's cost
            return date.fromisoformat(candidate).isoformat()
        except ValueError:
            pass  # e.g. 2021-13-05: dateutil reads it day-first
    try:
        parsed = date_parser.parse(candidate, default=_DEFAULT_DATE)
    except (ValueError, OverflowError, TypeError):
        return ""
    return parsed.date().isoformat() if isinstance(parsed.date(), date) else ""


# News sites put the publication day in the story's address: /2022/11/27/ or /2023-08-23/.
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/-]|$)")


def date_from_url(url: str) -> str:
    """The ISO date a story's URL gives (``/2022/11/27/``), or empty."""
    match = _URL_DATE.search(url)
    if not match:
        return ""
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return ""


def read_dateline(line: str) -> tuple[str, str] | None:
    """(published, author) from a dateline such as 'May 2, 2021 • Author: X', else None."""
    if len(line.split()) > 25:  # before the date search: most header lines are long prose
        return None
    match = DATE_RE.search(line)
    if not match:
        return None
    rest = (line[: match.start()] + line[match.end() :]).strip()
    if len(rest.split()) > 12 and not _DATELINE_MARKERS.search(rest):
        return None  # a sentence that mentions a date, e.g. a photo caption
    author_match = _AUTHOR_LABEL.search(line)
    return parse_date(match.group(0)), author_match.group(1).strip() if author_match else ""


def read_byline(line: str) -> str:
    match = _BYLINE.match(line.strip())
    return match.group(1) if match else ""


def read_written_by(text: str) -> str:
    match = _WRITTEN_BY.search(text)
    return match.group(1).rstrip(".") if match else ""


def read_credit(line: str) -> str:
    """The outlet named by an 'Original Post: X' style credit line, else empty."""
    stripped = line.strip()
    if len(stripped.split()) > 12:
        return ""
    match = _CREDIT.match(stripped)
    return match.group(1).strip() if match else ""
