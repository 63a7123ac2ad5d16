"""Retrieval filters as predicates: a Chroma ``where`` clause and the same test in Python."""

from __future__ import annotations

from typing import Any

from assistant.models import Filters


def published_ordinal(published: str) -> int:
    """YYYYMMDD as an int for range filters; 0 when the article gives no date."""
    return int(published.replace("-", "")) if published else 0


def chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """A Chroma ``where`` clause for the filters, or None."""
    if filters is None or filters.empty:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.outlets:
        clauses.append({"outlet": {"$in": list(filters.outlets)}})
    if filters.published_from:
        clauses.append(
            {"published_ord": {"$gte": published_ordinal(filters.published_from.isoformat())}}
        )
    if filters.published_to:
        clauses.append(
            {"published_ord": {"$lte": published_ordinal(filters.published_to.isoformat())}}
        )
        clauses.append({"published_ord": {"$gt": 0}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches_filters(meta: dict[str, Any], filters: Filters | None) -> bool:
    """The same predicate as ``chroma_where``, for results that do not come from Chroma."""
    if filters is None or filters.empty:
        return True
    if filters.article_ids and meta.get("article_id") not in filters.article_ids:
        return False
    if filters.outlets and meta.get("outlet") not in filters.outlets:
        return False
    ordinal = int(meta.get("published_ord", 0) or 0)
    if filters.published_from and ordinal < published_ordinal(filters.published_from.isoformat()):
        return False
    return not (
        filters.published_to
        and not 0 < ordinal <= published_ordinal(filters.published_to.isoformat())
    )
