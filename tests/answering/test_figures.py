"""Conflicting figures: each count the articles give, with its source and date, newest first."""

from __future__ import annotations

from assistant.answering.calibration import load_calibration
from assistant.answering.engine import Evidence
from assistant.answering.extractive import ExtractiveEngine
from assistant.answering.figures import find_figures, read_value, with_figures
from assistant.config import AnswerSettings
from assistant.models import Answer, Passage

MARCH = (
    "Police officers have been leaving the force since the coup.\n\n"
    "About 600 police have joined the protest movement, a police channel said on Monday."
)
SEPTEMBER = (
    "The movement keeps growing.\n\n"
    "Nearly 2,000 police have joined the protest movement, the channel said on Thursday. "
    "Twelve soldiers also crossed over."
)
UNDATED = "Dozens of police have joined the protest movement, witnesses said."
ARTICLES = {"march": MARCH, "sept": SEPTEMBER, "undated": UNDATED}
DATES = {"march": "2021-03-08", "sept": "2021-09-02", "undated": ""}
OUTLETS = {"march": "Outlet A", "sept": "Outlet B", "undated": ""}


def whole(article_id: str) -> Passage:
    text = ARTICLES[article_id]
    return Passage(
        f"{article_id}:0",
        article_id,
        0,
        0,
        len(text),
        text,
        1.0,
        title="Police defections",
        outlet=OUTLETS[article_id],
        published=DATES[article_id],
    )


def evidence(question: str, ids: list[str]) -> Evidence:
    return Evidence(
        question, question, [], [whole(a) for a in ids], article_text=lambda a: ARTICLES.get(a, "")
    )


def engine(embeddings) -> ExtractiveEngine:
    return ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)


def test_figures_are_read_as_numbers() -> None:
    assert read_value("Nearly 2,000 police") == 2000
    assert read_value("Twelve soldiers") == 12
    assert read_value("3.5 million people") == 3_500_000
    assert read_value("Dozens of police") is None


def test_each_figure_is_a_verbatim_span_of_a_sentence_about_the_subject() -> None:
    found = find_figures(
        "How many police have joined the protest movement?", [whole("sept"), whole("march")]
    )
    assert [f.text for f in found] == ["Nearly 2,000 police", "About 600 police"]
    for f in found:
        assert ARTICLES[f.article_id][f.start : f.end] == f.text
    # Soldiers are counted in the same article, but they are not what was asked about.
    assert all("soldiers" not in f.text for f in found)


def test_differing_figures_are_listed_newest_first_with_source_and_date(embeddings) -> None:
    ev = evidence("How many police have joined the protest movement?", ["march", "undated", "sept"])
    answer = engine(embeddings).answer(ev)
    final = with_figures(answer, ev)
    assert [f.text for f in final.figures] == [
        "Nearly 2,000 police",
        "About 600 police",
        "Dozens of police",
    ]
    assert [f.published for f in final.figures] == ["2021-09-02", "2021-03-08", ""]
    assert "Nearly 2,000 police (Outlet B, 2021-09-02)" in final.answer
    assert "Dozens of police (date not given)" in final.answer
    cited = {c.n: c for c in final.citations}
    for f in final.figures:  # every figure is cited, verified and inside its cited sentence
        c = cited[f.n]
        assert c.verified and c.article_id == f.article_id and c.start <= f.start < f.end <= c.end
        assert ARTICLES[f.article_id][f.start : f.end] == f.text
    assert len({c.n for c in final.citations}) == len(final.citations)


def test_one_figure_or_agreeing_sources_leave_the_answer_alone(embeddings) -> None:
    ev = evidence("How many police have joined the protest movement?", ["march"])
    answer = engine(embeddings).answer(ev)
    assert with_figures(answer, ev) is answer
    other = evidence("Where did the police go?", ["march", "sept"])
    plain = Answer("Where did the police go?", "x", True, (), (), "extractive")
    assert with_figures(plain, other) is plain  # not a count question


def test_an_abstention_becomes_the_figures_the_articles_give(embeddings) -> None:
    ev = evidence("How many police have joined the protest movement?", ["march", "sept"])
    refused = Answer(ev.question, "The indexed articles do not ...", True, (), (), "extractive")
    final = with_figures(refused, ev)
    assert not final.abstained and final.confidence == "partial"
    assert final.short_answer is not None and final.short_answer.text == "Nearly 2,000 police"


def test_the_engine_streams_the_answer_with_its_figures(embeddings) -> None:
    ev = evidence("How many police have joined the protest movement?", ["march", "sept"])
    events = list(engine(embeddings).stream(ev))
    final = events[-1].answer
    assert final is not None and len(final.figures) == 2
    assert "".join(e.delta for e in events if e.delta) == final.answer


def test_what_is_counted_is_the_whole_noun_phrase_not_a_subject_term() -> None:
    # "officers" is part of what is counted, so a sentence need not repeat it to be about it.
    question = "How many police officers have joined the protest movement?"
    assert len(find_figures(question, [whole("sept"), whole("march")])) == 2
    # A sentence about another subject gives no figure ("crossed over" is not "joined").
    assert (
        find_figures("How many soldiers have joined the protest movement?", [whole("sept")]) == []
    )
