"""One real server process shared by the live reliability tests: API keys, CORS and framing set,
the rate limit out of the way, a short slow-client timeout, over a temporary copy of a synthetic
corpus plus the shipped one."""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator

import pytest

from tests.reliability.live_server import (
    ALLOWED_ORIGIN,
    CLIENT_TIMEOUT_S,
    FRAMING_ORIGIN,
    CorpusHistory,
    LiveApp,
    start_server,
)
from tests.reliability.synthetic import write_corpus
from tests.web.server_process import ARTICLES

SYNTHETIC_ARTICLES = 40


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """``python app.py`` over synthetic + shipped articles; tests that change the corpus go
    through ``history`` so every version an answer could cite is known."""
    root = tmp_path_factory.mktemp("reliability-live")
    articles = root / "articles"
    write_corpus(articles, SYNTHETIC_ARTICLES)
    for path in ARTICLES.iterdir():
        shutil.copy(path, articles / path.name)
    # Random, so finding it in the log can only mean the server wrote it there.
    key = f"rk-{secrets.token_hex(16)}"
    server = start_server(
        root,
        articles,
        ASSISTANT_API_KEYS=json.dumps([key]),
        ASSISTANT_API_RATE_LIMIT_PER_MINUTE="100000",
        ASSISTANT_API_CORS_ORIGINS=json.dumps([ALLOWED_ORIGIN]),
        ASSISTANT_API_FRAME_ANCESTORS=json.dumps([FRAMING_ORIGIN]),
        ASSISTANT_API_CLIENT_TIMEOUT_S=str(CLIENT_TIMEOUT_S),
    )
    try:
        history = CorpusHistory(articles)
        with server.client() as client:
            cleaned = {
                a["id"]: client.get(f"/api/v1/articles/{a['id']}").json()["text"]
                for a in client.get("/api/v1/articles").json()
            }
        history.record_existing(cleaned, written=0.0)
        yield LiveApp(server, history, key)
    finally:
        server.stop()
