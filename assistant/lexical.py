"""Lexical retrieval: BM25 (bm25s, sparse matrices) over the same chunks as the vector store."""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from bm25s.tokenization import Tokenized
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


_THOUSANDS = re.compile(r",(?=\d{3}\b)")  # "2,500" is "2500"; "3.5" keeps its point


def terms(text: str, stem: bool = True) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms with numbers normalised."""
    # Hot: every chunk at index time, every sentence at answer time. Stop words hold no digits,
    # so filtering before normalising numbers gives the same terms.
    words = [
        _THOUSANDS.sub("", w) if "," in w and w[:1].isdigit() else w
        for w in _TOKEN.findall(text.lower())
        if w not in _STOP
    ]
    return _stemmer().stemWords(words) if stem else words


def near_duplicate(text: str, others: Sequence[str], share: float = 0.6) -> bool:
    """Whether ``text`` shares more than ``share`` of its words (Jaccard) with one of ``others``."""
    words = set(terms(text, stem=False))
    for other_text in others:
        other = set(terms(other_text, stem=False))
        if words and other and len(words & other) / len(words | other) > share:
            return True
    return False


def stem_words(words: list[str]) -> list[str]:
    """The stems of ``words`` (lower-case words, as ``terms(..., stem=False)`` gives them)."""
    return list(_stemmer().stemWords(words))


def document_terms(text: str) -> list[str]:
    """A document's terms for BM25; never empty (bm25s would drop the row and shift the rest)."""
    return terms(text) or ["\u2205"]


class LexicalIndex:
    """BM25 over a fixed list of documents; rebuilt (or reopened) when the generation changes."""

    def __init__(self, texts: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}
        rows = [
            [vocabulary.setdefault(w, len(vocabulary)) for w in document_terms(t)] for t in texts
        ]
        self._index(rows, vocabulary)

    @classmethod
    def from_tokens(cls, rows: list[list[int]], vocabulary: dict[str, int]) -> LexicalIndex:
        """BM25 over documents already split into term ids (see ``document_terms``)."""
        index = cls.__new__(cls)
        index._index(rows, vocabulary)
        return index

    def _index(self, rows: list[list[int]], vocabulary: dict[str, int]) -> None:
        self._bm25 = bm25s.BM25()
        if rows:
            self._bm25.index(Tokenized(ids=rows, vocab=vocabulary), show_progress=False)
        self._setup(len(rows))

    def _setup(self, size: int) -> None:
        self.size = size
        self.document_frequency: dict[str, int] = {}
        if size:
            # Column j of bm25s's CSC matrix lists the documents holding term j (bm25s adds
            # an empty term to its vocabulary with no column).
            counts = np.diff(np.asarray(self._bm25.scores["indptr"]))
            self.document_frequency = {
                term: int(counts[j])
                for term, j in self._bm25.vocab_dict.items()
                if j < len(counts) and counts[j]
            }
        by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.document_frequency:
            by_length[len(term)].append(term)
        self._by_length = dict(by_length)
        self.closest_term = lru_cache(maxsize=8192)(self._closest_term)

    def save(self, folder: Path) -> None:
        """Write the BM25 matrices to ``folder`` (reopened memory-mapped by ``load``)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        index = cls.__new__(cls)
        index._bm25 = (
            bm25s.BM25.load(str(folder), mmap=True, show_progress=False) if size else bm25s.BM25()
        )
        loaded = int(index._bm25.scores.get("num_docs", 0)) if size else 0
        if loaded != size:
            raise ValueError(f"the saved BM25 index holds {loaded} documents, expected {size}")
        index._setup(size)
        return index

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term never seen gets the highest value."""
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def term_weight(self, term: str) -> tuple[str, float]:
        """The corpus term ``term`` stands for (itself, or what it misspells) and its IDF."""
        known = self.closest_term(term) or term
        return known, self.idf(known)

    def _closest_term(self, term: str, min_score: float = 80.0) -> str | None:
        """A corpus term that ``term`` is probably a misspelling of, or None."""
        if term in self.document_frequency:
            return term
        if len(term) < 4 or not self._by_length:
            return None
        # fuzz.ratio >= 80 needs the shorter word to be at least 2/3 of the longer one.
        lengths = range(math.ceil(len(term) * 2 / 3), len(term) * 3 // 2 + 1)
        choices = [t for n in lengths for t in self._by_length.get(n, ())]
        match = process.extractOne(term, choices, scorer=fuzz.ratio, score_cutoff=min_score)
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


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: word lists written as one string."""
    return frozenset(text.split())
