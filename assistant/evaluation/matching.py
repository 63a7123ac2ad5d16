"""How an answer is compared with what a case expects (rules in evals/README.md).

Containment (the secondary metric): an expected fact must occur in the answer as whole words,
case-insensitively, numbers compared as numbers: thousands separators are ignored ("1,000" =
"1000"), and a number never matches inside a longer one ("12" is not in "2012", "120" or
"12.5"). Short answers (the primary metric once engines give one) are scored as in SQuAD:
exact match and token F1 after lower-casing and removing punctuation, articles and extra spaces.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import lru_cache

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def normalise_for_match(text: str) -> str:
    """Lower case, straight quotes, no thousands separators, single spaces."""
    text = _THOUSANDS.sub("", text.lower().translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _pattern(fact: str) -> re.Pattern[str] | None:
    norm = normalise_for_match(fact)
    if not norm:
        return None
    body = r"\s+".join(re.escape(word) for word in norm.split(" "))
    # Word edges only where the fact has a word character, so "$3,037" or "U.S." still match
    # after punctuation; a digit edge also refuses a decimal or grouped continuation.
    head = r"(?<!\w)" if norm[0].isalnum() or norm[0] == "_" else ""
    head += r"(?<!\d[.,])" if norm[0].isdigit() else ""
    tail = r"(?!\w)" if norm[-1].isalnum() or norm[-1] == "_" else ""
    tail += r"(?![.,]\d)" if norm[-1].isdigit() else ""
    return re.compile(head + body + tail)


def fact_found(fact: str, answer_text: str) -> bool:
    """True when ``fact`` occurs in ``answer_text`` as whole words (numbers as numbers)."""
    pattern = _pattern(fact)
    return pattern is not None and pattern.search(normalise_for_match(answer_text)) is not None


def group_found(group: list[str], answer_text: str) -> bool:
    """True when any alternative of the group is found."""
    return any(fact_found(alt, answer_text) for alt in group)


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation + "‘’“”–—")


def squad_normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower().translate(_PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, golds: list[str]) -> float:
    """1.0 when the normalised prediction equals any normalised gold answer, else 0.0."""
    pred = squad_normalise(prediction)
    return float(any(pred == squad_normalise(g) for g in golds))


def token_f1(prediction: str, golds: list[str]) -> float:
    """The best token-overlap F1 between the prediction and a gold answer (SQuAD)."""
    pred = squad_normalise(prediction).split()
    best = 0.0
    for gold in golds:
        ref = squad_normalise(gold).split()
        if not pred or not ref:
            best = max(best, float(pred == ref))
            continue
        common = sum((Counter(pred) & Counter(ref)).values())
        if common:
            precision, recall = common / len(pred), common / len(ref)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best
