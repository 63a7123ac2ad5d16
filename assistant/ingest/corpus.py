"""Load a folder of article files into cleaned ``Article`` values, reporting bad files by name."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ArticlesNotFound
from assistant.ingest import furniture
from assistant.ingest.metadata import (
    date_from_url,
    parse_date,
    read_byline,
    read_credit,
    read_dateline,
    read_written_by,
)
from assistant.ingest.readers import (
    SUPPORTED_SUFFIXES,
    ArticleError,
    RawDocument,
    parse_document,
    read_bytes,
)
from assistant.models import Article

log = logging.getLogger(__name__)

HEADER_LINES = 6  # datelines and bylines sit in the first lines under the title
TRAILER_LINES = 3  # "Original Post: X" credits sit in the last lines


@dataclass
class CorpusLoad:
    articles: list[Article] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> reason
    warnings: list[str] = field(default_factory=list)


def article_files(folder: Path) -> list[Path]:
    """Every regular, non-hidden file under ``folder``, in a stable order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def load_corpus(folder: Path, max_bytes: int = 5_000_000) -> CorpusLoad:
    """Read, parse and clean every supported file under ``folder``."""
    if not folder.is_dir():
        raise ArticlesNotFound(f"articles folder does not exist: {folder}")
    result = CorpusLoad()
    raws: list[RawDocument] = []
    for path in article_files(folder):
        name = str(path.relative_to(folder))
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            result.warnings.append(f"{name}: skipped, unsupported file type {path.suffix!r}")
            continue
        try:
            raws.append(parse_document(path, read_bytes(path, max_bytes)))
        except ArticleError as exc:
            result.failed[name] = str(exc)
        except OSError as exc:
            result.failed[name] = f"cannot read file: {exc.strerror or exc}"
    across = furniture.repeated_across(_candidate_lines(raw) for raw in raws)
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    for raw in raws:
        name = str(raw.path.relative_to(folder))
        try:
            article = clean_document(raw, across, result.warnings, name)
        except ArticleError as exc:
            result.failed[name] = str(exc)
            continue
        text_key = hashlib.sha256(article.text.encode()).hexdigest()
        if article.id in seen_ids:
            result.failed[name] = (
                f"article id {article.id!r} already used by {seen_ids[article.id]}"
            )
        elif text_key in seen_text:
            result.failed[name] = (
                f"duplicate of {seen_text[text_key]} (same text), not indexed twice"
            )
        else:
            seen_ids[article.id] = seen_text[text_key] = name
            result.articles.append(article)
    return result


def _candidate_lines(raw: RawDocument) -> list[str]:
    lines = raw.text.split("\n")
    return lines[1:] if raw.title_in_text else lines


def clean_document(raw: RawDocument, across: set[str], warnings: list[str], name: str) -> Article:
    """Remove furniture, lift the title and text-given metadata, and rebuild paragraphs."""
    lines = raw.text.split("\n")
    known = across | furniture.repeated_within(lines)
    glued = known | {line.strip() for line in lines if furniture.matches_pattern(line)}
    kept: list[str] = []
    for line in lines:
        line = furniture.strip_glued_prefix(line, glued)
        stripped = line.strip()
        if stripped and (stripped in known or furniture.matches_pattern(stripped)):
            continue
        kept.append(line)

    title, meta = raw.title, dict(raw.meta)
    if raw.title_in_text:
        first = next((i for i, line in enumerate(kept) if line.strip()), None)
        if first is None:
            raise ArticleError("no article text after removing page furniture")
        if first > 0 and not lines[0].strip():
            warnings.append(f"{name}: no title on the first line; title left empty")
        else:
            title = kept[first].strip()
            kept = kept[first + 1 :]
    elif not title:
        warnings.append(f"{name}: no title given; title left empty")

    kept = _lift_header(kept, meta)
    kept = _lift_trailer(kept, meta)
    text = _paragraphs(kept)
    if not text:
        raise ArticleError("no article text (only a title, or only page furniture)")
    if not meta.get("author"):
        meta["author"] = read_written_by(text[-400:])
    if meta.get("published"):
        meta["published"] = parse_date(meta["published"])
    if not meta.get("published") and meta.get("url"):
        meta["published"] = date_from_url(meta["url"])  # given by the source, not guessed
    article_fields = {k: meta.get(k, "") or "" for k in ("outlet", "published", "author", "url")}
    digest = hashlib.sha256(
        json.dumps([title, article_fields, text], ensure_ascii=False).encode()
    ).hexdigest()
    return Article(
        id=raw.id,
        title=title,
        text=text,
        content_hash=digest,
        source_path=str(raw.path),
        **article_fields,
    )


def _lift_header(lines: list[str], meta: dict[str, str]) -> list[str]:
    """Take a dateline or byline among the first lines into ``meta`` and out of the text."""
    out, seen = [], 0
    for line in lines:
        if line.strip() and seen < HEADER_LINES:
            seen += 1
            dateline = read_dateline(line)
            if dateline and not meta.get("published"):
                meta["published"] = dateline[0]
                if dateline[1] and not meta.get("author"):
                    meta["author"] = dateline[1]
                continue
            byline = read_byline(line)
            if byline and not meta.get("author"):
                meta["author"] = byline
                continue
        out.append(line)
    return out


def _lift_trailer(lines: list[str], meta: dict[str, str]) -> list[str]:
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for i in reversed(nonblank[-TRAILER_LINES:]):
        outlet = read_credit(lines[i])
        if outlet:
            if not meta.get("outlet"):
                meta["outlet"] = outlet
            lines = lines[:i] + lines[i + 1 :]
    return lines


def _paragraphs(lines: list[str]) -> str:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)
