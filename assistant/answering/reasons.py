"""Reasons: the phrase that answers "why ...?" in a sentence.

The clause after the question's own word ("unhappy that ..." for "why were they unhappy"),
the cause standing before a stated consequence ("X is rising, prompting ..."), or the clause a
causal or purpose marker opens ("because ...", "in a show of ...", "in order to ...").
"""

from __future__ import annotations

import re

from assistant.answering.phrases import GENERIC_TERMS, near_terms, to_clause_end
from assistant.answering.spans import trim
from assistant.lexical import terms

_REASON_MARKERS = re.compile(
    r"\b(?:because of|because|due to|in a show of|in order to|so that|as a result of|"
    r"claiming|on the grounds that|for fear of|out of|in protest (?:at|against|of)|"
    r"(?<=plan )to|(?<=bid )to|(?<=effort )to|(?<=attempt )to|(?<=aim )to)\b",
    re.IGNORECASE,
)
_AFTER_TERM = re.compile(r"\s+(?:that|because|since|after|about)\b\s*", re.IGNORECASE)
# "X is rising, prompting the junta to ...": the cause stands before the consequence.
_CONSEQUENCE = re.compile(r",\s+(?:prompting|leading|forcing|causing|pushing|driving)\b")


def term_reason_span(question: str, sentence: str) -> tuple[int, int] | None:
    """ "unhappy that ..." for "why were they unhappy": the clause after the question's own
    word, where "that", "because", "since", "after" or "about" follows it."""
    for term in terms(question, stem=False):
        if len(term) <= 3 or term.lower() in GENERIC_TERMS:
            continue
        for m in re.finditer(rf"\b{re.escape(term)}\w*", sentence, re.IGNORECASE):
            follow = _AFTER_TERM.match(sentence, m.end())
            if follow:
                return to_clause_end(sentence, follow.end())
    return None


def reason_span(question: str, sentence: str) -> tuple[int, int] | None:
    own = term_reason_span(question, sentence)
    if own is not None:
        return own
    consequence = _CONSEQUENCE.search(sentence)
    if consequence and near_terms(sentence[consequence.end() :], question):
        opening = sentence.rfind(" that ", 0, consequence.start())
        return trim(sentence, opening + 6 if opening >= 0 else 0, consequence.start())
    marker = _REASON_MARKERS.search(sentence)
    if marker:
        return to_clause_end(sentence, marker.start())
    return None
