"""The LLM engine's short answer, held to the extractive engine's contract: ``text`` is the
cited article's text at ``start:end``.

The model is asked to open with ``Short answer: <words copied from a passage> [n]``. That phrase
is kept only where it is found verbatim in a passage the verified answer cites; otherwise the
short answer is re-extracted from the cited quotes by the extractive rules (``typed_span``), and
the model's phrase is reported in ``flagged``. No short answer is better than an unchecked one.
"""

from __future__ import annotations

import re

from assistant.answering.short_answer import typed_span
from assistant.models import Citation, Passage, ShortAnswer

_SHORT_LINE = re.compile(
    r"^\s*\**short answer\**\s*:\s*(?P<text>.*?)\s*(?:\[(?P<n>\d+)\])?\s*\.?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def split_short_line(draft: str) -> tuple[str, int | None, str]:
    """The model's short-answer phrase, the passage it cites, and the rest of the draft."""
    match = _SHORT_LINE.search(draft)
    if match is None or draft[: match.start()].strip():
        return "", None, draft  # only a first line counts: later text is the answer itself
    n = int(match.group("n")) if match.group("n") else None
    text = match.group("text").strip().strip("\"“”'").strip()
    return text, n, draft[match.end() :].lstrip("\n")


def locate_short(
    question: str,
    text: str,
    passage_n: int | None,
    passages: list[Passage],
    citations: tuple[Citation, ...],
) -> tuple[ShortAnswer | None, str]:
    """The short answer at its article offsets, cited by one of ``citations``; and a flag
    ("" when the model's phrase was found as written)."""
    found = _as_written(text, passage_n, passages, citations) if text else None
    if found is not None:
        return found, ""
    flag = (
        f"{text} — the model's short answer is not verbatim in the passages it cites; "
        "re-extracted from the cited quotes"
        if text
        else ""
    )
    for c in citations:
        span = typed_span(question, c.quote)
        if span is not None:
            s, e = span
            return ShortAnswer(c.quote[s:e], c.n, c.article_id, c.start + s, c.start + e), flag
    return None, flag


def _as_written(
    text: str,
    passage_n: int | None,
    passages: list[Passage],
    citations: tuple[Citation, ...],
) -> ShortAnswer | None:
    # Within a cited quote first: its offsets are the article's, and it carries the number.
    for c in citations:
        at = c.quote.find(text)
        if at >= 0 and (passage_n is None or _from_passage(c, passage_n, passages)):
            return ShortAnswer(text, c.n, c.article_id, c.start + at, c.start + at + len(text))
    return None


def _from_passage(c: Citation, passage_n: int, passages: list[Passage]) -> bool:
    if not 1 <= passage_n <= len(passages):
        return False
    p = passages[passage_n - 1]
    return p.article_id == c.article_id and p.start <= c.start and c.end <= p.end
