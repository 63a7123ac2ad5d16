"""Retrieval quality on real news: this project next to the tutorial peer, in one run.

``python -m bench.retrieval_quality --data /work/data/rtqa`` (after ``bench.realtimeqa prepare``)

1. Indexes ``DATA/articles`` with this project into ``DATA/index`` (``build_assistant``), timing
   the whole ``index()`` run and the raw ``model.encode`` of the same chunk texts on a sample
   (the index ratio = index chunks/s / raw chunks/s). The index is reused when its settings
   fingerprint did not change (then the timing of the run that built it is reported, from
   ``DATA/results/index-<fingerprint>.json``); ``--reindex`` forces a fresh build.
2. For every answerable case of ``DATA/testset.yaml``: ``bot.search.search(snapshot, question,
   top_k=10)`` and whether a gold source article is among the first 1 / 5 / 10 passages,
   per split; the peer (bench/peer.py: dense, BM25, RRF) on the same questions in the same run.
   A second row for the project searches as ``ask(as_of=the case's as_of)`` does (its time
   frame, and only articles published by then). Besides each split, a "reported" subset: the
   cases whose listed source was published in the REPORTED_DAYS before the case's ``as_of``,
   i.e. the archive holds a report of that week's event; the other sources are older articles
   that merely contain the answer string (RealTime QA's labels are the question's search
   results that contain it), which no ranking of the week's news is meant to put first.
3. ``ask()`` latency p50 / p95 over all the questions (answerable and not).

Prints a table and writes ``DATA/results/retrieval-<time>.json`` (and ``retrieval-latest.json``).
Run it again after changing retrieval: the index is rebuilt only if chunking or the model changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import machine, percentile, print_table, settings_for

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

KS = (1, 5, 10)
RAW_SAMPLE = 1000  # texts encoded raw for the ratio: enough for a steady rate
REPORTED_DAYS = 31


def load_cases(data: Path) -> list[dict[str, Any]]:
    from assistant.evaluation.testset import load_testset

    return [c.model_dump() for c in load_testset(data / "testset.yaml")]


def canonical_ids(folder: Path) -> dict[str, str]:
    """Article id -> the first id (in name order) with the same body text. Wire copies under two
    URLs are one article to the indexer (it keeps one), so either counts as the gold source."""
    first: dict[str, str] = {}
    out = {}
    for path in sorted(folder.glob("*.md")):
        body = path.read_text(encoding="utf-8").partition("\n---\n")[2].strip()
        out[path.stem] = first.setdefault(hashlib.sha256(body.encode()).hexdigest(), path.stem)
    return out


def canonical_cases(cases: list[dict[str, Any]], canon: dict[str, str]) -> list[dict[str, Any]]:
    return [c | {"sources": sorted({canon.get(s, s) for s in c["sources"]})} for c in cases]


def published_dates(folder: Path) -> dict[str, date]:
    """Article id -> the ``published`` date of its front matter, where it has one."""
    from assistant.ingest.readers import parse_document

    out = {}
    for path in sorted(folder.glob("*.md")):
        published = parse_document(path, path.read_bytes()).meta.get("published", "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[:10]):
            out[path.stem] = date.fromisoformat(published[:10])
    return out


def with_reported(cases: list[dict[str, Any]], published: dict[str, date]) -> list[dict[str, Any]]:
    """Each case marked ``reported`` when a listed source appeared in the REPORTED_DAYS up to
    its ``as_of`` (a report of the event asked about is in the archive)."""

    def reported(case: dict[str, Any]) -> bool:
        as_of = case.get("as_of")
        return as_of is not None and any(
            0 <= (as_of - published[s]).days <= REPORTED_DAYS
            for s in case["sources"]
            if s in published
        )

    return [c | {"reported": reported(c)} for c in cases]


def canonical_rankings(ranked: list[list[str]], canon: dict[str, str]) -> list[list[str]]:
    return [[canon.get(a, a) for a in r] for r in ranked]


def hits(ranked: list[list[str]], gold: list[set[str]]) -> dict[str, float]:
    """hit@k: share of questions with a gold article among the first k of its ranking."""
    n = max(1, len(gold))
    return {
        f"hit@{k}": round(
            sum(bool(set(r[:k]) & g) for r, g in zip(ranked, gold, strict=True)) / n, 4
        )
        for k in KS
    }


def per_split(cases: list[dict[str, Any]], ranked: list[list[str]]) -> dict[str, dict[str, float]]:
    """hit@k per split, and on each split's ``reported`` cases where cases are so marked."""
    out = {}
    for split in ("tune", "heldout", "all"):
        idx = [i for i, c in enumerate(cases) if split in ("all", c["split"])]
        subsets = {split: idx}
        if any("reported" in cases[i] for i in idx):
            subsets[f"{split}, reported"] = [i for i in idx if cases[i].get("reported")]
        for name, kept in subsets.items():
            out[name] = hits([ranked[i] for i in kept], [set(cases[i]["sources"]) for i in kept])
            out[name]["n"] = len(kept)
    return out


