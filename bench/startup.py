"""Cold start to first answer: a fresh process builds the assistant, loads the index, answers.

``python -m bench.startup --sizes 1000,10000``

Each run is a new interpreter (``--child``) over an existing index; the parent times it from
spawn to the first answer and the child reports its phases and its peak RSS (VmHWM). The page
cache is warm after the first run, as it is for a restarted server.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT
from bench.common import (
    DEFAULT_WORK,
    corpus_dir,
    index_dir,
    open_assistant,
    parse_sizes,
    percentile,
    print_table,
    questions,
    settings_for,
    synthetic,
    verdict,
    write_json,
)

TARGET_S = 15.0
PHASES = ["imports_s", "build_assistant_s", "snapshot_s", "first_ask_s"]


# The child's clock starts before it imports anything of ours (this module imports assistant).
CHILD = "import sys, time; t0 = time.perf_counter(); from bench.startup import child; child(t0)"


def child(t0: float) -> None:
    """Runs in the fresh process: time each phase, print one JSON line."""
    from assistant.factory import build_assistant

    work, size = Path(sys.argv[1]), int(sys.argv[2])
    t1 = time.perf_counter()
    bot = build_assistant(settings_for(index_dir(work, size), corpus_dir(work, size)))
    t2 = time.perf_counter()
    snapshot = bot.snapshot()
    t3 = time.perf_counter()
    answer = bot.ask(questions(corpus_dir(work, size), 1)[0]["question"])
    t4 = time.perf_counter()
    answered_at = time.time()
    hwm = next(
        int(line.split()[1]) / 1024
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmHWM")
    )
    print(
        json.dumps(
            {
                "imports_s": t1 - t0,
                "build_assistant_s": t2 - t1,
                "snapshot_s": t3 - t2,
                "first_ask_s": t4 - t3,
                "answered_at": answered_at,
                "chunks": len(snapshot.chunk_ids),
                "answer_timings_ms": answer.timings_ms,
                "peak_rss_mb": hwm,
            }
        )
    )


def run_once(work: Path, size: int) -> dict[str, Any]:
    cmd = [sys.executable, "-c", CHILD, str(work), str(size)]
    spawned_at = time.time()
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=600, check=True, cwd=PROJECT_ROOT
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Spawn to answer on the wall clock; beyond the child's own phases is interpreter start.
    result["wall_s"] = result["answered_at"] - spawned_at
    result["interpreter_s"] = result["wall_s"] - sum(result[p] for p in PHASES)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="index sizes (2 = shipped)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    parser.add_argument("--name", default="startup", help="artifacts/bench/<name>.json")
    args = parser.parse_args(argv)
    results = []
    for size in parse_sizes(args.sizes):
        open_assistant(args.work, size)  # build the index first if it is missing (untimed)
        runs = [run_once(args.work, size) for _ in range(args.runs)]
        results.append(
            {
                "size": size,
                "vectors": "synthetic" if synthetic(args.work, size) else "real",
                "chunks": runs[0]["chunks"],
                "wall_s_median": percentile([r["wall_s"] for r in runs], 50),
                "wall_s_max": max(r["wall_s"] for r in runs),
                "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
                "runs": runs,
            }
        )
    print("\ncold start to first answer (fresh process, existing index), seconds")
    print_table(
        [
            "size",
            "vectors",
            "chunks",
            "wall median",
            "wall max",
            *PHASES,
            "interpreter_s",
            "peak RSS MB",
        ],
        [
            [r["size"], r["vectors"], r["chunks"], r["wall_s_median"], r["wall_s_max"]]
            + [percentile([x[p] for x in r["runs"]], 50) for p in [*PHASES, "interpreter_s"]]
            + [r["peak_rss_mb_max"]]
            for r in results
        ],
    )
    targets = {
        f"cold_start_{r['size']}": verdict(r["wall_s_median"], TARGET_S, False) for r in results
    }
    print(f"targets: {targets}")
    data = {"targets": targets, "sizes": results}
    write_json(args.name, data)
    return data


if __name__ == "__main__":
    main()
