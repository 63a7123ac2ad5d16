"""Shared by the browser tests: Debian's Chromium, its flags, and the chat's page helpers."""

from __future__ import annotations

import shutil
from typing import Any

from server_process import ROOT, LiveServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]  # fmt: skip
ARTIFACTS = ROOT / "artifacts"
QUESTION = "How many police have joined the movement?"
BOT = "#chat [data-testid='bot']"


def open_chat(page: Any, server: LiveServer) -> None:
    """The chat, once its load events have run: they fill the filters' choices and re-render
    them, which wiped a date typed before they arrived (a CI flake)."""
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    page.locator("#question textarea").wait_for()
    expect(page.locator("#index-stats")).not_to_contain_text("loading")


def ask(where: Any, question: str) -> None:
    """Type a question, send it, and wait until its answer is complete (a page or a frame)."""
    from playwright.sync_api import expect

    answers = where.locator(BOT)
    before = answers.count()
    box = where.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(answers).to_have_count(before + 1)
    expect(answers.last).not_to_contain_text("▍")  # the streaming cursor is gone
    expect(where.locator("#sources")).not_to_contain_text("Finding the sources")


def fill_filter(page: Any, field: Any, text: str, chip: str) -> None:
    """Type ``text`` into a filter field until its chip shows (the server has read it).

    A field filled the instant the Filters accordion first opens can be re-rendered empty as
    Gradio mounts it (seen in CI, faster than any person types): the fill is then repeated.
    """
    from playwright.sync_api import expect

    for attempt in range(3):
        field.fill(text)
        try:
            expect(page.locator("#filter-chips")).to_contain_text(chip, timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
