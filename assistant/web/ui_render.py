"""HTML for the chat: messages, the sources panel, the article page, the index line.

Everything that comes from an article or a person is escaped here, before it goes into HTML, so
an article holding ``<script>`` or ``<img onerror=...>`` shows those characters and runs nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from assistant.models import Article
from assistant.web.chat_state import Exchange

# Markdown and LaTeX punctuation, backslash-escaped so a chat message shows exactly its text.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~$])")
CONTEXT_CHARS = 900  # longest paragraph shown around a quote in a source card
STATS_LOADING = '<div class="index-stats">Index: loading…</div>'
SOURCES_PLACEHOLDER = '<div class="sources-empty">The sources of an answer appear here.</div>'

TextOf = Callable[[str], str | None]  # an article's cleaned text by id, None when missing


def e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def chat_text(text: str) -> str:
    """Text for a Markdown chat message that shows as written: no HTML, no links, no formulas."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def chat_messages(conversation: list[Exchange], pending: str | None = None) -> list[Any]:
    """The Chatbot's messages for a conversation, with an answer being streamed at the end."""
    messages: list[Any] = []  # dicts of role and content, as gr.Chatbot takes them
    for exchange in conversation:
        question = exchange["question"]
        shown = chat_text(question) if question.strip() else "_(an empty question)_"
        messages.append({"role": "user", "content": shown})
        messages.append({"role": "assistant", "content": assistant_text(exchange)})
    if pending is not None:
        messages[-1]["content"] = chat_text(pending) + " ▍"
    return messages


def assistant_text(exchange: Exchange) -> str:
    if exchange["error"]:
        return "⚠️ " + chat_text(exchange["error"])
    return chat_text(exchange["answer"])


def feedback_values(conversation: list[Exchange]) -> list[str | None]:
    """The like state of each answer, for ``gr.Chatbot(feedback_value=...)``."""
    labels = {"like": "Like", "dislike": "Dislike"}
    return [labels.get(exchange["rating"]) for exchange in conversation]


def article_url(article_id: str, start: int | None = None, end: int | None = None) -> str:
    url = f"/articles/{quote(article_id, safe='')}"
    return f"{url}?start={start}&end={end}#quote" if start is not None and end is not None else url


def sources_html(exchange: Exchange | None, text_of: TextOf) -> str:
    """The sources panel: a card per citation, or the nearest articles after an abstention."""
    if exchange is None or exchange["error"]:
        return SOURCES_PLACEHOLDER
    if exchange["citations"]:
        texts: dict[str, str | None] = {}
        cards = []
        for citation in exchange["citations"]:
            aid = citation["article_id"]
            if aid not in texts:
                texts[aid] = text_of(aid)
            cards.append(source_card(citation, texts[aid]))
        return f'<div class="sources">{"".join(cards)}</div>'
    if exchange["abstained"]:
        return nearest_html(exchange["nearest"])
    return SOURCES_PLACEHOLDER


def source_card(citation: dict[str, Any], article_text: str | None) -> str:
    """A cited passage: title, outlet, date, the quote marked inside its paragraph, a link."""
    start, end = citation["start"], citation["end"]
    meta = [e(v) for v in (citation["outlet"], citation["published"]) if v]
    if citation["verified"]:
        meta.append('<span class="verified" title="The quote is in the article">✓ verified</span>')
    else:
        problem = f": {e(citation['problem'])}" if citation["problem"] else ""
        meta.append(f'<span class="unverified">⚠ not verified{problem}</span>')
    link = e(article_url(citation["article_id"], start, end))
    title = e(citation["title"] or citation["article_id"])
    context = quote_in_context(citation, article_text)
    return (
        f'<article class="source-card" data-article-id="{e(citation["article_id"])}">'
        f'<header><span class="cite-n">[{citation["n"]}]</span> '
        f'<span class="source-title">{title}</span></header>'
        f'<div class="source-meta">{" · ".join(meta)}</div>'
        f'<div class="source-context">{context}</div>'
        f'<a class="open-article" href="{link}" target="_blank" rel="noopener noreferrer">'
        "Open the article ↗</a></article>"
    )


