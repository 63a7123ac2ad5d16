"""The HTML the chat builds: citations shown in context, everything from articles escaped."""

from __future__ import annotations

import re

from assistant.models import Article
from assistant.web import chat_state
from assistant.web import ui_render as render

HOSTILE_TEXT = (
    "Intro paragraph.\n\n"
    "Before <script>alert(1)</script> the quote <img src=x onerror=alert(2)> after.\n\n"
    "Outro [link](javascript:alert(3))."
)
QUOTE_START = HOSTILE_TEXT.index("the quote")
QUOTE_END = QUOTE_START + len("the quote <img src=x onerror=alert(2)>")


def hostile_article() -> Article:
    return Article(
        id="evil",
        title="<script>alert('title')</script>",
        text=HOSTILE_TEXT,
        content_hash="h",
        outlet='<img src=x onerror="alert(4)">',
        published="2021-01-02",
        url="javascript:alert(5)",
    )


def citation(**changes: object) -> dict[str, object]:
    base = {
        "n": 1,
        "article_id": "evil",
        "chunk_id": "evil:h:0",
        "quote": HOSTILE_TEXT[QUOTE_START:QUOTE_END],
        "start": QUOTE_START,
        "end": QUOTE_END,
        "verified": True,
        "title": "<b onmouseover=alert(6)>Title</b>",
        "outlet": "<i>Outlet</i>",
        "published": "2021-01-02",
        "url": "",
        "problem": "",
    }
    return {**base, **changes}


def exchange(**changes: object) -> chat_state.Exchange:
    return {**chat_state.EMPTY, "question": "q", "answer": "a [1]", **changes}


def no_live_markup(html: str) -> None:
    """Only the tags the renderer itself writes; nothing an article supplied."""
    tags = set(re.findall(r"<\s*([a-zA-Z0-9]+)", html))
    assert tags <= {"div", "article", "header", "span", "a", "mark", "p"}, tags
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("/articles/", "http")) for h in hrefs), hrefs


def test_source_card_marks_the_quote_inside_its_paragraph_escaped() -> None:
    html = render.source_card(citation(), HOSTILE_TEXT)
    no_live_markup(html)
    context = re.search(r'<div class="source-context">(.*?)</div>', html, re.S)
    assert context is not None
    # the whole paragraph, not the neighbours
    assert "Before &lt;script&gt;alert(1)&lt;/script&gt; " in context.group(1)
    assert "Intro" not in context.group(1) and "Outro" not in context.group(1)
    marked = re.search(r'<mark class="quote">(.*?)</mark>', html)
    assert marked is not None
    assert marked.group(1) == "the quote &lt;img src=x onerror=alert(2)&gt;"
    assert "&lt;b onmouseover=alert(6)&gt;Title&lt;/b&gt;" in html
    # the mark says only that the quote is in the article, never "verified" or a tick
    assert "verbatim in the article" in html and "verified" not in html and "✓" not in html
    assert 'href="/articles/evil?start=' in html
    assert 'id="source-1"' in html and 'data-n="1"' in html


def test_unverified_citation_says_why() -> None:
    html = render.source_card(citation(verified=False, problem="<quote> not found"), HOSTILE_TEXT)
    assert "not found verbatim in the article: &lt;quote&gt; not found" in html
    assert "verbatim in the article</span>" not in html


def test_card_says_when_the_article_gives_no_outlet_or_date() -> None:
    html = render.source_card(citation(outlet="", published=""), HOSTILE_TEXT)
    assert "outlet not given · date not given" in html
    html = render.source_card(citation(published=""), HOSTILE_TEXT)
    assert "&lt;i&gt;Outlet&lt;/i&gt; · date not given" in html


def test_card_without_article_text_shows_the_quote_alone() -> None:
    html = render.source_card(citation(), None)
    assert '<mark class="quote">the quote &lt;img' in html
    no_live_markup(html)


