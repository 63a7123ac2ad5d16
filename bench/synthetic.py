"""An index whose vectors are synthetic: the scale figures without the hour of embedding.

``python -m bench.synthetic --size 10000``

Embedding 10,000 articles (~70,000 chunks) takes 30+ minutes on 2 quiet cores, hours on a busy
one. What grows with the corpus (Chroma's HNSW search, BM25, the vocabulary, snapshot loading,
memory) does not depend on what the vectors mean, so this builds the same index through
``Assistant.index()`` with deterministic pseudo-random unit vectors instead. Questions are still
embedded by the real model at query time, so per-query cost is real; retrieval *quality* is not,
and results over such an index are labelled ``synthetic_vectors`` in every benchmark's output.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bench.common import DEFAULT_WORK, SYNTHETIC_MARKER, corpus_dir, index_dir, settings_for


class HashEmbeddings(Embeddings):
    """A unit vector seeded by the text's hash: same text, same vector; costs nothing."""

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big")
            v = np.random.default_rng(seed).standard_normal(self.dimension)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    args = parser.parse_args(argv)

    from assistant.factory import build_assistant

    articles, index = corpus_dir(args.work, args.size), index_dir(args.work, args.size)
    shutil.rmtree(index, ignore_errors=True)
    bot = build_assistant(settings_for(index, articles), embeddings=HashEmbeddings())
    started = time.perf_counter()
    report = bot.index(articles)
    (index / SYNTHETIC_MARKER).write_text("vectors are synthetic: see bench/synthetic.py\n")
    seconds = time.perf_counter() - started
    print(
        f"indexed {len(report.added):,} articles, {report.chunks_embedded:,} chunks with "
        f"synthetic vectors into {index} in {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
