"""What guards the app: API keys, body size, rate limit, CORS, framing, escaping of articles."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from hostile_article import HOSTILE_ID

from assistant.config import Settings
from assistant.service import Assistant
from assistant.web.server import create_app

ASK = {"question": "How many soldiers defected to the KNU?"}


def test_api_keys_are_required_when_set(client_for: Callable[..., TestClient]) -> None:
    client = client_for(keys=["k-one", "k-two"])
    refused = client.post("/api/v1/ask", json=ASK)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert "API key" in refused.json()["detail"]
    wrong = client.get("/api/v1/articles", headers={"Authorization": "Bearer k-three"})
    assert wrong.status_code == 401 and "k-three" not in wrong.text
    assert (
        client.get("/api/v1/articles", headers={"Authorization": "Basic k-one"}).status_code == 401
    )
    for key in ("k-one", "k-two"):
        ok = client.get("/api/v1/articles", headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200
    # Health checks and the pages people use stay open; the chat calls the service in-process.
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/embed/").status_code == 200


def test_no_keys_means_an_open_api(client: TestClient) -> None:
    assert client.get("/api/v1/articles").status_code == 200


def test_oversized_bodies_are_413_with_or_without_content_length(
    client_for: Callable[..., TestClient],
) -> None:
    client = client_for(max_body_bytes=1_000)
    big = b'{"question": "' + b"x" * 2_000 + b'"}'
    declared = client.post("/api/v1/ask", content=big, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["detail"] == "the request body is too large (the limit is 1,000 bytes)"

    def chunks() -> Iterator[bytes]:
        yield big[:600]
        yield big[600:]

    chunked = client.post("/api/v1/feedback", content=chunks(),
                          headers={"Content-Type": "application/json"})  # fmt: skip
    assert chunked.request.headers.get("transfer-encoding") == "chunked"
    assert chunked.status_code == 413 and "too large" in chunked.json()["detail"]
    small = client.post("/api/v1/ask", json=ASK)
    assert small.status_code == 200


def test_rate_limit_per_client(client_for: Callable[..., TestClient]) -> None:
    client = client_for(rate_limit_per_minute=3)
    assert [client.get("/api/v1/articles").status_code for _ in range(3)] == [200] * 3
    limited = client.post("/api/v1/ask", json=ASK)
    assert limited.status_code == 429
    assert "3 a minute" in limited.json()["detail"]
    assert 1 <= int(limited.headers["retry-after"]) <= 61
    # Only /api/ counts.
    assert client.get("/healthz").status_code == 200
    assert client.get("/articles/000_fa0faf298b5d84ef").status_code == 200


def test_rate_limit_window_slides() -> None:
    from assistant.web.security import RateLimit

    limiter = RateLimit(app=None, per_minute=2)  # type: ignore[arg-type]
    assert limiter.hit("a", 0.0) is None and limiter.hit("a", 30.0) is None
    assert limiter.hit("a", 45.0) == 16  # the first hit leaves the window at 60 s
    assert limiter.hit("b", 45.0) is None  # per client
    assert limiter.hit("a", 60.5) is None


def test_cors_allows_only_configured_origins(client_for: Callable[..., TestClient]) -> None:
    client = client_for(cors_origins=["https://newsroom.example"])
    allowed = client.get("/api/v1/articles", headers={"Origin": "https://newsroom.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
    other = client.get("/api/v1/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        "/api/v1/ask/stream",
        headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    refused = client.options(
        "/api/v1/ask",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert refused.status_code == 400


def test_frame_ancestors_default_to_self(client: TestClient) -> None:
    for path in ("/", "/embed/", "/healthz"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
        assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_frame_ancestors_from_settings(client_for: Callable[..., TestClient]) -> None:
    client = client_for(frame_ancestors=["https://cms.example", "https://*.newsroom.example"])
    expected = "frame-ancestors 'self' https://cms.example https://*.newsroom.example"
    for path in ("/", "/embed/"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == expected
        assert "x-frame-options" not in response.headers
    page = client.get("/articles/000_fa0faf298b5d84ef")
    assert page.headers["content-security-policy"].endswith(expected)


def test_a_frame_ancestor_cannot_smuggle_directives(shipped_bot: Assistant) -> None:
    settings = Settings()
    api = settings.api.model_copy(update={"frame_ancestors": ["https://ok.example; script-src *"]})
    with pytest.raises(ValueError, match="not a CSP source"):
        create_app(settings.model_copy(update={"api": api}), assistant=shipped_bot)


def test_hostile_article_renders_inert_on_the_article_page(
    client_for: Callable[..., TestClient], hostile_bot: Assistant
) -> None:
    client = client_for(hostile_bot)
    article = client.get(f"/api/v1/articles/{HOSTILE_ID}").json()
    start = article["text"].index("The union said")
    page = client.get(f"/articles/{HOSTILE_ID}?start={start}&end={start + 40}")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")  # and no script-src: nothing may run
    body = page.text.split("<body>", 1)[1]
    assert not re.search(r"<(script|img|iframe)\b", body)
    # the javascript: url is not made a link: the only link is the way back to the chat
    assert re.findall(r"<a\b[^>]*>", body) == ['<a class="back" href="/">']
    assert "&lt;script&gt;window.__pwned = &#x27;body&#x27;" in body
    assert f'<mark id="quote">{article["text"][start : start + 40]}</mark>' in body
    missing = client.get("/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert missing.status_code == 404 and "<script>" not in missing.text
