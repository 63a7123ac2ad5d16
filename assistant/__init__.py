"""Newsroom question answering over news articles, with verified citations.

The library API comes first; the CLI, the web app and the evaluation runner are shells over it::

    from assistant import Settings, build_assistant
    bot = build_assistant(Settings())
    bot.index()
    print(bot.ask("Who is Thet Naing Oo?").answer)
"""

from assistant.config import Settings
from assistant.factory import build_assistant
from assistant.models import Answer, Article, Chunk, Citation, Filters, IndexReport, Passage, Turn
from assistant.service import Assistant

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Chunk",
    "Citation",
    "Filters",
    "IndexReport",
    "Passage",
    "Settings",
    "Turn",
    "build_assistant",
]
