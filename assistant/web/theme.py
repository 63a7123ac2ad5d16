"""The chat's look: a Gradio theme with local fonts (no web-font requests), the cards' CSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).parent / "static" / "chat.js"

SANS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]

CSS = """
/* Colours chosen for WCAG 2.1 AA contrast on white (ratios in docs/web.md). */
#title h1 { font-size: 1.5rem; margin: 0; }
#sources-heading h2 { font-size: 1.15rem; margin: 0; }
#chat .md.chatbot.prose { opacity: 1 !important; }  /* Gradio fades message text to 0.8 */
.index-stats { font-size: .85rem; color: #4b5563; }
.index-stats.unavailable { color: #b42318; }
.sources { display: flex; flex-direction: column; gap: .75rem; }
.sources-empty { color: #4b5563; font-size: .9rem; padding: .5rem 0; }
.sources-for { margin: 0 0 .5rem; font-size: .85rem; color: #374151; }
.source-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
               padding: .7rem .85rem; background: var(--background-fill-secondary);
               scroll-margin: 4rem; transition: box-shadow .2s; }
.source-card.highlight { box-shadow: 0 0 0 3px #1d4ed8; }
.source-card:focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.source-card header { font-weight: 600; line-height: 1.3; }
.source-card .cite-n { color: #1d4ed8; margin-right: .25rem; }
.source-meta { font-size: .8rem; color: #4b5563; margin: .2rem 0 .4rem; }
.source-foot { font-size: .8rem; color: #4b5563; }
.source-foot .verbatim { color: #374151; }
.source-foot .unverified { color: #8a4b00; font-weight: 600; }
.source-context { margin: .2rem 0 .5rem; padding: .1rem 0 .1rem .6rem; font-size: .9rem;
                  border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; }
.source-context mark { background: #fff3a3; color: #1f2328; padding: 0 .1em; }
.open-article { color: #1d4ed8; }
.abstained { margin: 0 0 .5rem; font-weight: 600; }
.field-notice { margin: 0; color: #b42318; font-size: .9rem; }
.field-error textarea, .field-error input { border-color: #b42318 !important; }
.field-error .info, .field-error [data-testid="block-info"] + * { color: #b42318; }
#question textarea::placeholder { color: #6b7280; opacity: 1; }
/* Citation markers, made into buttons by static/chat.js */
#chat button.cite, button.cite { font: inherit; font-size: .85em; color: #1d4ed8 !important;
              background: #eef2ff !important; opacity: 1 !important;
              border: 1px solid #c7d2fe; border-radius: 4px; padding: 0 .25em; margin: 0 .05em;
              cursor: pointer; vertical-align: baseline; }
#chat button.cite:hover, #chat button.cite:focus-visible { background: #1d4ed8 !important;
                                                color: #fff !important;
                                                outline: 2px solid #1d4ed8; }
.cite-preview { position: fixed; z-index: 1000; max-width: 22rem; padding: .6rem .75rem;
                background: #fff; color: #1f2328; border: 1px solid #9ca3af; border-radius: 6px;
                box-shadow: 0 4px 16px rgba(0,0,0,.18); font-size: .85rem; line-height: 1.4; }
.cite-preview .t { font-weight: 600; }
.cite-preview .m { color: #4b5563; font-size: .8rem; }
.cite-preview q { display: block; margin-top: .3rem; }
.answer-tools { margin-top: .35rem; }
.answer-tools button { font-size: .8rem; color: #1f2937; background: #fff; cursor: pointer;
                       border: 1px solid #9ca3af; border-radius: 4px; padding: .1rem .5rem; }
#chat [data-testid="bot"]:focus-visible, #chat [data-testid="user"]:focus-visible {
  outline: 3px solid #1d4ed8; outline-offset: 2px; }
/* Phone: the sources of the latest answer right under the chat and the question box. */
@media (max-width: 720px) {
  #main-row { flex-direction: column !important; }
  #chat-col, #side-col { display: contents !important; }
  #chat { order: 1; height: 60vh !important; }
  #clear { display: none !important; }  /* the chat's bin icon clears */
  #ask-row { flex-wrap: nowrap !important; }
  #filter-chips { order: 2; }
  #ask-row { order: 3; }
  #question-notice { order: 4; }
  #sources-heading { order: 5; }
  #sources { order: 6; }
  #examples { order: 7; }
  #filters { order: 8; }
  #feedback { order: 9; }
}
"""


def theme() -> Any:
    """The default theme with system fonts, so the page asks no font server for anything."""
    import gradio as gr

    # Primary buttons and accents one shade darker than the default: white on blue-700 is 6.7:1.
    return gr.themes.Default(primary_hue="blue", font=SANS, font_mono=MONO).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        color_accent="*primary_700",
        body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500",
        block_info_text_color="*neutral_600",
        block_label_text_color="*neutral_700",
    )


def head_script() -> str:
    """The chat's script (static/chat.js) for the page's <head>, read when the app is built."""
    return f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>"
