"""Verification every engine's answer goes through before anyone sees it.

A sentence is kept as verified only if each ``[n]`` it carries points at a passage that was given,
its quote is found verbatim in the cited article (only whitespace and quote marks normalised), and
every number and name it states appears in the passages it cites. Sentences that fail are removed
and reported in ``flagged``; an answer with nothing left becomes an abstention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.guard import neutralise_instructions
from assistant.lexical import terms
from assistant.models import Citation, Passage, ShortAnswer
from assistant.sentences import passage_sentences, sentence_spans

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "′": "'",
        "″": '"',
    }
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update(
    {
        "thirty": "30",
        "forty": "40",
        "fifty": "50",
        "sixty": "60",
        "seventy": "70",
        "eighty": "80",
        "ninety": "90",
        "hundred": "100",
        "dozen": "12",
    }
)
_NAME = re.compile(r"\b[A-Z][a-zA-Z’'-]{2,}(?:\s+[A-Z][a-zA-Z’'-]+)*")
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "According",
        "However",
        "Although",
        "While",
        "When",
        "Where",
        "What",
        "Who",
        "Why",
        "How",
        "Yes",
        "No",
        "Not",
        "And",
        "But",
        "Also",
        "Its",
        "It",
        "He",
        "She",
        "They",
        "We",
        "You",
        "I",
        "In",
        "On",
        "At",
        "For",
        "From",
        "By",
        "With",
        "Some",
        "Many",
    ]
)


@dataclass(frozen=True)
class DraftSentence:
    """An answer sentence as an engine wrote it, with the passage numbers it cites (1-based)."""

    text: str
    cites: tuple[int, ...]
    at: int | None = None  # offset of ``text`` in the first passage it cites, if copied from it


@dataclass(frozen=True)
class Verified:
    text: str  # answer text with renumbered [n] markers
    citations: tuple[Citation, ...]
    flagged: tuple[str, ...]


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


@lru_cache(maxsize=256)
def _normalised_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The normalised text and, for each of its characters, the offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), tuple(where)


def find_verbatim(article_text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``article_text`` (whitespace/quote marks normalised), or None."""
    if quote and quote == quote.strip() and article_text[near : near + len(quote)] == quote:
        # Where the quote came from, unchanged: what the search below would find, but without
        # normalising the whole article.
        return near, near + len(quote)
    needle = normalise(quote)
    if not needle:
        return None
    haystack, where = _normalised_with_map(article_text)
    starts = [m.start() for m in re.finditer(re.escape(needle), haystack)]
    if not starts:
        return None
    best = min(starts, key=lambda s: abs(where[s] - near))
    return where[best], where[best + len(needle) - 1] + 1


def split_draft(answer: str) -> list[DraftSentence]:
    """Parse ``[n]`` markers out of free text, sentence by sentence."""
    drafts: list[DraftSentence] = []
    for start, end in sentence_spans(answer):
        sentence = answer[start:end]
        cites = tuple(int(n) for group in MARKER.findall(sentence) for n in group.split(","))
        text = MARKER.sub("", sentence).strip()
        if text:
            drafts.append(DraftSentence(text, cites))
        elif cites and drafts:  # a marker split off after the sentence's full stop
            drafts[-1] = DraftSentence(drafts[-1].text, drafts[-1].cites + cites)
    return drafts


def numbers_in(text: str) -> set[str]:
    found = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return found


def names_in(text: str) -> set[str]:
    names: set[str] = set()
    for match in _NAME.finditer(text):
        words = [
            w
            for w in match.group(0).split()
            if w not in _NOT_NAMES and w.lower() not in _NUMBER_WORDS
        ]
        names.update(w.strip("’'") for w in words if len(w) > 2)
    return names


# A cited sentence must share at least this share of its content terms with its passages, so
# a claim without names or numbers ("the weather is sunny [1]") cannot ride on any citation.
MIN_TERM_SUPPORT = 0.6


def unsupported_facts(sentence: str, support: str) -> list[str]:
    """Numbers and names stated in ``sentence`` that ``support`` does not contain."""
    missing = [n for n in sorted(numbers_in(sentence)) if n not in numbers_in(support)]
    support_norm = normalise(support).lower()
    missing += [n for n in sorted(names_in(sentence)) if normalise(n).lower() not in support_norm]
    return missing


def unsupported_terms(sentence: str, support: str) -> list[str]:
    """The sentence's content terms absent from ``support``, when too many are absent."""
    claim = set(terms(sentence))
    if not claim:
        return []
    absent = sorted(claim - set(terms(support)))
    return absent if len(absent) > (1 - MIN_TERM_SUPPORT) * len(claim) else []


