"""What the Gradio chats (full and embedded) do; every handler calls the service in-process."""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, BadFilter
from assistant.feedback import FeedbackStore
from assistant.models import Filters, read_day
from assistant.service import Assistant
from assistant.web import chat_state
from assistant.web import ui_render as render

EXAMPLES = [
    "Who is Thet Naing Oo?",
    "How many soldiers defected to the KNU?",
    "How many police have joined the movement?",
]
DATE_HINT = "YYYY-MM-DD, for example 2021-09-02"
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
        as_of: str = "",
    ) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat, then show the verified one and its sources.

        Yields (question box, chatbot, sources panel, conversation). An empty question or a date
        it cannot read adds no turn (``check`` says why at the field); a refused question stays
        in the box so that nothing typed is lost. ``as_of``: answer as the archive stood that day.
        """
        past = chat_state.clean(conversation)
        question = question if isinstance(question, str) else ""
        try:
            filters = parse_filters(outlets, published_from, published_to, article_ids)
            day = parse_day(as_of)
        except DateError:
            filters, day = None, None
            question = ""
        if not question.strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        asking = [*past, {**chat_state.EMPTY, "question": _shortened(question)}]
        yield "", self.chatbot(asking, pending=""), self.sources(past, searching=True), gr.skip()
        exchange = chat_state.from_error(_shortened(question), "no answer was produced")
        try:
            text = ""
            for event in self.bot.ask_stream(
                question, chat_state.history(past), filters, engine or None, day
            ):
                if event.answer is None:
                    text += event.delta
                    yield gr.skip(), self.chatbot(asking, pending=text), gr.skip(), gr.skip()
                else:
                    exchange = chat_state.from_answer(event.answer)
        except AssistantError as exc:  # told instead of a crash: its message is for a person
            exchange = chat_state.from_error(_shortened(question), exc.message)
        conversation = chat_state.appended(past, exchange)
        box = question if exchange["error"] else gr.skip()  # a refused question is kept
        yield box, self.chatbot(conversation), self.sources(conversation), conversation

    def check(self, question: str, *dates: str) -> tuple[Any, ...]:
        """Before asking: a message at the field for an empty question or a date it cannot read.

        ``dates``: the date boxes (published from, published to, as of). Returns the question
        notice, then a box update per date.
        """
        notice = "" if (question or "").strip() else "Type a question first."
        boxes = []
        for value in dates:
            problem = date_problem(value)
            boxes.append(
                gr.Textbox(info=f"⚠ {problem}" if problem else DATE_HINT,
                           elem_classes=["field-error"] if problem else [])
            )  # fmt: skip
        if any(date_problem(v) for v in dates):
            notice = "Check the dates under “Filters”: " + DATE_HINT
        return _notice(notice), *boxes

    def filter_chips(
        self,
        outlets: list[str] | None,
        published_from: str,
        published_to: str,
        article_ids: list[str] | None,
        as_of: str = "",
    ) -> tuple[Any, list[str]]:
        """The active filters as removable chips (a multiselect of their labels), and the labels
        shown, which ``remove_chip`` is given back."""
        chips = self._chips(outlets, published_from, published_to, article_ids, as_of)
        labels = list(chips.values())
        shown = gr.Dropdown(choices=labels, value=labels, visible=bool(labels), multiselect=True)
        return shown, labels

    def remove_chip(
        self,
        kept: list[str] | None,
        shown: list[str] | None,
        outlets: list[str] | None,
        published_from: str,
        published_to: str,
        article_ids: list[str] | None,
        as_of: str = "",
    ) -> tuple[Any, ...]:
        """The filters without those whose chip was removed: shown last, and not kept.

        A filter whose chip was never shown (typed after the chips this event saw were drawn)
        stays: a late chips event must not clear a date someone has just typed."""
        chips = self._chips(outlets, published_from, published_to, article_ids, as_of)
        removed = set(shown or ()) - set(kept or ())

        def stays(key: tuple[str, str]) -> bool:
            return chips.get(key) not in removed

        return (
            [o for o in outlets or [] if stays(("outlet", o))],
            published_from if stays(("from", published_from)) else "",
            published_to if stays(("to", published_to)) else "",
            [a for a in article_ids or [] if stays(("article", a))],
            as_of if stays(("as_of", as_of)) else "",
        )

    def _chips(
        self,
        outlets: list[str] | None,
        published_from: str,
        published_to: str,
        article_ids: list[str] | None,
        as_of: str = "",
    ) -> dict[tuple[str, str], str]:
        titles: dict[str, str] = {}
        if article_ids:
            with contextlib.suppress(AssistantError):
                titles = {a["id"]: a["title"] for a in self.bot.articles()}
        chips = {("outlet", o): f"Outlet: {o}" for o in outlets or []}
        if (published_from or "").strip():
            chips["from", published_from] = f"Published from {published_from.strip()}"
        if (published_to or "").strip():
            chips["to", published_to] = f"Published to {published_to.strip()}"
        for aid in article_ids or []:
            chips["article", aid] = f"Article: {_cut(titles.get(aid) or aid, 60)}"
        if (as_of or "").strip():
            chips["as_of", as_of] = f"Archive as of {as_of.strip()}"
        return chips

    def started(self, question: str) -> tuple[Any, ...]:
        """While an answer streams: Ask disabled, Stop shown; keeps the question for Stop."""
        return gr.Button(interactive=False), gr.Button(visible=True), question

    def finished(self) -> tuple[Any, ...]:
        return gr.Button(interactive=True), gr.Button(visible=False)

    def stopped(self, asked: str, conversation: Any) -> tuple[Any, ...]:
        """Stop: the half answer goes, the question comes back to the box to edit or re-ask."""
        exchanges = chat_state.clean(conversation)
        return (
            asked if isinstance(asked, str) else "",
            self.chatbot(exchanges),
            self.sources(exchanges),
            gr.Button(interactive=True),
            gr.Button(visible=False),
        )

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
        return self.sources(exchanges, position)

    def restore(self, conversation: Any) -> tuple[Any, str]:
        """The chat as it was before the page was reloaded."""
        exchanges = chat_state.clean(conversation)
        return self.chatbot(exchanges), self.sources(exchanges)

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

    def sources(
        self,
        conversation: list[chat_state.Exchange],
        position: int | None = None,
        searching: bool = False,
    ) -> str:
        return render.sources_html(conversation, position, self._article_text, searching=searching)

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
        raise DateError("write the dates as " + DATE_HINT) from None
    return None if filters.empty else filters


def parse_day(value: str | None) -> date | None:
    """The chat's "as of" day; ``DateError`` for a date it cannot read, None when empty."""
    try:
        return read_day((value or "").strip())
    except BadFilter:
        raise DateError("write the date as " + DATE_HINT) from None


class DateError(BadFilter):
    """A filter date the chat cannot read; shown at the date field, not in the chat."""


def date_problem(value: str | None) -> str:
    """Why a filter date cannot be read, or "" when it can (or is empty)."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        date.fromisoformat(text)
    except ValueError:
        return f"“{_cut(text, 30)}” is not a date: write " + DATE_HINT
    return ""


def _notice(text: str) -> str:
    """The line under the question box (role=status, so a screen reader hears it)."""
    return f'<p class="field-notice" role="status">{html.escape(text)}</p>' if text else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
