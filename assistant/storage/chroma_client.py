"""Opening Chroma: an on-disk ``PersistentClient`` by default, an ``HttpClient`` when a host is set."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import httpx

from assistant.config import Settings
from assistant.errors import StoreUnavailable

log = logging.getLogger(__name__)

# chromadb shares one system (its SQLite database, vector index files, HTTP session) among the
# clients of one folder or server in a process, cached by folder or address. ``make_client``
# notes each client's system, so that ``release_client`` stops a system only when the last
# client on it is released.
_CLIENTS: dict[int, Any] = {}  # id(client) -> its system
_OPEN_LOCK = threading.Lock()


def store_location(settings: Settings) -> str:
    """Where the index lives, for messages: the server's address or the index folder."""
    cs = settings.chroma
    return f"{cs.host}:{cs.port}" if cs.host else str(settings.index.dir)


def make_client(settings: Settings) -> Any:
    """A Chroma client for the settings: HTTP when ``chroma.host`` is set, else on-disk."""
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    config = ChromaConfig(anonymized_telemetry=False, allow_reset=False)
    cs = settings.chroma
    try:
        if cs.host:
            headers = {}
            if cs.auth_token is not None:
                token = cs.auth_token.get_secret_value()
                is_bearer = cs.auth_header.lower() == "authorization"
                headers[cs.auth_header] = f"Bearer {token}" if is_bearer else token
            client = chromadb.HttpClient(
                host=cs.host,
                port=cs.port,
                ssl=cs.ssl,
                headers=headers,
                settings=config,
                tenant=cs.tenant,
                database=cs.database,
            )
            # chromadb's HTTP session has no timeout (it would wait forever on a server that
            # stopped answering); give it ours so a lost server is an error, not a hang.
            session = getattr(getattr(client, "_server", None), "_session", None)
            if isinstance(session, httpx.Client):
                session.timeout = httpx.Timeout(cs.timeout_s)
        else:
            path = settings.index.dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=config)
    except Exception as exc:  # chromadb raises plain Exceptions for connection problems
        raise StoreUnavailable(
            f"cannot open the Chroma store at {store_location(settings)}: {exc}"
        ) from exc
    _note(client)
    return client


def _note(client: Any) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.get(client._identifier)
    if system is None:
        return
    with _OPEN_LOCK:
        _CLIENTS[id(client)] = system


def release_client(client: Any) -> None:
    """Give back a client ``make_client`` opened: the last client of a system stops it, which
    closes its database, index files and connections (a process that opens many indexes, or
    one index many times, would otherwise keep every one of them open until it exits)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with _OPEN_LOCK:
        system = _CLIENTS.pop(id(client), None)
        if system is None or any(other is system for other in _CLIENTS.values()):
            return  # not ours, or other clients still use it
        # Private in chromadb 1.x, as in ``reopen_persistent``: the per-process system cache.
        cache = SharedSystemClient._identifier_to_system
        if cache.get(client._identifier) is system:
            del cache[client._identifier]
    try:
        system.stop()
    except Exception as exc:  # stopping is best effort: the process goes on either way
        log.warning("could not close the Chroma store cleanly: %s", exc)


def reopen_persistent(old: Any, connect: Callable[[], Any]) -> Any | None:
    """A fresh client for ``old``'s folder that reads what other processes wrote, or None.

    chromadb caches one system per folder for the whole process, so the cache entry is dropped
    before connecting again; if connecting fails, it is put back and the old client goes on.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    # Private in chromadb 1.x: there is no public way to drop one folder's cached system.
    cache = SharedSystemClient._identifier_to_system
    stale = cache.pop(old._identifier, None)
    try:
        return connect()  # here, once: concurrent first calls would race in chromadb
    except StoreUnavailable as exc:
        if stale is not None:
            cache.setdefault(old._identifier, stale)
        log.warning("could not reopen the index to see other processes' changes: %s", exc)
        return None
