"""One FastAPI app serving the chat (/), the embed (/embed), the API (/api/v1) and /healthz."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from fastapi import FastAPI

from assistant.config import Settings
from assistant.errors import IndexBusy
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.web.client_timeouts import header_timeout_protocol

log = logging.getLogger(__name__)

# Gradio posts the browser's copy of the conversation with every question, so pages get more
# room than the JSON API, whose own limit is api.max_body_bytes.
UI_MAX_BODY_BYTES = 2_000_000
_SETTINGS_ENV = "ASSISTANT_WEB_SETTINGS_JSON"  # hands the settings to worker processes


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The whole web app over one service; builds the service from settings when none is given."""
    from assistant.web import api, pages, security

    if assistant is None:
        from assistant.factory import build_assistant

        assistant = build_assistant(settings)
    app = FastAPI(
        title="Newsroom assistant",
        summary="Answers questions about news articles, citing verified passages.",
        version="1",
    )
    feedback = FeedbackStore.in_folder(settings.data.dir)
    app.state.assistant = assistant
    app.state.feedback = feedback
    app.state.settings = settings
    app.state.api_keys = [k.get_secret_value().encode() for k in settings.api.keys]
    app.state.frame_ancestors = security.frame_ancestors(settings.api.frame_ancestors)
    security.install(app, settings.api, max(UI_MAX_BODY_BYTES, settings.api.max_body_bytes))
    api.install_error_handlers(app)
    app.include_router(api.health)
    app.include_router(api.router)
    app.include_router(pages.router)
    _mount_chats(app, assistant, feedback, settings)
    return app


def _mount_chats(
    app: FastAPI, assistant: Assistant, feedback: FeedbackStore, settings: Settings
) -> None:
    """The Gradio chat at / and its compact twin at /embed, over the same handlers."""
    import gradio as gr

    from assistant.web import theme
    from assistant.web.chat import ChatHandlers
    from assistant.web.embed import EMBED_CSS, build_embed
    from assistant.web.ui import build_ui

    export_dir = settings.data.dir / "exports"
    handlers = ChatHandlers(assistant, feedback, export_dir)
    engines, default = sorted(assistant.engines), assistant.settings.answer.engine
    # No run history: the chat keeps its own, and Gradio's offers to upload runs elsewhere.
    mount: dict[str, Any] = {
        "theme": theme.theme(),
        "ssr_mode": False,
        "run_history": False,
        "head": theme.head_script(),  # citation links, clean copy, feedback on finished answers
    }
    # /embed first: the chat's mount at / would otherwise take its requests.
    embed = build_embed(handlers)
    gr.mount_gradio_app(app, embed, "/embed", css=EMBED_CSS, footer_links=[], **mount)
    gr.mount_gradio_app(
        app,
        build_ui(handlers, engines, default),
        "/",
        css=theme.CSS,
        footer_links=["api"],
        allowed_paths=[str(export_dir)],  # the feedback CSV behind the download button
        **mount,
    )


def serve(
    settings: Settings, host: str | None = None, port: int | None = None, workers: int = 1
) -> None:
    """Index the articles if the index needs it, then serve the app with uvicorn."""
    import uvicorn

    from assistant.console import print_report, run_index
    from assistant.factory import build_assistant

    host, port = host or settings.host, port or settings.port
    # Serving: one torch thread per model call, so concurrent questions use every core instead
    # of fighting over them (BENCHMARKS.md, "Serving"); an explicit setting wins.
    settings = settings.with_overrides(embedding={"threads": settings.embedding.threads or 1})
    bot = build_assistant(settings)
    if bot.needs_index():
        try:
            print_report(run_index(bot, settings.articles.dir))
        except IndexBusy as exc:
            log.warning("not indexing at start: %s", exc)
    http: Any = header_timeout_protocol(settings.api.client_timeout_s)  # a class, to uvicorn
    if workers <= 1:
        try:
            uvicorn.run(create_app(settings, bot), host=host, port=port, http=http)
        finally:
            bot.close()
        return
    bot.close()  # each worker opens its own; this process only indexed
    log.warning(
        "%d workers: the JSON API scales out, but a Gradio chat session lives in one process;"
        " for the chat, put single-worker instances behind a proxy with sticky sessions",
        workers,
    )
    # Worker processes import the app afresh, so they get the settings through the environment.
    os.environ[_SETTINGS_ENV] = json.dumps(_plain(settings), default=str)
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=http,
    )


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process started by ``serve(workers=N)``."""
    raw = os.environ.get(_SETTINGS_ENV)
    return create_app(Settings(**json.loads(raw)) if raw else Settings())


def _plain(settings: Settings) -> dict[str, Any]:
    def reveal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reveal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [reveal(v) for v in value]
        return value.get_secret_value() if hasattr(value, "get_secret_value") else value

    plain: dict[str, Any] = reveal(settings.model_dump(mode="python"))
    return plain
