"""A retrieval regression gate on real news: 280 RealTime QA 2024-25 articles (see
tests/fixtures/realnews/README.md), indexed with the real model, and their answerable questions.

hit@k = share of questions with one of its gold source articles among the first k passages of
``search()``. The floors sit a little under what was measured when the slice was made (see
BENCHMARKS.md, "Real news"), so a retrieval change that loses articles fails the build.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.factory import build_assistant
from tests.conftest import FIXTURES, make_settings

pytestmark = pytest.mark.slow

SLICE = FIXTURES / "realnews"
TOP_K = 10
# Measured on this slice 2026-11-29: hit@1 0.576 (19 of 33), hit@5 0.818 (27), hit@10 0.879;
# with spread_articles and article_fusion (the defaults since): hit@1 0.545 (18), hit@5 0.818
# (BENCHMARKS.md, "Real news"). The hit@1 floor is one question under, hit@5 two.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
FLOORS = {"hit@1": 0.51, "hit@5": 0.75}


def _norm(text: str) -> str:
    """As bench/realtimeqa.py matches answers: NFKC, straight quotes, plain hyphens, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", re.sub(r"[\u2010-\u2015\u2212]", "-", text)).lower()


def _cases() -> list[dict[str, Any]]:
    return yaml.safe_load((SLICE / "testset.yaml").read_text(encoding="utf-8"))["cases"]


def test_slice_is_consistent() -> None:
    ids = {p.stem for p in (SLICE / "articles").glob("*.md")}
    cases = _cases()
    assert 250 <= len(ids) <= 300
    assert len(cases) >= 30
    assert {c["split"] for c in cases} == {"tune", "heldout"}
    for case in cases:
        assert case["answerable"] and case["sources"], case["id"]
        assert set(case["sources"]) <= ids, case["id"]
        answer = _norm(case["expected"][0][0])
        texts = [_norm((SLICE / "articles" / f"{s}.md").read_text()) for s in case["sources"]]
        assert any(answer in t for t in texts), case["id"]


@pytest.fixture(scope="module")
def rankings(
    tmp_path_factory: pytest.TempPathFactory, embeddings: Any
) -> list[tuple[dict[str, Any], list[str]]]:
    from bench.retrieval_quality import canonical_cases, canonical_ids

    index = tmp_path_factory.mktemp("realnews") / "index"
    bot = build_assistant(make_settings(index, SLICE / "articles"), embeddings=embeddings)
    report = bot.index(SLICE / "articles")
    # Wire copies (the same text under two URLs) are indexed once; either copy is the source.
    canon = canonical_ids(SLICE / "articles")
    for name, reason in report.failed.items():
        assert reason.startswith("duplicate of"), (name, reason)
        twin = reason.split()[2].removesuffix(".md")
        assert canon[Path(name).stem] == canon[twin], (name, reason)
    snapshot = bot.snapshot()
    out = []
    for case in canonical_cases(_cases(), canon):
        passages = bot.search.search(snapshot, case["question"], top_k=TOP_K)
        out.append((case, [canon.get(p.article_id, p.article_id) for p in passages]))
    return out


def _hit(rankings: list[tuple[dict[str, Any], list[str]]], k: int) -> float:
    found = [bool(set(ranked[:k]) & set(case["sources"])) for case, ranked in rankings]
    return sum(found) / len(found)


def test_search_returns_ranked_passages(rankings: list[tuple[dict[str, Any], list[str]]]) -> None:
    assert all(0 < len(ranked) <= TOP_K for _, ranked in rankings)


@pytest.mark.parametrize("k", [1, 5])
def test_hit_at_k_stays_above_floor(
    rankings: list[tuple[dict[str, Any], list[str]]], k: int
) -> None:
    value = _hit(rankings, k)
    print(f"hit@{k} = {value:.3f} over {len(rankings)} questions")
    missed = [case["id"] for case, ranked in rankings if not set(ranked[:k]) & set(case["sources"])]
    assert value >= FLOORS[f"hit@{k}"], f"hit@{k} {value:.3f} < floor; missed: {missed}"


def test_preparation_reads_only_2024_and_2025() -> None:
    from bench.realtimeqa import HeldOutError, check_path

    assert check_path("past/2025/x_qa.jsonl") == "past/2025/x_qa.jsonl"
    for path in ("past/2023/x_qa.jsonl", "past/2026/x_gcs.jsonl", "latest/x_qa.jsonl"):
        with pytest.raises(HeldOutError):
            check_path(path)
    with pytest.raises(HeldOutError):
        check_path("past/2024/../2021/x_qa.jsonl")


def test_answer_matching_is_word_bounded_and_normalised() -> None:
    from bench.realtimeqa import answer_key, clean_answer, normalise, occurs

    text = normalise(
        "Denmark\u2019s Queen Margrethe II said \u201cEmilia P\u00e9rez\u201d led; Utah-based"
    )
    assert clean_answer("\u201cEmilia P\u00e9rez\u201d") == "Emilia P\u00e9rez"
    assert clean_answer("The razor wire.") == "razor wire"
    assert occurs(answer_key("Denmark's Queen Margrethe II"), text)
    assert occurs(answer_key("Utah"), text)  # a hyphen is a word boundary
    assert not occurs(answer_key("Queen Margrethe I"), text)  # "II" is not "I"
    assert not occurs(answer_key("led;x"), text)
    assert not occurs("", text)


def test_the_preparation_keeps_only_the_dates_and_authors_the_data_gives() -> None:
    from bench.realtimeqa import authors_of, published_of

    assert published_of({"publish_date": "2024/01/23"}) == "2024-01-23"
    assert published_of({"publish_date": None}) == published_of({}) == ""
    assert published_of({"publish_date": "last week"}) == ""
    assert authors_of({"authors": "['Clare Duffy', 'Clare Duffy', 'Betsy Klein']"}) == (
        "Clare Duffy, Betsy Klein"
    )
    assert authors_of({"authors": "[]"}) == authors_of({}) == ""
    assert authors_of({"authors": ["A  B"]}) == "A B"


def test_a_second_corpus_leaves_out_every_week_the_first_uses(tmp_path: Path) -> None:
    from bench.realtimeqa import weeks_used

    (tmp_path / "manifest.json").write_text('{"weeks_indexed": ["20240126", "20240322"]}')
    (tmp_path / "testset.yaml").write_text(
        "cases:\n- {id: a, as_of: '2024-01-26'}\n- {id: b, as_of: 2024-02-16}\n"
    )
    # Indexed weeks, and the weeks its unanswerable (held-out too) questions come from.
    assert weeks_used(tmp_path) == {"20240126", "20240322", "20240216"}


def test_a_question_about_this_week_needs_a_source_from_that_week() -> None:
    from bench.realtimeqa import answered_in_window

    published = {"old": "2022-11-29", "new": "2024-06-05", "undated": ""}
    week = {"question": "Which volcano erupted in Hawaii this week?", "as_of": "2024-06-07"}
    assert not answered_in_window(week | {"sources": ["old", "undated"]}, published)
    assert answered_in_window(week | {"sources": ["old", "new"]}, published)
    # A question naming no moment keeps every source.
    plain = {"question": "Which volcano erupted in Hawaii?", "as_of": "2024-06-07"}
    assert answered_in_window(plain | {"sources": ["old"]}, published)