def index_project(data: Path, reindex: bool, raw_sample: int) -> tuple[Any, dict[str, Any]]:
    """The assistant over DATA/articles, indexed (timed) if needed, and the index figures."""
    from assistant.factory import build_assistant
    from bench.indexing import indexer_batches, raw_embedding

    articles, index = data / "articles", data / "index"
    settings = settings_for(index, articles)
    record = data / "results" / f"index-{settings.index_fingerprint()}.json"
    if reindex and index.exists():
        shutil.rmtree(index)
    bot = build_assistant(settings)
    if not bot.needs_index() and record.exists():
        report = bot.index(articles)  # incremental: a no-op when the articles did not change
        figures = json.loads(record.read_text())
        figures["reused"] = True
        figures["reindex_changed_articles"] = (
            len(report.added) + len(report.updated) + len(report.removed)
        )
        return bot, figures
    if not bot.needs_index():  # indexed, but by a run that left no timing: do not re-time it
        bot.index(articles)
        print("index present without a timing record; pass --reindex to time a fresh build")
        return bot, {"reused": True, "fingerprint": settings.index_fingerprint()}
    bot.embeddings.embed_documents(["warm up"])  # loading the model is startup, not indexing
    load = os.getloadavg()
    print(f"indexing {articles} into {index} ...", flush=True)
    t0 = time.perf_counter()
    report = bot.index(articles)
    index_s = time.perf_counter() - t0
    # The raw encode of the same chunk texts, grouped as the indexer groups them, right after.
    groups, _, _ = indexer_batches(articles, settings)
    total_texts = sum(len(g) for g in groups)
    raw_texts, raw_s, _ = raw_embedding(bot.embeddings, groups, raw_sample)
    print(f"raw encode: {raw_texts:,} texts in {raw_s:.1f} s ({raw_texts / raw_s:.1f}/s)")
    chunks = report.chunks_embedded
    figures = {
        "reused": False,
        "fingerprint": settings.index_fingerprint(),
        "articles": len(report.added),
        "failed": len(report.failed),
        "chunks_embedded": chunks,
        "chunk_texts": total_texts,
        "index_s": round(index_s, 1),
        "index_chunks_per_s": round(chunks / index_s, 2),
        "raw_texts": raw_texts,
        "raw_s": round(raw_s, 1),
        "raw_chunks_per_s": round(raw_texts / raw_s, 2),
        "index_ratio": round((chunks / index_s) / (raw_texts / raw_s), 3),
        "load_average_before": load,
        "load_average_after": os.getloadavg(),
        "machine": machine(),
    }
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "machine"}, indent=2))
    return bot, figures


def project_rankings(
    bot: Any, cases: list[dict[str, Any]], top_k: int, as_of: bool = False
) -> list[list[str]]:
    """Per case, the article ids of the project's passages in rank order; with ``as_of``, as
    ``ask(as_of=case["as_of"])`` searches: its time frame, only articles published by then."""
    from assistant.models import Filters
    from assistant.question_time import question_time

    snapshot = bot.snapshot()
    out = []
    for c in cases:
        day = c.get("as_of") if as_of else None
        frame = question_time(c["question"], day) if day else None
        filters = Filters(published_to=day) if day else None
        passages = bot.search.search(snapshot, c["question"], filters, top_k=top_k, frame=frame)
        out.append([p.article_id for p in passages])
    return out


