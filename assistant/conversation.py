"""Follow-up questions without an LLM: resolve pronouns and fragments from the earlier turns."""

from __future__ import annotations

import re

from assistant.models import Turn

_FOLLOW_UP = re.compile(
    r"^(and|but|also|what about|how about|so|then|or)\b|\b(they|them|their|it|its|he|him|his|she|her|"
    r"those|these|that|this|there)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "which",
        "did",
        "do",
        "does",
        "many",
        "much",
        "that",
        "this",
        "these",
        "those",
        "they",
        "them",
        "their",
        "it",
        "its",
        "he",
        "his",
        "she",
        "her",
        "there",
        "also",
        "so",
        "then",
        "said",
        "say",
        "says",
        "tell",
        "me",
        "please",
    ]
)


_CONNECTIVE = re.compile(
    r"^(?:and|but|also|so|then|or)\b[,\s]*|^(?:(?:and\s+)?(?:what|how)\s+about)\b[,\s]*",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(?:he|him|his|she|her|they|them|their|it|its|that group|this group|those|these)\b",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|did|do|does|has|have|had|can|could|will|would|should|may|might)\b"
    r"|\b\w+(?:ed|ing)\b",
    re.IGNORECASE,
)
_WH_START = re.compile(
    r"^(?:in |on |at |from |for |by )?(?:how many|how much|which|what|who|whom|where|when|why|how)"
    r"\b[^?]*?(?=\s+(?:is|are|was|were|did|do|does|has|have|had)\b|\?|$)",
    re.IGNORECASE,
)
_AUX_ON = re.compile(r"\s(?:is|are|was|were|did|do|does|has|have|had)\b.*$", re.IGNORECASE)
_PERSON = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,3}\b")
_NOT_PEOPLE = re.compile(
    r"\b(?:The|National|Union|Force|Army|Government|Service|Channel|Agreement|League|Embrace|"
    r"Myanmar|Who|What|When|Where|Which|Why|How|In|On)\b"
)
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_PLURAL = re.compile(r"\bthe\s+(?:[a-z-]+\s+){0,2}[a-z]+s\b")
_SUBJECT = re.compile(r"\b(?:has|have|did|does|do|is|was|were|are)\s+(the\s+[a-z]+)\b")


def is_follow_up(question: str) -> bool:
    """Questions that lean on an earlier turn: a leading "And ..."/"What about ...", a pronoun
    standing for something named before, or a fragment without a verb ("In which town?")."""
    if _CONNECTIVE.search(question) or _PRONOUN.search(question):
        return True
    return len(question.split()) <= 4 and not _VERB.search(question)


def resolve_question(question: str, history: list[Turn]) -> str:
    """A self-contained form of a follow-up question, built from the earlier turns; the
    question itself when it stands alone or there is no history."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous or not is_follow_up(question):
        return question
    last_question = previous[-1]
    last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    rest = _CONNECTIVE.sub("", question).strip()
    rest = rest[:1].upper() + rest[1:]
    if not _VERB.search(rest):
        rest = _complete(rest, last_question)
    earlier = " ".join(previous)  # "they" may stand for a group named two questions back
    return _replace_pronouns(rest, last_question, last_answer, earlier)


def _complete(fragment: str, previous: str) -> str:
    """ "How many police?" after "How many members ... have switched sides?" -> "How many
    police have switched sides?"; "the police?" -> the earlier question about the police."""
    tail = _AUX_ON.search(previous)
    if _WH_START.match(fragment) and tail:
        return f"{fragment.rstrip(' ?')}{tail.group(0)}"
    counted = re.match(
        r"(?i)how many\s+(?:[^?]*?(?=\s+(?:have|has|had|did|do|does|are|were|is|was|will|"
        r"would)\b)|[a-z]+)",
        previous,
    )
    if counted:  # "And the police?" after "How many soldiers ...?"
        noun = re.sub(r"(?i)^(?:the|all|those|these)\s+", "", fragment.rstrip(" ?"))
        return f"How many {noun}{previous[counted.end() :]}"
    head = _WH_START.match(previous)
    if head and tail:
        return f"{head.group(0)} {fragment.rstrip(' ?')}{tail.group(0)}"
    return f"{fragment.rstrip(' ?')}: {previous}"


def _replace_pronouns(question: str, previous: str, answer: str, earlier: str) -> str:
    person = _last_person(answer) or _last_person(previous)
    group = _last_group(previous) or _last_group(answer)
    plural = _PLURAL.findall(previous) or _PLURAL.findall(earlier)
    things = {
        "he": person,
        "him": person,
        "she": person,
        "her": person,
        "his": f"{person}’s" if person else "",
        "it": group,
        "its": f"{group}’s" if group else "",
        "that group": group,
        "this group": group,
        "they": plural[-1] if plural else "",
        "them": plural[-1] if plural else "",
        "their": f"{plural[-1]}’" if plural else "",
    }

    used: set[str] = set()

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        thing = things.get(word.lower()) or word
        if thing.rstrip("’s") in used:
            return word  # "When did that group announce it?": the group once is enough
        used.add(thing.rstrip("’s"))
        return thing

    return _PRONOUN.sub(swap, question)


def _last_person(text: str) -> str:
    names = [m.group(0) for m in _PERSON.finditer(text) if not _NOT_PEOPLE.search(m.group(0))]
    return names[-1] if names else ""


def _last_group(text: str) -> str:
    acronyms = _ACRONYM.findall(text)
    if acronyms:
        return f"the {acronyms[-1]}"
    subject = _SUBJECT.search(text)
    return subject.group(1) if subject else ""


def key_terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’'-]+", text) if w.lower() not in _STOP and len(w) > 1]


def search_query_for(question: str, history: list[Turn]) -> str:
    """The resolved question, plus the last user question's key terms when it reads as a
    follow-up (they help retrieval find the passage the conversation is about)."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous or not is_follow_up(question):
        return question
    resolved = resolve_question(question, history)
    carried = [t for t in key_terms(previous[-1]) if t.lower() not in resolved.lower()]
    return f"{resolved} {' '.join(carried)}".strip()
