"""Sentence spans with character offsets (pysbd), shared by chunking and answer composition."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

# A likely sentence start: after . ! or ? (and any closing quote or bracket), whitespace, then
# a capital, a digit or an opening quote.
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\S(?:[\s\S]*?\S)?(?=[ \t]*\n[ \t]*\n|\s*\Z)")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blank-line separated), trimmed of whitespace."""
    return [
        (m.start(), m.end())
        for m in _PARAGRAPH.finditer(text, start, len(text) if end is None else end)
    ]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, trimmed, as offsets into ``text``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text, start, end):
        piece = text[para_start:para_end]
        for span in _segmenter().segment(piece):
            s, e = span.start, span.end
            while s < e and piece[s].isspace():
                s += 1
            while e > s and piece[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append((para_start + s, para_start + e))
    return _repair(text, spans)


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # pysbd occasionally returns overlapping or out-of-order spans; keep them disjoint.
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


@lru_cache(maxsize=8192)
def passage_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """``sentence_spans`` of a whole passage, cached: passages recur across questions."""
    return tuple(sentence_spans(text))


def quick_sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where sentences likely begin in ``text[start:end]`` (regex; no pysbd).

    For choosing where a chunk's overlap starts, thousands of times per corpus: pysbd costs
    ~7 ms a paragraph there, this a few microseconds. An abbreviation ("Mr. Smith") can start
    an overlap early in a sentence; the chunk itself still ends on a real boundary.
    """
    return [start] + [m.end() for m in _SENTENCE_START.finditer(text, start, end)]
