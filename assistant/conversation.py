"""Follow-up questions without an LLM: carry the previous question's key terms forward."""

from __future__ import annotations

import re

from assistant.models import Turn

_FOLLOW_UP = re.compile(
    r"^(and|but|also|what about|how about|so|then|or)\b|\b(they|them|their|it|its|he|him|his|she|her|"
    r"those|these|that|this|there)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "which",
        "did",
        "do",
        "does",
        "many",
        "much",
        "that",
        "this",
        "these",
        "those",
        "they",
        "them",
        "their",
        "it",
        "its",
        "he",
        "his",
        "she",
        "her",
        "there",
        "also",
        "so",
        "then",
        "said",
        "say",
        "says",
        "tell",
        "me",
        "please",
    ]
)


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous turn ("And how many police?")."""
    return len(question.split()) <= 6 or bool(_FOLLOW_UP.search(question))


def key_terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’'-]+", text) if w.lower() not in _STOP and len(w) > 1]


def search_query_for(question: str, history: list[Turn]) -> str:
    """The question, plus the last user question's key terms when it reads as a follow-up."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous or not is_follow_up(question):
        return question
    carried = [t for t in key_terms(previous[-1]) if t.lower() not in question.lower()]
    return f"{question} {' '.join(carried)}".strip()
