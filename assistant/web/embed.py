"""The compact chat served at /embed, made to sit in an ``<iframe>`` inside a newsroom tool.

It is a second Gradio Blocks over the same handlers as the full chat, so it calls the service
in-process and needs no API key even when the JSON API requires one.
"""

from __future__ import annotations

import gradio as gr

from assistant.web.chat import ChatHandlers
from assistant.web.theme import CSS
from assistant.web.ui import BROWSER_KEY, chatbot, sources_panel, wire_chat

EMBED_CSS = (
    CSS
    + """
.gradio-container { padding: 4px 8px !important; }
#sources { max-height: 320px; overflow-y: auto; }
"""
)


def build_embed(handlers: ChatHandlers) -> gr.Blocks:
    """Chat, question box and sources panel; the default engine and no filters."""
    with gr.Blocks(title="Newsroom assistant", analytics_enabled=False, fill_width=True) as demo:
        conversation = gr.BrowserState([], storage_key="newsroom-embed", secret=BROWSER_KEY)
        chat = chatbot(height=340)
        # The box's own button asks; the chat's bin icon clears.
        question = gr.Textbox(
            label="Question",
            show_label=False,
            placeholder="Ask about the articles…",
            elem_id="question",
            max_lines=3,
            submit_btn="Ask",
        )
        sources = sources_panel()
        wire_chat(
            demo,
            handlers,
            triggers=[question.submit],
            inputs=[question, conversation],
            chat=chat,
            sources=sources,
            conversation=conversation,
            clear=None,
            download=None,
            api_name=None,
        )
    return demo
