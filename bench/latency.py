"""Query latency of ``Assistant.ask()`` (default engine, warm), per stage, by corpus size.

``python -m bench.latency --sizes 2,1000,10000``

Each size is its own index (built once, then reused); every question of the fixed set is asked
once after a few warm-up questions that are not in the set, so the sentence-split cache holds
only what real traffic would have put there.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.common import (
    DEFAULT_WORK,
    SEED,
    corpus_dir,
    open_assistant,
    parse_sizes,
    percentile,
    print_table,
    questions,
    synthetic,
    verdict,
    write_json,
)

STAGES = ["embed_query", "dense", "bm25", "fusion", "retrieve", "answer", "total"]
TARGET_P50_MS, TARGET_P95_MS = 60.0, 150.0  # at 10,000 articles


def measure_size(work: Path, size: int, embeddings: Any, count: int, warmup: int) -> dict:
    bot = open_assistant(work, size, embeddings)
    started = time.perf_counter()
    snapshot = bot.snapshot()
    load_s = time.perf_counter() - started
    articles = corpus_dir(work, size)
    asked = questions(articles, count)
    asked_set = {q["question"] for q in asked}
    spare = questions(articles, count + warmup * 4, SEED + 1)
    for q in [q for q in spare if q["question"] not in asked_set][:warmup]:
        bot.ask(q["question"])

    rows: list[dict[str, Any]] = []
    for q in asked:
        t0, c0 = time.perf_counter(), time.process_time()
        answer = bot.ask(q["question"])
        wall = (time.perf_counter() - t0) * 1000
        # CPU time of all the process's threads: less sensitive to a busy machine than wall.
        cpu = (time.process_time() - c0) * 1000
        found = bool(q["answer"]) and q["answer"].lower() in answer.answer.lower()
        rows.append(
            {
                "question": q["question"],
                "kind": q["kind"],
                "wall_ms": wall,
                "cpu_ms": cpu,
                "abstained": answer.abstained,
                "expected_in_answer": found,
                "timings_ms": answer.timings_ms,
            }
        )
    return {
        "size": size,
        "vectors": "synthetic" if synthetic(work, size) else "real",
        "articles": len(snapshot.committed),
        "chunks": len(snapshot.chunk_ids),
        "vocabulary": len(snapshot.lexical.document_frequency),
        "snapshot_load_s": load_s,
        "questions": len(rows),
        "summary": summarise(rows),
        "runs": rows,
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    stages = list(STAGES)
    for row in rows:
        stages += [k for k in row["timings_ms"] if k not in stages]
    out: dict[str, Any] = {}
    for stage in stages:
        values = [r["timings_ms"][stage] for r in rows if stage in r["timings_ms"]]
        out[stage] = {
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "mean": sum(values) / len(values) if values else float("nan"),
        }
    for key in ("wall", "cpu"):
        values = [r[f"{key}_ms"] for r in rows]
        out[key] = {p: percentile(values, q) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))}
    facts = [r for r in rows if r["kind"] == "fact"]
    off = [r for r in rows if r["kind"] == "off-topic"]
    out["answered_facts"] = sum(r["expected_in_answer"] for r in facts) / max(1, len(facts))
    out["abstained_off_topic"] = sum(r["abstained"] for r in off) / max(1, len(off))
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,1000,10000", help="corpus sizes (2 = shipped)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--name", default="latency", help="artifacts/bench/<name>.json")
    args = parser.parse_args(argv)

    from assistant.embeddings import SentenceTransformerEmbeddings

    embeddings = SentenceTransformerEmbeddings()  # one model for every size, as in a server
    results = [
        measure_size(args.work, size, embeddings, args.questions, args.warmup)
        for size in parse_sizes(args.sizes)
    ]
    print("\nask() latency, ms (warm, default engine; one run per question)")
    print_table(
        ["articles", "chunks", "p50", "p95", "p99", "cpu p50", *[f"{s} p50" for s in STAGES[:-1]]],
        [
            [r["articles"], r["chunks"]]
            + [r["summary"]["total"][p] for p in ("p50", "p95", "p99")]
            + [r["summary"]["cpu"]["p50"]]
            + [r["summary"][s]["p50"] for s in STAGES[:-1]]
            for r in results
        ],
    )
    print_table(
        [
            "articles",
            "vectors",
            "vocabulary",
            "snapshot load s",
            "facts answered",
            "off-topic abstained",
        ],
        [
            [
                r["articles"],
                r["vectors"],
                r["vocabulary"],
                r["snapshot_load_s"],
                r["summary"]["answered_facts"],
                r["summary"]["abstained_off_topic"],
            ]
            for r in results
        ],
    )
    largest = max(results, key=lambda r: r["articles"])
    targets = {
        "articles": largest["articles"],
        "vectors": largest["vectors"],
        "p50_ms": largest["summary"]["total"]["p50"],
        "p50_target_ms": TARGET_P50_MS,
        "p95_ms": largest["summary"]["total"]["p95"],
        "p95_target_ms": TARGET_P95_MS,
    }
    targets["p50"] = verdict(targets["p50_ms"], TARGET_P50_MS, higher_is_better=False)
    targets["p95"] = verdict(targets["p95_ms"], TARGET_P95_MS, higher_is_better=False)
    print(f"\ntargets at {largest['articles']:,} articles: {targets}")
    data = {"targets": targets, "sizes": results}
    write_json(args.name, data)
    return data


if __name__ == "__main__":
    main()
