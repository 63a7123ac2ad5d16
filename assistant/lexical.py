"""Lexical retrieval: BM25 (bm25s, sparse matrices) over the same chunks as the vector store."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from rapidfuzz import fuzz, process

# bm25s sets its own logger to DEBUG on import; its per-build messages are noise here.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_TOKEN = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
# bm25s's English list keeps question words; they say what is asked, not what it is about.
_QUESTION_WORDS = (
    "how many much what who whom whose when where which why did does do were has have had "
    "can could would should"
)
_STOP = frozenset(STOPWORDS_EN) | frozenset(_QUESTION_WORDS.split())


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalise_number(token: str) -> str:
    """'2,500' and '2500' are the same number; '3.5' keeps its point."""
    if token[:1].isdigit():
        return re.sub(r",(?=\d{3}\b)", "", token)
    return token


def terms(text: str, stem: bool = True) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms with numbers normalised."""
    words = [normalise_number(w) for w in _TOKEN.findall(text.lower())]
    words = [w for w in words if w not in _STOP]
    return _stemmer().stemWords(words) if stem else words


class LexicalIndex:
    """BM25 over a fixed list of documents; rebuilt when the index generation changes."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        tokenised = [terms(t) or ["\u2205"] for t in texts]
        self.document_frequency: Counter[str] = Counter()
        for doc in tokenised:
            self.document_frequency.update(set(doc))
        self._vocabulary = list(self.document_frequency)
        if texts:
            # An empty token list would make bm25s drop the document and shift the rows.
            self._bm25.index(tokenised, show_progress=False)

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term never seen gets the highest value."""
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def closest_term(self, term: str, min_score: float = 80.0) -> str | None:
        """A corpus term that ``term`` is probably a misspelling of, or None."""
        if term in self.document_frequency:
            return term
        if len(term) < 4 or not self._vocabulary:
            return None
        match = process.extractOne(
            term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=min_score
        )
        return str(match[0]) if match else None

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, score) of the best ``k`` documents with a positive score, within ``mask``."""
        query_terms = [self.closest_term(t) or t for t in terms(query)]
        if not self.size or not query_terms or k <= 0:
            return []
        docs, scores = self._bm25.retrieve(
            [query_terms],
            k=min(k, self.size),
            show_progress=False,
            weight_mask=None if mask is None else mask.astype(np.float32),
            n_threads=1,
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
