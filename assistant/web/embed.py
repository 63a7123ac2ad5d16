"""The compact chat served at /embed, made to sit in an ``<iframe>`` inside a newsroom tool.

It is a second Gradio Blocks over the same handlers as the full chat, so it calls the service
in-process and needs no API key even when the JSON API requires one.
"""

from __future__ import annotations

import gradio as gr

from assistant.web.chat import EXAMPLES, ChatHandlers
from assistant.web.theme import CSS
from assistant.web.ui import BROWSER_KEY, Controls, chatbot, question_row, sources_panel, wire_chat

EMBED_CSS = (
    CSS
    + """
/* Compact: no page padding, no nested borders, the sources inside the frame. */
.gradio-container { padding: 4px 6px !important; max-width: none !important; }
.gradio-container .main, .gradio-container .wrap { gap: 6px !important; }
#chat { border-radius: 6px; }
#sources { max-height: 240px; overflow-y: auto; border-top: 1px solid var(--border-color-primary);
           padding-top: 4px; }
#examples .label { font-size: .8rem; }
footer { display: none !important; }
"""
)


def build_embed(handlers: ChatHandlers) -> gr.Blocks:
    """Chat, question box, example questions and the sources; the default engine, no filters."""
    with gr.Blocks(title="Newsroom assistant", analytics_enabled=False, fill_width=True) as demo:
        conversation = gr.BrowserState([], storage_key="newsroom-embed", secret=BROWSER_KEY)
        asked = gr.State("")
        chat = chatbot(height=300)
        with gr.Row(equal_height=True, elem_id="ask-row"):
            question, ask, stop = question_row("Ask about the articles…", 3)
        notice = gr.HTML("", elem_id="question-notice", js_on_load=None)
        with gr.Group(elem_id="examples"):
            gr.Examples(EXAMPLES, inputs=question, label="Try")
        sources = sources_panel()
        # The chat's bin icon clears.
        wire_chat(
            demo,
            handlers,
            triggers=[question.submit, ask.click],
            inputs=[question, conversation],
            chat=chat,
            sources=sources,
            conversation=conversation,
            controls=Controls(ask, stop, notice, asked),
            download=None,
            api_name=None,
        )
    return demo
