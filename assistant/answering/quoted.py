"""A word or phrase asked for ("What is the dictionary's word of the year?", "Which slogan
...?"): the words a sentence quotes, in whatever case they are written ("parasocial").

A name finder wants capitals; a word of the year, a slogan or a nickname is often lower case,
and the article marks it by quoting it. Only a short quotation (a few words) counts: a longer
one is what somebody said, which ``said_span`` answers.
"""

from __future__ import annotations

import re

from assistant.answering.spans import in_question

MAX_WORDS = 5

_ASKS_WORDS = re.compile(
    r"\b(?:what|which)\b[^?]*?\b(?:word|term|phrase|slogan|motto|catchphrase|nickname|hashtag|"
    r"expression)s?\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[“\"]([^”\"]{2,80}?)[”\"]")


def asks_for_words(question: str) -> bool:
    return bool(_ASKS_WORDS.search(question))


def quoted_words_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of the first short quotation of ``sentence`` the question does not state."""
    for m in _QUOTE.finditer(sentence):
        text = m.group(1).rstrip(" ,.!?")
        if 1 <= len(text.split()) <= MAX_WORDS and not in_question(text, question):
            return m.start(1), m.start(1) + len(text)
    return None
