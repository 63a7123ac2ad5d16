"""Span helpers shared by the phrase finders: trimming a span, a clause to its end, and
whether a phrase only repeats the question."""

from __future__ import annotations

import re
from re import Pattern


def in_question(phrase: str, question: str) -> bool:
    """Whether every word of ``phrase`` already appears in the question."""
    words = [w for w in re.findall(r"[\w$]+", phrase.lower()) if w not in ("the", "of", "and")]
    asked = set(re.findall(r"[\w$]+", question.lower()))
    acronym = re.search(r"\(([A-Z]{2,6})\)", phrase)
    if acronym and acronym.group(1).lower() in asked:
        return True  # "Karen National Union (KNU)" for a question naming the KNU
    # A plural of a word of the question is that word ("Oreos" for "Oreo").
    return bool(words) and all(w in asked or not _singulars(w).isdisjoint(asked) for w in words)


def _singulars(word: str) -> set[str]:
    return {
        word[: -len(ending)]
        for ending in ("es", "s")
        if word.endswith(ending) and len(word) - len(ending) >= 3
    }


def to_clause_end(
    sentence: str, start: int, attribution_tail: Pattern[str]
) -> tuple[int, int] | None:
    """From ``start`` to the end of the sentence, less attribution and closing punctuation."""
    tail = attribution_tail.search(sentence, start)
    end = tail.start() if tail and tail.start() > start else len(sentence)
    stop = re.search(r"[.!?][”\"]?\s+(?=[A-Z“\"])", sentence[start:end])
    end = start + stop.start() if stop else end
    span = trim(sentence, start, end)
    return span if span[1] > span[0] else None


def trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Whitespace, commas, full stops and unbalanced quote marks off both ends."""
    while start < end and (sentence[start].isspace() or sentence[start] in ',;:“"‘'):
        start += 1
    while end > start and (sentence[end - 1].isspace() or sentence[end - 1] in ',;:.”"’'):
        if sentence[end - 1] == "." and re.search(r"\b[A-Z][a-z]{0,3}\.$", sentence[start:end]):
            break  # "Feb." or "U.S." keeps its full stop
        end -= 1
    return start, end
