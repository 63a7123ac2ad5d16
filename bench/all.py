"""Every benchmark in one go: ``python -m bench.all --quick`` (minutes) or without (hours).

``--quick`` uses a 200-article corpus and short load levels, and writes *-quick.json; the full
run uses 1,000 and 10,000 articles (the 10,000-article index is built once if missing, which
takes the better part of an hour on 2 cores) and writes the figures BENCHMARKS.md reports.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench import indexing, latency, serving, startup
from bench.common import DEFAULT_WORK, print_table, write_json

QUICK = 200


def run(work: Path, quick: bool) -> dict[str, Any]:
    w = ["--work", str(work)]
    suffix = "-quick" if quick else ""
    small = str(QUICK) if quick else "1000"
    results: dict[str, Any] = {}
    results["indexing"] = indexing.main(["--sizes", small, "--name", f"indexing{suffix}", *w])
    sizes = f"2,{QUICK}" if quick else "2,1000,10000"
    results["latency"] = latency.main(["--sizes", sizes, "--name", f"latency{suffix}", *w])
    for size in [small] if quick else ["1000", "10000"]:
        load = ["--clients", "1,8", "--duration", "10"] if quick else []
        results[f"serving-{size}"] = serving.main(
            ["--size", size, *load, "--name", f"serving-{size}{suffix}", *w]
        )
    startup_sizes = small if quick else "1000,10000"
    runs = "1" if quick else "3"
    results["startup"] = startup.main(
        ["--sizes", startup_sizes, "--runs", runs, "--name", f"startup{suffix}", *w]
    )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, short load levels")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    args = parser.parse_args(argv)
    results = run(args.work, args.quick)
    rows = [
        [bench, target, outcome]
        for bench, data in results.items()
        for target, outcome in data.get("targets", {}).items()
        if outcome in ("met", "NOT met")
    ]
    print("\nall targets (see artifacts/bench/*.json for the figures)")
    print_table(["benchmark", "target", "outcome"], rows)
    write_json("all-quick" if args.quick else "all", {"targets": rows})


if __name__ == "__main__":
    main()
