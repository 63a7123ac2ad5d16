"""Hybrid retrieval: lexical finds exact names and numbers, fusion, de-duplication, caps."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lexical import LexicalIndex, terms
from assistant.storage.retrieval import HybridSearch

PROSE = "Officials met on Tuesday to discuss the harbour budget and the ferry timetable."

pytestmark = pytest.mark.both_stores


def test_terms_normalise_numbers_and_drop_stopwords() -> None:
    assert terms("Nearly 2,500 soldiers and the police") == ["near", "2500", "soldier", "polic"]


def test_lexical_finds_rare_number_and_tolerates_misspelling() -> None:
    index = LexicalIndex(["Battalion 402 moved north.", PROSE, "The ferry crossed the river."])
    assert index.search("battalion 402", 3)[0][0] == 0
    assert index.search("battalon", 3)[0][0] == 0  # closest known term is used


def test_bm25_finds_a_name_the_embedding_may_miss(shipped_bot) -> None:
    snap = shipped_bot.snapshot()
    rows = snap.lexical.search("Khin Maung Nyane", 3)
    assert "Khin Maung Nyane" in snap.chunks.text(rows[0][0])
    passages = shipped_bot.search.search(snap, "Khin Maung Nyane")
    assert "Khin Maung Nyane" in passages[0].text


def test_near_duplicates_collapse_and_per_article_cap(tmp_path: Path, bot_for) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    body = " ".join(
        f"The ferry service ran {i} extra crossings to the island this week." for i in range(30)
    )
    (folder / "a.txt").write_text(f"Ferry story\n\n{body}")
    (folder / "b.txt").write_text(f"Ferry story again\n\n{body} One more line.")
    (folder / "c.txt").write_text(
        f"Bakery\n\nThe bakery on the island sold bread to ferry passengers.\n\n{PROSE}"
    )
    bot = bot_for(
        folder,
        chunking={"size_tokens": 40, "overlap_tokens": 0},
        retrieval={"per_article_cap": 2, "top_k": 6, "candidates": 60},
    )
    bot.index()
    passages = bot.search.search(bot.snapshot(), "ferry crossings to the island")
    per_article: dict[str, int] = {}
    for p in passages:
        per_article[p.article_id] = per_article.get(p.article_id, 0) + 1
    assert max(per_article.values()) <= 2
    texts = [p.text for p in passages]
    assert len(texts) == len(set(texts))  # b's copies of a's chunks were collapsed
    assert "c" in per_article


def test_rrf_fuses_dense_and_lexical_ranks(shipped_bot) -> None:
    search: HybridSearch = shipped_bot.search
    timings: dict[str, float] = {}
    passages = search.search(
        shipped_bot.snapshot(), "Light Infantry Battalions 402 and 403", timings=timings
    )
    assert "402 and 403" in passages[0].text
    assert passages[0].score >= passages[-1].score
    assert {"embed_query", "dense", "bm25", "fusion"} <= set(timings)


def test_fusion_weights_choose_between_the_rankings(bot_for) -> None:
    # Passages in fused order (no spreading over articles), to see the ranking itself.
    dense_only = bot_for(retrieval={"lexical_weight": 0.0, "spread_articles": False})
    dense_only.index()
    ranked = dense_only.search.search(dense_only.snapshot(), "Khin Maung Nyane")
    scores = [p.dense_score for p in ranked]
    assert None not in scores and scores == sorted(scores, reverse=True)  # dense order alone
    lexical_only = bot_for(retrieval={"dense_weight": 0.0})
    ranked = lexical_only.search.search(lexical_only.snapshot(), "Khin Maung Nyane")
    assert "Khin Maung Nyane" in ranked[0].text  # BM25's exact-name match leads
