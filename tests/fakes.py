"""Fakes shared by the tests, for what cannot run here: a remote chat model; and a wrapper that
counts (or fails) the real embedding model's calls.

Everything else in the tests is real: the bundled model, Chroma in a temporary folder, the
shipped articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

Reply = str | Exception | Callable[[list[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies from a queue (text, an exception to raise, or a function of the prompt) and
    records every prompt it was sent."""

    replies: list[Any]
    sent: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        self.sent.append(list(messages))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply(messages) if callable(reply) else reply

    def _generate(
        self, messages: list[BaseMessage], stop=None, run_manager=None, **kw: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self._reply(messages)))])

    def _stream(
        self, messages: list[BaseMessage], stop=None, run_manager=None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        for piece in re.findall(r"\S+\s*", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def scripted(*replies: Reply) -> ScriptedChatModel:
    return ScriptedChatModel(replies=list(replies), sent=[])


class CountingEmbeddings(Embeddings):
    """The real model, counting the texts it is asked to embed; can fail after a budget."""

    def __init__(self, inner: Embeddings, fail_after: int | None = None) -> None:
        self.inner = inner
        self.documents = 0
        self.fail_after = fail_after

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after is not None and self.documents + len(texts) > self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
