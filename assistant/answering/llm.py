"""The LLM engine: any LangChain chat model writes the answer; verification decides what is shown.

The model sees the question and the best passages, numbered [1]..[k] in retrieval order and fenced
as data. Its draft goes through ``verify`` like every engine's: sentences citing a passage not
given, citing nothing, or stating numbers or names their passages lack are removed and reported
in ``flagged``. A model that says the passages hold no answer, or a draft with nothing verified
left, becomes an abstention.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from assistant.answering.chat_models import build_chat_model, describe
from assistant.answering.engine import AnswerEvent, Evidence, abstention, answer_from
from assistant.answering.figures import with_figures
from assistant.answering.guard import neutralise_instructions
from assistant.answering.llm_short import locate_short, split_short_line
from assistant.answering.verify import DraftSentence, split_draft, verify
from assistant.config import LLMSettings
from assistant.conversation import search_query_for
from assistant.errors import AssistantError, LLMTimeout, LLMUnavailable
from assistant.models import Answer, Passage, Turn
from assistant.prompts import Prompts
from assistant.tokens import count_tokens, trim_to_tokens

log = logging.getLogger(__name__)

MIN_TRIMMED_TOKENS = 40  # a shorter tail of a passage is more noise than evidence
HISTORY_TURNS = 6  # the last three exchanges are enough to resolve "they", "that", "there"
HISTORY_TURN_TOKENS = 200
MAX_CONDENSED_CHARS = 400

# The model declining: "the passages do not contain ...", "I cannot answer ...", "I don't know".
_REFUSAL = re.compile(
    r"\b(?:do(?:es)? not|don't|doesn't) (?:contain|include|mention|say|state|provide)\b"
    r"|\b(?:cannot|can't|can ?not|unable to) (?:answer|determine|find|tell)\b"
    r"|\bno (?:information|answer|mention)\b|\bnot mentioned\b|\bnot (?:stated|specified)\b"
    r"|\bI (?:do not|don't) know\b",
    re.IGNORECASE,
)
_CONDENSED_PREFIX = re.compile(r"^\s*(?:standalone question|question)\s*:\s*", re.IGNORECASE)


class LLMEngine:
    """Answers with a chat model, then keeps only the sentences ``verify`` accepts."""

    name = "llm"

    def __init__(
        self, chat_model: BaseChatModel | None, settings: LLMSettings, prompts: Prompts
    ) -> None:
        # None: built from settings on first use, so that start-up touches no network.
        self._chat_model = chat_model
        self.settings = settings
        self.prompts = prompts
        self._build_lock = threading.Lock()

    @property
    def chat_model(self) -> BaseChatModel:
        with self._build_lock:
            if self._chat_model is None:
                self._chat_model = build_chat_model(self.settings)
            return self._chat_model

    # -- follow-ups --------------------------------------------------------------------
    def search_query(self, question: str, history: list[Turn]) -> str:
        """A standalone question written by the model; the keyword rule if the model fails."""
        if not history:
            return question
        messages = self.prompts.condense.format_messages(
            history=format_history(history), question=question
        )
        try:
            condensed = clean_condensed(str(self.chat_model.invoke(messages).text))
        except Exception as exc:  # any model failure: follow-ups must still work without it
            log.warning("condensing the follow-up failed (%s); using the keyword rule", exc)
            condensed = ""
        return condensed or search_query_for(question, history)

    # -- answering ---------------------------------------------------------------------
    def stream(self, evidence: Evidence) -> Iterator[AnswerEvent]:
        """The model's raw text as it arrives, then the verified ``Answer``.

        The deltas are unverified: a sentence in them may be removed by verification. Clients
        show them as a draft and replace it with the final answer's text and citations. A model
        failure raises ``LLMUnavailable``, possibly after some deltas.
        """
        packed = pack_passages(evidence.passages, self.settings.context_tokens)
        if not packed:  # nothing retrieved, or nothing fits: no model call, nearest still listed
            yield AnswerEvent(answer=abstention(evidence, self.name))
            return
        evidence = replace(evidence, passages=packed)  # [n] in the prompt == packed[n - 1]
        question = evidence.search_query if evidence.history else evidence.question
        messages = self.prompts.answer.format_messages(
            question=question, passages=render_passages(packed)
        )
        parts: list[str] = []
        for delta in self._generate(messages):
            parts.append(delta)
            yield AnswerEvent(delta=delta)
        yield AnswerEvent(answer=self.finish(evidence, "".join(parts)))

    def finish(self, evidence: Evidence, draft: str) -> Answer:
        """Verify the model's full text against the passages it was given."""
        short_text, short_n, draft = split_short_line(draft)
        drafts = split_draft(draft)
        claims, caveats = split_refusals(drafts)
        # A reply that opens by declining is a refusal, whatever follows; a later caveat
        # ("... do not say when") is dropped and the rest still stands on its own.
        if not claims or is_refusal(drafts[0].text):
            return abstention(evidence, self.name)
        checked = verify(
            claims, evidence.passages, evidence.article_text, distrust_instructions=True
        )
        flagged = checked.flagged + tuple(
            f"{c.text} — the model said the passages do not answer this" for c in caveats
        )
        answer = answer_from(evidence, self.name, checked, flagged)
        if answer.abstained:
            return with_figures(answer, evidence)
        question = evidence.search_query if evidence.history else evidence.question
        short, flag = locate_short(
            question, short_text, short_n, evidence.passages, answer.citations
        )
        flagged = answer.flagged + ((flag,) if flag else ())
        return with_figures(replace(answer, short_answer=short, flagged=flagged), evidence)

    def _generate(self, messages: list[BaseMessage]) -> Iterator[str]:
        """Text deltas from the model, with its failures turned into ``LLMUnavailable``."""
        model = self._model_or_unavailable()
        deadline = time.monotonic() + self.settings.timeout_s
        try:
            for chunk in model.stream(messages):
                text = str(chunk.text)
                if text:
                    yield text
                # The HTTP timeout bounds each read; a server trickling tokens needs a total.
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no complete answer within {self.settings.timeout_s:g}s")
        except Exception as exc:
            failure = LLMTimeout if _timed_out(exc) else LLMUnavailable
            raise failure(f"the LLM {self._where()} failed: {_reason(exc)}") from exc

    def _model_or_unavailable(self) -> BaseChatModel:
        try:
            return self.chat_model
        except AssistantError:
            raise  # configuration problems: their message already says what to do
        except Exception as exc:
            raise LLMUnavailable(f"the LLM {self._where()} could not be set up: {exc}") from exc

    def _where(self) -> str:
        if self.settings.model or self.settings.base_url:
            return describe(self.settings)
        return type(self._chat_model).__name__


