"""Furniture removal by general rules, and metadata the text itself gives."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest import load_corpus
from tests.conftest import ARTICLES

PROSE = [
    "The council approved the new bridge on Tuesday after a long debate.",
    "Residents said the crossing would cut their commute by half.",
    "Work is expected to begin next spring, officials said.",
]


def test_seed_articles_are_clean_and_metadata_not_invented() -> None:
    load = load_corpus(ARTICLES)
    assert not load.failed
    by_id = {a.id: a for a in load.articles}
    knu = by_id["000_fa0faf298b5d84ef"]
    rfa = by_id["002_680d75cd3c7ca208"]
    assert knu.title == "Myanmar army soldiers defect to KNU to side with anti-coup protesters"
    # The first article names no outlet, date or author of its own: they stay empty.
    assert (knu.outlet, knu.published, knu.author) == ("", "", "")
    assert rfa.title.startswith("Thousands of Myanmar Soldiers and Police")
    assert (rfa.outlet, rfa.published) == ("RFA", "2021-09-02")
    for furniture in (
        "Related Articles",
        "Back to top button",
        "Job Vacancy",
        "Featured image",
        "Original Post",
        "minute read",
    ):
        assert furniture not in knu.text and furniture not in rfa.text
    # A photo caption that mentions a date is prose, not a dateline.
    assert "February 28, 2021" in rfa.text
    assert knu.text.endswith("no desire to serve the military junta.")


def test_furniture_the_seeds_do_not_contain(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "Bridge approved",
            "Skip to content",
            "Share this article",
            PROSE[0],
            "Advertisement",
            PROSE[1],
            "Subscribe to our newsletter for daily updates",
            "Tags: bridge, council",
            PROSE[2],
            "You may also like",
            "© 2024 Harbour Post. All rights reserved.",
        ]
    )
    (tmp_path / "bridge.txt").write_text(text, encoding="utf-8")
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Bridge approved"
    assert article.text == "\n\n".join(PROSE)


def test_short_lines_repeated_within_an_article_are_furniture(tmp_path: Path) -> None:
    text = "\n\n".join(
        ["Bridge approved", "Most Watched", PROSE[0], PROSE[1], "Most Watched", PROSE[2]]
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (article,) = load_corpus(tmp_path).articles
    assert "Most Watched" not in article.text


def test_short_lines_repeated_across_articles_are_furniture(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"First story\n\n{PROSE[0]}\n\nHarbour Post Live\n\n{PROSE[1]}")
    (tmp_path / "b.txt").write_text(f"Second story\n\n{PROSE[2]}\n\nHarbour Post Live")
    articles = load_corpus(tmp_path).articles
    assert all("Harbour Post Live" not in a.text for a in articles)
    # Real sentences shared by two articles are kept: only short non-sentences count.
    assert articles[0].text == f"{PROSE[0]}\n\n{PROSE[1]}"


def test_furniture_glued_to_the_title_is_cut_off(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        f"Job Vacancy: Night EditorBridge approved\n\n{PROSE[0]}\n\nJob Vacancy: Night Editor"
    )
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Bridge approved"
    assert "Vacancy" not in article.text


def test_dateline_byline_and_credit_become_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        f"Bridge approved\nMarch 5th, 2024 | 3 min read\nBy Jane Roe\n\n{PROSE[0]}\n\n{PROSE[1]}"
        "\n\nOriginal Post: Harbour Post"
    )
    (article,) = load_corpus(tmp_path).articles
    assert (article.published, article.author, article.outlet) == (
        "2024-03-05",
        "Jane Roe",
        "Harbour Post",
    )
    assert article.text == f"{PROSE[0]}\n\n{PROSE[1]}"


def test_non_latin_article_survives_cleaning(tmp_path: Path) -> None:
    burmese = "မြန်မာ စစ်သားများ ထွက်ပြေး\n\nစစ်သား ၁၂ ဦး သည် KNU သို့ ထွက်ပြေးခဲ့သည်။ ဒေသခံများက ကြိုဆိုခဲ့သည်။"
    (tmp_path / "my.txt").write_text(burmese, encoding="utf-8")
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "မြန်မာ စစ်သားများ ထွက်ပြေး"
    assert article.text.startswith("စစ်သား ၁၂ ဦး")
