"""Page furniture: navigation, promo and share lines that are not part of an article.

General rules, not a list of the seed articles' lines: a short line is furniture when it matches a
known furniture pattern, when it repeats inside one article, or when it repeats across articles.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# A furniture line is short; long lines are prose even when they start like a pattern.
MAX_WORDS = 12
MAX_CHARS = 100
# Repetition alone marks a line only when it is this short and does not end like a sentence.
MAX_REPEATED_WORDS = 8

_PATTERNS = [
    r"related( articles| posts| stories| news| content| coverage)?",
    r"(more|other|latest|top) (stories|news|articles|headlines)( from .*)?",
    r"(you|we think you) (may|might|could) (also )?(like|enjoy|be interested in).*",
    r"back to (the )?top( button)?",
    r"skip to (main )?(content|navigation)",
    r"(share|tweet|print|email|e-mail|pin|save)( this)?( article| story| post| page)?"
    r"( on (facebook|twitter|x|linkedin|whatsapp|telegram|reddit))?",
    r"(facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|copy link|share)"
    r"([ ,|/•]+(facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|copy link|email))*",
    r"advertisement|advertising|sponsored( content)?|promoted|ad",
    r"(job vacancy|vacancy|vacancies|careers?|we('re| are) hiring|jobs?)\s*[:|-].*",
    r"(subscribe|sign up|log ?in|register|donate|support (us|our journalism|independent .*))\b.*",
    r"(newsletter|get (the|our) newsletter).*",
    r"(read|see|view|show) (more|also|all|full story|comments)\b.*",
    r"click here\b.*",
    r"(follow|like) us( on .*)?",
    r"featured (image|photo|video)",
    r"(photo|image|picture|video) (credit|source)s?\s*:.*",
    r"(previous|next|older|newer) (article|post|story|page)\b.*",
    r"(tags?|topics?|categor(y|ies)|filed under)\s*:.*",
    r".*\bcookies?\b.*(accept|policy|consent).*|accept( all)? cookies",
    r"(all rights reserved|copyright ©?|©).*",
    r"(loading|please wait)\.*",
    r"(\d+ )?comments?( \(\d+\))?|leave a (comment|reply)|(add|post) a comment",
    r"\d+\s*(minute|min)s?\s+read",
    r"(most (read|popular|viewed|shared)|trending( now)?|editor'?s picks?)",
    r"(home|menu|search|close|open menu|main menu|navigation)",
    r"listen to (this )?(article|story).*",
    r"(print|download) (this )?(article|page|pdf)",
]
_FURNITURE = re.compile(r"^\W*(?:" + "|".join(_PATTERNS) + r")\W*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\"”’)]$")


def is_short(line: str, max_words: int = MAX_WORDS) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= MAX_CHARS and len(stripped.split()) <= max_words


def matches_pattern(line: str) -> bool:
    """True for a short line that looks like navigation, sharing or promotion."""
    return is_short(line) and bool(_FURNITURE.match(line.strip()))


def repeatable(line: str) -> bool:
    """A line that may be furniture when it repeats: short and not a sentence."""
    stripped = line.strip()
    return is_short(stripped, MAX_REPEATED_WORDS) and not _SENTENCE_END.search(stripped)


def repeated_within(lines: Iterable[str]) -> set[str]:
    """Short non-sentence lines that occur more than once in one article."""
    counts = Counter(line.strip() for line in lines if repeatable(line))
    return {line for line, n in counts.items() if n > 1}


def repeated_across(documents: Iterable[Iterable[str]]) -> set[str]:
    """Short non-sentence lines that occur in more than one article."""
    counts: Counter[str] = Counter()
    for lines in documents:
        counts.update({line.strip() for line in lines if repeatable(line)})
    return {line for line, n in counts.items() if n > 1}


def strip_glued_prefix(line: str, furniture: Iterable[str]) -> str:
    """Remove a furniture string glued to the start of a line ("Job Vacancy: XHeadline")."""
    for item in furniture:
        if len(item) >= 8 and line.startswith(item) and len(line) > len(item):
            rest = line[len(item) :]
            if rest[0].isupper() and item[-1].islower():
                return rest
    return line
