"""Retrieval levers beyond dense + BM25: titles, names, leads, article support, periods, spread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.models import Filters
from assistant.question_time import TimeFrame
from assistant.storage.boosts import (
    article_ranks,
    article_support,
    lead_ranking,
    phrase_ranking,
    question_phrases,
    title_ranking,
)
from assistant.storage.records import ArticleFields, ChunkRecord

FILLER = (
    "The council also discussed parking fees, a new bus shelter and the library's opening hours. "
)


def _chunk(cid: str, article: str, text: str, title: str = "", position: int = 0) -> ChunkRecord:
    return ChunkRecord(
        cid, text, article, "h", position=position, article=ArticleFields(title=title)
    )


def _write(folder: Path, name: str, title: str, body: str, published: str = "") -> None:
    meta = f'title: "{title}"\n' + (f"published: {published}\n" if published else "")
    (folder / f"{name}.md").write_text(f"---\n{meta}---\n\n{body}\n", encoding="utf-8")


# -- the rankings on their own ----------------------------------------------------------------
def test_question_phrases_are_names_and_quotes_without_question_words() -> None:
    phrases = question_phrases(
        "Which political figure was recently given the John F. Kennedy Profile in Courage Award "
        'on Monday, after "the duty speech"?'
    )
    assert phrases[0] == "john f. kennedy profile in courage award"
    assert "the duty speech" in phrases
    assert "which" not in phrases and "monday" not in phrases
    assert question_phrases("Which state was drenched by flooding this week?") == []
    assert question_phrases("Who served as George Washington’s vice president?") == [
        "george washington"
    ]


def test_phrase_ranking_puts_passages_with_more_of_the_names_first() -> None:
    chunks = {
        "a": _chunk("a", "a", "The pope said mass in Rome."),
        "b": _chunk("b", "b", "Pope Leo XIV said his first mass.", title="Rome"),
        "c": _chunk("c", "c", "Leo went home.", title="Pope Leo XIV visits Chicago"),
    }
    ranked = phrase_ranking(["pope leo xiv", "chicago"], chunks)
    assert ranked == ["c", "b"]  # c holds both (one in its title); a holds neither
    assert phrase_ranking([], chunks) == []


def test_title_and_lead_rankings_and_article_support() -> None:
    chunks = {
        "a1": _chunk("a1", "A", "x", position=3),
        "b1": _chunk("b1", "B", "y", position=0),
        "a2": _chunk("a2", "A", "z", position=0),
    }
    assert title_ranking(["B", "A"], chunks) == ["b1", "a1", "a2"]
    assert title_ranking(["C"], chunks) == []
    fused = {"a1": 0.5, "b1": 0.4, "a2": 0.1}
    assert lead_ranking(fused, chunks) == ["b1", "a2"]
    article_support(fused, chunks, 0.5)
    assert fused == pytest.approx({"a1": 0.55, "b1": 0.4, "a2": 0.35})


def test_article_ranks_give_an_article_the_votes_of_different_passages() -> None:
    chunks = {
        "a1": _chunk("a1", "A", "x"),
        "a2": _chunk("a2", "A", "y"),
        "b1": _chunk("b1", "B", "z"),
    }
    # Dense puts B's passage first and A's a1 second; BM25 puts A's other passage a2 first.
    scores = article_ranks([(["b1", "a1"], 1.0), (["a2", "b1"], 1.0)], chunks, rrf_k=0)
    assert scores == pytest.approx({"A": 1 / 2 + 1 / 1, "B": 1 / 1 + 1 / 2})
    weighted = article_ranks([(["b1", "a1"], 1.0), (["a2", "a1", "b1"], 3.0)], chunks, rrf_k=0)
    assert weighted["A"] > weighted["B"]  # A's first in the heavier ranking; a1 counts once
    assert weighted == pytest.approx({"A": 1 / 2 + 3 / 1, "B": 1 / 1 + 3 / 2})
    assert article_ranks([(["b1"], 0.0), (["a2"], 1.0)], chunks, rrf_k=0) == {"A": 1.0}


# -- in a real index (both stores) ------------------------------------------------------------
# The bundled model embeds the title with each passage, so dense retrieval already finds A;
# BM25 with one candidate does not, which leaves the lever under test to bring it in.
BM25_ONLY = {"candidates": 1, "dense_weight": 0.0}


@pytest.fixture
def two_stories(tmp_path: Path) -> Path:
    """B's passages match a harbour-ferry-budget question best (BM25); only A's title does."""
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(
        folder,
        "a",
        "Harbour ferry budget",
        "The vote passed on Tuesday after a long debate about money. " + FILLER * 3,
        published="2024-05-02",
    )
    _write(
        folder,
        "b",
        "Council notes",
        "The harbour ferry budget: residents asked about the harbour ferry budget, and the "
        "harbour ferry budget was the main item. " + FILLER * 3,
        published="2023-01-10",
    )
    return folder


@pytest.mark.both_stores
def test_title_ranking_brings_in_an_article_no_passage_ranking_reached(
    two_stories: Path, bot_for
) -> None:
    question = "harbour ferry budget"
    plain = bot_for(two_stories, retrieval={**BM25_ONLY, "title_weight": 0.0})
    plain.index()
    assert {p.article_id for p in plain.search.search(plain.snapshot(), question)} == {"b"}
    titled = bot_for(two_stories, retrieval={**BM25_ONLY, "title_weight": 1.0})
    passages = titled.search.search(titled.snapshot(), question)
    assert "a" in {p.article_id for p in passages}


@pytest.mark.both_stores
def test_period_retrieval_brings_in_the_articles_of_the_questions_period(
    two_stories: Path, bot_for
) -> None:
    question = "harbour ferry budget"
    frame = TimeFrame(date(2024, 5, 1), date(2024, 5, 7), reference=date(2024, 5, 7))
    plain = bot_for(two_stories, retrieval={**BM25_ONLY, "time_weight": 0.0})
    plain.index()
    snap = plain.snapshot()
    assert {p.article_id for p in plain.search.search(snap, question, frame=frame)} == {"b"}
    dated = bot_for(two_stories, retrieval={**BM25_ONLY, "time_weight": 0.0, "period_weight": 1.0})
    assert "a" in {
        p.article_id for p in dated.search.search(dated.snapshot(), question, frame=frame)
    }
    # A recent-news question with no period of its own: the days before its reference day.
    recent = TimeFrame(recent=True, reference=date(2024, 5, 7))
    window = bot_for(
        two_stories,
        retrieval={**BM25_ONLY, "time_weight": 0.0, "period_weight": 1.0, "recent_days": 14},
    )
    assert "a" in {
        p.article_id for p in window.search.search(window.snapshot(), question, frame=recent)
    }


@pytest.mark.both_stores
def test_spread_articles_puts_each_articles_best_passage_first(tmp_path: Path, bot_for) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    ferry = " ".join(f"The ferry made crossing number {i} to the island today." for i in range(40))
    _write(folder, "a", "Ferry crossings", ferry)
    _write(folder, "b", "Bakery", "The island bakery sold bread to ferry passengers. " + FILLER)
    sections = {"chunking": {"size_tokens": 40, "overlap_tokens": 0}}
    retrieval = {"per_article_cap": 4, "top_k": 3, "candidates": 30}
    packed = bot_for(folder, retrieval={**retrieval, "spread_articles": False}, **sections)
    packed.index()
    question = "ferry crossings to the island"
    first = [p.article_id for p in packed.search.search(packed.snapshot(), question)]
    assert first == ["a", "a", "a"]
    spread = bot_for(folder, retrieval={**retrieval, "spread_articles": True}, **sections)
    second = [p.article_id for p in spread.search.search(spread.snapshot(), question)]
    assert second[:2] == ["a", "b"] and second.count("a") == 2


@pytest.mark.both_stores
def test_a_broad_date_filter_is_applied_to_more_unfiltered_neighbours(
    two_stories: Path, bot_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "harbour ferry budget"
    before_2024 = Filters(published_to=date(2023, 12, 31))  # B only: half the articles
    inside = bot_for(two_stories, retrieval={"overfetch_share": 1.0})
    inside.index()
    expected = [p.chunk_id for p in inside.search.search(inside.snapshot(), question, before_2024)]
    assert expected and all(c.startswith("b:") for c in expected)
    outside = bot_for(two_stories, retrieval={"overfetch_share": 0.25})
    asked = _record_store_queries(outside, monkeypatch)
    got = [p.chunk_id for p in outside.search.search(outside.snapshot(), question, before_2024)]
    assert got == expected
    assert asked == [None]  # one unfiltered query, filtered here


@pytest.mark.both_stores
def test_nearest_only_never_asks_chroma_to_filter(
    two_stories: Path, bot_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "harbour ferry budget"
    before_2024 = Filters(published_to=date(2023, 12, 31))  # B only: half the articles
    bot = bot_for(two_stories, retrieval={"overfetch_share": 1.0})  # would filter in Chroma
    bot.index()
    asked = _record_store_queries(bot, monkeypatch)
    bot.search.search(bot.snapshot(), question, before_2024)
    assert asked == [before_2024]
    asked.clear()
    got = bot.search.search(bot.snapshot(), question, before_2024, nearest_only=True)
    assert asked == [None]  # the nearest neighbours, filtered here
    assert got and all(p.chunk_id.startswith("b:") for p in got)


def _record_store_queries(bot, monkeypatch: pytest.MonkeyPatch) -> list[Filters | None]:
    """The filters of every dense query ``bot``'s store receives from now on."""
    asked: list[Filters | None] = []
    query = bot.search.store.query

    def recording(fp, vector, n, filters=None):  # type: ignore[no-untyped-def]
        asked.append(filters)
        return query(fp, vector, n, filters)

    monkeypatch.setattr(bot.search.store, "query", recording)
    return asked
