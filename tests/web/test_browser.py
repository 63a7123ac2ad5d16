"""End to end in Debian's headless Chromium, against ``python app.py`` running as a real process."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from browser import ARTIFACTS, BOT, CHROMIUM, QUESTION, ask, open_chat
from hostile_article import (
    HOSTILE_ASKED,
    HOSTILE_ID,
    HOSTILE_QUESTION,
    LIVE_PAYLOADS_JS,
    hostile_article,
    is_payload_url,
)
from server_process import ROOT, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)"),
]

# Records each distinct text of the latest answer bubble, to see the answer arrive in steps.
WATCH_STREAM = """() => {
  window.__answerTexts = [];
  new MutationObserver(() => {
    const bots = document.querySelectorAll("#chat [data-testid='bot']");
    const text = bots.length ? bots[bots.length - 1].innerText : "";
    const seen = window.__answerTexts;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


def article_json(server: LiveServer, article_id: str) -> dict[str, Any]:
    return httpx.get(f"{server.url}/api/v1/articles/{article_id}").json()  # type: ignore[no-any-return]


def test_chat_streams_a_cited_answer_with_source_cards(page: Any, live_server: LiveServer) -> None:
    open_chat(page, live_server)
    page.locator("#index-stats").filter(has_text="3 articles").wait_for()
    page.evaluate(WATCH_STREAM)
    ask(page, QUESTION)
    answer = page.locator(BOT).last.inner_text()
    assert "[1]" in answer and "▍" not in answer
    steps = page.evaluate("window.__answerTexts")
    assert len(steps) >= 3 and any("▍" in s for s in steps), steps  # streamed, then replaced

    card = page.locator("#sources .source-card").first
    assert "verbatim in the article" in card.inner_text() and "✓" not in card.inner_text()
    assert "Sources for answer 1" in page.locator("#sources").inner_text()
    link = card.locator("a.open-article").get_attribute("href")
    query = parse_qs(urlsplit(link).query)
    start, end = int(query["start"][0]), int(query["end"][0])
    article = article_json(live_server, card.get_attribute("data-article-id"))
    assert card.locator("mark").inner_text() == article["text"][start:end]
    assert article["title"] in card.inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    # docs/screenshot-chat.png (the README's) is refreshed by hand from this artifact; a test
    # run must not change tracked files.


def test_source_opens_the_article_with_the_quote_marked(page: Any, live_server: LiveServer) -> None:
    open_chat(page, live_server)
    ask(page, QUESTION)
    card = page.locator("#sources .source-card").first
    quote = card.locator("mark").inner_text()
    with page.context.expect_page() as opened:
        card.locator("a.open-article").click()
    article_page = opened.value
    article_page.wait_for_load_state()
    assert article_page.locator("mark#quote").inner_text() == quote
    assert article_page.locator("h1").inner_text() in card.inner_text()
    assert article_page.url.endswith("#quote")

    # Clicking an earlier answer brings its sources back.
    first_article = card.get_attribute("data-article-id")
    ask(page, "How many soldiers defected to the KNU?")
    assert (
        page.locator("#sources .source-card").first.get_attribute("data-article-id")
        != first_article
    )
    page.locator(BOT).first.click()
    first_card = page.locator(f"#sources .source-card[data-article-id='{first_article}']").first
    first_card.wait_for()
    assert first_card.locator("mark").inner_text() == quote
    assert "Sources for answer 1" in page.locator("#sources .sources-for").inner_text()


def test_like_is_stored_and_history_survives_a_reload(page: Any, live_server: LiveServer) -> None:
    open_chat(page, live_server)
    question = "How many soldiers defected to the KNU?"
    ask(page, question)
    page.locator("#chat button[aria-label='Like']").last.click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        export = httpx.get(f"{live_server.url}/api/v1/feedback/export").text
        if f'"question": "{question}"' in export and '"rating": "like"' in export:
            break
        time.sleep(0.3)
    else:
        raise AssertionError(f"the like was not stored: {export!r}")

    page.get_by_text("Feedback", exact=True).click()
    with page.expect_download() as download:
        page.locator("#download-feedback").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("id,created_at,rating,question") and question in exported

    page.reload()
    page.locator(BOT).last.wait_for()
    assert question in page.locator("#chat").inner_text()
    assert "[1]" in page.locator(BOT).last.inner_text()
    page.locator("#sources .source-card").first.wait_for()
    page.locator("#chat button[aria-label='Clear']").click()
    page.locator(BOT).wait_for(state="detached")
    # the server's reply to the clear resets the sources panel, and the stored history with it
    page.locator("#sources").filter(has_text="The sources of an answer appear here").wait_for()
    page.wait_for_timeout(300)
    page.reload()
    page.locator("#question textarea").wait_for()
    time.sleep(1)  # give the restore a moment: it must bring nothing back
    assert page.locator(BOT).count() == 0


def test_refusals_keep_the_question_and_get_no_feedback(page: Any, live_server: LiveServer) -> None:
    from playwright.sync_api import expect

    open_chat(page, live_server)
    box = page.locator("#question textarea")
    box.press("Enter")  # an empty submit adds no turn; the line under the box says why
    expect(page.locator("#question-notice")).to_contain_text("Type a question first")
    assert page.locator(BOT).count() == 0
    ask(page, "x" * 20_000)
    assert "the question is too long (20,000 characters" in page.locator(BOT).last.inner_text()
    expect(box).to_have_value("x" * 20_000)  # kept, to shorten and ask again
    # feedback only on answers: none on the error bubble
    expect(page.locator("#chat button[aria-label='Like']:visible")).to_have_count(0)


def test_embed_in_a_page_from_another_origin(page: Any, live_server: LiveServer) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server.host_url}/newsroom.html?app={live_server.url}")
    frame = page.frame_locator("#assistant")
    # the empty chat offers example questions; one click puts it in the box
    frame.get_by_role("button", name=QUESTION).click()
    expect(frame.locator("#question textarea")).to_have_value(QUESTION)
    ask(frame, QUESTION)
    assert "[1]" in frame.locator(BOT).last.inner_text()
    card = frame.locator("#sources .source-card").first
    assert "verbatim in the article" in card.inner_text()
    # the sources are inside the frame, not below its fold
    frame_box = page.locator("#assistant").bounding_box()
    assert card.bounding_box()["y"] < frame_box["y"] + frame_box["height"]
    assert page.locator("#refused").is_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed.png"))


def test_embed_is_refused_to_origins_not_allowed(page: Any, live_server: LiveServer) -> None:
    # Same page, served by the app itself on "localhost": another origin the app does not allow.
    host = live_server.url.replace("127.0.0.1", "localhost")
    html = f'<iframe id="assistant" src="{live_server.url}/embed/"></iframe>'
    page.route(
        f"{host}/framing-test", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    page.goto(f"{host}/framing-test")
    page.wait_for_load_state("load")  # waits for the iframe too, loaded or refused
    frame = page.locator("#assistant").element_handle().content_frame()
    assert frame.url.startswith("chrome-error://"), frame.url  # Chromium's refusal page
    assert frame.locator("#question").count() == 0

    # examples/newsroom.html from that origin says why, and gives the line that allows it.
    from playwright.sync_api import expect

    newsroom = (ROOT / "examples" / "newsroom.html").read_text(encoding="utf-8")
    page.route(
        f"{host}/newsroom.html**",
        lambda route: route.fulfill(body=newsroom, content_type="text/html"),
    )
    page.goto(f"{host}/newsroom.html?app={live_server.url}&wait=4000")
    refused = page.locator("#refused")
    expect(refused).to_be_visible(timeout=15_000)
    text = refused.inner_text()
    assert "refuses to be framed by this page" in text
    assert f"""ASSISTANT_API_FRAME_ANCESTORS='["{host}"]' python app.py""" in text


def test_hostile_article_and_question_run_nothing(page: Any, live_server: LiveServer) -> None:
    dialogs: list[str] = []
    canary_hits: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Any) -> None:
        if "/canary" in request.url:
            canary_hits.append(request.url)

    # On the context, so that the article page opened later is watched from its first moment.
    page.on("dialog", on_dialog)
    page.context.on("page", lambda opened: opened.on("dialog", on_dialog))
    page.context.on("request", on_request)
    open_chat(page, live_server)
    ask(page, HOSTILE_QUESTION)
    sources = page.locator("#sources")
    assert sources.locator(f".source-card[data-article-id='{HOSTILE_ID}']").count() >= 1
    assert "<script>" in sources.inner_text() or "<img src=x onerror=" in sources.inner_text()
    assert "<script>" in page.locator(BOT).last.inner_text()  # shown as text
    ask(page, HOSTILE_ASKED)
    assert "<img src=x onerror=" in page.locator("#chat [data-testid='user']").last.inner_text()

    with page.context.expect_page() as opened:
        sources.locator("a.open-article").first.click()
    article_page = opened.value
    article_page.wait_for_load_state()
    assert "<script>" in article_page.locator(".article-body").inner_text()
    assert article_page.locator(".article-body a, .article-body img, script").count() == 0

    page.reload()
    page.locator(BOT).last.wait_for()  # the hostile history comes back from localStorage
    for tab in (page, article_page):
        tab.wait_for_timeout(500)
        assert tab.evaluate("typeof window.__pwned") == "undefined"
        assert tab.evaluate(LIVE_PAYLOADS_JS) == [], tab.url
    assert dialogs == [] and canary_hits == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)


def test_hostile_article_in_the_embed_runs_nothing(page: Any, live_server: LiveServer) -> None:
    """The embed, framed by examples/newsroom.html from another origin: an answer citing the
    hostile article, its sources, the article opened from them, and the history restored."""
    dialogs: list[str] = []
    payload_requests: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Any) -> None:
        if is_payload_url(request.url):
            payload_requests.append(request.url)

    # Dialogs from the frame reach its page; the context sees the frame's requests and the
    # article page from its first moment.
    page.on("dialog", on_dialog)
    page.context.on("page", lambda opened: opened.on("dialog", on_dialog))
    page.context.on("request", on_request)
    page.goto(f"{live_server.host_url}/newsroom.html?app={live_server.url}")
    frame = page.frame_locator("#assistant")
    ask(frame, HOSTILE_QUESTION)
    sources = frame.locator("#sources")
    assert sources.locator(f".source-card[data-article-id='{HOSTILE_ID}']").count() >= 1
    assert "<script>" in frame.locator(BOT).last.inner_text()  # quoted, as text
    assert "<script>" in sources.inner_text() or "<img src=x onerror=" in sources.inner_text()
    ask(frame, HOSTILE_ASKED)
    assert "<img src=x onerror=" in frame.locator("#chat [data-testid='user']").last.inner_text()

    card = sources.locator(f".source-card[data-article-id='{HOSTILE_ID}']").first
    with page.context.expect_page() as opened:
        card.locator("a.open-article").click()
    article_page = opened.value
    article_page.wait_for_load_state()
    assert "<script>" in article_page.locator(".article-body").inner_text()

    embed = page.locator("#assistant").element_handle().content_frame()
    assert embed is not None and "/embed/" in embed.url
    for where in (page, embed, article_page):
        where.wait_for_timeout(500)
        assert where.evaluate("typeof window.__pwned") == "undefined", where.url
        assert where.evaluate(LIVE_PAYLOADS_JS) == [], where.url

    page.reload()  # the embed's history, hostile answer included, comes back from localStorage
    frame = page.frame_locator("#assistant")
    frame.locator(BOT).last.wait_for()
    assert "<script>" in frame.locator("#chat").inner_text()
    embed = page.locator("#assistant").element_handle().content_frame()
    embed.wait_for_timeout(500)
    assert embed.evaluate("typeof window.__pwned") == "undefined"
    assert embed.evaluate(LIVE_PAYLOADS_JS) == []
    assert dialogs == [] and payload_requests == [], (dialogs, payload_requests)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-hostile.png"))


def test_the_live_payload_check_sees_live_payloads(page: Any) -> None:
    """The check above is not blind: the hostile article put into a page as raw HTML, as a
    renderer that trusted it would, shows up in it."""
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.set_content(hostile_article("http://127.0.0.1:9/canary"))
    page.wait_for_timeout(300)
    live = " ".join(page.evaluate(LIVE_PAYLOADS_JS))
    assert "onerror" in live and "javascript:" in live and "/canary/frame.html" in live, live
    assert page.evaluate("typeof window.__pwned") == "string"
