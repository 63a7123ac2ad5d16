"""Reading .txt, .md and .html articles, and reporting bad files by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import load_corpus

BODY = "The ferry resumed service on Monday after a three-week pause.\n\nAbout 1,200 people use it daily."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_title_is_first_line(tmp_path: Path) -> None:
    write(tmp_path, "ferry.txt", f"Ferry resumes\n\n{BODY}")
    load = load_corpus(tmp_path)
    (article,) = load.articles
    assert article.id == "ferry"
    assert article.title == "Ferry resumes"
    assert article.text.startswith("The ferry resumed")
    assert article.outlet == article.published == article.author == ""


def test_markdown_front_matter(tmp_path: Path) -> None:
    write(
        tmp_path,
        "story.md",
        "---\ntitle: Ferry resumes\noutlet: Harbour Post\npublished: 2024-03-05\n"
        "author: Jane Roe\nurl: https://example.org/ferry\n---\n" + BODY,
    )
    (article,) = load_corpus(tmp_path).articles
    assert (article.title, article.outlet, article.published, article.author, article.url) == (
        "Ferry resumes",
        "Harbour Post",
        "2024-03-05",
        "Jane Roe",
        "https://example.org/ferry",
    )
    assert article.text == BODY


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Ferry resumes | Harbour Post</title>"
        '<meta property="og:site_name" content="Harbour Post">'
        '<meta name="author" content="Jane Roe"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Ferry resumes</h1>"
        "<p>The ferry between the two banks resumed on Monday after a three-week pause caused by "
        "flooding, the operator said.</p><p>About 1,200 passengers use it every day, according to "
        "the town council, which paid for the repairs.</p></article>"
        "<footer>Back to top</footer></body></html>"
    )
    write(tmp_path, "ferry.html", html)
    (article,) = load_corpus(tmp_path).articles
    assert article.title == "Ferry resumes"
    assert article.outlet == "Harbour Post"
    assert article.author == "Jane Roe"
    assert "1,200 passengers" in article.text
    assert "Back to top" not in article.text and "Home" not in article.text


def test_unknown_extension_is_skipped_with_warning(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"Title\n\n{BODY}")
    write(tmp_path, "notes.docx", b"PK\x03\x04 zip")
    load = load_corpus(tmp_path)
    assert [a.id for a in load.articles] == ["a"]
    assert any("notes.docx" in w and "unsupported" in w for w in load.warnings)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10, "binary"),
        ("latin1.txt", "Caf\xe9 story\n\nThe caf\xe9 opened.".encode("latin-1"), "UTF-8"),
        ("only-title.txt", b"Just a title line", "no article text"),
        ("bad-front.md", b"---\ntitle: [unclosed\n---\nBody text here.", "YAML"),
        ("open-front.md", b"---\ntitle: x\nBody text with no closing fence.", "never closed"),
    ],
)
def test_bad_file_is_reported_by_name_and_others_load(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    write(tmp_path, "good.txt", f"Good article\n\n{BODY}")
    write(tmp_path, name, content)
    load = load_corpus(tmp_path)
    assert [a.id for a in load.articles] == ["good"]
    assert name in load.failed
    assert reason.lower() in load.failed[name].lower()


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", f"Good article\n\n{BODY}")
    with (tmp_path / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    load = load_corpus(tmp_path, max_bytes=5_000_000)
    assert [a.id for a in load.articles] == ["good"]
    assert "too large" in load.failed["huge.txt"]


def test_article_without_title_keeps_empty_title_and_warns(tmp_path: Path) -> None:
    write(tmp_path, "untitled.md", BODY + " A different ending.")
    write(tmp_path, "blank-first-line.txt", f"\n{BODY}")
    load = load_corpus(tmp_path)
    assert {a.id: a.title for a in load.articles} == {"untitled": "", "blank-first-line": ""}
    assert sum("no title" in w for w in load.warnings) == 2


def test_identical_articles_under_two_names_index_once(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"Same story\n\n{BODY}")
    write(tmp_path, "b.txt", f"Same story\n\n{BODY}")
    load = load_corpus(tmp_path)
    assert [a.id for a in load.articles] == ["a"]
    assert "duplicate of a.txt" in load.failed["b.txt"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_ids_are_stable_and_hash_follows_content(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"Title\n\n{BODY}")
    first = load_corpus(tmp_path).articles[0]
    assert load_corpus(tmp_path).articles[0].content_hash == first.content_hash
    write(tmp_path, "a.txt", f"Title\n\n{BODY} More.")
    changed = load_corpus(tmp_path).articles[0]
    assert changed.id == first.id and changed.content_hash != first.content_hash


def test_publication_date_from_the_story_url_when_the_article_gives_no_other(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: A story\nurl: https://www.cnn.com/2022/11/27/asia/taiwan/index.html\n---\n"
        "Taiwan's president resigned as party leader after heavy losses.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text(
        "---\ntitle: Dated\npublished: 2023-01-02\nurl: https://example.com/2022/11/27/x\n---\n"
        "The front matter's date wins over the address.\n",
        encoding="utf-8",
    )
    (tmp_path / "c.md").write_text(
        "---\ntitle: Undated\nurl: https://example.com/story/2022/99/99/x\n---\n"
        "No real date in the address, so none is given.\n",
        encoding="utf-8",
    )
    articles = {a.id: a for a in load_corpus(tmp_path).articles}
    assert articles["a"].published == "2022-11-27"
    assert articles["b"].published == "2023-01-02"
    assert articles["c"].published == ""
