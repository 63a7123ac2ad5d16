"""The time a question is about: "this week", "last month", "in March 2024", "latest", "now".

News questions are mostly about time. Read against a reference day — the ``as_of`` date asked
for, else the newest article of the archive — a question's time words give a period of
publication to prefer (``TimeFrame.start``/``end``) and whether the newest reports are wanted
(``recent``: "latest", "now", "currently", "this week"). Retrieval uses both as preferences, not
as filters: an undated article or an older background piece may still hold the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from assistant.dates import date_mentions

# Words that ask for the newest state of things.
_RECENT = re.compile(
    r"\b(latest|newest|most recent(?:ly)?|recent(?:ly)?|now|currently|current|so far|to date|"
    r"still|at present|as of today|today|this (?:week|month|year)|this past week|"
    r"(?:last|past) (?:few )?(?:days|week)|yesterday|upcoming)\b",
    re.IGNORECASE,
)
_THIS = re.compile(r"\b(this|last|past|next) (week|month|year)\b", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+([^?]+)", re.IGNORECASE)
# Words that place a question in the news of the moment: only a report of that moment answers it.
_MOMENT = re.compile(
    r"\b(?:(?:this|last|past) (?:week|weekend|month)|this past (?:week|weekend)|"
    r"(?:earlier|later) this (?:week|month)|recent(?:ly)?|yesterday|today)\b",
    re.IGNORECASE,
)
# A report of "this week's" news may be published a few days before the week it is read in
# (a preview, a trial that started earlier): the window opens this many days before the period.
MOMENT_SLACK_DAYS = 7
RECENT_NEWS_DAYS = 31  # "recently": the month up to the reference day


@dataclass(frozen=True)
class TimeFrame:
    """The period a question is about (either end may be open) and whether it wants the newest."""

    start: date | None = None
    end: date | None = None
    recent: bool = False
    reference: date | None = None  # the "now" the question was read against

    @property
    def bounded(self) -> bool:
        """Whether the question names a period ("this week", "in March 2024")."""
        return self.start is not None or self.end is not None

    @property
    def empty(self) -> bool:
        return not self.bounded and not self.recent

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def question_time(question: str, reference: date | None) -> TimeFrame:
    """The time frame of ``question`` read against ``reference`` (the "now" of the question)."""
    return replace(_frame(question, reference), reference=reference)


def news_since(question: str, frame: TimeFrame) -> date | None:
    """The earliest publication day of a report that can answer ``question`` when it asks about
    the news of a moment ("this week", "last month", "recently"), read against ``frame``; None
    for any other question, or with no reference day.

    "Which state was drenched by flooding this week?" asked on 2024-08-23 is not answered by a
    2020 report of another flood, however close its words.
    """
    if frame.reference is None or not _MOMENT.search(question):
        return None
    start, end = frame.start, frame.end
    if start is None and end is None:
        return frame.reference - timedelta(days=RECENT_NEWS_DAYS)
    # A week or a month named; not a longer period ("recently, in 2021").
    short = start is not None and end is not None and (end - start).days <= RECENT_NEWS_DAYS
    if start is not None and short and start <= frame.reference:
        return start - timedelta(days=MOMENT_SLACK_DAYS)
    return None


def _frame(question: str, reference: date | None) -> TimeFrame:
    recent = bool(_RECENT.search(question))
    if reference is None:
        return TimeFrame(recent=recent)
    match = _THIS.search(question)
    if match:
        start, end = _named_period(match.group(1).lower(), match.group(2).lower(), reference)
        return TimeFrame(start, end, recent=recent)
    since = _SINCE.search(question)
    if since:
        mentions = date_mentions(since.group(1), reference)
        if mentions:
            return TimeFrame(mentions[0].date, reference, recent=True)
    for mention in date_mentions(question, reference):
        start = mention.date
        if mention.precision == "year":
            return TimeFrame(date(start.year, 1, 1), date(start.year, 12, 31), recent)
        if mention.precision == "month":
            return TimeFrame(start.replace(day=1), _month_end(start), recent)
        if mention.precision == "week":
            return TimeFrame(start, start + timedelta(days=6), recent)
        return TimeFrame(start, start, recent)
    return TimeFrame(recent=recent)


def _named_period(which: str, unit: str, ref: date) -> tuple[date | None, date | None]:
    """'this week' = the seven days to the reference day; 'last month' = the whole month before."""
    if unit == "week":
        if which in ("this", "past"):
            return ref - timedelta(days=6), ref
        if which == "last":
            return ref - timedelta(days=13), ref - timedelta(days=7)
        return ref, ref + timedelta(days=7)
    if unit == "month":
        if which in ("this", "past"):
            return ref.replace(day=1), ref
        if which == "last":
            previous = ref.replace(day=1) - timedelta(days=1)
            return previous.replace(day=1), previous
        return ref, _month_end(_month_end(ref) + timedelta(days=1))
    if which in ("this", "past"):
        return date(ref.year, 1, 1), ref
    if which == "last":
        return date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31)
    return ref, date(ref.year + 1, 12, 31)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
