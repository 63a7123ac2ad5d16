"""Every shell shows every kind of failure as a message, never a 500 or a traceback.

The failures are real: an LLM URL on a closed port, a local server that accepts and never
answers, a Chroma server address on a closed port, a provider package that cannot be imported,
and an empty question. Each runs through the HTTP API, the SSE stream, the Gradio chat handlers
and the CLI (in process).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.config import Settings
from assistant.errors import (
    AssistantError,
    BadQuestion,
    LLMTimeout,
    LLMUnavailable,
    MissingExtra,
    StoreUnavailable,
)
from assistant.factory import build_assistant
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.web.chat import ChatHandlers
from assistant.web.server import create_app
from tests.conftest import ARTICLES

QUESTION = "How many soldiers defected to the KNU?"
FAILURES = ["llm_down", "llm_timeout", "store_down", "missing_extra", "bad_input"]
# What each failure must say and the HTTP status it maps to.
EXPECTED = {
    "llm_down": (LLMUnavailable, 503, "could not connect"),
    "llm_timeout": (LLMTimeout, 504, "timed out"),
    "store_down": (StoreUnavailable, 503, "Chroma"),
    "missing_extra": (MissingExtra, 503, "pip install"),
    "bad_input": (BadQuestion, 422, "the question is empty"),
}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def silent_server() -> Iterator[int]:
    """A local server that accepts connections and never answers; yields its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def failing(
    request: pytest.FixtureRequest,
    shipped_bot: Assistant,
    embeddings: Any,
    silent_server: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[Settings, str | None]:
    """(settings, engine) that fail in the way named by the test's ``failure`` parameter."""
    failure = request.param
    settings = shipped_bot.settings
    if failure == "llm_down":
        llm = {"base_url": f"http://127.0.0.1:{closed_port()}/v1", "timeout_s": 2.0}
        return settings.with_overrides(llm=llm), "llm"
    if failure == "llm_timeout":
        llm = {"base_url": f"http://127.0.0.1:{silent_server}/v1", "timeout_s": 0.3}
        return settings.with_overrides(llm=llm), "llm"
    if failure == "missing_extra":
        monkeypatch.setitem(sys.modules, "langchain_openai", None)  # import fails
        llm = {"base_url": f"http://127.0.0.1:{closed_port()}/v1"}
        return settings.with_overrides(llm=llm), "llm"
    if failure == "store_down":
        chroma = {"host": "127.0.0.1", "port": closed_port(), "timeout_s": 2.0}
        return settings.with_overrides(chroma=chroma, index={"dir": tmp_path / "index"}), None
    return settings, None  # bad_input: the question is the problem


def ask_of(failure: str) -> str:
    return "   " if failure == "bad_input" else QUESTION


def params() -> Any:
    return pytest.mark.parametrize("failing", FAILURES, indirect=True)


@params()
def test_the_service_raises_the_error_that_names_the_failure(
    failing: tuple[Settings, str | None], embeddings: Any, request: pytest.FixtureRequest
) -> None:
    failure = request.node.callspec.params["failing"]
    kind, _, words = EXPECTED[failure]
    settings, engine = failing
    bot = build_assistant(settings, embeddings=embeddings)
    with pytest.raises(AssistantError) as raised:
        bot.ask(ask_of(failure), engine=engine)
    assert type(raised.value) is kind and words in raised.value.message


@params()
def test_the_api_answers_json_with_the_errors_status(
    failing: tuple[Settings, str | None], embeddings: Any, request: pytest.FixtureRequest
) -> None:
    failure = request.node.callspec.params["failing"]
    _, status, words = EXPECTED[failure]
    client = _client(failing[0], embeddings)
    body = {"question": ask_of(failure), "engine": failing[1]}
    reply = client.post("/api/v1/ask", json=body)
    assert reply.status_code == status and words in reply.json()["detail"]
    streamed = client.post("/api/v1/ask/stream", json=body)
    # Before the first event, a failure is still an HTTP error with the same status.
    assert streamed.status_code == status and words in streamed.json()["detail"]


@params()
def test_the_chat_shows_the_message_in_place_of_an_answer(
    failing: tuple[Settings, str | None],
    embeddings: Any,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    failure = request.node.callspec.params["failing"]
    _, _, words = EXPECTED[failure]
    question = ask_of(failure)
    if failure == "bad_input":
        # The chat adds no turn for an empty submit (it says so at the box); an over-long
        # question is the bad input that reaches the service from the chat.
        question, words = "x" * (failing[0].api.max_question_chars + 1), "too long"
    bot = build_assistant(failing[0], embeddings=embeddings)
    handlers = ChatHandlers(bot, FeedbackStore(tmp_path / "f.db"), tmp_path)
    steps = list(handlers.respond(question, [], engine=failing[1]))
    conversation = steps[-1][3]
    assert words in conversation[-1]["error"] and not conversation[-1]["answer"]


@params()
def test_the_cli_prints_one_error_line_and_exits_non_zero(
    failing: tuple[Settings, str | None],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant import cli

    failure = request.node.callspec.params["failing"]
    kind, _, words = EXPECTED[failure]
    settings, engine = failing
    for name, value in _environment(settings).items():
        monkeypatch.setenv(name, value)
    args = ["ask", ask_of(failure), "--articles", str(ARTICLES), "--index", str(settings.index.dir)]
    result = CliRunner().invoke(cli.app, [*args, *(["--engine", engine] if engine else [])])
    assert result.exit_code == kind.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_error_after_the_first_event_ends_the_stream_with_an_error_event(
    shipped_bot: Assistant, embeddings: Any
) -> None:
    """A model that sends one delta and then falls silent: the stream says why it ended."""
    with _one_delta_then_silence() as port:
        llm = {"base_url": f"http://127.0.0.1:{port}/v1", "timeout_s": 0.5}
        client = _client(shipped_bot.settings.with_overrides(llm=llm), embeddings)
        reply = client.post("/api/v1/ask/stream", json={"question": QUESTION, "engine": "llm"})
    assert reply.status_code == 200
    events = [block for block in reply.text.split("\n\n") if block.strip()]
    assert events[0].startswith("event: delta")
    assert events[-1].startswith("event: error") and len(events) == 2
    detail = json.loads(events[-1].split("data: ", 1)[1])
    assert detail["status"] == 504 and "timed out" in detail["detail"]


def _client(settings: Settings, embeddings: Any) -> TestClient:
    bot = build_assistant(settings, embeddings=embeddings)
    app_settings = Settings().with_overrides(data={"dir": settings.index.dir / "data"})
    return TestClient(create_app(app_settings, assistant=bot))


def _environment(settings: Settings) -> dict[str, str]:
    env = {"ASSISTANT_DATA_DIR": str(settings.index.dir / "data")}
    if settings.llm.base_url:
        env["ASSISTANT_LLM_BASE_URL"] = settings.llm.base_url
        env["ASSISTANT_LLM_TIMEOUT_S"] = str(settings.llm.timeout_s)
    if settings.chroma.host:
        env["ASSISTANT_CHROMA_HOST"] = settings.chroma.host
        env["ASSISTANT_CHROMA_PORT"] = str(settings.chroma.port)
        env["ASSISTANT_CHROMA_TIMEOUT_S"] = str(settings.chroma.timeout_s)
    return env


class _one_delta_then_silence:  # noqa: N801  (used as a context manager, like a function)
    """An OpenAI-compatible endpoint that streams one delta and then never sends more."""

    def __enter__(self) -> int:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return int(self.server.getsockname()[1])

    def _serve(self) -> None:
        chunk = {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": "The"}}],
        }
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        event = f"data: {json.dumps(chunk)}\n\n".encode()
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.conns.append(conn)
            conn.recv(65536)  # the request; its body is not needed
            conn.sendall(head.encode() + f"{len(event):x}\r\n".encode() + event + b"\r\n")

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        for conn in self.conns:
            conn.close()


def test_every_error_maps_to_a_client_or_unavailable_status_never_500() -> None:
    import assistant.errors as errors

    kinds = [
        v
        for v in vars(errors).values()
        if isinstance(v, type) and issubclass(v, AssistantError) and v is not AssistantError
    ]
    assert len(kinds) >= 10
    assert all(400 <= k.status < 600 and k.status != 500 for k in kinds)
    assert all(k.exit_code != 0 for k in kinds)
