"""A/B: one benchmark on two git revisions, alternated under the same load, with a verdict.

    python -m bench.ab --a main --b HEAD --bench latency --rounds 4 -- --sizes 1000 --questions 30

Each revision is exported with ``git archive`` into a temporary folder (the repository and its
worktrees are not touched), and the benchmark runs there as a fresh process, A and B
alternating in ABBA order so that a drift in machine load falls on both alike. Each round
gives one B/A ratio of the target's metric (the one the benchmark's target names: ``p50_ms``
for latency, the wall ``ratio`` for indexing); the verdict is the median ratio and how many
rounds agree on its direction. Figures from separate runs at different times are not A/B.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bench.common import PROJECT_ROOT, write_json

# benchmark -> (path of the target's metric in its JSON, higher is better)
PRESETS: dict[str, tuple[str, bool]] = {
    "latency": ("targets.p50_ms", False),
    "indexing": ("sizes.0.ratio", True),
}


def export(rev: str, into: Path) -> str:
    """``rev``'s tree in ``into`` (no worktree registered); its full commit id."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    into.mkdir(parents=True)
    archive = into.with_suffix(".tar")
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", commit], cwd=PROJECT_ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return commit


def metric(data: dict[str, Any], path: str) -> float:
    value: Any = data
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return float(value)


def run_once(tree: Path, bench: str, args: list[str], name: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", f"bench.{bench}", *args, "--name", name]
    subprocess.run(command, cwd=tree, env=env, check=True)
    return json.loads((tree / "artifacts" / "bench" / f"{name}.json").read_text())


def verdict(ratios: list[float], higher_is_better: bool) -> str:
    """'B better' / 'A better' only when every round agrees; else no consistent difference."""
    better = [r > 1 if higher_is_better else r < 1 for r in ratios]
    if all(better):
        return "B better in every round"
    if not any(better) and all(r != 1 for r in ratios):
        return "A better in every round"
    return f"no consistent difference (B better in {sum(better)} of {len(ratios)} rounds)"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="revision A (the baseline)")
    parser.add_argument("--b", required=True, help="revision B (the change)")
    parser.add_argument("--bench", required=True, choices=sorted(PRESETS))
    parser.add_argument("--rounds", type=int, default=4, help="A/B pairs (ABBA order)")
    parser.add_argument("--metric", help="dotted path in the JSON (default: the target's)")
    parser.add_argument("--name", default="ab", help="artifacts/bench/<name>.json")
    parser.add_argument("bench_args", nargs=argparse.REMAINDER, help="after --: for the bench")
    args = parser.parse_args(argv)
    path, higher = PRESETS[args.bench]
    path = args.metric or path
    extra = [a for a in args.bench_args if a != "--"]
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as tmp:
        trees = {side: Path(tmp) / side for side in ("a", "b")}
        commits = {side: export(getattr(args, side), trees[side]) for side in trees}
        rounds = []
        for i in range(args.rounds):
            order = ("a", "b") if i % 2 == 0 else ("b", "a")
            values = {
                side: metric(run_once(trees[side], args.bench, extra, f"ab-{side}-{i}"), path)
                for side in order
            }
            rounds.append(
                {"order": "".join(order).upper(), **values, "ratio": values["b"] / values["a"]}
            )
            print(
                f"round {i + 1}: A {values['a']:.4g}  B {values['b']:.4g}  B/A {rounds[-1]['ratio']:.3f}"
            )
    ratios = [r["ratio"] for r in rounds]
    result = {
        "bench": args.bench,
        "metric": path,
        "higher_is_better": higher,
        "a": {"rev": args.a, "commit": commits["a"]},
        "b": {"rev": args.b, "commit": commits["b"]},
        "bench_args": extra,
        "rounds": rounds,
        "median_ratio_b_over_a": statistics.median(ratios),
        "verdict": verdict(ratios, higher),
    }
    print(f"{path}: median B/A {result['median_ratio_b_over_a']:.3f}; {result['verdict']}")
    write_json(args.name, result)
    return result


if __name__ == "__main__":
    main()
