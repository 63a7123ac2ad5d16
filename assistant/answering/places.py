"""Where a sentence names a known place (the gazetteer's countries, states, cities, regions),
names that read as a person's rather than a place's ("Perry Akins, 85,"), and a town's
state or country written after it ("Anchorage, Alaska")."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.gazetteer import COUNTRIES, PLACES, US_STATES
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


_REGION_AFTER = re.compile(r",\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)")


def with_region(sentence: str, start: int, end: int) -> tuple[int, int]:
    """A town with the state or country written after it, as news names one: "Anchorage,
    Alaska"; not when the town is itself one ("Texas, Ohio and Iowa" is a list)."""
    after = _REGION_AFTER.match(sentence, end)
    if after is None or sentence[start:end] in _REGIONS:
        return start, end
    region = after.group(1)
    if region not in _REGIONS:  # a full stop ends the sentence, not "D.C."
        region = region.rstrip(".")
    stop = after.start(1) + len(region)
    if region not in _REGIONS or re.match(r"\s*(?:,?\s*and|or)\b", sentence[stop:]):
        return start, end
    return start, stop


_REGIONS = US_STATES | COUNTRIES
