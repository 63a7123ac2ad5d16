"""The JSON API under /api/v1, and /healthz: thin translations to and from the ``Assistant``.

Plain ``def`` routes run in FastAPI's threadpool, so the service's blocking calls never hold up
the event loop; the streaming route hands its iterator to the threadpool explicitly.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answering.engine import AnswerEvent
from assistant.errors import AssistantError
from assistant.feedback import ExportFormat, FeedbackStore
from assistant.service import Assistant
from assistant.web.schemas import AnswerOut, AskRequest, FeedbackRequest, FeedbackSaved
from assistant.web.security import require_api_key


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant  # type: ignore[no-any-return]


def _feedback(request: Request) -> FeedbackStore:
    return request.app.state.feedback  # type: ignore[no-any-return]


BotDep = Annotated[Assistant, Depends(_assistant)]
FeedbackDep = Annotated[FeedbackStore, Depends(_feedback)]
ArticleId = Annotated[str, Path(max_length=200)]

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_api_key)], tags=["api"])
health = APIRouter(tags=["health"])
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.post("/ask", response_model=AnswerOut)
def ask(body: AskRequest, bot: BotDep) -> dict[str, Any]:
    """Answer a question; the body of the reply is the answer contract (``Answer.to_dict()``)."""
    return bot.ask(
        body.question, body.turns(), body.to_filters(), body.engine, body.as_of
    ).to_dict()


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "``delta`` events with text, then an ``answer`` event whose data is "
            "an Answer (or an ``error`` event with a ``detail``)",
            "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Answer"}}},
        }
    },
)
async def ask_stream(body: AskRequest, bot: BotDep) -> StreamingResponse:
    """Server-sent events: ``delta`` events with text, then one ``answer`` event (the contract).

    A failure after the first event is sent as an ``error`` event with its ``detail``.
    """
    events = bot.ask_stream(body.question, body.turns(), body.to_filters(), body.engine, body.as_of)
    # Pull the first event here, so a bad question or a missing index is an HTTP error
    # (through the AssistantError handler) rather than a broken stream.
    first = await run_in_threadpool(next, events, None)
    return StreamingResponse(
        _sse(first, events), media_type="text/event-stream", headers=SSE_HEADERS
    )


@router.get("/status")
def status(bot: BotDep) -> dict[str, Any]:
    """What the archive holds: article count, oldest and newest publication date, articles
    without a date, when it was last indexed, and the engines on offer."""
    return bot.stats()


@router.get("/articles")
def list_articles(bot: BotDep) -> list[dict[str, Any]]:
    """The indexed articles' ids and metadata."""
    return bot.articles()


@router.get("/articles/{article_id}")
def get_article(article_id: ArticleId, bot: BotDep) -> dict[str, Any]:
    """One article's cleaned text (every citation offset points into it) and metadata."""
    article = bot.article(article_id)
    if article is None:
        raise HTTPException(404, f"no indexed article has the id {article_id!r}")
    return {"id": article.id, **article.metadata(), "text": article.text}


@router.post("/feedback", status_code=201)
def post_feedback(body: FeedbackRequest, feedback: FeedbackDep) -> FeedbackSaved:
    """Store a like or dislike of an answer."""
    saved = feedback.record(
        body.question, body.answer, body.citations, body.engine, body.rating, body.comment
    )
    return FeedbackSaved(id=saved)


@router.get("/feedback/export")
def export_feedback(
    feedback: FeedbackDep, fmt: Annotated[ExportFormat, Query(alias="format")] = "jsonl"
) -> Response:
    """Every stored rating, as JSON lines (default) or CSV."""
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    disposition = f'attachment; filename="feedback.{fmt}"'
    return Response(
        feedback.export(fmt), media_type=media, headers={"Content-Disposition": disposition}
    )


@health.get("/healthz")
def healthz(bot: BotDep) -> JSONResponse:
    """Whether the index is loaded, with its counts; 503 when it is not. Needs no API key."""
    try:
        stats = bot.stats()
    except AssistantError as exc:
        return JSONResponse(
            {"status": "unavailable", "index_loaded": False, "detail": exc.message}, 503
        )
    keys = ("articles", "chunks", "indexed_at", "engines")
    return JSONResponse({"status": "ok", "index_loaded": True, **{k: stats[k] for k in keys}})


def install_error_handlers(app: FastAPI) -> None:
    """Every refusal is JSON with a readable ``detail``, under the status its error maps to."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(AssistantError, _assistant_error)


async def _sse(first: AnswerEvent | None, events: Iterator[AnswerEvent]) -> AsyncIterator[str]:
    try:
        if first is not None:
            yield _sse_event(first)
        async for event in iterate_in_threadpool(events):
            yield _sse_event(event)
    except AssistantError as exc:
        detail = {"detail": exc.message, "status": exc.status}
        yield f"event: error\ndata: {json.dumps(detail, ensure_ascii=False)}\n\n"


def _sse_event(event: AnswerEvent) -> str:
    if event.answer is not None:
        return f"event: answer\ndata: {json.dumps(event.answer.to_dict(), ensure_ascii=False)}\n\n"
    return f"event: delta\ndata: {json.dumps({'text': event.delta}, ensure_ascii=False)}\n\n"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The inputs are left out: echoing a 20,000-character question back helps nobody.
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'body'}: {e['msg']}" for e in errors)
    return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)


async def _assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    return JSONResponse({"detail": exc.message}, status_code=exc.status)
