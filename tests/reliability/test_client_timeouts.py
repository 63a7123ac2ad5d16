"""The slow-client timeouts on their own: uvicorn in this process, with each HTTP implementation.

``test_bad_input.py`` checks them on the real app (which runs httptools when it is installed);
here both protocols the server may pick (httptools, and h11 when httptools is missing) run a
small FastAPI app behind ``security.BodyLimit``, with a 1 s timeout: late headers and a stalled
body are cut off with a 408, while a slow-but-steady client and a long streaming answer are not.
"""

from __future__ import annotations

import asyncio
import functools
import json
import selectors
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from assistant.web import client_timeouts
from assistant.web.security import BodyLimit
from tests.web.server_process import free_port

pytestmark = pytest.mark.slow  # about 25 s: every case waits out a timeout

TIMEOUT_S = 1.0
# What is checked is that the timeout HAPPENED: a 408 and a closed socket, never before the
# timeout. How soon after it is speed, which belongs to benchmarks: the upper bound only tells
# "cut off by the timeout" from "never cut off", and is far above it so load cannot flake it.
CUT_OFF_WITHIN_S = 30.0
STREAM_S = 3 * TIMEOUT_S  # a streaming answer longer than the timeout must not be cut


def small_app() -> Any:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/stream")
    async def stream(request: Request) -> StreamingResponse:
        await request.body()

        async def ticks() -> AsyncIterator[str]:
            for i in range(6):
                await asyncio.sleep(STREAM_S / 6)
                yield f"tick {i}\n"

        return StreamingResponse(ticks(), media_type="text/plain")

    return BodyLimit(app, api_bytes=64_000, page_bytes=64_000, timeout_s=TIMEOUT_S)


PROTOCOLS = {"h11": client_timeouts.H11HeaderTimeout}
if client_timeouts.HttpToolsProtocol is not None:
    PROTOCOLS["httptools"] = client_timeouts.HttpToolsHeaderTimeout


@pytest.fixture(scope="module", params=sorted(PROTOCOLS))
def address(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    protocol = functools.partial(PROTOCOLS[request.param], timeout_s=TIMEOUT_S)
    port = free_port()
    config = uvicorn.Config(small_app(), host="127.0.0.1", port=port, http=protocol,
                            lifespan="off", log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)


def post_message(path: str, body: bytes = b"", **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def until_closed(sock: socket.socket, started: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and when it closed (s after ``started``)."""
    sock.settimeout(CUT_OFF_WITHIN_S)
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    return reply, time.monotonic() - started


def one_response(sock: socket.socket) -> bytes:
    """One complete response with a Content-Length body, leaving the connection open."""
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))  # fmt: skip
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /echo HTTP/1.1\r\n", b"POST /echo HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n"],
    ids=["nothing", "request line", "half the headers"],
)
def test_late_headers_get_408_and_are_closed(address: tuple[str, int], sent: bytes) -> None:
    with socket.create_connection(address) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        reply, closed_after = until_closed(sock, started)
    assert reply.startswith(b"HTTP/1.1 408 "), reply
    assert TIMEOUT_S - 0.1 <= closed_after < CUT_OFF_WITHIN_S


def test_a_dripping_slowloris_is_cut_off(address: tuple[str, int]) -> None:
    # A selector, not select(): select() cannot watch a descriptor over 1,023.
    with socket.create_connection(address) as sock, selectors.DefaultSelector() as selector:
        started = time.monotonic()
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\n")
        drips, closed_after = 0, None
        selector.register(sock, selectors.EVENT_READ)
        while time.monotonic() - started < CUT_OFF_WITHIN_S:
            if selector.select(TIMEOUT_S / 5):  # the server answered or hung up
                closed_after = time.monotonic() - started
                break
            sock.sendall(b"X-Drip: a\r\n")  # a header line well within the timeout, every time
            drips += 1
        try:
            reply = sock.recv(65536)
        except ConnectionResetError:
            reply = b""  # a drip crossed the close
    assert drips >= 3 and closed_after is not None, drips
    assert TIMEOUT_S - 0.1 <= closed_after < CUT_OFF_WITHIN_S
    assert reply == b"" or reply.startswith(b"HTTP/1.1 408 "), reply


def test_the_next_request_on_a_kept_alive_connection_has_the_deadline_too(
    address: tuple[str, int],
) -> None:
    with socket.create_connection(address) as sock:
        for _ in range(2):  # two quick requests, then a pause longer than the timeout: fine
            sock.sendall(post_message("/echo", b"abc"))
            assert one_response(sock).startswith(b"HTTP/1.1 200 ")
        time.sleep(TIMEOUT_S * 1.5)
        started = time.monotonic()
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\n")  # then nothing
        reply, closed_after = until_closed(sock, started)
    assert reply.startswith(b"HTTP/1.1 408 "), reply
    assert TIMEOUT_S - 0.1 <= closed_after < CUT_OFF_WITHIN_S


def test_a_stalled_body_gets_a_json_408_and_is_closed(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b'Content-Length: 400\r\n\r\n{"question": "how')  # fmt: skip
        reply, closed_after = until_closed(sock, started)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and b"connection: close" in head.lower(), reply
    assert "stopped arriving" in json.loads(body)["detail"]
    assert TIMEOUT_S - 0.1 <= closed_after < CUT_OFF_WITHIN_S


def test_slow_but_steady_clients_and_long_streams_are_not_cut(address: tuple[str, int]) -> None:
    body = b'{"question": "how many?"}'
    with socket.create_connection(address) as sock:
        # Headers and body in parts, each gap under the timeout (the total is over it).
        message = post_message("/echo", body)
        parts = [message[:20], message[20:-10], message[-10:]]
        for i, part in enumerate(parts):
            time.sleep(TIMEOUT_S * 0.6 if i else 0)
            sock.sendall(part)
        assert one_response(sock).endswith(b'{"bytes":%d}' % len(body))
        # A response that streams for longer than the timeout, on the same connection.
        started = time.monotonic()
        sock.sendall(post_message("/stream", body, Connection="close"))
        reply, took = until_closed(sock, started)
    assert reply.startswith(b"HTTP/1.1 200 ") and b"tick 5" in reply, reply
    assert took >= STREAM_S - 0.1
