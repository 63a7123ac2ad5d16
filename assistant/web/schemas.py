"""Request bodies of the HTTP API, and its answer's response model (derived from ``Answer``)."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from assistant.models import ANSWER_PASSAGE_FIELDS, Answer, Filters, Passage, Turn

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
    # Answer as the archive stood that day: only articles published by then; "this week" and
    # "latest" read relative to it. Default: relative to the newest article.
    as_of: date | None = None

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


# -- the answer contract -------------------------------------------------------------------
def model_of(
    cls: type, only: tuple[str, ...] = (), replace: dict[str, Any] | None = None
) -> type[BaseModel]:
    """A pydantic model with the fields of the dataclass ``cls`` (``only`` some, when given).

    Nested dataclasses become models too and tuples become lists, as ``Answer.to_dict()``
    writes them; ``replace`` gives a field another type.
    """
    hints = typing.get_type_hints(cls)
    chosen = [f for f in dataclasses.fields(cls) if not only or f.name in only]
    specs: dict[str, Any] = {}
    for f in chosen:
        kind = (replace or {}).get(f.name) or _json_type(hints[f.name])
        if f.default is not dataclasses.MISSING:
            specs[f.name] = (kind, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            specs[f.name] = (kind, Field(default_factory=f.default_factory))
        else:
            specs[f.name] = (kind, ...)
    model: type[BaseModel] = create_model(cls.__name__, __doc__=cls.__doc__, **specs)
    return model


def _json_type(kind: Any) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return model_of(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return list[_json_type(args[0])]  # type: ignore[misc]
    if origin is tuple:
        return list[Any]
    if origin in (typing.Union, types.UnionType):
        converted = tuple(_json_type(a) for a in args)
        return typing.Union[converted]  # noqa: UP007  (built from a tuple of types)
    if origin is dict:
        return dict[_json_type(args[0]), _json_type(args[1])]  # type: ignore[misc]
    return kind


AnswerPassage = model_of(Passage, only=ANSWER_PASSAGE_FIELDS)
AnswerOut = model_of(Answer, replace={"passages": list[AnswerPassage]})  # type: ignore[valid-type]
