"""The CI slice of the RealTime QA dev corpus (``python -m bench.realtimeqa slice``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bench.realtimeqa import RESULTS_FILE, SLICE_ARTICLES, write_testset


def make_slice(data: Path, out: Path, max_articles: int = SLICE_ARTICLES) -> dict[str, Any]:
    """A small slice for CI: answerable questions taken in a stable hashed order, each with all
    of its own search-result articles (its gold sources and the near misses a search engine
    found for it), while the articles stay within ``max_articles``."""
    import yaml

    cases = yaml.safe_load((data / "testset.yaml").read_text(encoding="utf-8"))["cases"]
    results = {}
    for line in (data / RESULTS_FILE).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        results[row["id"]] = row["results"]
    answerable = sorted(
        (c for c in cases if c["answerable"]),
        key=lambda c: hashlib.sha1(c["id"].encode()).hexdigest(),
    )
    chosen: dict[str, None] = {}
    kept = []
    for case in answerable:
        ids = results.get(case["id"], [])
        if set(case["sources"]) - set(ids):
            continue
        if len(chosen.keys() | set(ids)) <= max_articles:
            chosen.update(dict.fromkeys(ids))
            kept.append(case)
    folder = out / "articles"
    if folder.exists():
        for old in folder.glob("*.md"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for aid in sorted(chosen):
        (folder / f"{aid}.md").write_text(
            (data / "articles" / f"{aid}.md").read_text(encoding="utf-8"), encoding="utf-8"
        )
    kept.sort(key=lambda c: c["id"])
    weeks = sorted({c["id"].split("-")[1] for c in kept})
    write_testset(out / "testset.yaml", kept, weeks)
    summary = {
        "articles": len(chosen),
        "questions": len(kept),
        "per_split": {s: sum(c["split"] == s for c in kept) for s in ("tune", "heldout")},
        "weeks": weeks,
    }
    return summary
