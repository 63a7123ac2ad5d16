"""A word or phrase asked for ("What is the dictionary's word of the year?", "Which slogan
...?"): the words a sentence quotes, in whatever case they are written ("parasocial"). A name
asked for ("What's the name of the new colour?") is the quotation a naming verb introduces
("the new color they dubbed \"olo\""), in any case too.

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
# "the name of the new colour", "What is the new species called?", "What did they name it?"
_ASKS_NAME = re.compile(
    r"\bname of\b|\bcalled\s*\?|\b(?:what|which) name\b|\bwhat did \w+(?: \w+)? (?:name|call|dub)\b",
    re.IGNORECASE,
)
# A naming verb right before the quotation: "dubbed “olo”", "a beer called “She Means Business”".
_NAMED = re.compile(
    r"\b(?:called|named|dubbed|nicknamed|titled|entitled|christened|branded|known as)\s*,?\s*$",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[“\"]([^”\"]{2,80}?)[”\"]")


def asks_for_words(question: str) -> bool:
    return bool(_ASKS_WORDS.search(question))


def asks_for_name(question: str) -> bool:
    return bool(_ASKS_NAME.search(question))


def asked_quotation(question: str, sentence: str) -> tuple[int, int] | None:
    """The quotation answering a question that asks for words (any short one) or for a name
    (one a naming verb introduces); None for other questions."""
    if asks_for_words(question):
        return quoted_words_span(question, sentence)
    if asks_for_name(question):
        return quoted_words_span(question, sentence, named=True)
    return None


def quoted_words_span(question: str, sentence: str, named: bool = False) -> tuple[int, int] | None:
    """Offsets of the first short quotation of ``sentence`` the question does not state;
    ``named``: only one a naming verb introduces."""
    for m in _QUOTE.finditer(sentence):
        text = m.group(1).rstrip(" ,.!?")
        if named and not _NAMED.search(sentence[: m.start()]):
            continue
        if 1 <= len(text.split()) <= MAX_WORDS and not in_question(text, question):
            return m.start(1), m.start(1) + len(text)
    return None
