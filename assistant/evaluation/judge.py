"""Optional LLM-judged metrics (faithfulness, answer relevance); off unless asked for.

The judge is an LLM and can be wrong: these figures are labelled as LLM-judged in every output
and never gate CI.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from assistant.models import Answer

_JSON = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Judgement:
    faithful: bool | None  # None: the judge's reply could not be read
    relevance: int | None


class Judge:
    def __init__(self, model: BaseChatModel, prompt: ChatPromptTemplate) -> None:
        self.model = model
        self.prompt = prompt

    def score(self, question: str, answer: Answer) -> Judgement:
        """Ask the judge about one non-abstained answer."""
        quotes = "\n".join(f"[{c.n}] {c.quote}" for c in answer.citations) or "(none)"
        messages = self.prompt.format_messages(
            question=question, answer=answer.answer, quotes=quotes
        )
        reply = str(self.model.invoke(messages).content)
        return parse_judgement(reply)


def parse_judgement(reply: str) -> Judgement:
    match = _JSON.search(reply)
    if not match:
        return Judgement(None, None)
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return Judgement(None, None)
    faithful = data.get("faithful")
    relevance = data.get("relevance")
    return Judgement(
        faithful if isinstance(faithful, bool) else None,
        int(relevance) if isinstance(relevance, int | float) and 1 <= relevance <= 5 else None,
    )
