"""Who a quote's "he", "they" or "In addition, ..." refers to, from the article itself.

A quoted sentence is never altered: the answer puts an attribution frame before it, made of
an article span (the person or speaker named last before the quote) and its citation, as in
``Ye Mon [1]: In addition, he said the NUG would provide ... [1]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.models import Answer, Citation

# A quote that leans on the sentence before: opening with a pronoun or a connective, or
# attributed to a pronoun ("..., he said.").
_OPENS_WITH_REFERENCE = re.compile(
    r"^[“\"]?(?:(?:in addition|also|but|however|meanwhile|still|and),?\s+)?"
    r"(?:he|she|they|we|it)\b|^[“\"]?(?:in addition|also|however|meanwhile),",
    re.IGNORECASE,
)
_PRONOUN_SPEAKER = re.compile(r"[,.?!][”\"]\s+(?:he|she|they)\s+(?:said|added|told|says)\b")
_PERSON = re.compile(r"(?<![\w’'-])[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,3}(?![\w’'-])")
_SPEAKER = re.compile(
    r"(?:^|[,.”\"]\s+)((?:an?|the)\s+[^,.;“”\"]{2,40}?)\s+(?:said|says|told|added)\b",
    re.IGNORECASE,
)
_NOT_PEOPLE = re.compile(
    r"\b(?:The|National|Union|Force|Forces|Army|Government|Service|Channel|Agreement|League|"
    r"Embrace|Movement|Branch|Council|Ministry|Association|Factbook|Related|Articles|Now|"
    r"In|On|At|But|And|It|He|She|They|We|When|While|Since|According|Although|Current|Local|"
    r"Myanmar|Myanmar’s|Southeast|Asia)\b"
)
LOOK_BACK = 600  # characters before the quote searched for whom it refers to


def leans_on_previous(quote: str) -> bool:
    """Whether the quote's subject or speaker is named only before it."""
    return bool(_OPENS_WITH_REFERENCE.search(quote) or _PRONOUN_SPEAKER.search(quote))


def referent(article_text: str, start: int) -> tuple[int, int] | None:
    """Offsets of the person or speaker named last before ``start`` (within LOOK_BACK)."""
    lower = max(0, start - LOOK_BACK)
    spans = [
        m.span()
        for m in _PERSON.finditer(article_text, lower, start)
        if not _NOT_PEOPLE.search(m.group(0))
    ]
    spans += [m.span(1) for m in _SPEAKER.finditer(article_text, lower, start)]
    return max(spans, key=lambda s: s[1]) if spans else None


def with_attributions(answer: Answer, article_text: Callable[[str], str]) -> Answer:
    """``answer`` with a frame naming whom each leaning quote refers to; quotes unchanged."""
    if answer.abstained:
        return answer
    text = answer.answer
    for citation in answer.citations:
        frame = attribution_frame(citation, article_text(citation.article_id))
        at = text.find(citation.quote)
        if frame and at >= 0 and not text[:at].rstrip().endswith(":"):
            text = f"{text[:at]}{frame} {text[at:]}"
    return replace(answer, answer=text) if text != answer.answer else answer


def attribution_frame(citation: Citation, article: str) -> str:
    """ "Ye Mon [1]:" for a quote leaning on the name before it, else ""."""
    if not leans_on_previous(citation.quote):
        return ""
    span = referent(article, citation.start)
    if span is None:
        return ""
    return f"{article[span[0] : span[1]]} [{citation.n}]:"
