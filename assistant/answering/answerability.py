"""Whether a sentence is about what the question asks: its year, group and place qualifiers.

A question naming a year, a group (an acronym such as "KNU") or a place ("in Hpapun") is not
answered by a sentence that leaves that qualifier out and names another of the same sort: a
sentence about the CDF's offer does not answer "How much did the KNDF offer?".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.phrases import GENERIC_TERMS
from assistant.answering.question import QUESTION_WORDS, AnswerKind, answer_kind
from assistant.lexical import terms
from assistant.lexical import word_set as _words

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")
_PLACE = re.compile(r"\b(?:in|at|from|near)\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)")
# Abbreviations that name no group.
_NOT_GROUPS = frozenset(["US", "U", "S", "UK", "AI", "TV", "ID", "AM", "PM", "OK"])


def _years(text: str) -> set[str]:
    return set(_YEAR.findall(text))


def _acronyms(text: str) -> set[str]:
    return {a for a in _ACRONYM.findall(text) if a not in _NOT_GROUPS}


def _places(text: str) -> set[str]:
    return {m.group(1) for m in _PLACE.finditer(text) if not m.group(1).isupper()}


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_NAMED = re.compile(r"(?<=[a-z,] )[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)+")


def missing_subject(question: str, sentence: str) -> str:
    """A group or name the question is about that ``sentence`` does not mention, or "".

    A name of several words counts as mentioned when its first and last words are ("President
    Trump" by "President Donald Trump"), a long one by its last word alone; the source a
    question cites ("According to the FBI, ...") is not what it is about, nor is an aside
    (", including Governor John Carney,")."""
    question = _ASIDE.sub(",", _ACCORDING_TO.sub("", question.translate(_QUOTES)))
    sentence = sentence.translate(_QUOTES).lower()
    named = (
        _acronyms(question) | _places(question) | {m.group(0) for m in _NAMED.finditer(question)}
    )
    for name in sorted(named):
        bare = re.sub(r"'s$", "", name)
        if bare.lower() not in sentence and not _named_by_parts(bare, sentence):
            return bare
    return ""


# Capitalised words of a question that name nothing of its subject: question words, titles,
# days and months.
_NOT_NAMES = _words(
    """
    What Which Who Whom Whose When Where Why How Is Are Was Were Do Does Did Can Could Will
    Would Should Has Have Had The A An In On At Of For From By With And But Or This That These
    Those It Its He She They His Her Their After Before During Since According President
    Secretary Senator Governor Gov Sen Rep Minister Prime Chief Justice Judge King Queen Prince
    Pope General Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Earth
    """
)
_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def unmentioned_name(question: str, text: str) -> str:
    """A name the question states ("Colombian", "Amsterdam", "the Navy") that ``text`` (the
    answer's article) never mentions, or "": an article about another case of the same kind of
    event does not answer. A run of capitalised words counts as mentioned by any one of its
    words ("Pete Hegseth" by "Hegseth"), a word by its stem ("Colombian" by "Colombia"); the
    first word of each of the question's sentences, titles, days and months are no names."""
    question = _ACCORDING_TO.sub("", question.translate(_QUOTES))
    lowered = text.translate(_QUOTES).lower()
    for m in _RUN.finditer(question):
        before = question[: m.start()].rstrip()
        words = [re.sub(r"['’]s$", "", w) for w in m.group(0).split()]
        if not before or before[-1] in '.?!:"“':
            words = words[1:]
        words = [w for w in words if w not in _NOT_NAMES and len(w) > 2]
        if words and not any(_mentioned(w, lowered) for w in words):
            return " ".join(words)
    return ""


def unexplained_event(question: str, article: str) -> str:
    """For a "why" question, a word of the event it asks about that ``article`` never uses
    (by stem), or "": "Why did the KNU refuse to accept the soldiers?" is not explained by an
    article in which nobody refuses anything (a false premise), however good its "in a show
    of ..." clause. Only the clause from "why" counts; question words and words too common
    to name an event are left out."""
    clause = re.search(r"\bwhy\b[^,;?.]*", question, re.IGNORECASE)  # not "Besides ..., why"
    if clause is None or answer_kind(question) is not AnswerKind.REASON:
        return ""
    used = set(terms(article))
    ignored = QUESTION_WORDS | GENERIC_TERMS
    for term in terms(clause.group(0)):
        if len(term) > 2 and term not in ignored and not term.isdigit() and term not in used:
            return term
    return ""


def _mentioned(word: str, lowered: str) -> bool:
    stem = word.lower()[: max(4, len(word) - 3)]
    return re.search(rf"\b{re.escape(stem)}", lowered) is not None


def _named_by_parts(name: str, text: str) -> bool:
    words = [re.sub(r"'s$", "", w) for w in name.split()]
    if words[0].isupper() and len(words[0]) <= 3:
        words = words[1:] or words  # "US Supreme Court": a qualifier, then the name
    needed = [w.lower() for w in (words[-1:] if len(words) >= 4 else [words[0], words[-1]])]
    return all(re.search(rf"\b{re.escape(w)}\b", text) for w in needed)


_ACCORDING_TO = re.compile(r"\b[Aa]ccording to (?:the )?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*,?")
# An aside between commas ("the Delaware delegates, including Governor John Carney, ..."):
# a detail of the subject, which the answering sentence need not repeat.
_ASIDE = re.compile(r",\s+(?:including|such as|among them|notably)\s+[^,?]+,")


def unsupported_year(question: str, passage_text: str, published: str = "") -> str:
    """A year the question asks about that the passage never mentions and that is not its
    article's year of publication (nor before it), or "": "... in 2024?" is not answered by an
    article of 2021, nor by a passage that names no such year."""
    for year in _YEAR.findall(question):
        if year in passage_text:
            continue
        if published[:4].isdigit() and int(year) <= int(published[:4]):
            continue
        return year
    return ""


_FIGURE = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?=(?:st|nd|rd|th|s)?\b)")


def unsupported_number(question: str, passage_text: str) -> str:
    """A figure the question states ("its 19th gold medal", "9,000 jobs") that the passage
    never gives, or "": a passage without it is about another event. Years are
    ``unsupported_year``'s; a figure is looked for with and without its thousands commas."""
    plain = passage_text.replace(",", "")
    for figure in _FIGURE.findall(question):
        if _YEAR.fullmatch(figure) or len(figure) == 1:
            continue  # a year, or a single digit written out as a word ("two")
        bare = figure.replace(",", "")
        if not re.search(rf"(?<![\d.]){re.escape(bare)}(?!\d)", plain):
            return figure
    return ""


def contradicted(question: str, sentence: str) -> tuple[str, str] | None:
    """The question's qualifier and the other of its sort ``sentence`` names instead, or None."""
    question, sentence = question.translate(_QUOTES), sentence.translate(_QUOTES)
    finders: tuple[Callable[[str], set[str]], ...] = (_years, _acronyms, _places)
    for found in finders:
        asked = found(question)
        if not asked:
            continue
        stated = found(sentence)
        missing = {q for q in asked if q.lower() not in sentence.lower()}
        others = {s for s in stated if s.lower() not in question.lower()}
        if missing and others:
            return sorted(missing)[0], sorted(others)[0]
    return None
