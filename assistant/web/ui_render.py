"""HTML for the chat: messages, the sources panel, the article page, the index line.

Everything that comes from an article or a person is escaped here, before it goes into HTML, so
an article holding ``<script>`` or ``<img onerror=...>`` shows those characters and runs nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from assistant.models import Article
from assistant.web.answer_text import NO_DATE, NO_OUTLET, answers_data, assistant_text, chat_text
from assistant.web.chat_state import Exchange

__all__ = ["assistant_text", "chat_text"]  # the chat's message text, kept importable from here

CONTEXT_CHARS = 900  # longest paragraph shown around a quote in a source card
STATS_LOADING = '<div class="index-stats">Index: loading…</div>'
SOURCES_PLACEHOLDER = '<div class="sources-empty">The sources of an answer appear here.</div>'
SEARCHING = '<div class="sources-empty">Finding the sources…</div>'

TextOf = Callable[[str], str | None]  # an article's cleaned text by id, None when missing


def e(value: Any) -> str:
    return html.escape(str(value), quote=True)


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


def feedback_values(conversation: list[Exchange]) -> list[str | None]:
    """The like state of each answer, for ``gr.Chatbot(feedback_value=...)``."""
    labels = {"like": "Like", "dislike": "Dislike"}
    return [labels.get(exchange["rating"]) for exchange in conversation]


def article_url(article_id: str, start: int | None = None, end: int | None = None) -> str:
    url = f"/articles/{quote(article_id, safe='')}"
    return f"{url}?start={start}&end={end}#quote" if start is not None and end is not None else url


def sources_html(
    conversation: list[Exchange], position: int | None, text_of: TextOf, *, searching: bool = False
) -> str:
    """The sources panel for the answer at ``position`` (None: the latest), saying which question
    it belongs to, with every answer's citation data for the page's script (previews, copy)."""
    if not conversation and not searching:
        return SOURCES_PLACEHOLDER
    data = f'<div hidden class="answers-data" data-answers="{e(answers_data(conversation))}"></div>'
    if searching:
        return data + SEARCHING
    index = len(conversation) - 1 if position is None else position
    if not 0 <= index < len(conversation):
        return data + SOURCES_PLACEHOLDER
    exchange = conversation[index]
    header = (
        f'<p class="sources-for">Sources for answer {index + 1}: '
        f"<q>{e(_cut(exchange['question'], 160))}</q></p>"
    )
    return f'{data}<div class="sources-of" data-answer="{index}">{header}{_cards(exchange, text_of)}</div>'


def _cards(exchange: Exchange, text_of: TextOf) -> str:
    """A card per citation, or the nearest articles after an abstention."""
    if exchange["error"]:
        return '<div class="sources-empty">No sources: the question was not answered.</div>'
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
    return '<div class="sources-empty">This answer cites no passage.</div>'


def source_card(citation: dict[str, Any], article_text: str | None) -> str:
    """A cited passage: title, outlet and date (or that they are not given), the quote marked
    inside its paragraph, whether the quote is verbatim in the article, a link."""
    start, end, n = citation["start"], citation["end"], citation["n"]
    meta = [e(citation["outlet"] or NO_OUTLET), e(citation["published"] or NO_DATE)]
    if citation["verified"]:
        mark = ('<span class="verbatim" title="The quote is word for word in the article; this '
                'says nothing about whether it answers the question">verbatim in the article</span>')  # fmt: skip
    else:
        problem = f": {e(citation['problem'])}" if citation["problem"] else ""
        mark = f'<span class="unverified">⚠ not found verbatim in the article{problem}</span>'
    link = e(article_url(citation["article_id"], start, end))
    title = e(citation["title"] or citation["article_id"])
    context = quote_in_context(citation, article_text)
    return (
        f'<article class="source-card" id="source-{n}" data-n="{n}" tabindex="-1"'
        f' data-article-id="{e(citation["article_id"])}">'
        f'<header><span class="cite-n">[{n}]</span> '
        f'<span class="source-title">{title}</span></header>'
        f'<div class="source-meta">{" · ".join(meta)}</div>'
        f'<div class="source-context">{context}</div>'
        f'<div class="source-foot">{mark} · <a class="open-article" href="{link}" target="_blank"'
        ' rel="noopener noreferrer">Open the article ↗</a></div></article>'
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
        + f'<div class="source-meta">{e(n["outlet"] or NO_OUTLET)}</div>'
        + f'<a class="open-article" href="{e(article_url(n["article_id"]))}" target="_blank"'
        ' rel="noopener noreferrer">Open the article ↗</a></article>'
        for n in nearest
    )
    return (
        '<div class="sources"><p class="abstained">No answer in the indexed articles. '
        f"The nearest articles:</p>{cards}</div>"
    )


def stats_html(stats: dict[str, Any] | None, problem: str = "") -> str:
    """The line saying what the index holds, and the dates it covers when the service says."""
    if stats is None:
        return f'<div class="index-stats unavailable">Index unavailable: {e(problem)}</div>'
    indexed = str(stats.get("indexed_at", "")).replace("T", " ")[:16]
    parts = [
        f"Index: {e(stats.get('articles', 0))} articles",
        f"{e(stats.get('chunks', 0))} chunks",
    ]
    if stats.get("oldest") and stats.get("newest"):
        parts.append(f"articles from {e(stats['oldest'])} to {e(stats['newest'])}")
    if stats.get("undated"):
        parts.append(f"{e(stats['undated'])} undated")
    parts.append(f"last indexed {e(indexed) + ' UTC' if indexed else 'never'}")
    return f'<div class="index-stats">{" · ".join(parts)}</div>'


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
    meta = [e(article.outlet or NO_OUTLET), e(article.published or NO_DATE)]
    if article.author:
        meta.append(e(article.author))
    original = safe_link(article.url)
    source = (
        f'<a class="original" href="{original}" rel="noopener noreferrer nofollow">'
        "Read the original story ↗</a>"
        if original
        else '<span class="original">Original URL not given</span>'
    )
    return _page(
        article.title or article.id,
        f'<nav><a class="back" href="/">← Back to the assistant</a></nav><main>'
        f'<h1>{e(article.title or article.id)}</h1><p class="meta">{" · ".join(meta)}</p>'
        f'<p class="meta">{source}</p><div class="article-body">{body}</div></main>',
    )


def missing_article_page(article_id: str) -> str:
    return _page(
        "Article not found",
        '<nav><a class="back" href="/">← Back to the assistant</a></nav>'
        f"<main><h1>No indexed article has the id “{e(article_id)}”.</h1></main>",
    )


_PAGE_CSS = """
body { font: 17px/1.6 Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.25; }
.meta { color: #57606a; font: 14px/1.4 system-ui, sans-serif; }
nav { font: 15px/1.4 system-ui, sans-serif; }
a { color: #0b57d0; }
#quote { scroll-margin-top: 30vh; }
.article-body { white-space: pre-wrap; }
mark { background: #fff3a3; padding: 0 .1em; }
"""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _page(title: str, content: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_PAGE_CSS}</style></head>"
        f"<body>{content}</body></html>"
    )
