"""Hostile bytes and hostile clients against the real server process.

Malformed bodies (deep nesting, invalid UTF-8, wrong content types, oversized, huge numbers) must
be refused with a 4xx; slow clients (half a request, then silence; a slowloris crowd) must not
stop the server from answering everyone else. Figures go to artifacts/reliability/.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.reliability.live_server import LONG, STATUS_LINE, LiveApp, write_figures

pytestmark = pytest.mark.slow

POST_ROUTES = ("/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback")
JSON = "application/json"
LIMIT = 64_000  # api.max_body_bytes, the default the live server runs with
SLOWLORIS_SOCKETS = 20
SLOW_SECONDS = 45.0 if LONG else 8.0


def nested(depth: int, opening: str = "[", closing: str = "]", leaf: str = "") -> bytes:
    return (opening * depth + leaf + closing * depth).encode()


def body_with(value: bytes) -> bytes:
    """A body whose every field is ``value``, so each route has to parse it before refusing."""
    return b'{"question": ' + value + b', "answer": "a", "rating": "like"}'


# (name, body, content type, expected: "4xx" or "any" for "anything but a server error")
PAYLOADS: list[tuple[str, bytes, str | None, str]] = [
    ("10,000 nested lists", body_with(nested(10_000)), JSON, "4xx"),
    ("8,000 nested objects", body_with(nested(8_000, '{"a":', "}", "1")), JSON, "4xx"),
    ("990 nested lists", body_with(nested(990)), JSON, "4xx"),
    ("100,000 nested lists (over the size limit)", body_with(nested(100_000)), JSON, "4xx"),
    ("invalid UTF-8 (0xff 0xfe)", body_with(b'"\xff\xfe question"'), JSON, "4xx"),
    ("invalid UTF-8 (overlong /)", body_with(b'"\xc0\xaf"'), JSON, "4xx"),
    ("invalid UTF-8 (truncated sequence)", body_with(b'"\xe2\x82"'), JSON, "4xx"),
    ("invalid UTF-8 (encoded surrogate)", body_with(b'"\xed\xa0\x80"'), JSON, "4xx"),
    ("Latin-1 bytes", body_with('"Café Dawei"'.encode("latin-1")), JSON, "4xx"),
    ("lone surrogate escape", body_with(b'"\\ud800 soldiers"'), JSON, "4xx"),
    (
        "UTF-16 with BOM",
        '{"question": "hi", "answer": "a", "rating": "like"}'.encode("utf-16"),
        JSON,
        "any",
    ),  # fmt: skip
    ("NUL and control characters", body_with(b'"who\\u0000\\u0007\\u001b[31m?"'), JSON, "any"),
    ("5,000-digit number", body_with(b"9" * 5_000), JSON, "4xx"),
    ("NaN", body_with(b"NaN"), JSON, "4xx"),
    ("-Infinity", body_with(b"-Infinity"), JSON, "4xx"),
    ("empty body", b"", JSON, "4xx"),
    ("truncated JSON", b'{"question": "how many', JSON, "4xx"),
    ("JSON array", b'["question"]', JSON, "4xx"),
    ("JSON null", b"null", JSON, "4xx"),
    ("JSON string", b'"question"', JSON, "4xx"),
    (
        "10,000 unknown fields",
        b"{" + b",".join(b'"f%d": 1' % i for i in range(10_000)) + b"}",
        JSON,
        "4xx",
    ),  # fmt: skip
    ("text/plain", body_with(b'"hi"'), "text/plain", "4xx"),
    (
        "form-encoded",
        b"question=hi&answer=a&rating=like",
        "application/x-www-form-urlencoded",
        "4xx",
    ),  # fmt: skip
    (
        "multipart",
        b'--xx\r\nContent-Disposition: form-data; name="question"\r\n\r\nhi\r\n--xx--\r\n',
        "multipart/form-data; boundary=xx",
        "4xx",
    ),  # fmt: skip
    ("XML", b"<question>hi</question>", "application/xml", "4xx"),
    ("no content type", body_with(b'"hi"'), None, "4xx"),
    ("binary", bytes(range(256)) * 8, "application/octet-stream", "4xx"),
    ("JSON with a bogus charset", body_with(b'"hi"'), "application/json; charset=ebcdic", "any"),
]


def post(client: httpx.Client, path: str, body: bytes, content_type: str | None) -> httpx.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return client.post(path, content=body, headers=headers)


def test_malformed_bodies_are_refused_with_a_4xx(live_app: LiveApp) -> None:
    statuses: Counter[int] = Counter()
    unexpected: list[str] = []
    with live_app.server.client(timeout=30) as client:
        for name, body, content_type, expected in PAYLOADS:
            for path in POST_ROUTES:
                response = post(client, path, body, content_type)
                statuses[response.status_code] += 1
                ok = response.status_code < 500 and (
                    expected == "any" or 400 <= response.status_code < 500
                )
                if not ok:
                    unexpected.append(f"{name} -> {path}: {response.status_code} {response.text}")
                elif response.status_code >= 400:
                    assert isinstance(response.json()["detail"], str), (name, response.text)
        # The server is unharmed: a normal question still gets a cited answer.
        answer = client.post("/api/v1/ask", json={"question": "Who approved plan number 3?"})
        assert answer.status_code == 200 and answer.json()["citations"]
    write_figures(
        "bad-input",
        {
            "payloads": len(PAYLOADS),
            "requests": sum(statuses.values()),
            "status_counts": {str(k): v for k, v in sorted(statuses.items())},
            "server_errors": sum(n for s, n in statuses.items() if s >= 500),
            "unexpected": unexpected,
        },
    )
    assert not unexpected, "\n".join(unexpected)


def raw_request(live_app: LiveApp, head: bytes, body: bytes = b"", timeout: float = 10) -> bytes:
    """Send bytes on a fresh connection; what the server answered (up to ``timeout`` s)."""
    with connect(live_app) as sock:
        sock.settimeout(timeout)
        sock.sendall(head + body)
        return read_reply(sock)


def connect(live_app: LiveApp) -> socket.socket:
    url = urlsplit(live_app.server.url)
    return socket.create_connection((url.hostname, url.port), timeout=5)


def read_reply(sock: socket.socket) -> bytes:
    reply = b""
    try:
        while chunk := sock.recv(65536):
            reply += chunk
            if b"\r\n\r\n" in reply:
                break
    except TimeoutError:
        pass
    return reply


def request_head(live_app: LiveApp, path: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {live_app.key}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_oversized_bodies_are_413_without_reading_them(live_app: LiveApp) -> None:
    big = body_with(b'"' + b"x" * (LIMIT + 1_000) + b'"')
    with live_app.server.client(timeout=30) as client:
        for path in POST_ROUTES:
            declared = post(client, path, big, JSON)
            assert declared.status_code == 413, declared.text
            assert "too large" in declared.json()["detail"]

            def chunks() -> Iterator[bytes]:
                for i in range(0, len(big), 8_192):
                    yield big[i : i + 8_192]

            chunked = client.post(path, content=chunks(), headers={"Content-Type": JSON})
            assert chunked.request.headers.get("transfer-encoding") == "chunked"
            assert chunked.status_code == 413, chunked.text
    # A client that announces 10 MB and sends a few bytes is answered at once, not waited for.
    started = time.monotonic()
    head = request_head(live_app, "/api/v1/ask", Content_Type=JSON, Content_Length=str(10_000_000))
    reply = raw_request(live_app, head, b'{"question": "', timeout=10)
    match = STATUS_LINE.match(reply)
    assert match and match.group(1) == b"413", reply[:200]
    assert time.monotonic() - started < 5


class SlowClient:
    """A connection that sent part of a request; ``drip`` sends one more header line."""

    def __init__(self, live_app: LiveApp, kind: str, first: bytes) -> None:
        self.kind = kind
        self.sock = connect(live_app)
        self.sock.sendall(first)
        self.reply = b""
        self.closed = False

    def drip(self, i: int) -> None:
        if self.closed:
            return
        try:
            self.sock.sendall(f"X-Slow-{i}: {'a' * 10}\r\n".encode())
        except OSError:
            self.closed = True  # the server hung up on us

    def fate(self, readable: bool) -> str:
        """What the server did: answered (with its status), closed, or is still waiting."""
        if not readable:
            return "still open"
        try:
            self.reply = self.sock.recv(65536)
        except OSError:
            return "closed"
        if not self.reply:
            return "closed"
        match = STATUS_LINE.match(self.reply)
        return f"answered {match.group(1).decode()}" if match else "answered garbage"

    def close(self) -> None:
        self.sock.close()


def test_slow_clients_do_not_stall_the_server(live_app: LiveApp) -> None:
    head_only = (
        b"POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    )
    half_body = request_head(live_app, "/api/v1/ask", Content_Type=JSON, Content_Length="400")
    slow = [
        SlowClient(live_app, "half the headers", head_only),
        SlowClient(live_app, "headers, half the body", half_body + b'{"question": "How many'),
        SlowClient(live_app, "request line only", b"GET /healthz HTTP/1.1\r\n"),
    ]
    slow += [
        SlowClient(live_app, "slowloris", b"POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\n")
        for _ in range(SLOWLORIS_SOCKETS)
    ]
    stop = threading.Event()

    def drip() -> None:
        i = 0
        while not stop.wait(1.0):
            i += 1
            for client in slow:
                if client.kind == "slowloris":
                    client.drip(i)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    served: Counter[str] = Counter()
    latencies: list[float] = []
    try:
        deadline = time.monotonic() + SLOW_SECONDS
        with live_app.server.client(timeout=30) as client:
            while time.monotonic() < deadline:
                started = time.monotonic()
                health = client.get("/healthz")
                assert health.status_code == 200, health.text
                answer = client.post("/api/v1/ask", json={"question": "Who approved plan 7?"})
                assert answer.status_code == 200, answer.text
                assert answer.json()["citations"]
                latencies.append(time.monotonic() - started)
                served["healthz + ask"] += 1
                time.sleep(0.5)
    finally:
        stop.set()
        dripper.join(timeout=5)
        readable, _, _ = select.select([c.sock for c in slow], [], [], 1.0)
        fates = Counter(f"{c.kind}: {c.fate(c.sock in readable)}" for c in slow)
        for c in slow:
            c.close()
    figures = {
        "slow_sockets": len(slow),
        "slow_seconds": SLOW_SECONDS,
        "fates": dict(sorted(fates.items())),
        "normal_rounds_served_meanwhile": served["healthz + ask"],
        "normal_round_max_s": round(max(latencies), 2),
    }
    write_figures("slow-clients", figures)
    assert served["healthz + ask"] >= 3
    assert not any(re.search(r"answered 5\d\d", fate) for fate in fates), fates
    with live_app.server.client(timeout=10) as client:
        assert client.get("/healthz").status_code == 200


def test_feedback_export_stays_strict_json(live_app: LiveApp) -> None:
    marker = f"nan-{time.monotonic_ns()}"
    body = body_with(b'"q"')[:-1] + b', "citations": [{"n": NaN, "score": Infinity}],'
    body += b' "comment": "' + marker.encode() + b'"}'
    with live_app.server.client(timeout=30) as client:
        saved = post(client, "/api/v1/feedback", body, JSON)
        export = client.get("/api/v1/feedback/export").text

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    if saved.status_code == 201:  # stored: then every exported line must parse as strict JSON
        for line in export.splitlines():
            json.loads(line, parse_constant=refuse)
    assert 400 <= saved.status_code < 500
