"""An answer as the chat shows it (Markdown shown as text) and as a reporter copies it (plain).

The chat message leads with the short answer, says how well the answer answers the question
(apart from each quote's "verbatim in the article" mark, which only means the quote exists), and
keeps the citation markers ``[n]`` that the page's script turns into links to the source cards.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

from assistant.web.chat_state import Exchange

# Markdown and LaTeX punctuation, backslash-escaped so a chat message shows exactly its text.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~$])")
QUOTE_PREVIEW_CHARS = 280  # the longest quote a citation's preview shows
NO_OUTLET, NO_DATE = "outlet not given", "date not given"

# How well the answer answers the question, in words an editor can't read as "fact-checked".
CONFIDENCE_TEXT = {
    "high": "Answers the question: high — the cited passages state it",
    "partial": "Answers the question: partial — they bear on it; read the sources before using it",
    "none": "Answers the question: not found — the articles do not say",
}


def chat_text(text: str) -> str:
    """Text for a Markdown chat message that shows as written: no HTML, no links, no formulas."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def confidence_label(exchange: Exchange) -> str:
    """The engine's label, or "none" for an abstention; "" when the engine gives no label."""
    label = str(exchange.get("confidence") or "")
    return label or ("none" if exchange["abstained"] else "")


def assistant_text(exchange: Exchange) -> str:
    """The answer's chat message: read-as line, short answer, confidence, then the answer (or,
    for a timeline answer, its dated list)."""
    if exchange["error"]:
        return "⚠️ " + chat_text(exchange["error"])
    parts: list[str] = []
    resolved = exchange.get("resolved_question") or ""
    if resolved and _words(resolved) != _words(exchange.get("question") or ""):
        parts.append(f"_Read as: {chat_text(exchange['resolved_question'])}_")
    short = exchange.get("short_answer")
    if short:
        when = f" ({chat_text(short['resolved_date'])})" if short.get("resolved_date") else ""
        parts.append(f"**Short answer: {chat_text(short['text'])}**{when} {_marker(short['n'])}")
    label = confidence_label(exchange)
    if label:
        parts.append(f"_{chat_text(CONFIDENCE_TEXT[label])}_")
    timeline = exchange.get("timeline") or []
    if timeline:  # the answer's text is this list as prose: shown once, as a dated list
        lines = [f"- {chat_text(_when(t))} — {chat_text(t['text'])} {_marker(t['n'])}".rstrip()
                 for t in timeline]  # fmt: skip
        parts.append("**Timeline**\n\n" + "\n".join(lines))
    else:
        parts.append(chat_text(exchange["answer"]))
    return "\n\n".join(p for p in parts if p)


def copy_text(exchange: Exchange) -> str:
    """What "Copy" puts in the clipboard: plain text, then the sources as a numbered list."""
    if exchange["error"]:
        return exchange["error"]
    parts: list[str] = []
    short = exchange.get("short_answer")
    if short:
        when = f" ({short['resolved_date']})" if short.get("resolved_date") else ""
        parts.append(f"Short answer: {short['text']}{when} {_plain_marker(short['n'])}".rstrip())
    timeline = exchange.get("timeline") or []
    if timeline:
        lines = [f"- {_when(t)}: {t['text']} {_plain_marker(t['n'])}".rstrip() for t in timeline]
        parts.append("Timeline:\n" + "\n".join(lines))
    else:
        parts.append(exchange["answer"])
    if exchange["citations"]:
        parts.append("Sources:\n" + "\n".join(source_line(c) for c in exchange["citations"]))
    return "\n\n".join(p for p in parts if p)


def source_line(citation: dict[str, Any]) -> str:
    """``[1] Title. Outlet, 2021-03-02. https://...``: what a reporter pastes under a story."""
    title = citation["title"] or citation["article_id"]
    line = f"[{citation['n']}] {title}. {attribution(citation)}."
    url = citation.get("url") or ""
    return f"{line} {url}" if urlsplit(url).scheme in ("http", "https") else line


def attribution(item: dict[str, Any]) -> str:
    """Outlet and date, saying so where the article gives none (never guessed)."""
    return f"{item.get('outlet') or NO_OUTLET}, {item.get('published') or NO_DATE}"


def answers_data(conversation: list[Exchange]) -> str:
    """Per answer, what the page's script needs: citation previews, copy text, finished or not.

    Returned as JSON for an HTML attribute (the caller escapes it).
    """
    answers = []
    for exchange in conversation:
        answers.append(
            {
                "ok": not exchange["error"],
                "copy": copy_text(exchange),
                "cites": {
                    str(c["n"]): {
                        "title": c["title"] or c["article_id"],
                        "attribution": attribution(c),
                        "quote": _cut(c["quote"], QUOTE_PREVIEW_CHARS),
                    }
                    for c in exchange["citations"]
                },
            }
        )
    return json.dumps(answers, ensure_ascii=False)


def _when(line: dict[str, Any]) -> str:
    date = line.get("date") or NO_DATE
    return f"published {date}" if line.get("dated_by") == "publication" else date


def _marker(n: int) -> str:
    return f"\\[{n}\\]" if n else ""


def _plain_marker(n: int) -> str:
    return f"[{n}]" if n else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _words(text: str) -> list[str]:
    """A question's words, for telling a follow-up that was rewritten from one left as asked."""
    return text.lower().replace("?", " ").split()
