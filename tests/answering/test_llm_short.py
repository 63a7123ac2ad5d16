"""The LLM engine's short answer: kept only where it is verbatim in a cited quote."""

from __future__ import annotations

from assistant.answering.llm_short import locate_short, split_short_line
from assistant.models import Citation, Passage

ARTICLE = (
    "Rebels took the border town on Sunday.\n\n"
    "Twelve soldiers defected to the rebels on Monday, a spokesperson said."
)
QUOTE = "Twelve soldiers defected to the rebels on Monday, a spokesperson said."
AT = ARTICLE.index(QUOTE)
PASSAGES = [Passage("a:0", "a", 0, 0, len(ARTICLE), ARTICLE, 1.0)]
CITED = (Citation(1, "a", "a:0", QUOTE, AT, AT + len(QUOTE), True),)
QUESTION = "How many soldiers defected?"


def test_the_first_line_is_the_short_answer_and_the_rest_the_answer() -> None:
    draft = "Short answer: Twelve soldiers [1]\nTwelve soldiers defected to the rebels [1]."
    assert split_short_line(draft) == (
        "Twelve soldiers",
        1,
        "Twelve soldiers defected to the rebels [1].",
    )
    plain = "Twelve soldiers defected [1]. Short answer: x [1]"
    assert split_short_line(plain) == ("", None, plain)  # only an opening line counts


def test_a_verbatim_short_answer_gets_article_offsets_and_its_citation() -> None:
    short, flag = locate_short(QUESTION, "Twelve soldiers", 1, PASSAGES, CITED)
    assert flag == "" and short is not None
    assert ARTICLE[short.start : short.end] == short.text == "Twelve soldiers" and short.n == 1


def test_a_short_answer_not_in_the_cited_quotes_is_re_extracted_and_flagged() -> None:
    short, flag = locate_short(QUESTION, "Fifteen soldiers", 1, PASSAGES, CITED)
    assert short is not None and short.text == "Twelve soldiers"
    assert ARTICLE[short.start : short.end] == short.text
    assert flag.startswith("Fifteen soldiers — the model's short answer is not verbatim")
    # Citing a passage it was not given: not accepted as written either.
    short, flag = locate_short(QUESTION, "Twelve soldiers", 7, PASSAGES, CITED)
    assert short is not None and flag
    # Nothing of the asked kind in the quotes: no short answer rather than an unchecked one.
    none, _ = locate_short("How much money did the soldiers get?", "$5", 1, PASSAGES, CITED)
    assert none is None
