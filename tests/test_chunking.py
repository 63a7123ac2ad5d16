"""Chunks are exact spans of the cleaned text, within the token budget, cut at boundaries."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chunking import chunk_text
from assistant.ingest import load_corpus
from assistant.tokens import count_tokens, get_encoding, trim_to_tokens
from tests.conftest import ARTICLES


def assert_exact_and_bounded(text: str, size: int, overlap: int) -> list:
    chunks = chunk_text("a", text, size, overlap)
    for i, chunk in enumerate(chunks):
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.position == i
        assert chunk.tokens == count_tokens(chunk.text) <= size
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    # Every non-space character of the article is in some chunk.
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    return chunks


def assert_word_boundaries(text: str, chunks: list) -> None:
    for chunk in chunks:
        assert chunk.start == 0 or text[chunk.start - 1].isspace()
        assert chunk.end == len(text) or text[chunk.end].isspace()


def test_offline_encoding_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    get_encoding.cache_clear()

    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert count_tokens("Twelve soldiers defected.") > 0


@pytest.mark.parametrize(("size", "overlap"), [(256, 48), (64, 16), (32, 0)])
def test_every_chunk_of_every_shipped_article_is_exact(size: int, overlap: int) -> None:
    for article in load_corpus(ARTICLES).articles:
        chunks = assert_exact_and_bounded(article.text, size, overlap)
        assert_word_boundaries(article.text, chunks)
        # No chunk holds more than ``size`` tokens, so the article needs at least this many;
        # without overlap, no chunk starts before the previous one ends.
        assert len(chunks) >= count_tokens(article.text) / size
        if overlap == 0:
            assert all(b.start >= a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_overlap_repeats_the_previous_chunks_last_sentences() -> None:
    text = " ".join(f"Sentence number {i} is short." for i in range(60))
    chunks = assert_exact_and_bounded(text, 40, 16)
    assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))
    assert all(b.start > a.start for a, b in zip(chunks, chunks[1:], strict=False))


def test_paragraph_boundaries_are_preferred() -> None:
    paragraphs = [f"Paragraph {i} has a few words in it." for i in range(12)]
    text = "\n\n".join(paragraphs)
    for chunk in assert_exact_and_bounded(text, 30, 0):
        assert chunk.text.startswith("Paragraph") and chunk.text.endswith(".")


@pytest.mark.parametrize(
    "text",
    [
        "A single line article about twelve soldiers.",
        "word " * 3000,  # one very long paragraph, no sentences
        ". ".join(f"Sentence {i} without paragraph breaks" for i in range(400)),
        ("စစ်သား ၁၂ ဦး သည် KNU သို့ ထွက်ပြေးခဲ့သည်။ " * 300).strip(),  # Burmese
        "\n\n".join(["Short."] * 5 + ["long " * 500]),
    ],
    ids=["one-line", "long-paragraph", "no-breaks", "burmese", "mixed"],
)
def test_edge_cases_are_exact_and_cut_between_words(text: str) -> None:
    chunks = assert_exact_and_bounded(text, 64, 16)
    assert chunks
    assert_word_boundaries(text, chunks)


def test_text_without_any_space_is_still_cut_within_budget() -> None:
    text = "ကခဂဃင" * 400
    chunks = assert_exact_and_bounded(text, 50, 10)
    assert "".join(c.text for c in chunks) == text


def test_overlap_must_be_smaller_than_size() -> None:
    with pytest.raises(ValueError, match="overlap"):
        chunk_text("a", "Some text.", 32, 32)


def test_trim_to_tokens_ends_on_a_word() -> None:
    trimmed = trim_to_tokens("alpha beta gamma delta " * 50, 20)
    assert count_tokens(trimmed) <= 20 and trimmed.endswith(("alpha", "beta", "gamma", "delta"))


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=600), st.integers(16, 80))
def test_any_text_chunks_exactly(text: str, size: int) -> None:
    assert_exact_and_bounded(text, size, size // 4)
