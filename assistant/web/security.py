"""What guards the web app: API keys, CORS, framing policy, a per-client rate limit, body size
and a stalled body."""

from __future__ import annotations

import asyncio
import hmac
import re
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import ApiSettings

API_PREFIX = "/api/"
# A frame-ancestors source: 'self', a scheme, or [scheme://]host[:port] with an optional *. prefix.
_SOURCE = re.compile(r"^(?:'self'|'none'|https?:|(?:https?://)?(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?)$")

_bearer = HTTPBearer(auto_error=False)


def install(app: FastAPI, api: ApiSettings, page_body_bytes: int) -> None:
    """Add the middleware, outermost last: CORS sees every response, even a 413 or a 429."""
    app.add_middleware(
        BodyLimit,
        api_bytes=api.max_body_bytes,
        page_bytes=page_body_bytes,
        timeout_s=api.client_timeout_s,
    )
    app.add_middleware(SecurityHeaders, frame_ancestors=frame_ancestors(api.frame_ancestors))
    if api.rate_limit_per_minute > 0:
        app.add_middleware(RateLimit, per_minute=api.rate_limit_per_minute)
    if api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=api.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )


def require_api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """401 unless the request carries one of ``api.keys`` as a bearer token (when keys are set)."""
    keys: list[bytes] = request.app.state.api_keys
    if not keys:
        return
    offered = credentials.credentials.encode() if credentials else b""
    # Compare against every key so the time taken says nothing about which one nearly matched.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(offered, key)
    if not (offered and matched):
        raise HTTPException(
            status_code=401,
            detail="a valid API key is required: send it as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def frame_ancestors(extra: list[str]) -> list[str]:
    """The CSP frame-ancestors sources; refuses a value that could smuggle in other directives."""
    bad = [s for s in extra if not _SOURCE.match(s)]
    if bad:
        raise ValueError(f"api.frame_ancestors: not a CSP source: {', '.join(map(repr, bad))}")
    return ["'self'", *(s for s in extra if s != "'self'")]


class SecurityHeaders:
    """Framing policy (and nosniff) on every response; pages may set a stricter CSP themselves."""

    def __init__(self, app: ASGIApp, frame_ancestors: list[str]) -> None:
        self.app = app
        self.csp = "frame-ancestors " + " ".join(frame_ancestors)
        # Browsers ignore X-Frame-Options when CSP frame-ancestors is present; old ones only read
        # XFO, which cannot name other origins, so it is sent only when no others are allowed.
        self.xfo = "SAMEORIGIN" if frame_ancestors == ["'self'"] else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.csp
                if self.xfo:
                    headers.setdefault("X-Frame-Options", self.xfo)
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimit:
    """At most ``per_minute`` requests to /api/ per client address in any 60 s (sliding window).

    In memory, so per process: with several workers each keeps its own count.
    """

    window_s = 60.0
    max_clients = 10_000  # beyond this, forget idle clients so memory stays bounded

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self.hits: dict[str, deque[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        retry_after = self.hit(client[0] if client else "unknown", time.monotonic())
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"detail": f"too many requests: the limit is {self.per_minute} a minute per client"},
            status_code=429,
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)

    def hit(self, client: str, now: float) -> int | None:
        """Count a request; None when allowed, else the seconds to wait."""
        if len(self.hits) > self.max_clients:
            self._forget_idle(now)
        times = self.hits.setdefault(client, deque())
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if len(times) >= self.per_minute:
            return max(1, int(self.window_s - (now - times[0])) + 1)
        times.append(now)
        return None

    def _forget_idle(self, now: float) -> None:
        for client in [c for c, t in self.hits.items() if not t or now - t[-1] >= self.window_s]:
            del self.hits[client]


class BodyLimit:
    """413 for a request body over the limit: /api/ has ``api_bytes``, everything else (the
    Gradio pages, which post the browser's copy of the conversation) ``page_bytes``; 408, and
    the connection closed, when the body stops arriving for ``timeout_s``.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body sent
    without one (chunked) is counted as it arrives and cut off once it passes the limit.
    """

    def __init__(
        self, app: ASGIApp, api_bytes: int, page_bytes: int, timeout_s: float = 30.0
    ) -> None:
        self.app = app
        self.api_bytes = api_bytes
        self.page_bytes = page_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope.get("path", "").startswith(API_PREFIX)
        limit = self.api_bytes if api else self.page_bytes
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        body_done = started = timed_out = False

        async def counting_receive() -> Message:
            nonlocal received, body_done, timed_out
            if body_done:
                # Only http.disconnect is left, which a streaming response waits for as long
                # as it streams: no timeout.
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout_s)
            except TimeoutError:
                timed_out = True
                # Like the 413 below: FastAPI's handler answers with this status and detail.
                raise HTTPException(408, _too_slow_message(self.timeout_s)) from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            received += len(message.get("body", b""))
            if received > limit:
                # FastAPI passes an HTTPException raised while reading the body straight on to
                # its exception handler, which answers with this status and detail.
                raise HTTPException(413, _too_large_message(limit))
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if timed_out:  # the rest of the body may still trickle in: do not wait for it
                    MutableHeaders(scope=message)["Connection"] = "close"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except HTTPException as exc:
            if exc.status_code not in (408, 413) or started:
                raise
            response = _too_slow(self.timeout_s) if exc.status_code == 408 else _too_large(limit)
            await response(scope, receive, send)


def _too_slow_message(timeout_s: float) -> str:
    return f"the request body stopped arriving (nothing for {timeout_s:g} s)"


def _too_slow(timeout_s: float) -> JSONResponse:
    return JSONResponse(
        {"detail": _too_slow_message(timeout_s)}, status_code=408, headers={"Connection": "close"}
    )


def _too_large_message(limit: int) -> str:
    return f"the request body is too large (the limit is {limit:,} bytes)"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": _too_large_message(limit)}, status_code=413)
