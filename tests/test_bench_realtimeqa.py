"""The RealTime QA dev-corpus builder picks evenly spaced weeks within an article budget."""

from __future__ import annotations

import pytest

from bench.realtimeqa import Week, choose_weeks


def _weeks(n: int, per_week: int) -> list[Week]:
    return [
        Week(f"2024{i:04d}", [], {}, [f"https://example.org/{i}/{k}" for k in range(per_week)])
        for i in range(n)
    ]


def test_the_fewest_evenly_spaced_weeks_within_the_budget() -> None:
    chosen = choose_weeks(_weeks(20, 100), least=500, most=600)
    assert len(chosen) == 5
    dates = [w.date for w in chosen]
    assert dates == sorted(set(dates))


def test_a_smaller_corpus_can_be_asked_for() -> None:
    weeks = _weeks(15, 100)
    with pytest.raises(SystemExit, match="2000-2300"):
        choose_weeks(weeks)  # 1,500 articles in all: the default budget cannot be met
    assert len(choose_weeks(weeks, least=1000, most=1100)) == 10
