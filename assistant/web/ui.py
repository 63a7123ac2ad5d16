"""The full chat page (Gradio Blocks): chat, sources, filters, engine, index line, feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.web import ui_render as render
from assistant.web.chat import DATE_HINT, EXAMPLES, ChatHandlers

# BrowserState encrypts in the browser with a key it is sent in the page config, so this is no
# secret; it is fixed so that every worker process, and the next start, can read the history.
BROWSER_KEY = "newsroom-assistant-chat-history"


def chatbot(height: int, examples: list[str] | None = None) -> gr.Chatbot:
    """A chat that shows text, never live HTML: sanitised, no custom tags, no LaTeX.

    Gradio's own copy button is off: it copies the message's Markdown, escapes included; the
    page's script (static/chat.js) adds one that copies plain text and a numbered source list.
    """
    return gr.Chatbot(
        label="Chat",
        elem_id="chat",
        height=height,
        sanitize_html=True,
        allow_tags=False,
        latex_delimiters=[],
        feedback_options=("Like", "Dislike"),
        buttons=[],
        placeholder="Ask about the indexed articles. Every answer cites the passages it rests on.",
        examples=[{"text": q} for q in examples] if examples else None,
    )


def sources_panel() -> gr.HTML:
    return gr.HTML(render.SOURCES_PLACEHOLDER, label="Sources", elem_id="sources", js_on_load=None)


def question_row(placeholder: str, lines: int) -> tuple[gr.Textbox, gr.Button, gr.Button]:
    """The question box with Ask, and Stop (shown only while an answer streams)."""
    question = gr.Textbox(
        label="Question",
        show_label=False,
        placeholder=placeholder,
        elem_id="question",
        scale=6,
        max_lines=lines,
        autofocus=True,
    )
    ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=70)
    stop = gr.Button("Stop", variant="stop", elem_id="stop", scale=1, min_width=70, visible=False)
    return question, ask, stop


def engine_choice(engines: list[str], default_engine: str) -> gr.Dropdown:
    """Hidden when there is one engine; explained when there are several."""
    return gr.Dropdown(
        engines,
        value=default_engine,
        label="Answer engine",
        visible=len(engines) > 1,
        info="extractive quotes the articles' own sentences; a language-model engine writes"
        " the answer in its own words. Either way every quote is checked against its article.",
    )


def build_ui(handlers: ChatHandlers, engines: list[str], default_engine: str) -> gr.Blocks:
    """The chat at /, wired to ``handlers``; the chat function's API name is ``ask``."""
    with gr.Blocks(title="Newsroom assistant", analytics_enabled=False) as demo:
        conversation = gr.BrowserState([], storage_key="newsroom-chat", secret=BROWSER_KEY)
        asked = gr.State("")
        chips_shown = gr.State([])  # the filter chips last drawn: only those can be removed
        gr.Markdown("# Newsroom assistant", elem_id="title")
        stats = gr.HTML(render.STATS_LOADING, elem_id="index-stats", js_on_load=None)
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, elem_id="chat-col"):
                chat = chatbot(height=520)
                chips = gr.Dropdown(
                    [], value=[], multiselect=True, visible=False, elem_id="filter-chips",
                    label="Active filters: answers come only from matching articles (× removes)",
                )  # fmt: skip
                with gr.Row(equal_height=True, elem_id="ask-row"):
                    question, ask, stop = question_row("Ask a question about the articles…", 4)
                    clear = gr.Button("Clear", elem_id="clear", scale=1, min_width=70)
                notice = gr.HTML("", elem_id="question-notice", js_on_load=None)
                with gr.Column(elem_id="examples"):
                    gr.Examples(EXAMPLES, inputs=question, label="Example questions")
            with gr.Column(scale=2, elem_id="side-col"):
                gr.Markdown("## Sources", elem_id="sources-heading")
                sources = sources_panel()
                title = "Filters and engine" if len(engines) > 1 else "Filters"
                with gr.Accordion(title, open=False, elem_id="filters"):
                    # Choices arrive when the page loads; custom values are allowed so that API
                    # callers may pass any outlet or article id.
                    outlets = gr.Dropdown(
                        [], value=[], multiselect=True, allow_custom_value=True, label="Outlets"
                    )
                    with gr.Row():
                        date_from = gr.Textbox(
                            "", label="Published from", placeholder="YYYY-MM-DD",
                            info=DATE_HINT, elem_id="date-from",
                        )  # fmt: skip
                        date_to = gr.Textbox(
                            "", label="Published to", placeholder="YYYY-MM-DD",
                            info=DATE_HINT, elem_id="date-to",
                        )  # fmt: skip
                    articles = gr.Dropdown(
                        [], value=[], multiselect=True, allow_custom_value=True, label="Articles"
                    )
                    as_of = gr.Textbox(
                        "", label="Archive as of", placeholder="YYYY-MM-DD", elem_id="as-of",
                        info="Answer as the archive stood that day: only articles published by"
                        " then; “this week” and “latest” are read from it.",
                    )  # fmt: skip
                    engine = engine_choice(engines, default_engine)
                with gr.Accordion("Feedback", open=False, elem_id="feedback"):
                    download = gr.DownloadButton(
                        "Download feedback (CSV)", elem_id="download-feedback", size="sm"
                    )

        wire_chat(
            demo,
            handlers,
            triggers=[question.submit, ask.click],
            inputs=[question, conversation, outlets, date_from, date_to, articles, engine, as_of],
            chat=chat,
            sources=sources,
            conversation=conversation,
            controls=Controls(ask, stop, notice, asked, clear),
            download=download,
            api_name="ask",
        )
        filters: list[Any] = [outlets, date_from, date_to, articles, as_of]
        gr.on([f.change for f in filters], handlers.filter_chips, filters, [chips, chips_shown],
              api_visibility="private", queue=False)  # fmt: skip
        chips.input(
            handlers.remove_chip, [chips, chips_shown, *filters], filters, api_visibility="private"
        )
        gr.on(
            [date_from.blur, date_to.blur, as_of.blur],
            lambda a, b, c: handlers.check("-", a, b, c)[1:],
            [date_from, date_to, as_of],
            [date_from, date_to, as_of],
            api_visibility="private",
            queue=False,
        )
        demo.load(handlers.index_panel, None, [stats, outlets, articles], api_visibility="private")
        demo.load(handlers.export_file, None, download, api_visibility="private")
    return demo


