"""Retrieval levers on a prepared RealTime QA folder, one run: article hit@1/5/10 per split.

``python -m bench.retrieval_levers --data /work/data/rtqa --configs configs.json``

``configs.json`` is a list of objects, each a row: ``RetrievalSettings`` fields to change
(``{"title_weight": 0.5}``), an optional ``name``, and ``as_of``: ``true`` reads each question's
time words against its week (from the case id ``rtqa-YYYYMMDD-n``), ``"all"`` also treats
every question without time words as a "recent" one; ``as_of_filter`` also keeps only articles
published by that day, as ``ask(as_of=...)`` does. Settings are swapped on one ``Assistant``
and only ``search()`` runs, so every row sees the same machine load. Besides article hits it
prints "answer in": the expected short answer occurs in the first k passages (title or text).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import settings_for
from bench.retrieval_quality import canonical_cases, canonical_ids, canonical_rankings, per_split

KS = (1, 5, 10)


def _week(case_id: str) -> date:
    found = re.search(r"rtqa-(\d{4})(\d{2})(\d{2})", case_id)
    if not found:
        raise ValueError(f"no week in case id {case_id!r}")
    return date(*(int(g) for g in found.groups()))


def _answer_in(case: dict[str, Any], texts: list[str], k: int) -> bool:
    answers = [a.lower() for group in case["expected"] for a in group]
    return any(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", t) for t in texts[:k] for a in answers)


def main() -> None:
    from assistant.factory import build_assistant
    from assistant.models import Filters
    from assistant.question_time import TimeFrame, question_time
    from bench.retrieval_quality import load_cases

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--configs", type=Path, required=True)
    parser.add_argument("--dump", type=Path, help="write every row's rankings here (JSON)")
    args = parser.parse_args()

    bot = build_assistant(settings_for(args.data / "index", args.data / "articles"))
    if bot.needs_index():
        raise SystemExit(f"{args.data / 'index'} is not indexed: run bench.retrieval_quality")
    canon = canonical_ids(args.data / "articles")
    cases = canonical_cases([c for c in load_cases(args.data) if c["answerable"]], canon)
    snapshot = bot.snapshot()
    base = bot.search.settings
    vectors = [bot.search.embeddings.embed_query(c["question"]) for c in cases]
    dump: dict[str, Any] = {"cases": [[c["id"], c["split"], c["sources"]] for c in cases]}
    for config in json.loads(args.configs.read_text("utf-8")):
        config = dict(config)
        name = config.pop("name", None) or json.dumps(config)
        as_of = config.pop("as_of", False)
        as_of_filter = config.pop("as_of_filter", False)
        bot.search.settings = base.model_copy(update=config)
        ranked: list[list[str]] = []
        found: dict[int, list[bool]] = {k: [] for k in KS}
        start = time.perf_counter()
        for case, vector in zip(cases, vectors, strict=True):
            frame, filters = None, None
            if as_of:
                day = _week(case["id"])
                frame = question_time(case["question"], day)
                if as_of == "all" and frame.empty:
                    frame = TimeFrame(recent=True, reference=day)
                if as_of_filter:
                    filters = Filters(published_to=day)
            passages = bot.search.search(
                snapshot, case["question"], filters, top_k=10, vector=vector, frame=frame
            )
            ranked.append([p.article_id for p in passages])
            texts = [f"{p.title} {p.text}".lower() for p in passages]
            for k in KS:
                found[k].append(_answer_in(case, texts, k))
        ms = (time.perf_counter() - start) / len(cases) * 1000
        hits = per_split(cases, canonical_rankings(ranked, canon))
        dump[name] = ranked

        row = {s: "/".join(f"{hits[s][f'hit@{k}']:.3f}" for k in KS) for s in hits}
        answer = {
            split: "/".join(f"{sum(found[k][i] for i in idx) / len(idx):.3f}" for k in KS)
            for split in ("tune", "heldout")
            for idx in [[i for i, c in enumerate(cases) if c["split"] == split]]
        }
        print(
            f"{name:44s} tune {row['tune']}  held-out {row['heldout']}  all {row['all']}  "
            f"{ms:.0f} ms/q | answer in: tune {answer['tune']} held-out {answer['heldout']}",
            flush=True,
        )
    if args.dump:
        args.dump.write_text(json.dumps(dump), "utf-8")


if __name__ == "__main__":
    main()
