"""Conflicting figures: when the passages give different counts of the thing a question asks
about, the answer shows each, with its source and date, newest first, instead of one.

A count that grew over time ("1,000 police" in March, "nearly 2,500" in September) or outlets that
disagree are both facts a fact-checker needs side by side. A figure is a verbatim span of an
article: the count with its noun ("Nearly 2,500 soldiers and police"), from a sentence about the
question's subject, so it is cited and verified like any quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answering.engine import Evidence
from assistant.answering.question import QUESTION_WORDS, counted_noun
from assistant.answering.verify import DraftSentence, verify
from assistant.dates import as_date
from assistant.lexical import terms
from assistant.models import Answer, Figure, Passage, ShortAnswer
from assistant.sentences import passage_sentences

MAX_FIGURES = 5
MIN_COVERAGE = 0.5  # share of the question's other subject terms the sentence itself holds

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a dozen": 12, "a hundred": 100, "a thousand": 1000,
}  # fmt: skip
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_COUNT = "|".join(sorted(_UNITS, key=len, reverse=True))
_QUALIFIER = (
    r"(?:(?:nearly|about|around|roughly|approximately|almost|over|some|at least|more than|"
    r"fewer than|less than|up to)\s+)?"
)
_COUNT = (
    rf"(?:(?:\d[\d,.]*\d|\d|(?:{_WORD_COUNT})\b)(?:\s+(?:hundred|thousand|million|billion)\b)?"
    r"|(?:dozens|scores|hundreds|thousands|millions) of)"
)
# Words between a count and its noun that keep it the same thing ("dozens of low-ranking
# police"), but not another noun joined to it ("2,500 soldiers and police" counts soldiers).
_BETWEEN = r"(?:(?!and\b|or\b)[\w-]+\s+){0,2}?"
# Nouns too vague to compare counts of: "how many times", "how many of them".
_INCREMENT = re.compile(r"\b(?:more|other|additional|another|further|extra)\b", re.IGNORECASE)
_VAGUE = frozenset(["times", "of", "them", "more"])


@dataclass(frozen=True)
class FigureSpan:
    """A count in passage ``passage_index``: article offsets of the figure and its sentence."""

    passage_index: int
    article_id: str
    start: int
    end: int
    text: str
    value: float | None  # the number it states, when it can be read (1,500; twelve = 12)
    sentence_start: int  # offset of the sentence in the passage
    sentence: str
    published: str
    outlet: str


def is_figure_question(question: str) -> bool:
    """A "how many X" question: the kind whose answer can differ by source and date."""
    noun = counted_noun(question)
    return bool(noun) and noun not in _VAGUE


@lru_cache(maxsize=256)
def _count_of(noun: str) -> re.Pattern[str]:
    stem = noun[:-1] if noun.endswith("s") else noun
    return re.compile(
        rf"\b{_QUALIFIER}{_COUNT}\s+{_BETWEEN}{re.escape(stem)}\w*(?:\s+and\s+[a-z]+)?",
        re.IGNORECASE,
    )


_NOUN_PHRASE = re.compile(
    r"\bhow many\s+((?:[\w-]+\s+){1,3}?)(?:are|were|is|was|have|has|had|did|do|does|will|would|"
    r"could|can|in|of|from|at|on|to)\b",
    re.IGNORECASE,
)


def _noun_phrase(question: str) -> str:
    """All of what is counted: "how many police officers have ..." -> "police officers"."""
    match = _NOUN_PHRASE.search(question)
    return match.group(1) if match else ""


def read_value(text: str) -> float | None:
    """The number a figure states: "Nearly 2,500 soldiers" -> 2500, "Twelve soldiers" -> 12."""
    lowered = text.lower()
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", lowered)
    value: float | None = None
    if digits:
        value = float(digits.group(0).replace(",", ""))
    else:
        word = re.search(rf"\b(?:{_WORD_COUNT})\b", lowered)
        if word:
            value = float(_UNITS[word.group(0)])
    scale = re.search(r"\b(hundred|thousand|million|billion)\b", lowered)
    if value is not None and scale and not lowered.startswith(("a hundred", "a thousand")):
        value *= _SCALE[scale.group(1)]
    return value


def find_figures(question: str, passages: list[Passage]) -> list[FigureSpan]:
    """The counts of the asked-about noun in passage sentences about the question's subject,
    once per article and value, in passage order."""
    noun = counted_noun(question)
    if not noun or noun in _VAGUE:
        return []
    pattern = _count_of(noun)
    noun_terms = set(terms(_noun_phrase(question) or noun))
    subject = [
        t
        for t in dict.fromkeys(terms(question))
        if len(t) > 2 and t not in noun_terms and t not in QUESTION_WORDS  # not the "s" of "'s"
    ]
    asked_numbers = {n.replace(",", "") for n in re.findall(r"\d[\d,]*", question)}
    found: list[FigureSpan] = []
    seen: set[tuple[str, float | str]] = set()
    for index, passage in enumerate(passages):
        for s, e in passage_sentences(passage.text):
            sentence = passage.text[s:e]
            match = pattern.search(sentence)
            if match is None:
                continue
            words = set(terms(sentence))
            if subject and sum(t in words for t in subject) < MIN_COVERAGE * len(subject):
                continue
            text = match.group(0).strip()
            if _INCREMENT.search(text):
                continue  # "two more police": a step, not a count to set beside the others
            numbers = {n.replace(",", "") for n in re.findall(r"\d[\d,]*", text)}
            if numbers and numbers <= asked_numbers:
                continue  # the question's own number, not an answer to it
            value = read_value(text)
            key = (passage.article_id, value if value is not None else text.lower())
            if key in seen:
                continue
            seen.add(key)
            at = s + match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            found.append(
                FigureSpan(
                    index,
                    passage.article_id,
                    passage.start + at,
                    passage.start + at + len(text),
                    text,
                    value,
                    s,
                    sentence,
                    passage.published,
                    passage.outlet,
                )
            )
    return found


def conflicting(figures: list[FigureSpan]) -> list[FigureSpan]:
    """The figures, newest first (undated last), when they state more than one value; else []."""
    values = {f.value if f.value is not None else f.text.lower() for f in figures}
    if len(values) < 2:
        return []
    return sorted(figures, key=_newest_first)[:MAX_FIGURES]


def _newest_first(f: FigureSpan) -> tuple[bool, int]:
    day = as_date(f.published)
    return (day is None, -day.toordinal() if day else 0)


def _source_label(f: FigureSpan) -> str:
    parts = [p for p in (f.outlet, f.published) if p]
    return ", ".join(parts) if parts else "date not given"


def with_figures(answer: Answer, evidence: Evidence) -> Answer:
    """``answer`` with the differing figures of its passages added (text, citations, ``figures``),
    or unchanged when the passages agree or the question is not a count. An abstention becomes
    the list of figures (confidence "partial"): what the articles say, each with its source."""
    # A follow-up ("And how many police?") is about the subject its resolved query names.
    asked = (
        evidence.search_query if is_figure_question(evidence.search_query) else evidence.question
    )
    spans = conflicting(find_figures(asked, evidence.passages))
    if not spans:
        return answer
    drafts = [DraftSentence(f.sentence, (f.passage_index + 1,), at=f.sentence_start) for f in spans]
    checked = verify(drafts, evidence.passages, evidence.article_text)
    verified = {(c.article_id, c.start): c for c in checked.citations}
    citations = {(c.article_id, c.start): c for c in answer.citations}
    last = max((c.n for c in answer.citations), default=0)
    figures: list[Figure] = []
    lines: list[str] = []
    for f in spans:
        place = (f.article_id, evidence.passages[f.passage_index].start + f.sentence_start)
        if place not in verified:
            continue  # verification removed it (see ``flagged``)
        if place not in citations:  # a sentence the answer does not cite yet: the next number
            last += 1
            citations[place] = replace(verified[place], n=last)
        n = citations[place].n
        figures.append(Figure(f.text, n, f.article_id, f.start, f.end, f.published, f.outlet))
        lines.append(f"- {f.text} ({_source_label(f)}) [{n}]")
    if len({f.text.lower() for f in figures}) < 2:
        return answer
    block = "The articles give different figures, newest first:\n" + "\n".join(lines)
    cited = tuple(sorted(citations.values(), key=lambda c: c.n))
    flagged = answer.flagged + checked.flagged
    if not answer.abstained:
        return replace(
            answer,
            answer=f"{answer.answer}\n\n{block}",
            citations=cited,
            figures=tuple(figures),
            flagged=flagged,
        )
    newest = figures[0]
    return replace(
        answer,
        answer=block,
        abstained=False,
        citations=cited,
        short_answer=ShortAnswer(
            newest.text, newest.n, newest.article_id, newest.start, newest.end
        ),
        confidence="partial",
        figures=tuple(figures),
        flagged=flagged,
    )
