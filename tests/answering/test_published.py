"""Questions about when an article appeared: answered from its metadata, with the verbatim
sentence that identifies the article cited, or the plain statement that it carries no date."""

from __future__ import annotations

import pytest

from assistant.answering.published import is_publication_question, subject_of
from tests.conftest import SEED_IDS

KNU, RFA = SEED_IDS


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("When was the report on police joining the resistance published?", True),
        ("What date was the article about the KNU posted?", True),
        ("What is the publication date of the RFA story?", True),
        ("When did the story come out?", True),
        # an event's date, not an article's
        ("When were the prisoners released?", False),
        ("When did the soldiers defect?", False),
        ("When was the report's author arrested?", False),
    ],
)
def test_is_publication_question(question: str, asks: bool) -> None:
    assert is_publication_question(question) is asks


def test_subject_of_drops_the_frame() -> None:
    question = "When was the report on thousands of soldiers joining anti-junta forces published?"
    assert subject_of(question) == "the report on thousands of soldiers joining anti-junta forces"


def test_publication_date_from_metadata(shipped_bot) -> None:
    answer = shipped_bot.ask(
        "When was the report on thousands of soldiers and police joining anti-junta forces "
        "published?"
    )
    assert not answer.abstained
    assert answer.answer.startswith("2021-09-02 [1]: the publication date of")
    assert answer.citations[0].article_id == RFA
    article = shipped_bot.article(RFA)
    assert article.published == "2021-09-02"
    assert all(article.text[c.start : c.end] == c.quote for c in answer.citations)
    assert answer.short_answer is None  # the date is metadata, not a span of the text


def test_an_article_without_a_date_says_so(shipped_bot) -> None:
    answer = shipped_bot.ask(
        "When was the article about the twelve soldiers who defected to the KNU published?"
    )
    assert not answer.abstained
    assert "does not give its publication date" in answer.answer
    assert answer.citations[0].article_id == KNU
    assert shipped_bot.article(KNU).published == ""


def test_the_outlet_named_picks_the_article(shipped_bot) -> None:
    answer = shipped_bot.ask("When was the RFA report published?")
    assert answer.answer.startswith("2021-09-02 [1]")
    assert answer.citations[0].article_id == RFA


def test_an_article_the_archive_lacks_is_refused(shipped_bot) -> None:
    answer = shipped_bot.ask("When was the article on the Nobel Prize for physics published?")
    assert answer.abstained
