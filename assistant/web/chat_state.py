"""The chat's conversation as kept in the browser: a list of exchanges (question and answer).

The browser sends it back with every question, so it is untrusted input: ``clean`` coerces it to
the expected shape before anything reads it, and every renderer escapes what it shows.
"""

from __future__ import annotations

from typing import Any

from assistant.models import Answer, Turn

MAX_EXCHANGES = 40  # kept in localStorage, so bounded
HISTORY_EXCHANGES = 4  # how many earlier exchanges a follow-up question sees
_CITATION_FIELDS = ("n", "article_id", "chunk_id", "quote", "start", "end", "verified",
                    "title", "outlet", "published", "url", "problem")  # fmt: skip
_NEAREST_FIELDS = ("article_id", "title", "outlet")
_SPAN_FIELDS = ("text", "n", "article_id", "start", "end")  # a short answer, a timeline line
_TIMELINE_FIELDS = (*_SPAN_FIELDS, "date", "dated_by")
_SHORT_FIELDS = (*_SPAN_FIELDS, "resolved_date")
CONFIDENCE_LABELS = ("high", "partial", "none")  # does the answer answer the question?

Exchange = dict[str, Any]

EMPTY: Exchange = {
    "question": "",
    "answer": "",
    "abstained": False,
    "engine": "",
    "citations": [],
    "nearest": [],
    "error": "",
    "rating": "",
    "short_answer": None,
    "confidence": "",
    "resolved_question": "",
    "timeline": [],
}


def from_answer(answer: Answer) -> Exchange:
    """What the chat keeps of an answer: no retrieved passages, they are large."""
    data = answer.to_dict()
    return {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "engine": answer.engine,
        "citations": data["citations"],
        "nearest": [{k: n[k] for k in _NEAREST_FIELDS} for n in data["nearest"]],
        "error": "",
        "rating": "",
        # Fields of the answer contract that not every engine fills: absent means not shown.
        "short_answer": _span(data.get("short_answer"), _SHORT_FIELDS),
        "confidence": _label(data.get("confidence")),
        "resolved_question": _text(data.get("resolved_question")),
        "timeline": _timeline(data.get("timeline")),
    }


def from_error(question: str, message: str) -> Exchange:
    return {**EMPTY, "question": question, "error": message}


def appended(conversation: list[Exchange], exchange: Exchange) -> list[Exchange]:
    return [*conversation, exchange][-MAX_EXCHANGES:]


def history(conversation: list[Exchange]) -> list[Turn]:
    """The earlier answered exchanges as turns, for a follow-up question."""
    answered = [e for e in conversation if not e["error"]][-HISTORY_EXCHANGES:]
    turns: list[Turn] = []
    for exchange in answered:
        turns += [Turn("user", exchange["question"]), Turn("assistant", exchange["answer"])]
    return turns


def clean(value: Any) -> list[Exchange]:
    """The conversation from the browser, in the expected shape; anything else is dropped."""
    if not isinstance(value, list):
        return []
    return [_clean_exchange(e) for e in value[-MAX_EXCHANGES:] if isinstance(e, dict)]


def _clean_exchange(raw: dict[str, Any]) -> Exchange:
    exchange: Exchange = {
        k: _text(raw.get(k)) for k in ("question", "answer", "engine", "error", "rating")
    }
    exchange["abstained"] = bool(raw.get("abstained"))
    exchange["citations"] = [_clean_citation(c) for c in _dicts(raw.get("citations"))]
    exchange["nearest"] = [
        {k: _text(n.get(k)) for k in _NEAREST_FIELDS} for n in _dicts(raw.get("nearest"))
    ]
    exchange["short_answer"] = _span(raw.get("short_answer"), _SHORT_FIELDS)
    exchange["confidence"] = _label(raw.get("confidence"))
    exchange["resolved_question"] = _text(raw.get("resolved_question"))
    exchange["timeline"] = _timeline(raw.get("timeline"))
    return exchange


def _span(raw: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """A short answer or timeline line: text fields as text, offsets as ints; None if empty."""
    if not isinstance(raw, dict) or not _text(raw.get("text")).strip():
        return None
    return {
        k: _int(raw.get(k)) if k in ("n", "start", "end") else _text(raw.get(k)) for k in fields
    }


def _timeline(value: Any) -> list[dict[str, Any]]:
    lines = (_span(t, _TIMELINE_FIELDS) for t in _dicts(value))
    return [line for line in lines if line is not None]


def _label(value: Any) -> str:
    """The confidence label, when the engine gives one (a bare score is not shown as one)."""
    return value if isinstance(value, str) and value in CONFIDENCE_LABELS else ""


def _clean_citation(raw: dict[str, Any]) -> dict[str, Any]:
    citation: dict[str, Any] = {k: _text(raw.get(k)) for k in _CITATION_FIELDS}
    for key in ("n", "start", "end"):
        citation[key] = _int(raw.get(key))
    citation["verified"] = raw.get("verified") is True
    return citation


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value[:50] if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value[:20_000] if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