def is_refusal(sentence: str) -> bool:
    """Whether the model says the passages do not answer (rather than stating a fact)."""
    return bool(_REFUSAL.search(sentence))


def split_refusals(drafts: list[DraftSentence]) -> tuple[list[DraftSentence], list[DraftSentence]]:
    """Sentences stating facts, and sentences where the model says the passages lack an answer."""
    claims = [d for d in drafts if not is_refusal(d.text)]
    caveats = [d for d in drafts if is_refusal(d.text)]
    return claims, caveats


def pack_passages(passages: list[Passage], budget_tokens: int) -> list[Passage]:
    """The leading passages whose fenced form fits in ``budget_tokens``.

    Passages keep their retrieval order, so prompt number n is ``packed[n - 1]`` and a prefix of
    the evidence. The first that does not fit is trimmed (a prefix, so its offsets stay true)
    when a useful amount fits; it and everything after it are otherwise dropped.
    """
    packed: list[Passage] = []
    used = 0
    for n, passage in enumerate(passages, start=1):
        cost = count_tokens(fence(n, passage))
        if used + cost <= budget_tokens:
            packed.append(passage)
            used += cost
            continue
        trimmed = _trim_to_fit(n, passage, budget_tokens - used)
        if trimmed is not None:
            packed.append(trimmed)
        break
    return packed


def _trim_to_fit(n: int, passage: Passage, room: int) -> Passage | None:
    overhead = count_tokens(fence(n, replace(passage, text="")))
    allowed = room - overhead
    while allowed >= MIN_TRIMMED_TOKENS:
        text = trim_to_tokens(passage.text, allowed)
        trimmed = replace(passage, text=text, end=passage.start + len(text))
        excess = count_tokens(fence(n, trimmed)) - room
        if excess <= 0:
            return trimmed
        allowed -= excess  # escaping can cost a few tokens more than the raw text
    return None


def fence(n: int, passage: Passage) -> str:
    """A passage as data: escaped so its text cannot close the fence or open a new one."""
    title = html.escape(passage.title or passage.article_id, quote=True)
    date = f' date="{html.escape(passage.published, quote=True)}"' if passage.published else ""
    # Articles are data: sentences addressed to an AI are withheld, the rest escaped so it
    # cannot close the fence.
    body = neutralise_instructions(passage.text).replace("<", "&lt;").replace(">", "&gt;")
    return f'<passage n="{n}" article="{title}"{date}>\n{body}\n</passage>'


def render_passages(passages: list[Passage]) -> str:
    return "\n\n".join(fence(n, p) for n, p in enumerate(passages, start=1))


def format_history(history: list[Turn]) -> str:
    """The last turns, each trimmed, as "User: ..." / "Assistant: ..." lines."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        speaker = "User" if turn.role == "user" else "Assistant"
        lines.append(
            f"{speaker}: {trim_to_tokens(' '.join(turn.content.split()), HISTORY_TURN_TOKENS)}"
        )
    return "\n".join(lines)


def clean_condensed(text: str) -> str:
    """The first line of the model's reply, without a "Standalone question:" label or quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    first = _CONDENSED_PREFIX.sub("", first).strip().strip("\"'“”").strip()
    return first if len(first) <= MAX_CONDENSED_CHARS else ""


def _reason(exc: BaseException) -> str:
    """A short cause: connection refused, timeout, or the server's error."""
    name = type(exc).__name__
    if _timed_out(exc):
        return f"timed out ({exc})"
    if isinstance(exc, ConnectionError) or "Connection" in name:
        return f"could not connect ({exc})"
    return f"{name}: {exc}"


def _timed_out(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__