def test_long_paragraph_is_cut_around_the_quote() -> None:
    text = "x" * 5000 + " QUOTE " + "y" * 5000
    start = text.index("QUOTE")
    html = render.quote_in_context(citation(start=start, end=start + 5, quote="QUOTE"), text)
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < render.CONTEXT_CHARS + 100


def test_sources_panel_lists_cards_or_nearest_articles() -> None:
    cited = exchange(question="<q1>", citations=[citation(), citation(n=2)])
    html = render.sources_html([cited], None, lambda aid: HOSTILE_TEXT)
    assert html.count('class="source-card"') == 2
    assert "Sources for answer 1: <q>&lt;q1&gt;</q>" in html and 'data-answer="0"' in html
    abstained = exchange(
        abstained=True, nearest=[{"article_id": "evil", "title": "<s>T</s>", "outlet": ""}]
    )
    html = render.sources_html([cited, abstained], None, lambda aid: None)
    assert "No answer in the indexed articles" in html and "outlet not given" in html
    assert "&lt;s&gt;T&lt;/s&gt;" in html and 'href="/articles/evil"' in html
    # an earlier answer's sources, chosen by position, say which answer they belong to
    earlier = render.sources_html([cited, abstained], 0, lambda aid: None)
    assert "Sources for answer 1" in earlier and "source-card" in earlier
    assert render.sources_html([], None, lambda aid: None) == render.SOURCES_PLACEHOLDER
    failed = exchange(error="the question is empty")
    html = render.sources_html([failed], None, lambda aid: None)
    assert "source-card" not in html and "not answered" in html


def test_sources_panel_carries_every_answers_data_escaped() -> None:
    first = exchange(citations=[citation()])
    html = render.sources_html([first, exchange(error="e")], 1, lambda aid: None)
    holder = re.search(r'data-answers="([^"]*)"', html)
    assert holder is not None and "<" not in holder.group(1)
    import html as html_module
    import json

    data = json.loads(html_module.unescape(holder.group(1)))
    assert [a["ok"] for a in data] == [True, False]
    cite = data[0]["cites"]["1"]
    assert cite["title"] == "<b onmouseover=alert(6)>Title</b>"  # text, put in with textContent
    assert cite["attribution"] == "<i>Outlet</i>, 2021-01-02"
    searching = render.sources_html([first], None, lambda aid: None, searching=True)
    assert "Finding the sources" in searching and "data-answers" in searching


def test_chat_text_shows_markup_as_text() -> None:
    shown = render.chat_text("<img src=x onerror=alert(1)> [a](javascript:x) $$x$$ *b* [1]")
    assert "<" not in shown and ">" not in shown
    assert "\\[a\\]\\(javascript:x\\)" in shown
    assert "\\$\\$x\\$\\$" in shown and "\\*b\\*" in shown and "\\[1\\]" in shown


def test_chat_messages_alternate_and_show_errors_and_pending_text() -> None:
    conv = [exchange(), exchange(question="  ", answer="", error="the question is empty")]
    messages = render.chat_messages(conv, pending=None)
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    assert messages[2]["content"] == "_(an empty question)_"
    assert messages[3]["content"].startswith("⚠️ the question is empty")
    streaming = render.chat_messages([*conv, exchange(answer="")], pending="Twelve sol")
    assert streaming[-1]["content"].startswith("Twelve sol")


def test_article_page_marks_the_span_and_runs_nothing() -> None:
    page = render.article_page(hostile_article(), QUOTE_START, QUOTE_END)
    body = page.split("<body>", 1)[1]
    assert "<script" not in body and "<img" not in body
    assert '<mark id="quote">the quote &lt;img src=x onerror=alert(2)&gt;</mark>' in body
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    # the javascript: url is not linked, the article's links are text; only the way back is
    assert re.findall(r'href="([^"]*)"', body) == ["/"]
    assert "Back to the assistant" in body and "Original URL not given" in body


