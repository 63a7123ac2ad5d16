"""Dates that article sentences mention, resolved against the article's publication date.

"On Sunday", "last month" or "Aug. 20" mean nothing without the day the article was published:
this module finds such expressions (by pattern, with character offsets into the sentence) and
resolves each with dateparser, relative to the publication date, preferring the past (news
reports what has happened). An expression that needs a publication date the article does not give
stays unresolved rather than guessed. Each mention keeps its precision (day, month or year), so
"in March" is never shown as "March 1".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

Precision = Literal["day", "week", "month", "year"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
_UNIT = r"(?:day|week|month|year)s?"

# Longest forms first: the alternation takes the first that matches at a position.
_EXPRESSION = re.compile(
    "|".join(
        [
            rf"(?P<mdy>{_MONTH}\s+{_DAY},?\s+{_YEAR})",
            rf"(?P<dmy>{_DAY}\s+{_MONTH},?\s+{_YEAR})",
            r"(?P<iso>\d{4}-\d{2}-\d{2})",
            rf"(?P<md>{_MONTH}\s+{_DAY})\b",
            rf"(?P<dm>{_DAY}\s+{_MONTH})",
            rf"(?P<my>{_MONTH}\s+{_YEAR})",
            rf"(?P<ago>{_COUNT}\s+{_UNIT}\s+ago)",
            rf"(?P<rel>(?:last|this|next|earlier this|later this)\s+(?:week|month|year|{_WEEKDAY}))",
            rf"(?P<wd>{_WEEKDAY})",
            r"(?P<near>yesterday|today|tomorrow)",
            r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December))",
            rf"(?P<year>{_YEAR})",
        ]
    ),
    re.IGNORECASE,
)
# Forms that carry their own year: they need no publication date.
_ABSOLUTE = frozenset(["mdy", "dmy", "iso", "my", "year"])
_PRECISION: dict[str, Precision] = {"my": "month", "month": "month", "year": "year"}
_PERIOD_PRECISION: dict[str, Precision] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


@dataclass(frozen=True)
class DateMention:
    """A date expression of a text (``text[start:end]``) and the date it stands for."""

    start: int
    end: int
    text: str
    date: date
    precision: Precision
    relative: bool  # resolved against the publication date, not read off the text alone

    def label(self) -> str:
        """The resolved date as precisely as the text gives it: 2024-01-05, 2024-01, 2024."""
        if self.precision == "year":
            return f"{self.date.year}"
        if self.precision == "month":
            return f"{self.date.year}-{self.date.month:02d}"
        if self.precision == "week":
            return f"week of {self.date.isoformat()}"
        return self.date.isoformat()


def date_mentions(text: str, published: date | str | None = None) -> list[DateMention]:
    """The date expressions of ``text`` that can be resolved, in order of appearance."""
    base = as_date(published)
    mentions: list[DateMention] = []
    for match in _EXPRESSION.finditer(text):
        form = match.lastgroup or ""
        if form == "year" and _is_not_a_year(text, match.start(), match.end()):
            continue
        if form == "month" and not _reads_as_month(text, match.start()):
            continue  # "May" the verb, "March" the walk
        if form not in _ABSOLUTE and base is None:
            continue  # "on Sunday" without a publication date: unknown, not guessed
        resolved = _resolve(match.group(0), form, base)
        if resolved is None:
            continue
        when, precision = resolved
        mentions.append(
            DateMention(
                match.start(),
                match.end(),
                match.group(0),
                when,
                precision,
                relative=form not in _ABSOLUTE,
            )
        )
    return mentions


def event_date(text: str, published: date | str | None = None) -> DateMention | None:
    """The date a sentence's event happened, as far as the sentence says: its most precise
    mention (a day over a month over a year), the first among equals; None if it names none."""
    rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    # "Since the Feb. 1 coup": a starting point the event is measured from, not its date.
    mentions = [
        m for m in date_mentions(text, published) if not _SINCE_BEFORE.search(text[: m.start])
    ]
    return min(mentions, key=lambda m: rank[m.precision]) if mentions else None


def resolved_date(text: str, published: date | str | None) -> str:
    """The date a short phrase stands for, when it needs the article's date to be read ("last
    week", "on Sunday", "Aug. 10"): its label (2021-08-10, "week of 2021-08-23"); else ""."""
    mentions = [m for m in date_mentions(text, published) if m.relative]
    return mentions[0].label() if len(mentions) == 1 else ""


_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+|a\s+|its\s+|their\s+)?$", re.IGNORECASE)


def as_date(value: date | str | None) -> date | None:
    """A date given as a ``date`` or an ISO string (a time after it is ignored); None when empty
    or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _is_not_a_year(text: str, start: int, end: int) -> bool:
    """'2,021 people', '$2024', '2024-25 season' fragments and long numbers are not years."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    if text[end : end + 2][:1] in {"-", "–"} and text[end + 1 : end + 2].isdigit():
        return True  # a range or season: "2024-25"
    return before in {",", "$", ".", "#"} or after in {",", "%"} or after.isdigit()


def _reads_as_month(text: str, start: int) -> bool:
    """A bare month name preceded by a word that introduces a time ('in March', 'since June')."""
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in _MONTH_LEADS


# Words after which a bare month name is a time ("in March"), not a verb or a name ("may", "March on").
_MONTH_LEADS = frozenset(
    [
        "in",
        "since",
        "until",
        "by",
        "early",
        "late",
        "mid",
        "of",
        "from",
        "through",
        "last",
        "this",
        "next",
    ]
)


@lru_cache(maxsize=8192)
def _resolve(expression: str, form: str, base: date | None) -> tuple[date, Precision] | None:
    """The date an expression stands for, relative to ``base``, and its precision."""
    if form == "wd" and base is not None and expression.lower() == base.strftime("%A").lower():
        return base, "day"  # "said on Thursday" in Thursday's paper: that day, not a week before
    cleaned = re.sub(r"^(?:earlier|later)\s+", "", expression, flags=re.IGNORECASE)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    settings = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    parser = _parser(tuple(sorted(settings.items())))
    data = parser.get_date_data(cleaned)
    if data is None or data.date_obj is None:
        return None
    when = data.date_obj.date()
    precision = _PRECISION.get(form) or _PERIOD_PRECISION.get(data.period or "day", "day")
    if form == "ago" and precision == "day" and re.search(r"week", expression, re.I):
        precision = "week"  # "two weeks ago": that week, not that very day
    return when, precision


@lru_cache(maxsize=16)
def _parser(settings: tuple[tuple[str, object], ...]) -> Any:
    from dateparser.date import DateDataParser  # ~0.2 s to import: only when first needed

    return DateDataParser(languages=["en"], settings=dict(settings))
