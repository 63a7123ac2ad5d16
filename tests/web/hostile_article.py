"""An article that tries, in every field, to run script or to fetch a canary URL."""

from __future__ import annotations

from urllib.parse import urlsplit

HOSTILE_ID = "hostile_ferry"
HOSTILE_QUESTION = "How did the Port Amsel ferry strike end?"
HOSTILE_ASKED = "<img src=x onerror=\"alert('q')\"> [x](javascript:alert('md')) ${alert(1)}?"
# For page.evaluate in a page or frame: the payloads that are live in its DOM (an element with an
# event-handler attribute, a script carrying one, an image or frame fetching the canary or "x", a
# javascript: link), each as the start of its HTML. Empty when everything stayed text.
LIVE_PAYLOADS_JS = r"""() => Array.from(document.querySelectorAll('*')).filter(el =>
  Array.from(el.attributes).some(a => /^on/i.test(a.name)) ||
  (el.tagName === 'SCRIPT' && /__pwned|alert\(/.test(el.textContent)) ||
  (/^(IMG|IFRAME)$/.test(el.tagName) && /canary|(^|\/)x$/.test(el.getAttribute('src') || '')) ||
  /^\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || '')
).map(el => el.outerHTML.slice(0, 160))"""


def is_payload_url(url: str) -> bool:
    """A request only a live payload would make: the canary, the image "x", a javascript: URL."""
    return "/canary" in url or urlsplit(url).path.endswith("/x") or url.startswith("javascript:")


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
