"""The full chat page (Gradio Blocks): chat, sources, filters, engine, index line, feedback."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.web import ui_render as render
from assistant.web.chat import EXAMPLES, ChatHandlers

# BrowserState encrypts in the browser with a key it is sent in the page config, so this is no
# secret; it is fixed so that every worker process, and the next start, can read the history.
BROWSER_KEY = "newsroom-assistant-chat-history"


def chatbot(height: int) -> gr.Chatbot:
    """A chat that shows text, never live HTML: sanitised, no custom tags, no LaTeX."""
    return gr.Chatbot(
        label="Chat",
        elem_id="chat",
        height=height,
        sanitize_html=True,
        allow_tags=False,
        latex_delimiters=[],
        feedback_options=("Like", "Dislike"),
        buttons=["copy"],
        placeholder="Ask about the indexed articles. Every answer cites the passages it rests on.",
    )


def sources_panel() -> gr.HTML:
    return gr.HTML(render.SOURCES_PLACEHOLDER, label="Sources", elem_id="sources", js_on_load=None)


def build_ui(handlers: ChatHandlers, engines: list[str], default_engine: str) -> gr.Blocks:
    """The chat at /, wired to ``handlers``; the chat function's API name is ``ask``."""
    with gr.Blocks(title="Newsroom assistant", analytics_enabled=False) as demo:
        conversation = gr.BrowserState([], storage_key="newsroom-chat", secret=BROWSER_KEY)
        gr.Markdown("## Newsroom assistant", elem_id="title")
        stats = gr.HTML(render.STATS_LOADING, elem_id="index-stats", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = chatbot(height=520)
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Question",
                        show_label=False,
                        placeholder="Ask a question about the articles…",
                        elem_id="question",
                        scale=6,
                        max_lines=4,
                        autofocus=True,
                    )
                    ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                    clear = gr.Button("Clear", elem_id="clear", scale=1)
                gr.Examples(EXAMPLES, inputs=question, label="Example questions")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = sources_panel()
                with gr.Accordion("Filters and engine", open=False):
                    # Choices arrive when the page loads; custom values are allowed so that API
                    # callers may pass any outlet or article id.
                    outlets = gr.Dropdown(
                        [], value=[], multiselect=True, allow_custom_value=True, label="Outlets"
                    )
                    with gr.Row():
                        date_from = gr.Textbox("", label="Published from", placeholder="YYYY-MM-DD")
                        date_to = gr.Textbox("", label="Published to", placeholder="YYYY-MM-DD")
                    articles = gr.Dropdown(
                        [], value=[], multiselect=True, allow_custom_value=True, label="Articles"
                    )
                    engine = gr.Dropdown(engines, value=default_engine, label="Answer engine")
                with gr.Accordion("Feedback", open=False):
                    download = gr.DownloadButton(
                        "Download feedback (CSV)", elem_id="download-feedback", size="sm"
                    )

        wire_chat(
            demo,
            handlers,
            triggers=[question.submit, ask.click],
            inputs=[question, conversation, outlets, date_from, date_to, articles, engine],
            chat=chat,
            sources=sources,
            conversation=conversation,
            clear=clear,
            download=download,
            api_name="ask",
        )
        demo.load(handlers.index_panel, None, [stats, outlets, articles], api_visibility="private")
        demo.load(handlers.export_file, None, download, api_visibility="private")
    return demo


def wire_chat(
    demo: gr.Blocks,
    handlers: ChatHandlers,
    *,
    triggers: list[Any],
    inputs: list[Any],
    chat: gr.Chatbot,
    sources: gr.HTML,
    conversation: gr.BrowserState,
    clear: gr.Button | None,
    download: gr.DownloadButton | None,
    api_name: str | None,
) -> None:
    """The events the full chat and the embed share; ``inputs[:2]`` are question, conversation."""
    question = inputs[0]
    visibility: Any = "public" if api_name else "private"
    gr.on(
        triggers,
        handlers.respond,
        inputs,
        [question, chat, sources, conversation],
        api_name=api_name,
        api_visibility=visibility,
        concurrency_limit=4,
    )
    like_outputs = [conversation, download] if download else [conversation, gr.State()]
    chat.like(handlers.like, conversation, like_outputs, api_visibility="private")
    chat.select(handlers.select, conversation, sources, api_visibility="private")
    gr.on(
        [clear.click, chat.clear] if clear else [chat.clear],
        handlers.clear,
        None,
        [question, chat, sources, conversation],
        api_visibility="private",
    )
    # Rebuild the chat from the browser's copy of the conversation when the page loads.
    demo.load(handlers.restore, conversation, [chat, sources], api_visibility="private")
