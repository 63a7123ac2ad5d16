"""Request bodies of the HTTP API; the answer itself is ``Answer.to_dict()``."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.models import Filters, Turn

# Generous caps against abuse; the question's own limit (api.max_question_chars) is checked with
# the service's message, so an over-long question reads the same in the API and in the chat.
Text = Annotated[str, Field(max_length=50_000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Body(BaseModel):
    """Unknown fields are refused, so a misspelt option is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Message(Body):
    role: Literal["user", "assistant"]
    content: Text


class FiltersIn(Body):
    article_ids: list[Name] = Field(default_factory=list, max_length=500)
    outlets: list[Name] = Field(default_factory=list, max_length=100)
    published_from: date | None = None
    published_to: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> FiltersIn:
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError("published_from is after published_to")
        return self

    def to_filters(self) -> Filters:
        return Filters(
            article_ids=tuple(self.article_ids),
            outlets=tuple(self.outlets),
            published_from=self.published_from,
            published_to=self.published_to,
        )


class AskRequest(Body):
    question: Text
    history: list[Message] = Field(default_factory=list, max_length=50)
    filters: FiltersIn | None = None
    engine: Annotated[str, Field(max_length=50)] | None = None

    def turns(self) -> list[Turn]:
        return [Turn(m.role, m.content) for m in self.history]

    def to_filters(self) -> Filters | None:
        return self.filters.to_filters() if self.filters else None


class FeedbackRequest(Body):
    question: Text
    answer: Text
    rating: Literal["like", "dislike"]
    citations: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    engine: Annotated[str, Field(max_length=50)] = ""
    comment: Annotated[str, Field(max_length=5_000)] = ""

    @field_validator("citations")
    @classmethod
    def _strict_json(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # NaN/Infinity would be stored and make the JSON-lines export invalid JSON.
        try:
            json.dumps(value, allow_nan=False)
        except ValueError:
            raise ValueError("citations must be plain JSON (no NaN or Infinity)") from None
        return value


class FeedbackSaved(BaseModel):
    id: int