def test_article_page_links_the_original_and_attributes() -> None:
    article = Article(id="a", title="T", text="Some text.", content_hash="h",
                      url="https://news.example/story")  # fmt: skip
    page = render.article_page(article)
    assert 'href="https://news.example/story"' in page and "Read the original story" in page
    assert "outlet not given · date not given" in page
    assert "scroll-margin-top" in page  # the quote is not flush to the top edge


def test_article_page_ignores_bad_offsets_and_links_only_http() -> None:
    article = hostile_article()
    assert "<mark" not in render.article_page(article, 10, 5)
    assert "<mark" not in render.article_page(article, 0, 10_000)
    assert render.safe_link("https://example.org/a?b=<c>") == "https://example.org/a?b=&lt;c&gt;"
    assert render.safe_link(" JavaScript:alert(1)") == ""
    assert render.safe_link("data:text/html,x") == ""


def test_stats_line() -> None:
    stats = {"articles": 2, "chunks": 10, "indexed_at": "2026-01-02T03:04:05+00:00",
             "engines": ["extractive"]}  # fmt: skip
    html = render.stats_html(stats)
    assert "2 articles · 10 chunks · last indexed 2026-01-02 03:04 UTC" in html
    assert "unavailable: &lt;x&gt;" in render.stats_html(None, "<x>")
    covered = render.stats_html({**stats, "oldest": "2021-03-01", "newest": "2021-06-30",
                                 "undated": 3})  # fmt: skip
    assert "articles from 2021-03-01 to 2021-06-30 · 3 undated" in covered


def test_conversation_from_the_browser_is_coerced() -> None:
    raw = [
        {"question": "q", "answer": 5, "citations": [{"n": "1", "start": -4, "verified": "yes"}]},
        "junk",
        {"nearest": [{"article_id": ["x"]}], "error": None},
    ]
    clean = chat_state.clean(raw)
    assert len(clean) == 2
    assert clean[0]["answer"] == "" and clean[0]["citations"][0]["start"] == 0
    assert clean[0]["citations"][0]["verified"] is False
    assert clean[1]["nearest"] == [{"article_id": "", "title": "", "outlet": ""}]
    assert chat_state.clean("not a list") == []


def test_new_answer_fields_are_coerced() -> None:
    raw = {
        "question": "q",
        "short_answer": {"text": "1,000", "n": 1, "article_id": "a", "start": 3, "end": 8},
        "confidence": "partial",
        "resolved_question": "How many police joined?",
        "timeline": [{"date": "2021-03-02", "text": "x", "n": 2, "dated_by": "event"},
                     {"text": ""}, "junk"],
    }  # fmt: skip
    clean = chat_state.clean([raw])[0]
    assert clean["short_answer"]["text"] == "1,000" and clean["short_answer"]["n"] == 1
    assert clean["confidence"] == "partial" and len(clean["timeline"]) == 1
    odd = chat_state.clean([{"confidence": 0.83, "short_answer": {"text": " "}}])[0]
    assert odd["confidence"] == "" and odd["short_answer"] is None  # a bare score is no label


def test_an_answer_with_the_new_fields_reaches_the_chat() -> None:
    """From the answer's JSON contract to the exchange the chat keeps and the message it shows."""

    class NewAnswer:
        question, answer, abstained, engine = "How many police?", "About 1,000 [1].", False, "x"

        def to_dict(self) -> dict[str, object]:
            return {
                "citations": [], "nearest": [], "confidence": "high",
                "short_answer": {"text": "1,000", "n": 1, "article_id": "a", "start": 0, "end": 5},
                "resolved_question": "", "timeline": [],
            }  # fmt: skip

    exchange = chat_state.from_answer(NewAnswer())  # type: ignore[arg-type]
    shown = render.chat_messages([exchange])[1]["content"]
    assert shown.startswith("**Short answer: 1,000** \\[1\\]\n\n_Answers the question: high")
    assert "Read as" not in shown and "Timeline" not in shown
