"""The time frame of a question, read against its reference day."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.question_time import question_time

REF = date(2024, 1, 5)  # a Friday


@pytest.mark.parametrize(
    ("question", "start", "end", "recent"),
    [
        ("Which company announced layoffs this week?", date(2023, 12, 30), REF, True),
        ("Who won the election last week?", date(2023, 12, 23), date(2023, 12, 29), True),
        ("What did the senate pass last month?", date(2023, 12, 1), date(2023, 12, 31), False),
        ("What happened this year in Gaza?", date(2024, 1, 1), REF, True),
        ("How many soldiers defected in 2021?", date(2021, 1, 1), date(2021, 12, 31), False),
        ("What happened in March 2021?", date(2021, 3, 1), date(2021, 3, 31), False),
        ("What has changed since Aug. 20?", date(2023, 8, 20), REF, True),
        ("What happened on Feb. 1, 2021?", date(2021, 2, 1), date(2021, 2, 1), False),
    ],
)
def test_time_frames(question: str, start: date, end: date, recent: bool) -> None:
    frame = question_time(question, REF)
    assert (frame.start, frame.end, frame.recent) == (start, end, recent)


@pytest.mark.parametrize(
    "question", ["What is the latest toll?", "Who currently leads the NUG?", "Is he still in jail?"]
)
def test_recent_without_a_period(question: str) -> None:
    frame = question_time(question, REF)
    assert frame.recent and frame.start is None and frame.end is None


def test_questions_about_no_time_have_an_empty_frame() -> None:
    assert question_time("Who is Ye Mon?", REF).empty
    assert question_time("Who is the spokesperson for the KNU?", None).empty


def test_without_a_reference_day_only_recency_is_known() -> None:
    frame = question_time("What happened this week?", None)
    assert frame.recent and frame.start is None
