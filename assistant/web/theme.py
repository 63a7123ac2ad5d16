"""The chat's look: a Gradio theme with local fonts (no web-font requests), the cards' CSS."""

from __future__ import annotations

from typing import Any

SANS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]

CSS = """
.index-stats { font-size: .85rem; color: var(--body-text-color-subdued); }
.index-stats.unavailable { color: var(--error-text-color); }
.sources { display: flex; flex-direction: column; gap: .75rem; }
.sources-empty { color: var(--body-text-color-subdued); font-size: .9rem; padding: .5rem 0; }
.source-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
               padding: .7rem .85rem; background: var(--background-fill-secondary); }
.source-card header { font-weight: 600; line-height: 1.3; }
.source-card .cite-n { color: var(--color-accent); margin-right: .25rem; }
.source-meta { font-size: .8rem; color: var(--body-text-color-subdued); margin: .2rem 0 .4rem; }
.source-meta .verified { color: #1a7f37; font-weight: 600; }
.source-meta .unverified { color: #9a6700; font-weight: 600; }
.source-context { margin: .2rem 0 .5rem; padding: .1rem 0 .1rem .6rem; font-size: .9rem;
                  border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; }
.source-context mark { background: #fff3a3; color: #1f2328; padding: 0 .1em; }
.open-article { font-size: .85rem; }
.abstained { margin: 0 0 .5rem; font-weight: 600; }
"""


def theme() -> Any:
    """The default theme with system fonts, so the page asks no font server for anything."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", font=SANS, font_mono=MONO)
