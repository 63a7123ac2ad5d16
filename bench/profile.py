"""Profiles of ``ask()`` and ``index()`` (pyinstrument), plus timings of the suspected hot spots.

``python -m bench.profile ask --size 1000``
``python -m bench.profile index --size 1000 --limit 300``

Writes artifacts/bench/profile-ask-<size>.{txt,html,json} (call tree; median ms of the suspected
hot spots over the question set; snapshot load parts) and profile-index-<limit>.{txt,html,json}
(``index()`` of the first <limit> articles into an empty index, with the real model).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import (
    ARTIFACTS,
    DEFAULT_WORK,
    SEED,
    corpus_dir,
    open_assistant,
    print_table,
    questions,
    settings_for,
    write_json,
)


def median_ms(fn: Callable[[Any], Any], items: list[Any]) -> float:
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def profiled(name: str, fn: Callable[[], Any]) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    fn()
    profiler.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (ARTIFACTS / f"{name}.txt").write_text(text)
    (ARTIFACTS / f"{name}.html").write_text(profiler.output_html())
    print(text[:6000])


def snapshot_parts(bot: Any) -> dict[str, float]:
    """What building a snapshot spends (Chroma reads, then BM25), and opening a saved one."""
    from assistant.lexical import LexicalIndex
    from assistant.storage.snapshot import IndexSnapshot

    state = bot.store.state()
    fp = state.fingerprint
    t0 = time.perf_counter()
    bot.store.committed(fp)
    t1 = time.perf_counter()
    chunks = list(bot.store.iter_chunks(fp))
    t2 = time.perf_counter()
    LexicalIndex([f"{c.article.title}\n{c.text}" for c in chunks])
    t3 = time.perf_counter()
    IndexSnapshot.open(
        bot.reader._snapshot_dir() / f"{fp}-{state.generation}", fp, state.generation
    )
    t4 = time.perf_counter()
    return {
        "manifest_read_s": t1 - t0,
        "chunks_read_s": t2 - t1,
        "bm25_build_s": t3 - t2,
        "saved_snapshot_open_s": t4 - t3,
    }


def profile_ask(work: Path, size: int) -> dict[str, Any]:
    from assistant.answering.engine import Evidence
    from assistant.embeddings import SentenceTransformerEmbeddings
    from assistant.lexical import terms
    from assistant.models import Filters
    from assistant.sentences import sentence_spans

    embeddings = SentenceTransformerEmbeddings()
    bot = open_assistant(work, size, embeddings)
    snap = bot.snapshot()
    asked = [q["question"] for q in questions(corpus_dir(work, size))]
    for q in questions(corpus_dir(work, size), 10, SEED + 1):
        bot.ask(q["question"])
    profiled(f"profile-ask-{size}", lambda: [bot.ask(q) for q in asked])

    fp, lexical = snap.fingerprint, snap.lexical
    vectors = {q: embeddings.embed_query(q) for q in asked}
    passages = {q: bot.search.search(snap, q) for q in asked}
    unknown = [t for q in asked for t in terms(q) if t not in lexical.document_frequency]
    texts = [p.text for q in asked for p in passages[q]]
    sentences = [p.text[s:e] for p in passages[asked[0]] for s, e in sentence_spans(p.text)]
    ids = [p.article_id for q in asked for p in passages[q][:2]]
    collection = bot.store.chunks(fp)
    view = bot.reader.view()
    outlet = snap.chunk(0).article.outlet
    timings = {
        "embed_query": median_ms(embeddings.embed_query, asked),
        "chroma_query_30": median_ms(lambda q: bot.store.query(fp, vectors[q], 30), asked),
        "chroma_count": median_ms(lambda _: collection.count(), asked),
        "bm25_search": median_ms(lambda q: lexical.search(q, 30), asked),
        # uncached: a repeated word is answered from the index's cache
        "closest_term_unknown_term": median_ms(lexical._closest_term, unknown or ["zzzzq"]),
        "mask_one_outlet": median_ms(lambda _: snap.mask(Filters(outlets=(outlet,))), asked[:10]),
        "sentence_split_passage_uncached": median_ms(sentence_spans, texts),
        "embed_shortlist_9": median_ms(lambda _: embeddings.embed_documents(sentences[:9]), asked),
        "article_fetch": median_ms(lambda a: bot.store.article(fp, a), ids),
        "answer_stage_vectors_cached": median_ms(
            lambda q: bot.engines["extractive"].answer(
                Evidence(q, q, [], passages[q], view.article_text, view.term_weight)
            ),
            asked,
        ),
    }
    return {
        "size": size,
        "chunks": len(snap.chunk_ids),
        "vocabulary": len(lexical.document_frequency),
        "unknown_query_terms": len(unknown),
        "snapshot": snapshot_parts(bot),
        "median_ms": timings,
    }


def profile_index(work: Path, size: int, limit: int) -> dict[str, Any]:
    from assistant.chunking import chunk_article
    from assistant.embeddings import SentenceTransformerEmbeddings
    from assistant.factory import build_assistant
    from assistant.ingest import load_corpus

    scratch = Path(tempfile.mkdtemp(prefix="bench-profile-index-"))
    try:
        articles = scratch / "articles"
        articles.mkdir()
        for path in sorted(corpus_dir(work, size).glob("*.md"))[:limit]:
            shutil.copy(path, articles)
        embeddings = SentenceTransformerEmbeddings()
        embeddings.embed_documents(["warm up"] * 8)
        t0 = time.perf_counter()
        corpus = load_corpus(articles)
        t1 = time.perf_counter()
        chunks = [chunk_article(a, 256, 48) for a in corpus.articles]
        t2 = time.perf_counter()
        bot = build_assistant(settings_for(scratch / "index", articles), embeddings=embeddings)
        profiled(f"profile-index-{limit}", lambda: bot.index(articles))
        t3 = time.perf_counter()
        bot.index(articles)
        t4 = time.perf_counter()
        return {
            "articles": limit,
            "chunks": sum(len(c) for c in chunks),
            "load_corpus_s": t1 - t0,
            "chunking_s": t2 - t1,
            "noop_reindex_s": t4 - t3,
        }
    finally:
        shutil.rmtree(scratch)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["ask", "index"])
    parser.add_argument("--size", type=int, default=1000, help="corpus size (2 = shipped)")
    parser.add_argument("--limit", type=int, default=300, help="index: articles to index")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    args = parser.parse_args(argv)
    if args.what == "ask":
        data = profile_ask(args.work, args.size)
        print_table(["hot spot", "median ms"], list(data["median_ms"].items()))
        print_table(["snapshot load part", "s"], list(data["snapshot"].items()))
    else:
        data = profile_index(args.work, args.size, args.limit)
        print_table(["part", "value"], list(data.items()))
    scale = args.size if args.what == "ask" else args.limit  # as the call tree's file name
    write_json(f"profile-{args.what}-{scale}", data)
    return data


if __name__ == "__main__":
    main()
