"""Questions about the news of a moment are answered from reports of that moment.

A question that asks about "this week", "last month" or what happened "recently" (read against
its reference day: ``as_of``, else the newest article) can only be answered by an article
published in that window (``question_time.news_since``). When retrieval brings older articles,
the service searches again among the window's articles only, and keeps those about as close to
the question as the older ones (``matching``); when the archive holds none, the answer is a
refusal that says so and names the older articles it found, with their dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from assistant.answering.engine import Evidence, abstention
from assistant.dates import as_date
from assistant.models import Answer, Filters, Passage

# A window's article answers only if one of its passages is nearly as close to the question
# (dense cosine) as the best of the older passages set aside; else the window holds no report
# on it, and a refusal is better than a sentence about something else of that week.
MATCH_MARGIN = 0.15


def too_early(passage: Passage, since: date) -> bool:
    """Whether ``passage`` is dated before ``since`` (an undated passage is not)."""
    published = as_date(passage.published)
    return published is not None and published < since


def any_too_early(passages: Sequence[Passage], since: date | None) -> bool:
    return since is not None and any(too_early(p, since) for p in passages)


def matching(window: Sequence[Passage], older: Sequence[Passage]) -> list[Passage]:
    """The passages of ``window`` from articles with a passage within MATCH_MARGIN of the best
    dense similarity among ``older`` (a passage outside the nearest neighbours has none)."""
    best = max((p.dense_score for p in older if p.dense_score is not None), default=None)
    if best is None:
        return list(window)  # nothing to compare with: keep what the search found
    close = {
        p.article_id
        for p in window
        if p.dense_score is not None and p.dense_score >= best - MATCH_MARGIN
    }
    return [p for p in window if p.article_id in close]


def _window(since: date, filters: Filters | None) -> str:
    end = filters.published_to if filters is not None else None
    return f"between {since} and {end}" if end else f"since {since}"


def beyond_archive(evidence: Evidence, engine: str, since: date, filters: Filters | None) -> Answer:
    """The refusal for a question about news of a window the archive holds no article of."""
    reason = (
        f"The question asks about news published {_window(since, filters)}, and the archive "
        "holds no article from then that matches it; the older articles it found were not used."
    )
    return abstention(evidence, engine, reason=reason)


def noting_set_aside(answer: Answer, since: date, filters: Filters | None) -> Answer:
    """A refusal found among the window's articles, saying that older ones were set aside."""
    if not answer.abstained:
        return answer
    note = (
        f" Only articles published {_window(since, filters)} were searched: the question asks "
        "about the news of that time."
    )
    return replace(answer, answer=answer.answer + note)
