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
        ("", {}, "the question is empty"),
        ("   \n ", {}, "the question is empty"),
        ("x" * 20_000, {}, "the question is too long (20,000 characters; the limit is 2,000)"),
        (QUESTION, {"published_from": "March 3"}, "write the dates as YYYY-MM-DD"),
        (QUESTION, {"engine": "gpt-9"}, "unknown engine 'gpt-9'"),
    ],
)
def test_refusals_are_shown_in_the_chat(
    handlers: ChatHandlers, question: str, inputs: dict[str, Any], message: str
) -> None:
    _, chatbot, sources, conversation = run(handlers, question, **inputs)[-1]
    shown = messages(chatbot)
    assert shown[-1].startswith("⚠️ ") and message.replace("(", "\\(")[:20] in shown[-1]
    assert len(shown[-2]) < 600  # a huge question is shown cut short
    assert conversation[-1]["error"].startswith(message[:30])
    assert "source-card" not in sources


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
