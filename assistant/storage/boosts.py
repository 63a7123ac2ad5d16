"""Extra rankings fused with the dense and BM25 ones: titles, the question's names, articles.

Each function takes the candidates of one search (chunk id -> chunk) and returns chunk ids in
rank order, so ``HybridSearch`` can fuse them by reciprocal rank like the other rankings:

- ``title_ranking``: BM25 over the articles' titles (``TitleIndex``, one row per article);
  every candidate chunk of an article ranks where its article's title ranks.
- ``phrase_ranking``: the names and quoted phrases of the question ("Pope Leo XIV",
  "Profile in Courage") found verbatim in a chunk or its title; more and longer ones first.
- ``article_support``: an article's other candidate chunks add a damped share of their score,
  so an article that matches in several places outranks one lucky passage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from assistant.lexical import LexicalIndex, terms
from assistant.storage.records import ChunkRecord, ManifestRecord

# A quoted phrase: straight or curly double quotes, 1-8 words inside.
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,80})[\"“”]")
# A run of capitalised words (or numbers / roman numerals after one), with the small words that
# sit inside names ("Profile in Courage", "Bank of America", "Leo XIV").
_CAP = r"[A-Z][\w'’.&-]*"
_WORD = rf"(?:{_CAP}|\d[\w.,]*)"
_SMALL = r"(?:of|the|de|in|and|for|on)"
_NAME = re.compile(rf"\b{_WORD}(?:\s+{_WORD}|(?:\s+{_SMALL})+\s+{_CAP})*")
_POSSESSIVE = re.compile(r"['’]s$")
# Capitalised words that start questions and sentences rather than names.
_NOT_NAME_WORDS = (
    "a an the this that these those which what who whom whose when where why how in on at of "
    "for to from by with as after before during since according president i us monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def question_phrases(question: str) -> list[str]:
    """The quoted phrases and names of ``question`` (lower-cased), longest first.

    A name is a run of capitalised words; its leading words are dropped while they are question
    or function words ("Which", "The"), and what is left must be two words or more, or one word
    that is not the first of the question (a single capitalised opening word says little).
    """
    found = {q.strip(" ?!.,").lower() for q in _QUOTED.findall(question)}
    for match in _NAME.finditer(question):
        words = match.group(0).split()
        start = match.start()
        while words and words[0].lower().strip(".,") in _NOT_NAMES:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower() in _NOT_NAMES:
            words = words[:-1]
        if not words:
            continue
        if len(words) == 1 and (start == 0 or words[0].isdigit() or len(words[0]) < 3):
            continue
        found.add(_POSSESSIVE.sub("", " ".join(words).strip(".,?!")).lower())
    return sorted((p for p in found if p), key=lambda p: (-len(p.split()), p))


def phrase_ranking(phrases: list[str], chunks: Mapping[str, ChunkRecord]) -> list[str]:
    """Candidates holding at least one phrase, by the words of the phrases they hold (most
    first); ties keep the order of ``chunks``."""
    if not phrases:
        return []
    patterns = [re.compile(rf"(?<!\w){re.escape(p)}(?!\w)") for p in phrases]
    weights = [len(p.split()) for p in phrases]
    scored: list[tuple[int, int, str]] = []
    for order, (cid, chunk) in enumerate(chunks.items()):
        text = f"{chunk.article.title}\n{chunk.text}".lower()
        score = sum(w for p, w in zip(patterns, weights, strict=True) if p.search(text))
        if score:
            scored.append((-score, order, cid))
    return [cid for _, _, cid in sorted(scored)]


class TitleIndex:
    """BM25 over the committed articles' titles, one row per article."""

    def __init__(self, committed: Mapping[str, ManifestRecord]) -> None:
        self.article_ids = [a for a, r in committed.items() if r.fields.title.strip()]
        self.records = [committed[a] for a in self.article_ids]
        self.lexical = LexicalIndex([r.fields.title for r in self.records])

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[str]:
        """Article ids of the best ``k`` titles for ``query`` (only ``allowed`` ones, if given)."""
        if not self.article_ids or not terms(query):
            return []
        mask = None
        if allowed is not None:
            mask = np.array([a in allowed for a in self.article_ids], dtype=bool)
        return [self.article_ids[row] for row, _ in self.lexical.search(query, k, mask)]


def title_ranking(ranked_articles: list[str], chunks: Mapping[str, ChunkRecord]) -> list[str]:
    """Candidate chunks ordered by their article's title rank (ties keep the order of
    ``chunks``); chunks of articles whose title did not match are left out."""
    rank = {a: i for i, a in enumerate(ranked_articles)}
    inside = [
        (rank[c.article_id], i, cid)
        for i, (cid, c) in enumerate(chunks.items())
        if c.article_id in rank
    ]
    return [cid for _, _, cid in sorted(inside)]


def lead_ranking(fused: Mapping[str, float], chunks: Mapping[str, ChunkRecord]) -> list[str]:
    """The candidates that open their article (position 0, the lead), in fused order."""
    leads = [cid for cid in fused if chunks[cid].position == 0]
    return sorted(leads, key=lambda cid: -fused[cid])


def article_ranks(
    rankings: list[tuple[list[str], float]], chunks: Mapping[str, ChunkRecord], rrf_k: int
) -> dict[str, float]:
    """Reciprocal-rank fusion of the articles: in each ranking (chunk ids, weight) an article
    ranks where its first chunk does, so an article whose best dense passage and best BM25
    passage differ still gets both votes."""
    scores: dict[str, float] = defaultdict(float)
    for ranked, weight in rankings:
        if weight <= 0:  # off: its chunks were not taken as candidates
            continue
        seen: set[str] = set()
        for cid in ranked:
            article = chunks[cid].article_id
            if article not in seen:
                scores[article] += weight / (rrf_k + len(seen) + 1)
                seen.add(article)
    return scores


def article_support(
    fused: dict[str, float], chunks: Mapping[str, ChunkRecord], damping: float
) -> None:
    """Add to each candidate ``damping`` times the fused scores of its article's other
    candidates (in place)."""
    if damping <= 0:
        return
    total: dict[str, float] = defaultdict(float)
    for cid, score in fused.items():
        total[chunks[cid].article_id] += score
    for cid in list(fused):
        own = fused[cid]
        fused[cid] = own + damping * (total[chunks[cid].article_id] - own)
