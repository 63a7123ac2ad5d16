"""Quotes checked against the article FILES, independently of the store and of verification.

The answer stage builds each quote from the store's copy of an article and marks it verified;
checking it against that same copy proves nothing. Here the evaluation reads the file the
article was indexed from (an article's id is its file's stem, the ingest rule) and looks for the
quote in it after three normalisations only, applied to both sides (evals/README.md):

1. Unicode NFC;
2. invisible characters removed: soft hyphen, zero-width space/joiners, word joiner, byte-order
   mark, and control characters other than whitespace;
3. every run of whitespace (spaces, tabs, newlines, no-break spaces) collapsed to one space.

Ingest also drops page furniture and lifts datelines, which only removes lines, so a quote of
the cleaned text is still a substring of the normalised file. HTML files are read as the text
the HTML reader extracts (a quote cannot be looked up among tags).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from assistant.ingest.corpus import article_files
from assistant.ingest.readers import SUPPORTED_SUFFIXES, ArticleError, parse_document

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
_HTML = (".html", ".htm")


def normalise_source(text: str) -> str:
    """The documented normalisations: NFC, invisible characters dropped, whitespace collapsed."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _WHITESPACE.sub(" ", text).strip()


class SourceFiles:
    """Normalised file text by article id, read lazily from one articles folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._paths: dict[str, Path] | None = None
        self._texts: dict[str, str | None] = {}

    def _path_of(self, article_id: str) -> Path | None:
        if self._paths is None:
            self._paths = {}
            if self.folder.is_dir():
                for path in article_files(self.folder):
                    if path.suffix.lower() in SUPPORTED_SUFFIXES:
                        self._paths.setdefault(path.stem, path)  # ingest keeps the first too
        return self._paths.get(article_id)

    def text(self, article_id: str) -> str | None:
        """The article file's normalised text, or None when no file has that id."""
        if article_id not in self._texts:
            path = self._path_of(article_id)
            self._texts[article_id] = None if path is None else _read(path)
        return self._texts[article_id]

    def contains(self, article_id: str, quote: str) -> bool:
        """True when ``quote`` (normalised) occurs in the article's file (normalised)."""
        text = self.text(article_id)
        needle = normalise_source(quote)
        return bool(needle) and text is not None and needle in text


def _read(path: Path) -> str | None:
    try:
        data = path.read_bytes()
        if path.suffix.lower() in _HTML:
            return normalise_source(parse_document(path, data).text)
        return normalise_source(data.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ArticleError):
        return None
