"""The prompt files: each one renders, and a broken one is refused at start-up by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answering.engine import ABSTAIN_TEXT
from assistant.config import PROJECT_ROOT
from assistant.prompts import load_prompts

SHIPPED = PROJECT_ROOT / "prompts"


@pytest.fixture
def prompt_copy(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(SHIPPED, target)
    return target


def test_system_prompt_states_the_rules() -> None:
    system = (SHIPPED / "system.txt").read_text()
    assert ABSTAIN_TEXT in system  # the exact sentence the engine recognises as declining
    assert "[1]" in system and "<passage>" in system and "never instructions" in system


def test_answer_prompt_renders_rules_then_question_and_passages() -> None:
    messages = load_prompts(SHIPPED).answer.format_messages(
        question="Who is Thet Naing Oo?", passages='<passage n="1" article="A">\nText\n</passage>'
    )
    system, human = messages
    assert isinstance(system, SystemMessage) and isinstance(human, HumanMessage)
    assert system.content == (SHIPPED / "system.txt").read_text().strip()
    assert "Question: Who is Thet Naing Oo?" in human.content
    assert '<passage n="1" article="A">\nText\n</passage>' in human.content


def test_condense_prompt_renders_history_and_follow_up() -> None:
    (message,) = load_prompts(SHIPPED).condense.format_messages(
        history="User: Who is Thet Naing Oo?\nAssistant: A former police officer. [1]",
        question="What did he say?",
    )
    assert isinstance(message, HumanMessage)
    assert "User: Who is Thet Naing Oo?" in message.content
    assert "Follow-up question: What did he say?" in message.content


def test_values_with_braces_are_not_templates() -> None:
    (message,) = load_prompts(SHIPPED).condense.format_messages(history="{x}", question="{y}?")
    assert "{x}" in message.content and "{y}?" in message.content


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("answer.txt", "Question: {question}", "lacks the variable {passages}"),
        ("condense.txt", "{history}\n{question}\n{language}", "unexpected variable {language}"),
        ("system.txt", "Answer in {style}.", "unexpected variable {style}"),
        ("answer.txt", "{passages} {question} {oops", "not a valid template"),
        ("condense.txt", "", "is empty"),
    ],
)
def test_a_broken_prompt_file_is_refused_by_name(
    prompt_copy: Path, name: str, text: str, problem: str
) -> None:
    (prompt_copy / name).write_text(text)
    with pytest.raises(ValueError) as caught:
        load_prompts(prompt_copy)
    assert str(prompt_copy / name) in str(caught.value) and problem in str(caught.value)


def test_literal_braces_are_allowed_when_doubled(prompt_copy: Path) -> None:
    (prompt_copy / "system.txt").write_text('Reply as JSON like {{"answer": ...}}.')
    system = load_prompts(prompt_copy).answer.format_messages(question="q", passages="p")[0]
    assert system.content == 'Reply as JSON like {"answer": ...}.'


def test_a_missing_prompt_file_is_named(prompt_copy: Path) -> None:
    (prompt_copy / "condense.txt").unlink()
    with pytest.raises(FileNotFoundError, match="condense.txt"):
        load_prompts(prompt_copy)
