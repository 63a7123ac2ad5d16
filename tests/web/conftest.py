"""Web fixtures: the app over the shipped index through TestClient, and the real server process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS
from fastapi.testclient import TestClient
from hostile_article import HOSTILE_ID, hostile_article
from server_process import ARTICLES, EXAMPLES, ROOT, LiveServer, free_port, stop, wait_until_healthy

from assistant.config import ApiSettings, Settings
from assistant.service import Assistant
from assistant.web.server import create_app


@pytest.fixture
def client_for(tmp_path: Path, shipped_bot: Assistant) -> Callable[..., TestClient]:
    """A TestClient on the whole app over the shipped index, with some api settings changed."""

    def build(bot: Assistant | None = None, **api: object) -> TestClient:
        base = Settings().with_overrides(data={"dir": tmp_path / "data"})
        # Validated, so that plain strings become SecretStr keys as they would from the env.
        section = ApiSettings.model_validate({**base.api.model_dump(), **api})
        settings = base.model_copy(update={"api": section})
        return TestClient(create_app(settings, assistant=bot or shipped_bot))

    return build


@pytest.fixture
def client(client_for: Callable[..., TestClient]) -> TestClient:
    return client_for()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``python app.py`` as a real process on loopback, over the shipped articles plus a hostile
    one, with a second origin (a static server over examples/) allowed to frame it."""
    root = tmp_path_factory.mktemp("live")
    app_port, host_port = free_port(), free_port()
    app_url, host_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{host_port}"
    articles = root / "articles"
    shutil.copytree(ARTICLES, articles)
    (articles / f"{HOSTILE_ID}.md").write_text(hostile_article(f"{host_url}/canary"), "utf-8")
    env = {
        **os.environ,
        "ASSISTANT_ARTICLES_DIR": str(articles),
        "ASSISTANT_INDEX_DIR": str(root / "index"),
        "ASSISTANT_DATA_DIR": str(root / "data"),
        "ASSISTANT_API_FRAME_ANCESTORS": f'["{host_url}"]',
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    log = root / "server.log"
    with open(log, "wb") as out:
        app = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(app_port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        host = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1",
             "--directory", str(EXAMPLES)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        wait_until_healthy(app_url, app, log)
        yield LiveServer(app_url, host_url, root / "data", articles)
    finally:
        stop(app)
        stop(host)


@pytest.fixture(scope="session")
def hostile_bot(tmp_path_factory: pytest.TempPathFactory, embeddings: object) -> Assistant:
    """The shipped articles plus the hostile one, indexed once (read-only use)."""
    from assistant.factory import build_assistant

    root = tmp_path_factory.mktemp("hostile")
    articles = root / "articles"
    shutil.copytree(ARTICLES, articles)
    (articles / f"{HOSTILE_ID}.md").write_text(
        hostile_article("http://127.0.0.1:9/canary"), "utf-8"
    )
    settings = Settings().with_overrides(
        articles={"dir": articles}, index={"dir": root / "index"}, data={"dir": root / "data"}
    )
    bot = build_assistant(settings, embeddings=embeddings)  # type: ignore[arg-type]
    bot.index()
    return bot


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # A field's check or a chip is a round trip to the server (a Gradio event): on a loaded
    # 2-core CI machine one took over expect's default 5 s. Waiting longer asserts the same.
    expect.set_options(timeout=20_000)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
