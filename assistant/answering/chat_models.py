"""Building a LangChain chat model from ``LLMSettings``; providers' packages are optional extras."""

from __future__ import annotations

import importlib.util
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.config import LLMSettings
from assistant.errors import LLMNotConfigured, MissingExtra

# Provider prefix of "provider:model" -> this project's extra that installs its package.
EXTRAS = {"openai": "openai", "anthropic": "anthropic", "ollama": "ollama"}
MAX_RETRIES = 1  # one retry for a dropped connection; more would stretch the wait past timeout_s


def build_chat_model(settings: LLMSettings) -> BaseChatModel:
    """An OpenAI-compatible client when ``base_url`` is set, else ``init_chat_model(model)``."""
    if settings.base_url:
        return openai_compatible(settings)
    if not settings.model:
        raise LLMNotConfigured(
            "no LLM configured: set llm.model (ASSISTANT_LLM_MODEL, e.g. 'openai:gpt-4o-mini') "
            "or llm.base_url (ASSISTANT_LLM_BASE_URL) for an OpenAI-compatible server"
        )
    return from_model_string(settings)


def describe(settings: LLMSettings) -> str:
    """The model and where it runs, for error messages."""
    where = f" at {settings.base_url}" if settings.base_url else ""
    return f"model {settings.model or '(unnamed)'!r}{where}"


def install_hint(extra: str) -> str:
    return f"pip install 'newsroom-assistant[{extra}]'"


def openai_compatible(settings: LLMSettings) -> BaseChatModel:
    """``ChatOpenAI`` pointed at a vLLM, llama.cpp or LM Studio server."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise MissingExtra(
            f"an OpenAI-compatible server (llm.base_url) needs langchain-openai: "
            f"{install_hint('openai')}"
        ) from exc
    # A placeholder key, so an OPENAI_API_KEY in the environment is never sent to a local server.
    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return ChatOpenAI(
        base_url=settings.base_url,
        model=settings.model or "default",
        api_key=key,  # type: ignore[arg-type]  # accepts str as well as SecretStr
        temperature=settings.temperature,
        max_completion_tokens=settings.max_tokens,
        # langchain-openai sends only max_completion_tokens, which llama.cpp's server and older
        # vLLM ignore (generating until the context is full); the classic field bounds them too.
        extra_body={"max_tokens": settings.max_tokens},
        timeout=settings.timeout_s,
        max_retries=MAX_RETRIES,
        stream_usage=False,  # not every compatible server knows stream_options
    )


def from_model_string(settings: LLMSettings) -> BaseChatModel:
    """``init_chat_model`` for "provider:model"; a missing provider package names its extra."""
    from langchain.chat_models import init_chat_model

    provider, _, name = settings.model.partition(":")
    if not name:  # no prefix: let LangChain infer the provider from the model name
        provider, name = "", settings.model
    extra = EXTRAS.get(provider)
    # Checked first: for some providers (ollama) LangChain falls back to langchain-community and
    # fails there with an AttributeError that names no package.
    if extra and importlib.util.find_spec(f"langchain_{provider}") is None:
        raise MissingExtra(
            f"the LLM {describe(settings)} needs its provider package: " + install_hint(extra)
        )
    try:
        return init_chat_model(
            name, model_provider=provider or None, **_provider_kwargs(provider, settings)
        )
    except ImportError as exc:
        hint = install_hint(extra) if extra else str(exc)
        raise MissingExtra(
            f"the LLM {describe(settings)} needs its provider package: {hint}"
        ) from exc


def _provider_kwargs(provider: str, settings: LLMSettings) -> dict[str, Any]:
    """Temperature, output cap and timeout under the names each provider's class uses."""
    if provider == "ollama":
        # ChatOllama silently ignores max_tokens/timeout: it has its own names for them.
        return {
            "temperature": settings.temperature,
            "num_predict": settings.max_tokens,
            "client_kwargs": {"timeout": settings.timeout_s},
        }
    kwargs: dict[str, Any] = {
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "timeout": settings.timeout_s,
        "max_retries": MAX_RETRIES,
    }
    if settings.api_key:
        kwargs["api_key"] = settings.api_key.get_secret_value()
    return kwargs
