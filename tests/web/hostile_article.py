"""An article that tries, in every field, to run script or to fetch a canary URL."""

from __future__ import annotations

HOSTILE_ID = "hostile_ferry"
HOSTILE_QUESTION = "How did the Port Amsel ferry strike end?"


def hostile_article(canary: str) -> str:
    """An article whose every field tries to run script or fetch ``canary``."""
    return f"""---
title: "Ferry strike ends <script>window.__pwned = 'title'</script>"
outlet: "<img src=x onerror=\\"window.__pwned = 'outlet'\\">Harbour Gazette"
published: 2021-03-05
url: "javascript:window.__pwned = 'url'"
---
The Port Amsel ferry strike ended on Friday when the crews accepted a four percent raise <script>window.__pwned = 'body'; alert('script')</script> after eleven days.

The union said the Port Amsel ferries would run again on Saturday <img src=x onerror="window.__pwned = 'img'; alert('img')"> with a full timetable.

Readers can [read the agreement](javascript:alert('md-link')) or <a href="javascript:alert('a')">the union's statement</a>, ${{alert('template')}} {{{{constructor.constructor('alert(1)')()}}}}.

The harbour master's photo <img src="{canary}/img.png"> and map <iframe src="{canary}/frame.html"></iframe> were not published.
"""
