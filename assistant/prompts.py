"""Prompt templates, loaded from plain-text files and checked for their variables at start-up.

A prompt folder holds ``system.txt`` (no variables), ``answer.txt`` (``{question}`` and
``{passages}``) and ``condense.txt`` (``{history}`` and ``{question}``). Templates use Python
format syntax; a literal brace is written ``{{`` or ``}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from assistant.errors import ConfigError, ConfigFileMissing

SYSTEM_FILE = "system.txt"
ANSWER_FILE = "answer.txt"
CONDENSE_FILE = "condense.txt"
JUDGE_FILE = "judge.txt"

REQUIRED_VARIABLES: dict[str, frozenset[str]] = {
    SYSTEM_FILE: frozenset(),
    ANSWER_FILE: frozenset({"question", "passages"}),
    CONDENSE_FILE: frozenset({"history", "question"}),
    JUDGE_FILE: frozenset({"question", "answer", "quotes"}),
}


@dataclass(frozen=True)
class Prompts:
    """The checked templates the LLM engine formats."""

    answer: ChatPromptTemplate  # system rules + the question with its numbered passages
    condense: ChatPromptTemplate  # conversation + follow-up -> one standalone question


def load_prompts(folder: Path | str) -> Prompts:
    """Read and check the three prompt files; ValueError names the file and the variable."""
    folder = Path(folder)
    system = read_template(folder / SYSTEM_FILE)
    answer = read_template(folder / ANSWER_FILE)
    condense = read_template(folder / CONDENSE_FILE)
    return Prompts(
        answer=ChatPromptTemplate.from_messages([("system", system), ("human", answer)]),
        condense=ChatPromptTemplate.from_messages([("human", condense)]),
    )


def load_judge_prompt(folder: Path | str) -> ChatPromptTemplate:
    """The evaluation's LLM-judge prompt (``judge.txt``), checked like the others."""
    return ChatPromptTemplate.from_messages([("human", read_template(Path(folder) / JUDGE_FILE))])


def read_template(path: Path) -> str:
    """One prompt file's text, after checking it has exactly its required variables."""
    if not path.is_file():
        raise ConfigFileMissing(f"prompt file {path} is missing (see prompts/ in the project)")
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise ConfigError(f"prompt file {path} is empty")
    try:
        found = set(PromptTemplate.from_template(text).input_variables)
    except ValueError as exc:  # unbalanced or malformed braces
        raise ConfigError(f"prompt file {path} is not a valid template: {exc}") from exc
    required = REQUIRED_VARIABLES.get(path.name, frozenset())
    missing = sorted(required - found)
    unexpected = sorted(found - required)
    if missing:
        raise ConfigError(f"prompt file {path} lacks the variable {{{missing[0]}}}")
    if unexpected:
        raise ConfigError(
            f"prompt file {path} has the unexpected variable {{{unexpected[0]}}} "
            "(write a literal brace as {{ or }})"
        )
    return text
