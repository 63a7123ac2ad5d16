"""Picking the answer inside a chosen sentence: which name or number of it answers the
question, when the sentence holds several of the asked kind (issue 13)."""

from __future__ import annotations

import pytest

from assistant.answering.phrases import FINDERS
from assistant.answering.question import AnswerKind


def count(question: str, sentence: str) -> str | None:
    span = FINDERS[AnswerKind.NUMBER](question, sentence)
    return None if span is None else sentence[span[0] : span[1]]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the question names the month: the day after it is a date, not the count
        (
            "How many patients fled from a clinic in Dover in June?",
            "Staff are still shaken by the flight of 7 patients late on June 3, officials said.",
            "7 patients",
        ),
        (
            "How many ships sank off Malta in Oct. during the storm?",
            "The storm, which peaked on Oct. 21, sank 4 ships off Malta.",
            "4 ships",
        ),
        # a number after a capitalised word of the question is a label, not a count
        (
            "How many missions landed on the moon after Apollo?",
            "After Apollo 11, five more missions landed on the moon.",
            "five more missions",
        ),
    ],
)
def test_a_number_after_a_capitalised_question_word_is_not_the_count(
    question: str, sentence: str, expected: str
) -> None:
    assert count(question, sentence) == expected


def test_the_number_after_the_question_verb_is_still_its_count() -> None:
    question = "How many people did police arrest after the march?"
    sentence = "Police arrested 212 others after the march on Sunday."
    assert count(question, sentence) == "212 others"
