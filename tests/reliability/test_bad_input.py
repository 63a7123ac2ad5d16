"""Hostile bytes and hostile clients against the real server process.

Malformed bodies (deep nesting, invalid UTF-8, wrong content types, oversized, huge numbers) must
be refused with a 4xx; slow clients (half a request, then silence; a slowloris crowd) must be cut
off after the server's client timeout while everyone else is answered. Figures go to
artifacts/reliability/.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.reliability.live_server import (
    CLIENT_TIMEOUT_S,
    LONG,
    STATUS_LINE,
    LiveApp,
    write_figures,
)

pytestmark = pytest.mark.slow

POST_ROUTES = ("/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback")
JSON = "application/json"
LIMIT = 64_000  # api.max_body_bytes, the default the live server runs with
SLOWLORIS_SOCKETS = 20
SLOW_SECONDS = 45.0 if LONG else 8.0
CUT_OFF_SLACK_S = 3.0  # a slow socket is closed at most this long after the timeout


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
        answer = client.post(
            "/api/v1/ask",
            json={"question": "How many residents signed the petition about plan number 3?"},
        )
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
    # A client that announces 10 MB and sends a few bytes is answered from the announcement: a
    # 413 can only come from the header, since the body never arrives (waiting for it would end
    # in the client timeout's 408, or nothing). The status is the event; no clock needed.
    head = request_head(live_app, "/api/v1/ask", Content_Type=JSON, Content_Length=str(10_000_000))
    reply = raw_request(live_app, head, b'{"question": "', timeout=60)
    match = STATUS_LINE.match(reply)
    assert match and match.group(1) == b"413", reply[:200]


class SlowClient:
    """A connection that sent part of a request and stalls (a slowloris drips a header line)."""

    def __init__(self, live_app: LiveApp, kind: str, first: bytes) -> None:
        self.kind, self.first = kind, first
        self.sock = connect(live_app)
        self.sock.sendall(first)
        self.opened = time.monotonic()
        self.ended: float | None = None
        self.fate = "still open"

    def drip(self, i: int) -> None:
        with contextlib.suppress(OSError):  # the server hung up: the watcher sees it
            self.sock.sendall(f"X-Slow-{i}: {'a' * 10}\r\n".encode())

    def finish(self) -> None:
        """The socket turned readable: read to the end and note what the server did, and when."""
        self.ended = time.monotonic()
        reply, closed = b"", False
        self.sock.settimeout(2.0)
        try:
            while chunk := self.sock.recv(65536):
                reply += chunk
            closed = True
        except TimeoutError:
            pass  # answered, but the connection left open
        except OSError:
            closed = True  # reset: a drip crossed the server's close
        match = STATUS_LINE.match(reply)
        answer = f"answered {match.group(1).decode()}" if match else "answered garbage"
        self.fate = (f"{answer}, " if reply else "") + ("closed" if closed else "left open")


class SlowCrowd:
    """Slow clients of every kind; each one the server cuts off is replaced by a fresh one of the
    same kind while ``opening`` is set, so the server faces them for the whole test."""

    def __init__(self, live_app: LiveApp) -> None:
        head_only = (
            b"POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        )
        half_body = request_head(live_app, "/api/v1/ask", Content_Type=JSON, Content_Length="400")
        kinds = [
            ("half the headers", head_only),
            ("headers, half the body", half_body + b'{"question": "How many'),
            ("request line only", b"GET /healthz HTTP/1.1\r\n"),
            ("connected, nothing sent", b""),
        ]
        kinds += [
            ("slowloris", b"POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\n")
        ] * SLOWLORIS_SOCKETS
        self.live_app = live_app
        self.open = [SlowClient(live_app, kind, first) for kind, first in kinds]
        self.done: list[SlowClient] = []
        self.opening = True
        self.lock = threading.Lock()

    def watch(self, stop: threading.Event) -> None:
        """Notice every answer or hang-up from the server, and replace that client."""
        while not stop.is_set():
            with self.lock:
                by_socket = {c.sock: c for c in self.open}
            # A selector, not select.select: the test process may hold over 1,024 descriptors
            # by now (every earlier test's index), which select() cannot watch.
            with selectors.DefaultSelector() as selector:
                for sock in by_socket:
                    selector.register(sock, selectors.EVENT_READ)
                readable = [key.fileobj for key, _ in selector.select(0.2)]
            for sock in readable:
                client = by_socket[sock]
                client.finish()
                client.sock.close()
                with self.lock:
                    self.open.remove(client)
                    self.done.append(client)
                    if self.opening:
                        self.open.append(SlowClient(self.live_app, client.kind, client.first))

    def drip(self, stop: threading.Event) -> None:
        i = 0
        while not stop.wait(1.0):
            i += 1
            with self.lock:
                dripping = [c for c in self.open if c.kind == "slowloris"]
            for client in dripping:
                client.drip(i)


def slow_but_legitimate(live_app: LiveApp) -> int:
    """Headers, then the body, each in two parts with a pause shorter than the timeout."""
    body = json.dumps({"question": "How many residents signed the petition about plan 7?"}).encode()
    head = request_head(live_app, "/api/v1/ask", Content_Type=JSON, Content_Length=str(len(body)))
    pause = CLIENT_TIMEOUT_S / 2
    with connect(live_app) as sock:
        sock.settimeout(30)
        for i, part in enumerate((head[:30], head[30:] + body[:10], body[10:])):
            time.sleep(pause if i else 0)
            sock.sendall(part)
        match = STATUS_LINE.match(read_reply(sock))
    return int(match.group(1)) if match else 0


def test_slow_clients_are_cut_off_and_others_served(live_app: LiveApp) -> None:
    crowd = SlowCrowd(live_app)
    stop = threading.Event()
    threads = [threading.Thread(target=work, args=(stop,), daemon=True)
               for work in (crowd.watch, crowd.drip)]  # fmt: skip
    for thread in threads:
        thread.start()
    served: Counter[str] = Counter()
    latencies: list[float] = []
    try:
        deadline = time.monotonic() + SLOW_SECONDS
        with live_app.server.client(timeout=30) as client:
            while time.monotonic() < deadline:
                started = time.monotonic()
                health = client.get("/healthz")
                assert health.status_code == 200, health.text
                answer = client.post(
                    "/api/v1/ask",
                    json={"question": "How many residents signed the petition about plan 7?"},
                )
                assert answer.status_code == 200, answer.text
                assert answer.json()["citations"]
                latencies.append(time.monotonic() - started)
                served["healthz + ask"] += 1
                time.sleep(0.5)
        legitimate = slow_but_legitimate(live_app)
        crowd.opening = False
        # The last clients opened get their full timeout, and the slack, to be cut off.
        give_up = time.monotonic() + CLIENT_TIMEOUT_S + CUT_OFF_SLACK_S + 1
        while crowd.open and time.monotonic() < give_up:
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
        for client in crowd.open:
            client.sock.close()
    clients = crowd.done + crowd.open
    fates = Counter(f"{c.kind}: {c.fate}" for c in clients)
    cut_off_s = [c.ended - c.opened for c in crowd.done if c.ended is not None]
    figures = {
        "client_timeout_s": CLIENT_TIMEOUT_S,
        "slow_sockets": len(clients),
        "slow_seconds": SLOW_SECONDS,
        "fates": dict(sorted(fates.items())),
        "cut_off_after_s": {"min": round(min(cut_off_s), 2), "max": round(max(cut_off_s), 2)},
        "normal_rounds_served_meanwhile": served["healthz + ask"],
        "normal_round_max_s": round(max(latencies), 2),
        "slow_but_legitimate_status": legitimate,
    }
    write_figures("slow-clients", figures)
    assert not crowd.open, f"still open: {fates}"
    assert all(c.fate in ("answered 408, closed", "closed") for c in clients), fates
    assert all(c.fate.startswith("answered 408") for c in clients
               if c.kind == "headers, half the body"), fates  # fmt: skip
    # Cut off by the timeout: not before it, and not much after it.
    assert min(cut_off_s) >= CLIENT_TIMEOUT_S - 0.5, figures
    assert max(cut_off_s) <= CLIENT_TIMEOUT_S + CUT_OFF_SLACK_S, figures
    assert served["healthz + ask"] >= 3 and legitimate == 200, figures
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
