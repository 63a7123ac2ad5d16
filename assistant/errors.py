"""Every failure a person can act on, in one hierarchy.

Each error carries a message written for the person who will read it and the HTTP status it maps
to. Every shell catches ``AssistantError`` once: the API answers ``{"detail": message}`` with
``status``, the SSE stream sends an ``error`` event, the chat shows the message in place of an
answer, and the CLI prints one ``error:`` line and exits with ``exit_code``. Anything else that
escapes is a bug, and its traceback is what is needed.

Bad input also subclasses ``ValueError`` and the unavailable services ``RuntimeError``, as they
did before this module existed, so callers that caught those still do.
"""

from __future__ import annotations


class AssistantError(Exception):
    """A failure with a message for a person; ``status`` is the HTTP status it maps to."""

    status: int = 503
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- bad input (the asker can fix it) ------------------------------------------------------
class BadInput(AssistantError, ValueError):
    """Input the assistant refuses; the message says what to change."""

    status = 422
    exit_code = 2


class BadQuestion(BadInput):
    """An empty or over-long question."""


class BadFilter(BadInput):
    """A retrieval filter that cannot be read (a date not written as YYYY-MM-DD, ...)."""


class NoMatchingArticles(BadFilter):
    """The filters (or ``as_of``) exclude every article of the archive."""


class UnknownEngine(BadInput):
    """An answer engine that is not configured."""

    status = 400


class TestSetError(BadInput):
    """An evaluation test set that cannot be read or has invalid cases."""

    __test__ = False  # not a pytest test class, despite the name


class ArticleError(BadInput):
    """An article file that cannot be read as an article (one file; the corpus load goes on)."""


class ArticlesNotFound(AssistantError, FileNotFoundError):
    """The articles folder does not exist."""

    status = 422
    exit_code = 2


# -- the index -----------------------------------------------------------------------------
class NotIndexed(AssistantError, RuntimeError):
    """The index holds nothing yet for the current settings."""

    status = 503


class IndexBusy(AssistantError, RuntimeError):
    """Another process is indexing the same index folder."""

    status = 409


class StoreUnavailable(AssistantError, RuntimeError):
    """The vector store cannot be reached, read or written."""

    status = 503


# -- models --------------------------------------------------------------------------------
class LLMUnavailable(AssistantError, RuntimeError):
    """The chat model or its server failed: refused the connection or returned an error."""

    status = 503


class LLMTimeout(LLMUnavailable):
    """The chat model's server did not answer in time."""

    status = 504


class LLMNotConfigured(AssistantError, ValueError):
    """An LLM is needed (engine ``llm``, ``--judge``) but none is configured."""

    status = 503
    exit_code = 2


class MissingExtra(AssistantError, RuntimeError):
    """An optional package is not installed; the message names the ``pip install`` to run."""

    status = 503
    exit_code = 2


class ModelMissing(AssistantError, RuntimeError):
    """The embedding model cannot be found."""

    status = 503
    exit_code = 2


# -- configuration -------------------------------------------------------------------------
class ConfigError(AssistantError, ValueError):
    """A setting, or a file the settings name (a prompt, a model folder), is unusable."""

    status = 503
    exit_code = 2


class ConfigFileMissing(ConfigError, FileNotFoundError):
    """A file or folder the settings name does not exist."""
