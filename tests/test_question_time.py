"""The time frame of a question, read against its reference day."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.question_time import news_since, question_time

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


@pytest.mark.parametrize(
    ("question", "since"),
    [
        # the week up to the reference day, opened a week early for previews and follow-ups
        ("Which state was drenched by flooding this week?", date(2023, 12, 23)),
        ("Who won the election last week?", date(2023, 12, 16)),
        ("What did the senate pass last month?", date(2023, 11, 24)),
        ("Which country recently launched a mission to the moon?", date(2023, 12, 5)),
        ("What is the weather in Dawei today?", date(2023, 12, 29)),
    ],
)
def test_news_of_a_moment_has_a_window(question: str, since: date) -> None:
    assert news_since(question, question_time(question, REF)) == since


@pytest.mark.parametrize(
    "question",
    [
        "Who is Ye Mon?",
        "What is the latest flood death toll?",  # the newest state of a fact, however old
        "Who currently leads the NUG?",
        "How many soldiers defected in 2021?",
        "Which captain who recently joined the CDM in 2021 spoke to RFA?",  # a named year
        "What happened this year in Gaza?",
        "Which comedian will return next month?",  # a period still to come
    ],
)
def test_other_questions_have_no_window(question: str) -> None:
    assert news_since(question, question_time(question, REF)) is None


def test_no_window_without_a_reference_day() -> None:
    question = "What happened this week?"
    assert news_since(question, question_time(question, None)) is None
