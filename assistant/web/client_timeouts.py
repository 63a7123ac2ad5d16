"""Deadlines for slow clients: uvicorn's HTTP protocols with a timeout for request headers.

uvicorn times out idle keep-alive connections, but not a client that is slow to send a
request's headers: a socket dripping one header line a second (slowloris) is held open for as
long as the client likes. These protocols start a timer when a request begins (or the
connection opens) and stop it once its headers are complete; when it fires, the client gets a
408 (if no response is under way on the connection) and the connection is closed. A stalled
*body* is timed out by ``security.BodyLimit``.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is an optional extra of uvicorn; h11 is always there
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


class _HeaderDeadline:
    """Mixed into uvicorn's HTTP protocols; they provide ``loop``, ``transport`` and ``cycle``."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    _header_timer: asyncio.TimerHandle | None = None

    def __init__(self, *args: Any, timeout_s: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout_s = timeout_s

    def _start_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 36\r\nconnection: close\r\n\r\nthe request headers came too slowly\n"
)


class H11HeaderTimeout(_HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._start_header_timer()  # a new request begins (no-op if already started)
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._stop_header_timer()  # its headers are parsed, or the connection is done

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)


if HttpToolsProtocol is not None:

    class HttpToolsHeaderTimeout(_HeaderDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol with a deadline for each request's headers."""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._start_header_timer()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._start_header_timer()  # the first byte of a request (no-op on a new connection)

        def on_headers_complete(self) -> None:
            self._stop_header_timer()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_header_timer()
            super().connection_lost(exc)


def header_timeout_protocol(timeout_s: float) -> Callable[..., asyncio.Protocol]:
    """For uvicorn's ``http=``: the protocol its "auto" picks (httptools when installed, else
    h11) with a deadline of ``timeout_s`` for each request's headers."""
    protocol: type[_HeaderDeadline] = (
        H11HeaderTimeout if HttpToolsProtocol is None else HttpToolsHeaderTimeout
    )
    # uvicorn calls ``http`` like a class (Server.startup); a partial of a module-level class
    # also survives being pickled to worker processes, which a class made here would not.
    return functools.partial(protocol, timeout_s=timeout_s)  # type: ignore[return-value]
