"""Sentence splitting: pysbd per paragraph, and the regex split that stands in for it when ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.sentences import (
    paragraph_spans,
    passage_sentences,
    quick_sentence_spans,
    sentence_spans,
)
from tests.conftest import ARTICLES, FIXTURES

ARTICLE_FILES = sorted(ARTICLES.glob("*.txt")) + sorted((FIXTURES / "corpus_b").glob("*.txt"))


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_regex_split_agrees_with_pysbd_on_the_articles(path: Path) -> None:
    text = path.read_text()
    assert quick_sentence_spans(text) == sentence_spans(text)


def test_regex_split_keeps_abbreviations_and_quotations_whole() -> None:
    text = (
        "Mr. Smith arrived on Feb. 1 in the U.S. capital. “We are here. We stay,” he said.\n"
        "A new line starts a sentence\n\nA paragraph too."
    )
    assert [text[s:e] for s, e in quick_sentence_spans(text)] == [
        "Mr. Smith arrived on Feb. 1 in the U.S. capital.",
        "“We are here. We stay,” he said.",
        "A new line starts a sentence",
        "A paragraph too.",
    ]


def test_closing_quotation_mark_belongs_to_the_sentence() -> None:
    text = "He said “yes.” Then he left."
    assert [text[s:e] for s, e in quick_sentence_spans(text)] == [
        "He said “yes.”",
        "Then he left.",
    ]


def test_a_paragraph_range_splits_as_the_whole_text_does() -> None:
    text = (ARTICLES / "000_fa0faf298b5d84ef.txt").read_text()
    by_paragraph = [span for p in paragraph_spans(text) for span in sentence_spans(text, *p)]
    assert by_paragraph == sentence_spans(text) == list(passage_sentences(text))
    quick = [span for p in paragraph_spans(text) for span in quick_sentence_spans(text, *p)]
    assert quick == quick_sentence_spans(text)
