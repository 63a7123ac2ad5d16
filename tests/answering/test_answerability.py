"""Whether a sentence is about the question's subject: names mentioned in part, a cited
source, figures the question states (answerability.py)."""

from __future__ import annotations

import pytest

from assistant.answering.answerability import (
    missing_subject,
    unexplained_event,
    unmentioned_name,
    unsupported_number,
)


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a name with a title counts as mentioned by its first and last words
        ("Which justice rebuked President Trump?", "Roberts rebuked President Donald Trump.", ""),
        # ... but not by its last word alone
        (
            "What is on the menu at Harry's Savoy Grill?",
            "The Robata Grill menu has sushi.",
            "Harry's Savoy Grill",
        ),
        # a qualifier acronym before a name is not needed
        ("What did the US Supreme Court rule on Monday?", "The Supreme Court ruled on wire.", ""),
        # a long name is mentioned by its last word
        (
            "Which team won the English Football League's Carabao Cup?",
            "Newcastle won the Carabao Cup at Wembley.",
            "",
        ),
        # the cited source is not the subject
        ("According to the FBI, which country hacked the campaign?", "Iran hacked it.", ""),
        # an acronym the question is about must be there
        ("How much did the KNDF offer?", "The CDF offered 500,000 kyat.", "KNDF"),
        # an aside between commas is a detail, not the subject ...
        (
            "Who did the Delaware delegates, including Governor John Carney, support?",
            "The Delaware delegation gave its support to Kamala Harris.",
            "",
        ),
        # ... while the same name as the subject must still be there
        (
            "Who did Governor John Carney support for the nomination?",
            "The Delaware delegation gave its support to Kamala Harris.",
            "Governor John Carney",
        ),
    ],
)
def test_missing_subject(question: str, text: str, missing: str) -> None:
    assert missing_subject(question, text) == missing


@pytest.mark.parametrize(
    ("question", "passage", "missing"),
    [
        ("Which cyclist won their 19th gold medal?", "She won her 19th gold in Paris.", ""),
        ("Which cyclist won their 19th gold medal?", "She won 18 golds in all.", "19"),
        ("Which company cut 9,000 jobs?", "Microsoft cut 9000 jobs on Monday.", ""),
        ("Which company cut 9,000 jobs?", "Microsoft cut 19,000 jobs on Monday.", "9,000"),
        ("Which airline buys it in a $1.9 billion deal?", "a $1.9 billion deal", ""),
        # years and single digits are not asked of the passage here
        ("What happened in 2024 after 2 wins?", "Nothing was said.", ""),
    ],
)
def test_unsupported_number(question: str, passage: str, missing: str) -> None:
    assert unsupported_number(question, passage) == missing


@pytest.mark.parametrize(
    ("question", "article", "missing"),
    [
        # another case of the same kind of event: neither name of the question is in it
        (
            "Where did Colombian police find cocaine on a man boarding a flight to Amsterdam?",
            "Police in Chicago found cocaine hidden in a suitcase at O'Hare.",
            "Colombian",
        ),
        # a demonym is mentioned by its country, a person by the surname alone
        (
            "Where did Colombian police find cocaine, according to Pete Hegseth?",
            "Colombia's police found it, Hegseth said.",
            "",
        ),
        # the first word of the question and titles are no names
        (
            "Defense Secretary Pete Hegseth ordered the Navy to rename which ship?",
            "Hegseth: navy",
            "",
        ),
        (
            "Defense Secretary Pete Hegseth ordered the Navy to rename which ship?",
            "Hegseth",
            "Navy",
        ),
        # days and months are no names; a cited source is not the subject
        ("According to the FBI, what happened on Monday in May?", "Nothing was said.", ""),
    ],
)
def test_unmentioned_name(question: str, article: str, missing: str) -> None:
    assert unmentioned_name(question, article) == missing


@pytest.mark.parametrize(
    ("question", "article", "missing"),
    [
        # nobody refuses anything in the article: a false premise, not a reason to give
        (
            "Why did the KNU refuse to accept the soldiers?",
            "The KNU welcomed the soldiers.",
            "refus",
        ),
        ("Why did the soldiers defect?", "Soldiers defected in a show of solidarity.", ""),
        # only the clause from "why" is the event asked about
        ("Besides disapproving of the coup, why were police unhappy?", "Police were unhappy.", ""),
        # not a why-question
        ("How many soldiers refused orders?", "Twelve soldiers defected.", ""),
    ],
)
def test_unexplained_event(question: str, article: str, missing: str) -> None:
    assert unexplained_event(question, article) == missing
