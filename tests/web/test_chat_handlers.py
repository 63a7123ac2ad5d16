"""The Gradio chat's handlers, called as Gradio calls them: streaming, refusals, likes, history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from hostile_article import HOSTILE_ID, HOSTILE_QUESTION

from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.web.chat import ChatHandlers

QUESTION = "How many soldiers defected to the KNU?"


@pytest.fixture
def handlers(tmp_path: Path, shipped_bot: Assistant) -> ChatHandlers:
    store = FeedbackStore.in_folder(tmp_path / "data")
    return ChatHandlers(shipped_bot, store, tmp_path / "exports")


def messages(chatbot: Any) -> list[str]:
    return [m["content"] for m in chatbot.constructor_args["value"]]


def run(handlers: ChatHandlers, question: str, conversation: Any = (), **inputs: Any) -> list:
    return list(handlers.respond(question, list(conversation), **inputs))


def test_answer_streams_then_the_verified_answer_and_its_sources(handlers: ChatHandlers) -> None:
    steps = run(handlers, QUESTION)
    assert steps[0][0] == ""  # the question box is cleared at once
    partial = [messages(step[1])[-1] for step in steps[1:-1]]
    assert len(partial) > 2 and all(p.endswith("▍") for p in partial)
    assert len(set(partial)) == len(partial)  # each step shows more text
    _, chatbot, sources, conversation = steps[-1]
    final = messages(chatbot)
    assert final[0] == QUESTION and "\\[1\\]" in final[1] and "▍" not in final[1]
    assert conversation[-1]["question"] == QUESTION
    cited = conversation[-1]["citations"]
    assert sources.count('class="source-card"') == len(cited) >= 1
    article = handlers.bot.article(cited[0]["article_id"])
    assert article is not None
    marked = re.search(r'<mark class="quote">(.*?)</mark>', sources)
    assert (
        marked is not None and marked.group(1) == article.text[cited[0]["start"] : cited[0]["end"]]
    )


def test_follow_up_uses_the_conversation(handlers: ChatHandlers) -> None:
    first = run(handlers, QUESTION)[-1][3]
    second = run(handlers, "And how many police joined?", first)[-1][3]
    assert [e["question"] for e in second] == [QUESTION, "And how many police joined?"]
    assert len(messages(run(handlers, "x y z", second)[-1][1])) == 6


@pytest.mark.parametrize(
    ("question", "inputs", "message"),
    [
        ("x" * 20_000, {}, "the question is too long (20,000 characters; the limit is 2,000)"),
        (QUESTION, {"engine": "gpt-9"}, "unknown engine 'gpt-9'"),
        (QUESTION, {"published_from": "2030-01-01"}, "No article matches these filters"),
        (QUESTION, {"outlets": ["Nobody"]}, "No article matches these filters"),
    ],
)
def test_refusals_are_shown_in_the_chat_and_the_question_is_kept(
    handlers: ChatHandlers, question: str, inputs: dict[str, Any], message: str
) -> None:
    box, chatbot, sources, conversation = run(handlers, question, **inputs)[-1]
    shown = messages(chatbot)
    assert shown[-1].startswith("⚠️ ")
    assert message.replace("(", "\\(")[:20].lower() in shown[-1].lower()
    assert len(shown[-2]) < 600  # a huge question is shown cut short
    assert conversation[-1]["error"].lower().startswith(message[:30].lower())
    assert "source-card" not in sources
    assert box == question  # nothing typed is lost


@pytest.mark.parametrize(
    ("question", "inputs"),
    [("", {}), ("   \n ", {}), (QUESTION, {"published_from": "March 3"})],
)
def test_empty_question_or_bad_date_adds_no_turn(
    handlers: ChatHandlers, question: str, inputs: dict[str, Any]
) -> None:
    steps = run(handlers, question, **inputs)
    assert steps == [(gr.skip(), gr.skip(), gr.skip(), gr.skip())]


def test_check_says_at_the_field_what_is_wrong(handlers: ChatHandlers) -> None:
    notice, date_from, date_to = handlers.check("", "", "")
    assert "Type a question first" in notice and 'role="status"' in notice
    assert date_from.constructor_args["elem_classes"] == []
    notice, date_from, date_to = handlers.check(QUESTION, "March 3", "2021-01-01")
    assert "Check the dates" in notice
    assert "“March 3” is not a date" in date_from.constructor_args["info"]
    assert date_from.constructor_args["elem_classes"] == ["field-error"]
    assert date_to.constructor_args["elem_classes"] == []
    assert handlers.check(QUESTION, "", "")[0] == ""
    notice, _, _, as_of = handlers.check(QUESTION, "", "", "yesterday")
    assert "Check the dates" in notice and "is not a date" in as_of.constructor_args["info"]


def test_as_of_answers_as_the_archive_stood_that_day(handlers: ChatHandlers) -> None:
    # The RFA article is dated 2021-09-02: before that day the archive held no dated article.
    question = "How many people has the junta killed while repressing anti-coup protests?"
    steps = run(handlers, question, as_of="2021-09-01")
    conversation = steps[-1][3]
    assert "no article matches" in conversation[-1]["error"]
    later = run(handlers, question, as_of="2021-12-31")[-1][3]
    assert later[-1]["error"] == "" and later[-1]["citations"]
    assert run(handlers, QUESTION, as_of="soon") == [(gr.skip(), gr.skip(), gr.skip(), gr.skip())]


def test_filter_chips_show_and_remove_filters(handlers: ChatHandlers) -> None:
    article_id = handlers.bot.articles()[0]["id"]
    chips, labels = handlers.filter_chips(["RFA"], "2021-01-01", "", [article_id])
    assert chips.constructor_args["value"] == labels
    assert labels[:2] == ["Outlet: RFA", "Published from 2021-01-01"]
    assert labels[2].startswith("Article: ") and chips.constructor_args["visible"] is True
    kept = [label for label in labels if not label.startswith("Outlet")]
    assert handlers.remove_chip(kept, labels, ["RFA"], "2021-01-01", "", [article_id]) == (
        [],
        "2021-01-01",
        "",
        [article_id],
        "",
    )
    _, as_of = handlers.filter_chips([], "", "", [], "2021-03-01")
    assert as_of == ["Archive as of 2021-03-01"]
    assert handlers.remove_chip([], as_of, [], "", "", [], "2021-03-01")[-1] == ""
    assert handlers.remove_chip(as_of, as_of, [], "", "", [], "2021-03-01")[-1] == "2021-03-01"
    assert handlers.filter_chips([], "", "", [])[0].constructor_args["visible"] is False


def test_a_late_chips_event_keeps_a_filter_typed_since(handlers: ChatHandlers) -> None:
    # The outlet chip was shown and removed; the date was typed after those chips were drawn,
    # so its chip is in neither list: it stays.
    shown = ["Outlet: RFA"]
    assert handlers.remove_chip([], shown, ["RFA"], "2021-01-01", "2021-12-31", []) == (
        [],
        "2021-01-01",
        "2021-12-31",
        [],
        "",
    )


def test_stop_brings_the_question_back(handlers: ChatHandlers) -> None:
    conversation = run(handlers, QUESTION)[-1][3]
    ask, stop, asked = handlers.started("Next question?")
    assert ask.constructor_args["interactive"] is False and stop.constructor_args["visible"]
    box, chatbot, _, ask, stop = handlers.stopped(asked, conversation)
    assert box == "Next question?" and len(messages(chatbot)) == 2
    assert ask.constructor_args["interactive"] is True and not stop.constructor_args["visible"]


def test_filters_restrict_the_sources(handlers: ChatHandlers) -> None:
    conversation = run(handlers, QUESTION, outlets=["RFA"], published_from="2021-01-01")[-1][3]
    assert {c["outlet"] for c in conversation[-1]["citations"]} <= {"RFA"}


def test_like_is_stored_and_exported(handlers: ChatHandlers) -> None:
    conversation = run(handlers, QUESTION)[-1][3]
    liked, export = handlers.like(
        conversation, gr.LikeData(None, {"index": 1, "value": "", "liked": True})
    )
    assert liked[0]["rating"] == "like"
    entry = handlers.feedback.entries()[0]
    assert entry["question"] == QUESTION and entry["rating"] == "like"
    assert entry["citations"] == conversation[0]["citations"] and entry["engine"] == "extractive"
    assert Path(export).read_text().count("\n") >= 2
    disliked, _ = handlers.like(liked, gr.LikeData(None, {"index": 1, "value": "", "liked": False}))
    assert disliked[0]["rating"] == "dislike" and len(handlers.feedback.entries()) == 2
    # a like on a message that is not there (a stale page) changes nothing
    ignored = handlers.like(liked, gr.LikeData(None, {"index": 7, "value": "", "liked": True}))
    assert ignored == (gr.skip(), gr.skip()) and len(handlers.feedback.entries()) == 2


def test_restore_select_and_clear(handlers: ChatHandlers) -> None:
    conversation = run(handlers, QUESTION)[-1][3]
    chatbot, sources = handlers.restore(conversation)
    assert messages(chatbot)[0] == QUESTION and "source-card" in sources
    assert handlers.restore("tampered")[1] == handlers.clear()[2]
    selected = handlers.select(conversation, gr.SelectData(None, {"index": 1, "value": ""}))
    assert selected == sources
    assert handlers.clear()[3] == []


def test_index_panel_shows_counts_and_choices(handlers: ChatHandlers) -> None:
    stats, outlets, articles = handlers.index_panel()
    assert "2 articles" in stats
    assert outlets.constructor_args["choices"] == ["RFA"]
    assert len(articles.constructor_args["choices"]) == 2


def test_hostile_article_and_question_render_as_text(
    tmp_path: Path, hostile_bot: Assistant
) -> None:
    handlers = ChatHandlers(hostile_bot, FeedbackStore(tmp_path / "f.db"), tmp_path)
    _, chatbot, sources, conversation = run(handlers, HOSTILE_QUESTION)[-1]
    assert conversation[-1]["citations"][0]["article_id"] == HOSTILE_ID
    answer = messages(chatbot)[-1]
    assert "<" not in answer and "&lt;script&gt;" in answer
    assert not re.search(r"<(script|img|iframe)\b", sources)
    assert "&lt;img src=x onerror=" in sources or "&lt;script&gt;" in sources
    assert "&lt;script&gt;window.__pwned = &#x27;title&#x27;" in sources  # the title, escaped
    question = "<img src=x onerror=alert(1)> [x](javascript:alert(2))?"
    shown = messages(run(handlers, question)[-1][1])[-2]
    assert "<" not in shown and "\\[x\\]\\(javascript" in shown


def test_engine_choice_hidden_with_one_engine_and_explained_with_several() -> None:
    from assistant.web.ui import engine_choice

    assert engine_choice(["extractive"], "extractive").visible is False
    several = engine_choice(["extractive", "llm"], "extractive")
    assert several.visible is True and "language-model" in (several.info or "")
