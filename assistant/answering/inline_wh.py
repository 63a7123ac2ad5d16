"""Questions with "what" inside ("... can remove what installed by state officials?", "...
offers each user a personalised what, based on ...?"): the word before "what" stands in the
answering sentence just before the answer ("... to remove razor wire installed by ..."), so
the answer is the short noun phrase that follows it there, when the question's word after
"what" follows that phrase too ("... installed by", or in a relative clause: "... that Texas
installed"): otherwise the phrase is only a guess.
"""

from __future__ import annotations

import re

from assistant.answering.spans import in_question

_INLINE = re.compile(
    r"(?<=\S)\s+([a-z][\w'-]{3,})\s+what\b(?!\s+(?:is|was|are|were|do|does|did|has|have|had|"
    r"will|would|can|could)\b)\s*(\w*)",
    re.IGNORECASE,
)
_FUNCTION = frozenset(
    re.findall(
        r"\w+",
        "by at in on of to for with that which who whom and or from as is was are were has have "
        "had will would can could be been but than into onto after before during since while "
        "this these those it its their his her the a an",
    )
)
_DETERMINER = re.compile(r"(?:(?:the|a|an|its|their|his|her|new)\s+)+", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+|[^\w\s]")


def asks_inline_what(question: str) -> bool:
    """Whether ``question`` has a "what" inside, after a content word, with a word after it."""
    asked = _INLINE.search(question)
    return bool(asked and asked.group(1).lower() not in _FUNCTION and asked.group(2))


def inline_what_span(question: str, sentence: str) -> tuple[int, int] | None:
    """The noun phrase after the question's word before an inline "what", or None."""
    asked = _INLINE.search(question)
    if not asked:
        return None
    word, after = asked.group(1).lower(), asked.group(2).lower()
    if word in _FUNCTION or not after:
        return None
    stem = word[: max(4, len(word) - 3)]
    for hit in re.finditer(rf"\b{re.escape(stem)}\w*\s+", sentence, re.IGNORECASE):
        start = hit.end()
        article = _DETERMINER.match(sentence, start)
        if article:
            start = article.end()
        end = start
        count = 0
        for m in _WORD.finditer(sentence, start):
            token = m.group(0).lower()
            if not m.group(0)[0].isalnum() or token in _FUNCTION or token == after or count >= 4:
                break
            end, count = m.end(), count + 1
        phrase = sentence[start:end]
        # "... remove razor wire installed by" or, through a relative clause, "... remove razor
        # wire that Texas installed along ...".
        followed = re.match(
            rf"\s+(?:(?:that|which)\s+(?:[\w’'-]+\s+){{0,3}}?)?{re.escape(after)}\b",
            sentence[end:],
            re.IGNORECASE,
        )
        if count and followed and not in_question(phrase, question):
            return start, end
    return None
