"""Access rules on the real server process with API keys set.

Every operation in the app's own /openapi.json except /healthz refuses a missing or wrong key,
so a route added later is covered without editing this test; the feedback export cannot be read
without a key; the key never reaches the server's log. CORS preflights and frame-ancestors are
checked on the real server too (tests/web/test_api_security.py covers them in-process).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from tests.reliability.live_server import ALLOWED_ORIGIN, FRAMING_ORIGIN, LiveApp, write_figures

pytestmark = pytest.mark.slow

OPEN_PATHS = {"/healthz"}
# A valid body for the routes that take one, so a refusal can only be about the key.
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/ask": {"question": "Which plan did the council in Arlen approve?"},
    "/api/v1/ask/stream": {"question": "Which plan did the council in Arlen approve?"},
    "/api/v1/feedback": {"question": "q", "answer": "a", "rating": "like"},
}


def operations(client: httpx.Client, article_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, concrete path, request kwargs) for every operation the OpenAPI spec lists."""
    spec = client.get("/openapi.json").json()
    found = []
    for template, methods in spec["paths"].items():
        path = re.sub(r"\{[^}]+\}", article_id, template)
        for method in methods:
            kwargs: dict[str, Any] = {}
            if template in BODIES:
                kwargs["json"] = BODIES[template]
            elif method in ("post", "put", "patch"):
                kwargs["json"] = {}
            found.append((method.upper(), path, kwargs))
    return found


def bad_credentials(key: str) -> dict[str, dict[str, str]]:
    return {
        "no key": {},
        "wrong key": {"Authorization": "Bearer not-the-key"},
        "empty bearer": {"Authorization": "Bearer"},
        "key as Basic": {"Authorization": f"Basic {key}"},
        "key without scheme": {"Authorization": key},
        "key prefix": {"Authorization": f"Bearer {key[:-1]}"},
        "key plus a byte": {"Authorization": f"Bearer {key}x"},
        "key in another header": {"X-API-Key": key},
    }


def test_every_api_route_refuses_a_missing_or_wrong_key(live_app: LiveApp) -> None:
    marker = f"secret-feedback-{uuid.uuid4().hex}"
    refused = 0
    with live_app.server.client() as keyed, httpx.Client(base_url=live_app.server.url) as bare:
        article_id = keyed.get("/api/v1/articles").json()[0]["id"]
        saved = keyed.post(
            "/api/v1/feedback", json={**BODIES["/api/v1/feedback"], "comment": marker}
        )
        assert saved.status_code == 201
        ops = operations(bare, article_id)
        assert {p for _, p, _ in ops} >= {"/api/v1/ask", "/api/v1/feedback/export", "/healthz"}
        for method, path, kwargs in ops:
            if path in OPEN_PATHS:
                assert bare.request(method, path, **kwargs).status_code == 200
                continue
            for name, headers in bad_credentials(live_app.key).items():
                response = bare.request(method, path, headers=headers, **kwargs)
                assert response.status_code == 401, (method, path, name, response.text)
                assert response.headers["www-authenticate"] == "Bearer"
                assert marker not in response.text and live_app.key not in response.text
                refused += 1
            allowed = keyed.request(method, path, **kwargs)
            assert allowed.status_code < 300, (method, path, allowed.text)
        export = keyed.get("/api/v1/feedback/export")
        assert marker in export.text  # it is there, and only a key holder could read it
    write_figures("access", {"operations": len(ops), "refusals_checked": refused})


def test_the_key_never_reaches_the_server_log(live_app: LiveApp) -> None:
    with live_app.server.client() as keyed:
        assert keyed.get("/api/v1/articles").status_code == 200
    live_app.assert_key_not_logged()


def test_cors_preflight_on_the_real_server(live_app: LiveApp) -> None:
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    with httpx.Client(base_url=live_app.server.url, timeout=30) as bare:
        for path in ("/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback"):
            # Browsers send no credentials on a preflight, so it must not need the key.
            allowed = bare.options(path, headers={"Origin": ALLOWED_ORIGIN, **preflight})
            assert allowed.status_code == 200, allowed.text
            assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
            assert "access-control-allow-credentials" not in allowed.headers
            other = bare.options(path, headers={"Origin": "https://evil.example", **preflight})
            assert "access-control-allow-origin" not in other.headers
            assert other.status_code == 400
        # A refusal is readable by the allowed origin's script (so it can show "bad key")...
        refused = bare.post("/api/v1/ask", json=BODIES["/api/v1/ask"],
                            headers={"Origin": ALLOWED_ORIGIN})  # fmt: skip
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        # ...and an answer is not readable by another origin's.
        keyed = bare.get("/api/v1/articles", headers={"Origin": "https://evil.example",
                                                      "Authorization": f"Bearer {live_app.key}"})  # fmt: skip
        assert keyed.status_code == 200
        assert "access-control-allow-origin" not in keyed.headers


def test_frame_ancestors_are_the_configured_origins_only(live_app: LiveApp) -> None:
    expected = f"frame-ancestors 'self' {FRAMING_ORIGIN}"
    with live_app.server.client() as client:
        article_id = client.get("/api/v1/articles").json()[0]["id"]
        for path in ("/", "/embed/", f"/articles/{article_id}", "/healthz", "/api/v1/articles"):
            response = client.get(path)
            assert response.status_code == 200, path
            csp = response.headers["content-security-policy"]
            directive = next(d.strip() for d in csp.split(";") if "frame-ancestors" in d)
            assert directive == expected, (path, csp)
            assert "x-frame-options" not in response.headers