def best_quote(passage: Passage, claim: str) -> tuple[str, int, int]:
    """The passage sentence that best supports ``claim`` (article offsets)."""
    claim_terms = set(terms(claim))
    claim_numbers = numbers_in(claim)
    best = (-1.0, 0, len(passage.text))
    for s, e in passage_sentences(passage.text):
        sentence = passage.text[s:e]
        overlap = len(claim_terms & set(terms(sentence)))
        # The sentence that holds the claim's numbers is the one that supports it.
        overlap += 2 * len(claim_numbers & numbers_in(sentence))
        score = overlap + (1.0 if normalise(sentence) in normalise(claim) else 0.0)
        if score > best[0]:
            best = (score, s, e)
    _, s, e = best
    return passage.text[s:e], passage.start + s, passage.start + e


def _copied_quote(draft: DraftSentence, passage: Passage) -> tuple[str, int, int] | None:
    """The draft itself as the quote (article offsets) when it was copied from ``passage`` at
    ``draft.at``: an extractive engine's sentence is its own best quote."""
    at = draft.at
    if at is None or passage.text[at : at + len(draft.text)] != draft.text:
        return None
    return draft.text, passage.start + at, passage.start + at + len(draft.text)


def verify(
    drafts: list[DraftSentence],
    passages: list[Passage],
    article_text: Callable[[str], str],
    require_citation: bool = True,
    distrust_instructions: bool = False,
) -> Verified:
    """Check every draft sentence against the passages; keep the ones that pass, renumbered.

    With ``distrust_instructions`` (LLM engines), article sentences addressed to an AI do not
    count as support, so a model that obeyed one cannot cite it as evidence.
    """
    kept: list[str] = []
    citations: list[Citation] = []
    flagged: list[str] = []
    number_of: dict[tuple[str, int, int], int] = {}
    for draft in drafts:
        problem = _problem(draft, passages, require_citation)
        if problem:
            flagged.append(f"{draft.text} — {problem}")
            continue
        cited = [passages[n - 1] for n in dict.fromkeys(draft.cites)]
        support = "\n".join(
            neutralise_instructions(p.text) if distrust_instructions else p.text for p in cited
        )
        missing = unsupported_facts(draft.text, support)
        if missing:
            flagged.append(f"{draft.text} — not in the cited passages: {', '.join(missing)}")
            continue
        absent = unsupported_terms(draft.text, support)
        if absent:
            flagged.append(
                f"{draft.text} — mostly not supported by the cited passages: {', '.join(absent)}"
            )
            continue
        markers: list[int] = []
        sentence_citations: list[Citation] = []
        for passage in cited:
            copied = _copied_quote(draft, passage) if passage is cited[0] else None
            quote, start, end = copied or best_quote(passage, draft.text)
            text = article_text(passage.article_id)
            located = find_verbatim(text, quote, near=start)
            key = (passage.article_id, *(located or (start, end)))
            if located is None:
                sentence_citations = []
                break
            if key not in number_of:
                number_of[key] = len(number_of) + 1
                sentence_citations.append(
                    _citation(number_of[key], passage, text[located[0] : located[1]], located)
                )
            markers.append(number_of[key])
        if not sentence_citations and not markers:
            flagged.append(f"{draft.text} — quote not found verbatim in the cited article")
            continue
        citations.extend(sentence_citations)
        kept.append(draft.text + "".join(f" [{n}]" for n in dict.fromkeys(markers)))
    return Verified(" ".join(kept), tuple(citations), tuple(flagged))


def _problem(draft: DraftSentence, passages: list[Passage], require_citation: bool) -> str:
    if not draft.cites:
        return "no citation" if require_citation else ""
    bad = [n for n in draft.cites if not 1 <= n <= len(passages)]
    if bad:
        return f"cites passage {bad[0]}, which was not given"
    return ""


def _citation(n: int, passage: Passage, quote: str, span: tuple[int, int]) -> Citation:
    return Citation(
        n=n,
        article_id=passage.article_id,
        chunk_id=passage.chunk_id,
        quote=quote,
        start=span[0],
        end=span[1],
        verified=True,
        title=passage.title,
        outlet=passage.outlet,
        published=passage.published,
        url=passage.url,
    )


def verify_short(short: ShortAnswer, article_text: str) -> str:
    """Why the short answer is not the cited article's text at its offsets, or ""."""
    if not short.text.strip():
        return "short answer is empty"
    if article_text[short.start : short.end] != short.text:
        return f"{short.text} — short answer not found verbatim at its offsets in the article"
    return ""