@dataclass
class Controls:
    """Ask and Stop, the line under the question box, the question being answered, Clear."""

    ask: gr.Button
    stop: gr.Button
    notice: gr.HTML
    asked: gr.State
    clear: gr.Button | None = None


def wire_chat(
    demo: gr.Blocks,
    handlers: ChatHandlers,
    *,
    triggers: list[Any],
    inputs: list[Any],
    chat: gr.Chatbot,
    sources: gr.HTML,
    conversation: gr.BrowserState,
    controls: Controls,
    download: gr.DownloadButton | None,
    api_name: str | None,
) -> None:
    """The events the full chat and the embed share; ``inputs[:2]`` are question, conversation,
    and ``inputs[3:5]`` and ``inputs[7]``, when there, the date boxes (from, to, as of)."""
    question = inputs[0]
    dates = [*inputs[3:5], *inputs[7:8]]
    visibility: Any = "public" if api_name else "private"
    c = controls

    def before(text: str, *dates_given: str) -> tuple[Any, ...]:
        notice, *boxes = handlers.check(text, *dates_given)
        return (notice, *boxes[: len(dates_given)], *handlers.started(text))

    answering = gr.on(
        triggers,
        before,
        [question, *dates],
        [c.notice, *dates, c.ask, c.stop, c.asked],
        api_visibility="private",
        queue=False,
    ).then(
        handlers.respond,
        inputs,
        [question, chat, sources, conversation],
        api_name=api_name,
        api_visibility=visibility,
        concurrency_limit=4,
    )
    answering.then(handlers.finished, None, [c.ask, c.stop], api_visibility="private")
    # Cancel first, then show the chat without the half answer. Through the queue, so that it
    # reaches the page on the same event stream as the streamed updates, after the last one.
    c.stop.click(None, None, None, cancels=[answering], queue=False).then(
        handlers.stopped,
        [c.asked, conversation],
        [question, chat, sources, c.ask, c.stop],
        api_visibility="private",
    )
    like_outputs = [conversation, download] if download else [conversation, gr.State()]
    chat.like(handlers.like, conversation, like_outputs, api_visibility="private")
    chat.select(handlers.select, conversation, sources, api_visibility="private")
    gr.on(
        [c.clear.click, chat.clear] if c.clear else [chat.clear],
        handlers.clear,
        None,
        [question, chat, sources, conversation],
        api_visibility="private",
    )
    # Rebuild the chat from the browser's copy of the conversation when the page loads.
    demo.load(handlers.restore, conversation, [chat, sources], api_visibility="private")
