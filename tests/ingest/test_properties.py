"""Property-based: any bytes or text through the reader, cleaner and chunker never crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.chunking import chunk_article
from assistant.ingest.corpus import clean_document
from assistant.ingest.readers import ArticleError, parse_document

SPECIAL = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\ufeff",
        "\x00",
        "\u202e",
        "\u05e9\u05dc\u05d5\u05dd",
        "\u0645\u0631\u062d\u0628\u0627",
        "မြန်မာ",
        "\r\n",
        "\n\n",
        " \xa0",
        "“",
        "”",
        "Related Articles",
        "Back to top",
        "Job Vacancy: X",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), SPECIAL), max_size=40).map("".join)


def check_article(path: Path, data: bytes) -> None:
    try:
        raw = parse_document(path, data)
        article = clean_document(raw, set(), [], path.name)
    except ArticleError as exc:
        assert str(exc)  # a bad file is an error with a message, never a crash
        return
    assert article.text == article.text.strip()
    assert "\x00" not in article.text
    for chunk in chunk_article(article, 48, 8):
        assert chunk.text == article.text[chunk.start : chunk.end]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["a.txt", "a.md"]))
def test_any_text_parses_cleans_and_chunks_exactly(text: str, name: str) -> None:
    check_article(Path(name), text.encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_an_article_or_a_clear_error(data: bytes) -> None:
    check_article(Path("b.txt"), data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_html_is_an_article_or_a_clear_error(text: str) -> None:
    html = f"<html><body><article><h1>T</h1><p>{text}</p></article></body></html>"
    check_article(Path("c.html"), html.encode("utf-8", "replace"))
