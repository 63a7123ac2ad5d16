"""Timelines from passages: dated by the events they report, oldest first, verbatim spans."""

from __future__ import annotations

from assistant.answering.timeline import build_timeline, is_timeline_question
from assistant.models import Passage

ARTICLE_A = (
    "The military seized power in a coup on Feb. 1, 2021. "
    "Protests against the coup spread within days.\n\n"
    "Twelve soldiers of the coup army defected to the KNU last month. "
    "The weather in the hills was mild."
)
ARTICLE_B = (
    "Since the coup, nearly 2,500 soldiers and police have defected. "
    "In May 2021 the first police officers joined the protests against the coup."
)


def passage(article_id: str, text: str, published: str, start: int = 0) -> Passage:
    return Passage(
        chunk_id=f"{article_id}:0",
        article_id=article_id,
        position=0,
        start=start,
        end=start + len(text),
        text=text,
        score=1.0,
        published=published,
    )


PASSAGES = [passage("a", ARTICLE_A, "2021-04-10", start=100), passage("b", ARTICLE_B, "2021-09-02")]


def test_recognises_timeline_questions() -> None:
    for q in [
        "Give me a timeline of the defections",
        "What has happened since the coup?",
        "How did the defections unfold?",
        "What happened after the coup?",
    ]:
        assert is_timeline_question(q), q
    for q in ["When did the coup take place?", "How many soldiers defected?", "Who is Ye Mon?"]:
        assert not is_timeline_question(q), q


def test_events_in_the_order_they_happened_with_verbatim_offsets() -> None:
    events = build_timeline("Timeline of the coup", PASSAGES)
    assert [e.date for e in events] == [
        "2021-02-01",
        "2021-03",
        "2021-04-10",
        "2021-05",
        "2021-09-02",
    ]
    texts = {"a": ARTICLE_A, "b": ARTICLE_B}
    offsets = {"a": 100, "b": 0}
    for e in events:
        body = texts[e.article_id]
        assert body[e.start - offsets[e.article_id] : e.end - offsets[e.article_id]] == e.text
    # "Last month" in an article of 2021-04-10 is March 2021: the event's date, not April.
    defected = next(e for e in events if e.text.startswith("Twelve"))
    assert (defected.date, defected.dated_by) == ("2021-03", "event")
    # A sentence with no date of its own sits at its article's date, and says so.
    spread = next(e for e in events if e.text.startswith("Protests"))
    assert spread.dated_by == "publication"
    assert all("weather" not in e.text for e in events)  # not about the subject


def test_since_keeps_later_events_only() -> None:
    dated = build_timeline("What has happened to the coup since April 2021?", PASSAGES)
    assert dated and all(e.sort_key.isoformat() >= "2021-04-01" for e in dated)
    anchored = build_timeline("What has happened since the coup?", PASSAGES)
    assert anchored and all(e.sort_key.isoformat() >= "2021-02-01" for e in anchored)


def test_undated_articles_give_only_events_their_text_dates() -> None:
    undated = [passage("a", ARTICLE_A, "")]
    events = build_timeline("Timeline of the coup", undated)
    # "last month" cannot be resolved without a publication date; only Feb. 1, 2021 remains.
    assert [e.date for e in events] == ["2021-02-01"]


def test_a_timeline_answer_cites_each_event_verbatim() -> None:
    from assistant.answering.engine import Evidence
    from assistant.answering.timeline import timeline_answer

    texts = {"a": "x" * 100 + ARTICLE_A, "b": ARTICLE_B}
    evidence = Evidence("Timeline of the coup", "Timeline of the coup", [], PASSAGES, texts.get)
    answer = timeline_answer(evidence, "extractive")
    assert answer is not None and not answer.abstained
    assert [e.date for e in answer.timeline] == [
        "2021-02-01",
        "2021-03",
        "2021-04-10",
        "2021-05",
        "2021-09-02",
    ]
    by_n = {c.n: c for c in answer.citations}
    for entry in answer.timeline:
        assert texts[entry.article_id][entry.start : entry.end] == entry.text
        cited = by_n[entry.n]
        assert (cited.article_id, cited.start, cited.end, cited.verified) == (
            entry.article_id,
            entry.start,
            entry.end,
            True,
        )
        assert f"{entry.text} [{entry.n}]" in answer.answer
    assert "2021-04-10 (publication date)" in answer.answer  # undated event: said so
    assert answer.to_dict()["timeline"][0]["date"] == "2021-02-01"


def test_no_dated_event_means_no_timeline() -> None:
    from assistant.answering.engine import Evidence
    from assistant.answering.timeline import timeline_answer

    undated = [passage("c", "The talks went on without any date given.", "")]
    evidence = Evidence("Timeline of the talks", "Timeline of the talks", [], undated)
    assert timeline_answer(evidence, "extractive") is None
