"""as_of, coverage and filters that exclude everything, through the real service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answering.timely import weak_and_old
from assistant.models import Answer, Citation, Filters
from assistant.service import NoMatchingArticles

pytestmark = pytest.mark.both_stores

DATED = "002_680d75cd3c7ca208"  # RFA, 2021-09-02; the other shipped article gives no date


def test_coverage_says_what_the_archive_holds(shipped_bot) -> None:
    coverage = shipped_bot.coverage()
    assert coverage["articles"] == 2
    assert (coverage["oldest"], coverage["newest"], coverage["undated"]) == (
        "2021-09-02",
        "2021-09-02",
        1,
    )
    assert coverage["indexed_at"]
    assert shipped_bot.stats()["newest"] == "2021-09-02"


def test_as_of_answers_from_articles_published_by_then(shipped_bot) -> None:
    answer = shipped_bot.ask(
        "How many soldiers and police have defected?", as_of=date(2021, 12, 31)
    )
    assert answer.passages and {p.article_id for p in answer.passages} == {DATED}
    # An undated article cannot show it was published by then, so it is left out too.
    with pytest.raises(NoMatchingArticles, match="no article matches"):
        shipped_bot.ask("How many soldiers defected?", as_of=date(2021, 1, 1))


def test_as_of_combines_with_filters(shipped_bot) -> None:
    later = Filters(published_from=date(2021, 9, 1))
    answer = shipped_bot.ask("Who is Ye Mon?", filters=later, as_of=date(2022, 1, 1))
    assert {p.article_id for p in answer.passages} == {DATED}
    with pytest.raises(NoMatchingArticles):
        shipped_bot.ask("Who is Ye Mon?", filters=later, as_of=date(2021, 8, 31))


def test_a_filter_that_excludes_every_article_says_so(shipped_bot) -> None:
    with pytest.raises(NoMatchingArticles, match="no article matches these filters"):
        shipped_bot.ask("Who is Ye Mon?", filters=Filters(outlets=("Nobody's Gazette",)))


def test_recent_questions_prefer_newer_articles(tmp_path: Path, bot_for) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for day, count in (("2024-01-02", "40"), ("2024-03-01", "55"), ("2023-06-10", "31")):
        (folder / f"toll-{day}.md").write_text(
            f"---\ntitle: Flood toll\npublished: {day}\n---\n"
            f"The flood death toll in the river valley rose to {count} on the day, officials said.\n",
            encoding="utf-8",
        )
    bot = bot_for(folder)
    bot.index()
    latest = bot.ask("What is the latest flood death toll in the river valley?")
    assert latest.passages[0].published == "2024-03-01"
    back_then = bot.ask(
        "What is the latest flood death toll in the river valley?", as_of=date(2024, 1, 31)
    )
    assert back_then.passages[0].published == "2024-01-02"
    assert all(p.published <= "2024-01-31" for p in back_then.passages)


def _indexed(tmp_path: Path, bot_for, archive) -> Assistant:
    """A bot over the articles ``archive`` writes, indexed."""
    folder = tmp_path / "articles"
    archive(folder)
    bot = bot_for(folder)
    bot.index()
    return bot


def _flood_archive(folder: Path) -> None:
    folder.mkdir()
    reports = (
        ("2020-02-17", "Mississippi", "Record rain drenched Mississippi, flooding the state."),
        ("2024-08-20", "Connecticut", "Unprecedented flooding drenched Connecticut this week."),
        ("2024-08-21", "budget", "The state budget was passed by lawmakers on Wednesday."),
        ("2024-09-10", "lunch", "Schools in the state will serve free lunches from Monday."),
    )
    _write_reports(folder, reports, " Officials spoke on the day.")


def _write_reports(folder: Path, reports: tuple[tuple[str, str, str], ...], tail: str = "") -> None:
    """One dated article per (day, name, text), titled "<name> news"."""
    for day, name, text in reports:
        (folder / f"{name}-{day}.md").write_text(
            f"---\ntitle: {name} news\npublished: {day}\n---\n{text}{tail}\n", encoding="utf-8"
        )


def test_news_of_this_week_is_answered_from_this_weeks_reports(tmp_path: Path, bot_for) -> None:
    bot = _indexed(tmp_path, bot_for, _flood_archive)
    question = "Which state was drenched by record flooding this week?"
    answer = bot.ask(question, as_of=date(2024, 8, 23))
    assert not answer.abstained
    assert {answer.passages[c.n - 1].published for c in answer.citations} == {"2024-08-20"}
    assert all(p.published >= "2024-08-10" for p in answer.passages)
    # Four years earlier, the same words are answered by the report of that week.
    then = bot.ask(question, as_of=date(2020, 2, 20))
    assert not then.abstained and "Mississippi" in then.answer


def test_the_news_window_can_be_turned_off(tmp_path: Path, bot_for) -> None:
    folder = tmp_path / "articles"
    _flood_archive(folder)
    bot = bot_for(folder, retrieval={"news_window": False})
    bot.index()
    answer = bot.ask(
        "Which state was drenched by record flooding this week?", as_of=date(2023, 5, 10)
    )
    assert not answer.abstained and "Mississippi" in answer.answer


def test_news_of_a_week_the_archive_has_no_report_of_is_refused(tmp_path: Path, bot_for) -> None:
    bot = _indexed(tmp_path, bot_for, _flood_archive)
    answer = bot.ask(
        "Which state was drenched by record flooding this week?", as_of=date(2023, 5, 10)
    )
    assert answer.abstained and not answer.citations
    assert "between 2023-04-27 and 2023-05-10" in answer.answer
    assert "holds no article from then that matches it" in answer.answer
    assert "Mississippi news" in answer.answer  # the nearest, older article is named
    # Without a time word, the older report answers, as of its date.
    plain = bot.ask("Which state was drenched by record rain?", as_of=date(2023, 5, 10))
    assert not plain.abstained and "Mississippi" in plain.answer


def test_a_refusal_among_the_weeks_reports_says_older_ones_were_set_aside(
    tmp_path: Path, bot_for
) -> None:
    bot = _indexed(tmp_path, bot_for, _flood_archive)
    answer = bot.ask("Which rivers in Mississippi flooded this week?", as_of=date(2024, 8, 23))
    assert answer.abstained
    assert (
        "Only articles published between 2024-08-10 and 2024-08-23 were searched" in answer.answer
    )
    assert all(p.published >= "2024-08-10" for p in answer.passages)


def test_a_weeks_reports_about_something_else_do_not_answer(tmp_path: Path, bot_for) -> None:
    bot = _indexed(tmp_path, bot_for, _flood_archive)
    # That week's only article is about school lunches: no answer from it, and none from the
    # older flood reports either.
    answer = bot.ask(
        "Which state was drenched by record flooding this week?", as_of=date(2024, 9, 12)
    )
    assert answer.abstained and not answer.citations
    assert "holds no article from then that matches it" in answer.answer
    assert "Connecticut news" in answer.answer or "Mississippi news" in answer.answer


def _cited(published: tuple[str, ...], score: float) -> Answer:
    citations = tuple(
        Citation(n, f"a{n}", f"a{n}:0", "The bridge opened.", 0, 18, True, published=day)
        for n, day in enumerate(published, 1)
    )
    return Answer(
        "Who opened it?", "the mayor [1].", False, citations, (), "extractive", evidence_score=score
    )


@pytest.mark.parametrize(
    ("published", "score", "period_stated", "refused"),
    [
        (("2019-03-02",), 0.40, False, True),  # weak, and only a 5-year-old article
        (("2019-03-02", "2024-08-01"), 0.40, False, False),  # one cited article is recent
        (("2019-03-02",), 0.60, False, False),  # strong evidence: an old fact still answers
        (("2019-03-02",), 0.40, True, False),  # the question names its period
        (("2019-03-02", ""), 0.40, False, False),  # an undated citation: its age is unknown
    ],
)
def test_weak_evidence_from_old_articles_only_is_refused(published, score, period_stated, refused):
    answer = _cited(published, score)
    assert (weak_and_old(answer, date(2024, 9, 10), period_stated) is not None) is refused
    assert weak_and_old(answer, None, period_stated) is None  # no reference day: no age


def _bridge_archive(folder: Path) -> None:
    folder.mkdir()
    reports = (
        (
            "2019-03-02",
            "bridge",
            "A new bridge over the river opened to traffic in the town, "
            "the mayor said. The bridge cost 12 million dollars.",
        ),
        ("2024-08-20", "budget", "The state budget was passed by lawmakers on Wednesday."),
        ("2024-09-10", "lunch", "Schools in the state will serve free lunches from Monday."),
    )
    _write_reports(folder, reports)


def test_a_loose_match_in_an_article_years_old_is_refused_and_says_why(
    tmp_path: Path, bot_for
) -> None:
    bot = _indexed(tmp_path, bot_for, _bridge_archive)
    loose = bot.ask("Who said the crossing opened?")
    assert loose.abstained and not loose.citations
    assert "more than a year before 2024-09-10" in loose.answer
    assert "bridge news" in loose.answer  # the nearest, older article is named
    # Asked as of the bridge's week, the same loose match answers.
    then = bot.ask("Who said the crossing opened?", as_of=date(2019, 3, 10))
    assert not then.abstained and "mayor" in then.answer
    # A close match answers however old its article is.
    close = bot.ask("How much did the new bridge over the river cost?")
    assert not close.abstained and "12 million dollars" in close.answer
