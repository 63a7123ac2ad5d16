"""Timelines: dated events from the passages, in the order they happened.

"Timeline of ...", "what has happened since ...", "how did ... unfold" ask for a sequence, not one
fact. The sentences of the passages that are about the question's subject are dated by the events
they report (``assistant.dates.event_date``, resolved against their article's publication date);
a sentence that names no date of its own is placed at its article's publication date and says so.
Each event is a verbatim sentence with its offsets, so it can be cited and verified like any quote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from assistant.answering.engine import AnswerEngine, AnswerEvent, Evidence, stream_text
from assistant.answering.verify import DraftSentence, verify
from assistant.dates import DateMention, as_date, date_mentions, event_date
from assistant.lexical import terms
from assistant.models import Answer, Passage, TimelineEntry
from assistant.sentences import passage_sentences

# What makes a question ask for a sequence of events rather than a single fact.
_TIMELINE = re.compile(
    r"\b(time ?line|chronolog\w*|sequence of events|what (?:has|had) happened|"
    r"what happened (?:since|after|between|over|during)|how did .+ (?:unfold|develop|evolve)|"
    r"(?:history|series) of events|key (?:dates|events)|since when)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\b(?:since|after)\s+(.+?)\s*\??$", re.IGNORECASE)
# Words of a timeline question that say "give me a sequence", not what it is about.
_FRAME_WORDS = frozenset(
    terms(
        "timeline time line chronology sequence events event happened happen unfold develop "
        "evolve history series key dates since after give show list"
    )
)
MAX_EVENTS = 8
MIN_COVERAGE = 0.5  # share of the question's subject terms an event sentence must hold


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event: a verbatim sentence of passage ``passage_index`` at ``start:end``."""

    passage_index: int  # into the passages given (0-based)
    article_id: str
    start: int  # article offsets of the sentence
    end: int
    text: str
    date: str  # the event date as precisely as the text gives it (2021-02-01, 2021-02, 2021)
    sort_key: dt.date
    dated_by: str  # "event": the sentence dates it; "publication": only its article's date


def is_timeline_question(question: str) -> bool:
    """Whether the question asks for a sequence of dated events."""
    return bool(_TIMELINE.search(question))


def build_timeline(
    question: str,
    passages: list[Passage],
    published_of: Callable[[Passage], str] | None = None,
    limit: int = MAX_EVENTS,
) -> list[TimelineEvent]:
    """The events of ``passages`` about the question's subject, oldest first.

    A "since X" question keeps the events on or after X, when X is a date the text resolves.
    """
    published_of = published_of or (lambda p: p.published)
    subject = [t for t in dict.fromkeys(terms(question)) if t not in _FRAME_WORDS]
    since = _since_date(question, passages, published_of)
    events: list[TimelineEvent] = []
    seen: set[frozenset[str]] = set()
    for index, passage in enumerate(passages):
        published = published_of(passage)
        for s, e in passage_sentences(passage.text):
            sentence = passage.text[s:e]
            words = frozenset(terms(sentence))
            if subject and sum(t in words for t in subject) < MIN_COVERAGE * len(subject):
                continue
            if words in seen:
                continue  # the same sentence in an overlapping passage or a wire copy
            dated = _date_of(sentence, published)
            if dated is None:
                continue
            label, when, how = dated
            if since is not None and when < since:
                continue
            seen.add(words)
            events.append(
                TimelineEvent(
                    index,
                    passage.article_id,
                    passage.start + s,
                    passage.start + e,
                    sentence,
                    label,
                    when,
                    how,
                )
            )
    # Oldest first; among events of one day, those dated by their own text first.
    events.sort(key=lambda ev: (ev.sort_key, ev.dated_by != "event", ev.passage_index))
    return events[:limit]


def _date_of(sentence: str, published: str) -> tuple[str, date, str] | None:
    mention = event_date(sentence, published or None)
    if mention is not None:
        return mention.label(), mention.date, "event"
    day = as_date(published)
    return (published, day, "publication") if day is not None else None


def _since_date(
    question: str, passages: list[Passage], published_of: Callable[[Passage], str]
) -> date | None:
    """The date a "since X" question starts from, when X is a date expression."""
    match = _SINCE.search(question)
    if not match:
        return None
    newest = max((published_of(p) for p in passages if published_of(p)), default=None)
    mentions: list[DateMention] = date_mentions(match.group(1), newest)
    if mentions:
        return mentions[0].date
    # "Since the coup": the date the passages give for that event, the earliest they give.
    anchor = set(terms(match.group(1)))
    dates = [
        found.date
        for p in passages
        for s, e in passage_sentences(p.text)
        if anchor
        and anchor <= set(terms(p.text[s:e]))
        and (found := event_date(p.text[s:e], published_of(p) or None)) is not None
    ]
    return min(dates, default=None)


def timeline_answer(evidence: Evidence, engine: str) -> Answer | None:
    """A timeline question answered as dated, verified, cited events, oldest first; None when
    no event about the question's subject is dated (the engine then answers as usual)."""
    events = build_timeline(evidence.question, evidence.passages)
    drafts = [
        DraftSentence(
            e.text,
            (e.passage_index + 1,),
            at=e.start - evidence.passages[e.passage_index].start,
        )
        for e in events
    ]
    checked = verify(drafts, evidence.passages, evidence.article_text)
    entries: list[TimelineEntry] = []
    lines: list[str] = []
    for e in events:
        cited = next(
            (c for c in checked.citations if c.article_id == e.article_id and c.start == e.start),
            None,
        )
        if cited is None:
            continue  # verification removed it (see ``flagged``)
        entries.append(
            TimelineEntry(
                e.date, cited.quote, cited.n, e.article_id, cited.start, cited.end, e.dated_by
            )
        )
        when = e.date if e.dated_by == "event" else f"{e.date} (publication date)"
        lines.append(f"- {when}: {cited.quote} [{cited.n}]")
    if not entries:
        return None
    used = {entry.n for entry in entries}
    return Answer(
        question=evidence.question,
        answer="\n".join(lines),
        abstained=False,
        citations=tuple(c for c in checked.citations if c.n in used),
        passages=tuple(evidence.passages),
        engine=engine,
        search_query=evidence.search_query,
        flagged=checked.flagged,
        timeline=tuple(entries),
    )


def answer_stream(evidence: Evidence, engine: AnswerEngine) -> Iterator[AnswerEvent]:
    """The events of an answer: a timeline for a timeline question (whatever the engine, so
    every engine keeps the same contract), else the engine's own answer."""
    timeline = (
        timeline_answer(evidence, engine.name) if is_timeline_question(evidence.question) else None
    )
    if timeline is None:
        yield from engine.stream(evidence)
        return
    for piece in stream_text(timeline.answer):
        yield AnswerEvent(delta=piece)
    yield AnswerEvent(answer=timeline)
