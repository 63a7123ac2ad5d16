"""Server-rendered pages of the chat: an article with the cited passage marked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from assistant.web import ui_render as render
from assistant.web.api import BotDep

router = APIRouter(include_in_schema=False)

# The page is built from escaped text and needs no script at all, so it is allowed none: even an
# escaping mistake could not run anything here.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    bot: BotDep,
    article_id: Annotated[str, Path(max_length=200)],
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    """The whole cleaned article; ``start``/``end`` (a citation's offsets) are highlighted."""
    article = bot.article(article_id)
    csp = f"{PAGE_CSP}; frame-ancestors {' '.join(request.app.state.frame_ancestors)}"
    headers = {"Content-Security-Policy": csp}
    if article is None:
        return HTMLResponse(render.missing_article_page(article_id), 404, headers=headers)
    return HTMLResponse(render.article_page(article, start, end), headers=headers)
