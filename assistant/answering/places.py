"""Where a sentence names a known place (the gazetteer's countries, states, cities, regions),
and names that read as a person's rather than a place's ("Perry Akins, 85,")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.gazetteer import PLACES
from assistant.answering.name_context import aged_after

# A courtesy title before a name (a person's age after it is ``aged_after``).
_TITLE = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?"
_TITLE_BEFORE = re.compile(rf"\b{_TITLE}\s+$")
_IS_TITLE = re.compile(rf"{_TITLE}(?=\s|$)")


@lru_cache(maxsize=1)
def _known() -> re.Pattern[str]:
    names = sorted(PLACES, key=len, reverse=True)  # the longest name first: "New York City"
    return re.compile(rf"(?<![\w’'-])(?:{'|'.join(map(re.escape, names))})(?![\w’'-])")


def known_places(sentence: str) -> list[tuple[int, int]]:
    """Offsets of the gazetteer's place names in ``sentence``, in order."""
    return [m.span() for m in _known().finditer(sentence)]


def person_like(sentence: str, start: int, end: int) -> bool:
    """Whether the name at ``start``..``end`` reads as a person's: an age after it, a title
    before it."""
    return bool(
        aged_after(sentence, end)
        or _TITLE_BEFORE.search(sentence[:start])
        or _IS_TITLE.match(sentence, start)
    )
