"""Date mentions in article sentences, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.dates import date_mentions, event_date


def labels(text: str, published: str | None) -> list[tuple[str, str, bool]]:
    return [(m.text, m.label(), m.relative) for m in date_mentions(text, published)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Absolute dates need no publication date, and keep the precision the text gives.
        (
            "The military seized power on Feb. 1, 2021.",
            None,
            [("Feb. 1, 2021", "2021-02-01", False)],
        ),
        ("It began on 13 January 2024.", None, [("13 January 2024", "2024-01-13", False)]),
        ("By May 2021 more had followed.", None, [("May 2021", "2021-05", False)]),
        ("The law of 2019 still applies.", None, [("2019", "2019", False)]),
        # Relative dates are resolved against the publication date, preferring the past.
        ("Soldiers defected on Sunday.", "2021-09-02", [("Sunday", "2021-08-29", True)]),
        ("Last month, 12 soldiers defected.", "2021-09-02", [("Last month", "2021-08", True)]),
        ("The court ruled yesterday.", "2024-01-05", [("yesterday", "2024-01-04", True)]),
        ("Aug. 20 was the deadline.", "2024-01-05", [("Aug. 20", "2023-08-20", True)]),
        ("They fled in March.", "2021-09-02", [("March", "2021-03", True)]),
        (
            "The vote was two weeks ago.",
            "2024-01-05",
            [("two weeks ago", "week of 2023-12-22", True)],
        ),
        ("This year, 1,500 switched sides.", "2021-09-02", [("This year", "2021", True)]),
    ],
)
def test_resolves_date_expressions(text: str, published: str | None, expected: list) -> None:
    assert labels(text, published) == expected


def test_relative_dates_without_a_publication_date_stay_unresolved() -> None:
    assert labels("Soldiers defected on Sunday, last month and yesterday.", None) == []


@pytest.mark.parametrize(
    "text",
    [
        "At least 2,021 people were arrested.",  # a count, not a year
        "The 2024-25 season opens soon.",  # a season range
        "They may march to the capital.",  # "may", "march": verbs
        "It cost $2024 in fees.",
        "Turnout was 2019%.",
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert labels(text, "2024-01-05") == []


def test_offsets_point_into_the_text() -> None:
    text = "On Sunday, Feb. 7, 2021, protesters gathered; yesterday they left."
    for m in date_mentions(text, date(2021, 2, 9)):
        assert text[m.start : m.end] == m.text


def test_event_date_prefers_the_most_precise_mention() -> None:
    sentence = "In 2021, on Feb. 1, the military seized power."
    found = event_date(sentence, "2021-09-02")
    assert found is not None and found.label() == "2021-02-01"
    assert event_date("Nothing dated happens here.", "2021-09-02") is None


def test_a_since_date_is_a_starting_point_not_the_event_date() -> None:
    sentence = "Nearly 2,500 soldiers have defected since the Feb. 1 coup, groups said on Thursday."
    found = event_date(sentence, "2021-09-02")
    assert found is not None and found.text == "Thursday"
    assert found.label() == "2021-09-02"  # published on a Thursday: that very day


def test_a_short_phrase_needing_the_article_date_is_resolved_against_it() -> None:
    from assistant.dates import resolved_date

    assert resolved_date("Aug. 10", "2021-09-02") == "2021-08-10"
    assert resolved_date("on Sunday", "2021-09-02") == "2021-08-29"
    assert resolved_date("last month", "2021-09-02") == "2021-08"
    # A full date needs nothing; without a publication date nothing is guessed.
    assert resolved_date("Feb. 1, 2021", "2021-09-02") == ""
    assert resolved_date("last week", "") == ""