def ask_latency(bot: Any, cases: list[dict[str, Any]]) -> dict[str, Any]:
    bot.ask(cases[0]["question"])  # warm-up: first-call costs are startup's, not ask's
    times, refused = [], {"answerable": 0, "unanswerable": 0}
    for c in cases:
        t0 = time.perf_counter()
        answer = bot.ask(c["question"])
        times.append((time.perf_counter() - t0) * 1000)
        if getattr(answer, "abstained", False):
            refused["answerable" if c["answerable"] else "unanswerable"] += 1
    return {
        "questions": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "abstained": refused,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="bench.realtimeqa prepare --out")
    parser.add_argument("--reindex", action="store_true", help="rebuild the project's index")
    parser.add_argument("--index-only", action="store_true", help="build the index(es) and stop")
    parser.add_argument("--raw-sample", type=int, default=RAW_SAMPLE)
    parser.add_argument("--no-peer", action="store_true", help="skip the peer")
    parser.add_argument(
        "--peer-bm25-only", action="store_true", help="only the peer's BM25 (needs no peer index)"
    )
    parser.add_argument("--no-latency", action="store_true", help="skip ask() latency")
    parser.add_argument("--top-k", type=int, default=10)
    args = parser.parse_args(argv)
    run(args)


def run(args: argparse.Namespace) -> dict[str, Any]:
    data: Path = args.data
    load_start = os.getloadavg()
    bot, index_figures = index_project(data, args.reindex, args.raw_sample)
    if args.index_only:
        return index_figures
    cases = load_cases(data)
    canon = canonical_ids(data / "articles")
    answerable = canonical_cases([c for c in cases if c["answerable"]], canon)
    answerable = with_reported(answerable, published_dates(data / "articles"))
    results: dict[str, Any] = {"index": index_figures, "systems": {}}
    t0 = time.perf_counter()
    ranked = canonical_rankings(project_rankings(bot, answerable, args.top_k), canon)
    search_s = time.perf_counter() - t0
    results["systems"]["this project"] = per_split(answerable, ranked)
    results["search_ms_mean"] = round(search_s * 1000 / max(1, len(answerable)), 1)
    if any(c.get("as_of") for c in answerable):
        dated = canonical_rankings(project_rankings(bot, answerable, args.top_k, True), canon)
        results["systems"]["this project, as_of"] = per_split(answerable, dated)
    if not args.no_peer:
        from bench.peer import Peer

        peer = Peer.lexical(data) if args.peer_bm25_only else Peer.open(data)
        results["peer_index"] = peer.figures
        for name, rankings in peer.rankings(
            [c["question"] for c in answerable], args.top_k
        ).items():
            rankings = canonical_rankings(rankings, canon)
            results["systems"][f"peer: {name}"] = per_split(answerable, rankings)
    if not args.no_latency:
        results["ask"] = ask_latency(bot, cases)
    results["misses_at_5"] = [
        c["id"]
        for c, r in zip(answerable, ranked, strict=True)
        if not set(r[:5]) & set(c["sources"])
    ]
    results["machine"] = machine()
    results["load_average_start"] = load_start
    report(results)
    out = data / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (f"retrieval-{stamp}.json", "retrieval-latest.json"):
        (out / name).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"wrote {out / f'retrieval-{stamp}.json'}")
    return results


def report(results: dict[str, Any]) -> None:
    rows = []
    for name, splits in results["systems"].items():
        for split, s in splits.items():
            rows.append([name, split, s["n"], s["hit@1"], s["hit@5"], s["hit@10"]])
    print_table(["system", "split", "questions", "hit@1", "hit@5", "hit@10"], rows)
    ix = results["index"]
    print(
        f"index: {ix.get('chunks_embedded', 0):,} chunks in {ix.get('index_s')} s, "
        f"ratio to raw encode {ix.get('index_ratio')} ({'reused' if ix['reused'] else 'built now'})"
    )
    if "ask" in results:
        a = results["ask"]
        print(f"ask(): p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms over {a['questions']} questions")
    print(
        f"load average: start {results['load_average_start']}, end {results['machine']['load_average']}"
    )


if __name__ == "__main__":
    main()
