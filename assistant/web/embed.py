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
.gradio-container { padding: 0 !important; max-width: none !important; }
.gradio-container .main { padding: 4px 6px !important; }
.gradio-container .main, .gradio-container .wrap, .gradio-container .column { gap: 6px !important; }
#question-notice:empty, #question-notice:has(> div:empty) { display: none; }
#chat { border-radius: 6px; }
#sources { max-height: max(170px, calc(100vh - 500px)); overflow-y: auto; border-top: 1px solid var(--border-color-primary);
           padding-top: 4px; }
footer { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
           clip: rect(0 0 0 0); white-space: nowrap; }
"""
)


def build_embed(handlers: ChatHandlers) -> gr.Blocks:
    """Chat, question box, example questions and the sources; the default engine, no filters."""
    with gr.Blocks(title="Newsroom assistant", analytics_enabled=False, fill_width=True) as demo:
        conversation = gr.BrowserState([], storage_key="newsroom-embed", secret=BROWSER_KEY)
        asked = gr.State("")
        # A heading for screen readers only: the frame's own title, no room taken.
        gr.HTML('<h1 class="sr-only">Newsroom assistant</h1>', js_on_load=None, padding=False)
        chat = chatbot(height=260, examples=EXAMPLES)
        with gr.Row(equal_height=True, elem_id="ask-row"):
            question, ask, stop = question_row("Ask about the articles…", 3)
        notice = gr.HTML("", elem_id="question-notice", js_on_load=None)
        sources = sources_panel()
        # An example question, picked in the empty chat, goes into the box; the bin icon clears.
        chat.example_select(_picked, None, question, api_visibility="private", queue=False)
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


def _picked(data: gr.SelectData) -> str:
    value = data.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")
