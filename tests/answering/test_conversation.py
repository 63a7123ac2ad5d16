"""Follow-up questions resolved from the history into self-contained questions."""

from __future__ import annotations

import pytest

from assistant.conversation import is_follow_up, resolve_question, search_query_for
from assistant.models import Turn


def chat(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        (
            chat("How many members of the military have switched sides?", "About 1,500."),
            "And how many police?",
            "How many police have switched sides?",
        ),
        (
            chat("How many members of the military have switched sides?", "About 1,500."),
            "What about the police?",
            "How many police have switched sides?",
        ),
        (
            chat("How many nurses went on strike?", "More than 300."),
            "What about the doctors?",
            "How many doctors went on strike?",
        ),
        (
            chat("Who was the first senior officer to join?", "Tin Min Tun, per Myanmar Now."),
            "What was his rank?",
            "What was Tin Min Tun’s rank?",
        ),
        (
            chat("Who chairs the committee?", "Maria Lopez."),
            "What did she say about the budget?",
            "What did Maria Lopez say about the budget?",
        ),
        (
            chat("What did the CDF offer?", "5 million kyat."),
            "When did it announce that?",
            "When did the CDF announce that?",
        ),
        (
            chat("Which group offered the reward?", "The Chin Regional Defense Force (CDF)."),
            "When did that group announce it?",
            "When did the CDF announce it?",
        ),
        (
            chat(
                "Why did the soldiers defect?",
                "In solidarity.",
                "Which battalions were they from?",
                "402 and 403.",
            ),
            "Were they armed?",
            "Were the soldiers armed?",
        ),
        (
            chat("How many people has the junta killed?", "At least 1,043."),
            "And how many has it arrested?",
            "How many has the junta arrested?",
        ),
    ],
)
def test_follow_ups_are_resolved(history: list[Turn], question: str, resolved: str) -> None:
    assert resolve_question(question, history) == resolved


@pytest.mark.parametrize(
    "question",
    [
        "Who won the last football World Cup?",
        "How old is Ye Mon?",
        "What is the weather in Dawei today?",
        "How many soldiers defected to the KNU?",
    ],
)
def test_self_contained_questions_are_not_follow_ups(question: str) -> None:
    # Short questions used to carry the previous topic forward (<= 6 words): no more.
    history = chat("Who is the NUG's defense minister?", "Ye Mon.")
    assert not is_follow_up(question)
    assert resolve_question(question, history) == question
    assert search_query_for(question, history) == question


def test_fragments_and_connectives_are_follow_ups() -> None:
    assert is_follow_up("In which town?")
    assert is_follow_up("And the police?")
    assert is_follow_up("What did he say?")
    assert not is_follow_up("Where is Hpapun?")


def test_without_history_the_question_is_unchanged() -> None:
    assert resolve_question("And how many police?", []) == "And how many police?"
