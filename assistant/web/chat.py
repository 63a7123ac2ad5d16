"""What the Gradio chats (full and embedded) do; every handler calls the service in-process."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, BadFilter
from assistant.feedback import FeedbackStore
from assistant.models import Filters
from assistant.service import Assistant
from assistant.web import chat_state
from assistant.web import ui_render as render

EXAMPLES = [
    "Who is Thet Naing Oo?",
    "How many soldiers defected to the KNU?",
    "How many police have joined the movement?",
]
_SEARCHING = '<div class="sources-empty">Finding the sources…</div>'
_SHOWN_QUESTION_CHARS = 500  # a refused, over-long question is shown cut to this


class ChatHandlers:
    """The chat's event handlers, over one ``Assistant`` and one feedback store."""

    def __init__(self, bot: Assistant, feedback: FeedbackStore, export_dir: Path) -> None:
        self.bot = bot
        self.feedback = feedback
        self.export_dir = export_dir

    def respond(
        self,
        question: str,
        conversation: Any,
        outlets: list[str] | None = None,
        published_from: str = "",
        published_to: str = "",
        article_ids: list[str] | None = None,
        engine: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat, then show the verified one and its sources.

        Yields (question box, chatbot, sources panel, conversation).
        """
        past = chat_state.clean(conversation)
        question = question if isinstance(question, str) else ""
        asking = [*past, {**chat_state.EMPTY, "question": _shortened(question)}]
        yield "", self.chatbot(asking, pending=""), _SEARCHING, gr.skip()
        exchange = chat_state.from_error(_shortened(question), "no answer was produced")
        try:
            filters = parse_filters(outlets, published_from, published_to, article_ids)
            text = ""
            for event in self.bot.ask_stream(
                question, chat_state.history(past), filters, engine or None
            ):
                if event.answer is None:
                    text += event.delta
                    yield gr.skip(), self.chatbot(asking, pending=text), gr.skip(), gr.skip()
                else:
                    exchange = chat_state.from_answer(event.answer)
        except AssistantError as exc:  # told instead of a crash: its message is for a person
            exchange = chat_state.from_error(_shortened(question), exc.message)
        conversation = chat_state.appended(past, exchange)
        yield gr.skip(), self.chatbot(conversation), self.sources(exchange), conversation

    def like(self, conversation: Any, data: gr.LikeData) -> tuple[Any, Any]:
        """Store a like or dislike of an answer; returns the conversation and a fresh export."""
        exchanges = chat_state.clean(conversation)
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        position = int(index) // 2  # messages alternate: question, answer
        if not 0 <= position < len(exchanges) or exchanges[position]["error"]:
            return gr.skip(), gr.skip()
        exchange = exchanges[position]
        rating = _rating(data.liked)
        if rating:
            self.feedback.record(
                exchange["question"], exchange["answer"], exchange["citations"],
                exchange["engine"], rating,
            )  # fmt: skip
        exchange["rating"] = rating
        return exchanges, self.export_file()

    def select(self, conversation: Any, data: gr.SelectData) -> str:
        """Show the sources of the answer a person clicked on."""
        exchanges = chat_state.clean(conversation)
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        position = int(index) // 2
        return self.sources(exchanges[position] if 0 <= position < len(exchanges) else None)

    def restore(self, conversation: Any) -> tuple[Any, str]:
        """The chat as it was before the page was reloaded."""
        exchanges = chat_state.clean(conversation)
        return self.chatbot(exchanges), self.sources(exchanges[-1] if exchanges else None)

    def clear(self) -> tuple[Any, ...]:
        return "", self.chatbot([]), render.SOURCES_PLACEHOLDER, []

    def index_panel(self) -> tuple[Any, ...]:
        """The index line, and the filter choices drawn from the indexed articles."""
        try:
            stats, articles = self.bot.stats(), self.bot.articles()
        except AssistantError as exc:
            return render.stats_html(None, exc.message), gr.skip(), gr.skip()
        outlets = sorted({a["outlet"] for a in articles if a["outlet"]})
        titles = [(a["title"] or a["id"], a["id"]) for a in articles]
        return (
            render.stats_html(stats),
            gr.Dropdown(choices=outlets),
            gr.Dropdown(choices=titles),
        )

    def export_file(self) -> str:
        """The feedback as a CSV file for the download button (rewritten whole, atomically)."""
        self.export_dir.mkdir(parents=True, exist_ok=True)
        target = self.export_dir / "feedback.csv"
        fd, tmp = tempfile.mkstemp(dir=self.export_dir, prefix=".feedback-", suffix=".csv")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(self.feedback.export("csv"))
        os.replace(tmp, target)
        return str(target)

    def chatbot(self, conversation: list[chat_state.Exchange], pending: str | None = None) -> Any:
        return gr.Chatbot(
            value=render.chat_messages(conversation, pending),
            feedback_value=render.feedback_values(conversation),
        )

    def sources(self, exchange: chat_state.Exchange | None) -> str:
        return render.sources_html(exchange, self._article_text)

    def _article_text(self, article_id: str) -> str | None:
        try:
            article = self.bot.article(article_id)
        except AssistantError:
            return None
        return article.text if article else None


def parse_filters(
    outlets: list[str] | None,
    published_from: str | None,
    published_to: str | None,
    article_ids: list[str] | None,
) -> Filters | None:
    """Filters from the chat's inputs; ``BadFilter`` with a message for a date it cannot read."""
    try:
        filters = Filters.from_dict(
            {
                "outlets": outlets or (),
                "article_ids": article_ids or (),
                "published_from": (published_from or "").strip(),
                "published_to": (published_to or "").strip(),
            }
        )
    except BadFilter:
        raise BadFilter("write the dates as YYYY-MM-DD, for example 2021-09-02") from None
    return None if filters.empty else filters


def _rating(liked: Any) -> str:
    if liked is True or liked == "Like":
        return "like"
    if liked is False or liked == "Dislike":
        return "dislike"
    return ""  # the like was taken back


def _shortened(question: str) -> str:
    if len(question) <= _SHOWN_QUESTION_CHARS:
        return question
    return question[:_SHOWN_QUESTION_CHARS] + "…"
