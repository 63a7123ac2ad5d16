"""The test-set file format (YAML or JSONL), documented in evals/README.md."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import TestSetError
from assistant.models import Filters, Turn


class HistoryTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answerable: bool
    expected: list[list[str]] = []
    short: list[str] = []  # acceptable short answers (SQuAD-style EM/F1), answerable cases only
    sources: list[str] = []
    history: list[HistoryTurn] = []
    filters: dict[str, Any] = {}
    as_of: date | None = None  # ask as the archive stood that day (the question's own date)
    split: Literal["tune", "heldout"] = "tune"
    category: str = "general"
    notes: str = ""

    @field_validator("expected", mode="before")
    @classmethod
    def _groups_as_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [[str(x) for x in (g if isinstance(g, list) else [g])] for g in value]
        return value

    @field_validator("short", mode="before")
    @classmethod
    def _shorts_as_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [str(x) for x in value]
        return [str(value)] if isinstance(value, (str, int, float)) else value

    @model_validator(mode="after")
    def _consistent(self) -> EvalCase:
        if self.answerable and not self.expected:
            raise ValueError("an answerable case needs at least one expected group")
        if not self.answerable and (self.expected or self.short):
            raise ValueError("an unanswerable case must not list expected facts or short answers")
        if any(not group for group in self.expected):
            raise ValueError("an expected group is empty")
        Filters.from_dict(self.filters)  # raises on a bad date
        return self

    def turns(self) -> list[Turn]:
        return [Turn(t.role, t.content) for t in self.history]

    def filter_values(self) -> Filters:
        return Filters.from_dict(self.filters)


def load_testset(path: Path) -> list[EvalCase]:
    """Read a YAML (``cases:`` list, or a bare list) or JSONL test set and validate every case."""
    if not path.is_file():
        raise TestSetError(f"test set not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            raw = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            loaded = yaml.safe_load(text)
            raw = loaded.get("cases", []) if isinstance(loaded, dict) else loaded
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise TestSetError(f"{path}: cannot parse: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise TestSetError(f"{path}: no cases found (expected a list under 'cases:')")
    cases, seen = [], set()
    for i, item in enumerate(raw):
        label = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            case = EvalCase.model_validate(item)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}" for e in exc.errors()
            )
            raise TestSetError(f"{path}: case {label}: {problems}") from None
        if case.id in seen:
            raise TestSetError(f"{path}: case id {case.id!r} is used twice")
        seen.add(case.id)
        cases.append(case)
    return cases
