"""Ingestion: files -> cleaned ``Article`` values (readers, furniture removal, metadata)."""

from assistant.ingest.corpus import CorpusLoad, load_corpus

__all__ = ["CorpusLoad", "load_corpus"]
