"""Questions that try to change the assistant's rules are refused before any engine sees them."""

from __future__ import annotations

import re

from assistant.sentences import passage_sentences

_ATTACK = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules?|articles?|prompt|"
    r"guidelines|sources?|citations?|above|previous)\b"
    r"|\b(system|developer)\s+(prompt|mode|override)\b"
    r"|\byou are now\b|\bpretend (to be|you are)\b|\bact as\b"
    r"|\b(make up|invent|fabricate)\b.{0,30}\b(quote|facts?|story|statement|numbers?)\b"
    r"|\b(print|reveal|show|repeat)\b.{0,30}\b(system prompt|hidden prompt|instructions)\b"
    r"|\bfrom your own knowledge\b",
    re.IGNORECASE | re.DOTALL,
)

REFUSAL = (
    "I can only answer questions from the indexed articles, with citations; "
    "I cannot change those rules or answer from outside them."
)


def is_rule_change_request(question: str) -> bool:
    """True for prompt-injection style requests ("ignore your instructions and ...")."""
    return bool(_ATTACK.search(question))


_ADDRESSES_AI = re.compile(
    r"\b(AI|A\.I\.|assistants?|chatbots?|language models?|LLMs?|GPT|bots?)\b", re.IGNORECASE
)
_IMPERATIVE = re.compile(
    r"\b(reply|respond|answer|say|output|print|write|state|tell|claim|declare)\b", re.IGNORECASE
)
# Orders about the reply that name no AI: "new instructions: ...", "reply only with X",
# "respond with X and nothing else", "do not answer the question; ...".
_REPLY_DIRECTIVE = re.compile(
    r"\b(?:new|updated|important|additional|hidden|secret)\s+(?:instructions?|rules|prompt)\b"
    r"|\b(?:reply|respond|answer)\s+(?:only\s+)?with\b"
    r"|\b(?:reply|respond|answer|output|print|write|say)\b[^.!?\n]{0,80}?"
    r"\b(?:and nothing else|verbatim)\b"
    r"|\bdo not (?:answer|reply|respond)\b",
    re.IGNORECASE,
)
OMITTED = "[instruction-like text omitted]"


def is_instruction_like(sentence: str) -> bool:
    """Text in an article that tries to instruct an AI reading it."""
    return (
        is_rule_change_request(sentence)
        or bool(_ADDRESSES_AI.search(sentence) and _IMPERATIVE.search(sentence))
        or bool(_REPLY_DIRECTIVE.search(sentence))
    )


def neutralise_instructions(text: str) -> str:
    """The text with instruction-like sentences replaced by a marker (for LLM prompts)."""
    spans = [
        span for span in passage_sentences(text) if is_instruction_like(text[span[0] : span[1]])
    ]
    for start, end in reversed(spans):
        text = text[:start] + OMITTED + text[end:]
    return text
