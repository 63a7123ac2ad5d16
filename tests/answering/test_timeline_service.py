"""Timeline questions through the real service on the shipped articles."""

from __future__ import annotations


def test_timeline_question_gets_dated_cited_events(shipped_bot) -> None:
    answer = shipped_bot.ask("What has happened since the coup?")
    assert not answer.abstained and answer.timeline
    dates = [e.date for e in answer.timeline]
    assert dates == sorted(dates)  # oldest first (ISO labels sort by time within a year)
    for entry in answer.timeline:
        article = shipped_bot.article(entry.article_id)
        assert article is not None and article.text[entry.start : entry.end] == entry.text
        assert any(c.n == entry.n and c.verified for c in answer.citations)


def test_an_ordinary_question_gets_no_timeline(shipped_bot) -> None:
    assert shipped_bot.ask("How many soldiers defected to the KNU?").timeline == ()
