"""Answering alone: plain passages and a dict of article texts, no index or store behind them."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.calibration import load_calibration
from assistant.answering.engine import Evidence
from assistant.answering.extractive import ExtractiveEngine
from assistant.config import AnswerSettings
from assistant.models import Passage

ARTICLE = (
    "Rebels took the border town of Lay Kay Kaw on Sunday after two days of fighting.\n\n"
    "Twelve soldiers defected to the rebels on Monday, a spokesperson for the group said. "
    "They brought their rifles and ammunition with them.\n\n"
    "The army did not answer questions about the defections."
)
ARTICLES = {"a1": ARTICLE}


def passage_of(article_id: str, start: int, end: int, score: float = 1.0) -> Passage:
    text = ARTICLES[article_id][start:end]
    return Passage(f"{article_id}:0", article_id, 0, start, end, text, score, title="Border town")


def evidence(question: str, passages: list[Passage]) -> Evidence:
    return Evidence(question, question, [], passages, article_text=lambda a: ARTICLES.get(a, ""))


def test_an_engine_answers_from_plain_passages_with_offsets_into_the_article(embeddings) -> None:
    engine = ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)
    answer = engine.answer(
        evidence("How many soldiers defected?", [passage_of("a1", 0, len(ARTICLE))])
    )
    assert not answer.abstained and answer.answer.startswith("Twelve soldiers defected")
    cited = answer.citations[0]
    assert cited.verified and ARTICLE[cited.start : cited.end] == cited.quote


def test_a_passage_offset_into_the_middle_of_the_article_still_cites_the_article(
    embeddings,
) -> None:
    start = ARTICLE.index("Twelve")
    engine = ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)
    answer = engine.answer(evidence("How many soldiers defected?", [passage_of("a1", start, 200)]))
    cited = answer.citations[0]
    assert cited.verified and cited.start >= start
    assert ARTICLE[cited.start : cited.end] == cited.quote


def test_no_passages_abstain(embeddings) -> None:
    engine = ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)
    answer = engine.answer(evidence("How many soldiers defected?", []))
    assert answer.abstained and not answer.citations


def test_a_relative_date_answer_says_which_day_from_the_article_date(embeddings) -> None:
    engine = ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)
    dated = replace(passage_of("a1", 0, len(ARTICLE)), published="2021-03-03")  # a Wednesday
    answer = engine.answer(evidence("When did twelve soldiers defect to the rebels?", [dated]))
    short = answer.short_answer
    assert short is not None and short.text == "Monday"
    assert short.resolved_date == "2021-03-01"
    assert answer.answer.startswith("Monday (2021-03-01, from the article's date 2021-03-03) [1]")


def test_of_two_names_in_the_answering_sentence_the_one_named_again_answers(embeddings) -> None:
    text = (
        "Tickets for the concerts that started hours late were sold by Dana Whitfield, whose "
        "client Aurelia Stone is being sued by fans. Aurelia Stone has not commented on the "
        "lawsuit. Aurelia Stone, a singer, began her world tour in May."
    )
    ARTICLES["a2"] = text
    try:
        engine = ExtractiveEngine(embeddings, AnswerSettings(), load_calibration().abstain_below)
        question = "Which singer is being sued for starting her concerts hours late?"
        answer = engine.answer(evidence(question, [passage_of("a2", 0, len(text))]))
    finally:
        del ARTICLES["a2"]
    assert answer.short_answer is not None and answer.short_answer.text == "Aurelia Stone"
    assert answer.short_answer.start < text.index("Aurelia Stone has")  # in the first sentence


def test_a_surname_alone_names_the_full_name_again() -> None:
    from assistant.answering.lead import _mentions

    texts = [
        "Francis Scott Key wrote the poem in 1814.",
        "Key drafted it on the back of a letter.",
        "Ben & Jerry's said the board was independent.",
        "The keynote speech was long.",
    ]
    assert _mentions("Francis Scott Key", texts) == 2  # the full name, then "Key" alone
    assert _mentions("Key", texts) == 2  # whole words only: not "keynote"
    assert _mentions("Ben & Jerry’s", texts) == 1  # either apostrophe
    assert _mentions("Scott", texts) == 1