def quote_in_context(citation: dict[str, Any], article_text: str | None) -> str:
    """The paragraph around the quote, escaped, with the quote in ``<mark>``."""
    start, end, quote_text = citation["start"], citation["end"], citation["quote"]
    if not article_text or not 0 <= start < end <= len(article_text):
        return f'<mark class="quote">{e(quote_text)}</mark>'  # article gone: the quote alone
    para_start = article_text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = article_text.find("\n\n", end)
    para_end = len(article_text) if para_end < 0 else para_end
    # A long paragraph is cut around the quote, so the card stays readable.
    room = max(0, CONTEXT_CHARS - (end - start)) // 2
    lo, hi = max(para_start, start - room), min(para_end, end + room)
    before = ("…" if lo > para_start else "") + article_text[lo:start]
    after = article_text[end:hi] + ("…" if hi < para_end else "")
    return f'{e(before)}<mark class="quote">{e(article_text[start:end])}</mark>{e(after)}'


def nearest_html(nearest: list[dict[str, Any]]) -> str:
    """After an abstention: the articles closest to the question, to read instead."""
    if not nearest:
        return '<div class="sources-empty">No article is close to this question.</div>'
    cards = "".join(
        f'<article class="source-card nearest" data-article-id="{e(n["article_id"])}">'
        f'<header><span class="source-title">{e(n["title"] or n["article_id"])}</span></header>'
        + (f'<div class="source-meta">{e(n["outlet"])}</div>' if n["outlet"] else "")
        + f'<a class="open-article" href="{e(article_url(n["article_id"]))}" target="_blank"'
        ' rel="noopener noreferrer">Open the article ↗</a></article>'
        for n in nearest
    )
    return (
        '<div class="sources"><p class="abstained">No answer in the indexed articles. '
        f"The nearest articles:</p>{cards}</div>"
    )


def stats_html(stats: dict[str, Any] | None, problem: str = "") -> str:
    """The line saying what the index holds."""
    if stats is None:
        return f'<div class="index-stats unavailable">Index unavailable: {e(problem)}</div>'
    indexed = str(stats.get("indexed_at", "")).replace("T", " ")[:16]
    return (
        f'<div class="index-stats">Index: {e(stats.get("articles", 0))} articles · '
        f"{e(stats.get('chunks', 0))} chunks · "
        f"last indexed {e(indexed) + ' UTC' if indexed else 'never'} · "
        f"engines: {e(', '.join(stats.get('engines', [])))}</div>"
    )


def safe_link(url: str) -> str:
    """An http(s) URL, escaped for an attribute; anything else (javascript:, data:) is empty."""
    return e(url) if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def article_page(article: Article, start: int | None = None, end: int | None = None) -> str:
    """A whole article as a page, the cited span (when given and valid) in ``<mark id=quote>``."""
    text = article.text
    if start is not None and end is not None and 0 <= start < end <= len(text):
        body = f'{e(text[:start])}<mark id="quote">{e(text[start:end])}</mark>{e(text[end:])}'
    else:
        body = e(text)
    meta = " · ".join(e(v) for v in (article.outlet, article.published, article.author) if v)
    original = safe_link(article.url)
    if original:
        meta += f' · <a href="{original}" rel="noopener noreferrer nofollow">original</a>'
    return _page(
        article.title or article.id,
        f'<h1>{e(article.title or article.id)}</h1><p class="meta">{meta}</p>'
        f'<div class="article-body">{body}</div>',
    )


def missing_article_page(article_id: str) -> str:
    return _page("Article not found", f"<h1>No indexed article has the id “{e(article_id)}”.</h1>")


_PAGE_CSS = """
body { font: 17px/1.6 Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.25; }
.meta { color: #57606a; font: 14px/1.4 system-ui, sans-serif; }
.article-body { white-space: pre-wrap; }
mark { background: #fff3a3; padding: 0 .1em; }
"""


def _page(title: str, content: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_PAGE_CSS}</style></head>"
        f"<body>{content}</body></html>"
    )
