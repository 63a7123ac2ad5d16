"""Token-aware chunking: paragraphs, then sentences, then words; offsets into the article text."""

from __future__ import annotations

import re

from assistant.errors import ConfigError
from assistant.models import Article, Chunk
from assistant.sentences import paragraph_spans, quick_sentence_starts, sentence_spans
from assistant.tokens import DEFAULT_ENCODING, count_tokens

_WORD = re.compile(r"\S+")

Span = tuple[int, int]


def chunk_article(
    article: Article, size: int = 256, overlap: int = 32, encoding: str = DEFAULT_ENCODING
) -> list[Chunk]:
    """Split ``article.text`` into chunks of at most ``size`` tokens, ``overlap`` tokens shared."""
    return chunk_text(article.id, article.text, size, overlap, encoding)


def chunk_text(
    article_id: str, text: str, size: int = 256, overlap: int = 32, encoding: str = DEFAULT_ENCODING
) -> list[Chunk]:
    if overlap >= size:
        raise ConfigError(f"overlap ({overlap}) must be smaller than the chunk size ({size})")

    counted: dict[Span, int] = {}

    def tokens(span: Span) -> int:
        # Memoised: each chunk's own count was already taken while growing it (~20 % of the
        # encoding work of chunking an article).
        if span not in counted:
            counted[span] = count_tokens(text[span[0] : span[1]], encoding)
        return counted[span]

    units = _units(text, size, tokens)
    chunks: list[Chunk] = []
    i, start = 0, units[0][0] if units else 0
    while i < len(units):
        if tokens((start, units[i][1])) > size:
            start = units[i][0]  # the overlap and the next unit do not fit together
        j = i + 1  # a unit always fits on its own: _units guarantees it
        while j < len(units) and tokens((start, units[j][1])) <= size:
            j += 1
        end = units[j - 1][1]
        chunks.append(
            Chunk(article_id, len(chunks), start, end, text[start:end], tokens((start, end)))
        )
        i = j
        if i < len(units):
            start = _overlap_start(text, units[j - 1], start, overlap, tokens) or units[i][0]
    return chunks


def _units(text: str, size: int, tokens) -> list[Span]:  # type: ignore[no-untyped-def]
    """Paragraphs that fit, else their sentences, else their words, else character slices."""
    units: list[Span] = []
    for para in paragraph_spans(text):
        if tokens(para) <= size:
            units.append(para)
            continue
        for sentence in sentence_spans(text, *para):
            if tokens(sentence) <= size:
                units.append(sentence)
            else:
                units.extend(_split_words(text, sentence, size, tokens))
    return units


def _split_words(text: str, span: Span, size: int, tokens) -> list[Span]:  # type: ignore[no-untyped-def]
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, *span)]
    pieces: list[Span] = []
    for word in words:
        if tokens(word) > size:
            pieces.extend(_split_chars(word, size, tokens))
        elif pieces and tokens((pieces[-1][0], word[1])) <= size:
            pieces[-1] = (pieces[-1][0], word[1])
        else:
            pieces.append(word)
    return pieces


def _split_chars(span: Span, size: int, tokens) -> list[Span]:  # type: ignore[no-untyped-def]
    # Only for a "word" longer than a whole chunk (no spaces at all): cut at the longest
    # character prefix that fits, found by bisection.
    pieces: list[Span] = []
    start, end = span
    while start < end:
        lo, hi = start + 1, end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if tokens((start, mid)) <= size:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((start, lo))
        start = lo
    return pieces


def _overlap_start(text: str, last: Span, chunk_start: int, overlap: int, tokens) -> int:  # type: ignore[no-untyped-def]
    """Where the next chunk starts: the earliest sentence of the last unit within ``overlap``."""
    best = 0
    if overlap <= 0:
        return best
    for s in reversed(quick_sentence_starts(text, *last)):
        if s <= chunk_start or tokens((s, last[1])) > overlap:
            break
        best = s
    return best
