"""What every benchmark shares: where corpora and indexes live, settings, questions, output."""

from __future__ import annotations

import json
import os
import platform
import random
import time
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT, Settings
from bench.corpus import ensure_corpus, load_facts
from bench.words import OFF_TOPIC

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# Corpora and indexes are large (the 10,000-article index is ~1 GB) and slow to build, so they
# live outside the repository and are reused across runs; results go to artifacts/ (ignored).
DEFAULT_WORK = Path(os.environ.get("BENCH_WORK", "/tmp/newsroom-bench"))
ARTIFACTS = PROJECT_ROOT / "artifacts" / "bench"
SHIPPED = 2  # the "size" that means the shipped articles/ folder
SYNTHETIC_MARKER = "SYNTHETIC_VECTORS"  # left in an index folder by bench.synthetic
SEED = 7


def corpus_dir(work: Path, size: int, seed: int = SEED) -> Path:
    """The articles folder for a corpus size: the shipped one for 2, else a generated one."""
    if size == SHIPPED:
        return PROJECT_ROOT / "articles"
    return ensure_corpus(work / f"corpus-{size}", size, seed)


def index_dir(work: Path, size: int) -> Path:
    return work / f"index-{size}"


def synthetic(work: Path, size: int) -> bool:
    """Whether that index was built with synthetic vectors (bench.synthetic)."""
    return (index_dir(work, size) / SYNTHETIC_MARKER).exists()


def settings_for(index: Path, articles: Path) -> Settings:
    """Settings whose index, articles and data folders are the benchmark's own."""
    return Settings().with_overrides(
        articles={"dir": articles}, index={"dir": index}, data={"dir": index / "data"}
    )


def open_assistant(work: Path, size: int, embeddings: Any = None) -> Any:
    """An assistant over the corpus of ``size``, indexing it first (untimed) if needed."""
    from assistant.factory import build_assistant

    articles = corpus_dir(work, size)
    bot = build_assistant(settings_for(index_dir(work, size), articles), embeddings=embeddings)
    if bot.needs_index():
        print(f"building the {size:,}-article index in {index_dir(work, size)} (once) ...")
        report = bot.index(articles)
        print(f"  {len(report.added):,} articles, {report.chunks_embedded:,} chunks embedded")
    return bot


def questions(articles: Path, count: int = 50, seed: int = SEED) -> list[dict[str, str]]:
    """A fixed question set: about 80 % facts the corpus states, the rest off-topic."""
    rng = random.Random(seed)
    off_topic = [{"question": q, "kind": "off-topic", "answer": ""} for q in OFF_TOPIC]
    facts = load_facts(articles)
    if not facts:  # the shipped articles: their evaluation set
        import yaml

        cases = yaml.safe_load((PROJECT_ROOT / "evals" / "shipped.yaml").read_text())["cases"]
        facts = [
            {"question": c["question"], "answer": c["expected"][0][0]}
            for c in cases
            if c.get("answerable") and c.get("expected")
        ]
    n_off = max(1, count // 5)
    chosen = rng.sample(facts, min(len(facts), count - n_off))
    picked = [{"question": f["question"], "kind": "fact", "answer": f["answer"]} for f in chosen]
    picked += rng.sample(off_topic, min(n_off, len(off_topic)))
    rng.shuffle(picked)
    return picked


def percentile(values: list[float], p: float) -> float:
    import numpy as np

    return float(np.percentile(values, p)) if values else float("nan")


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024**2, 1),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def write_json(name: str, data: dict[str, Any]) -> Path:
    """Write one benchmark's figures to artifacts/bench/<name>.json, with the machine."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2, default=str) + "\n")
    print(f"wrote {path}")
    return path


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return (
            f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
        )

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))


def verdict(value: float, target: float, higher_is_better: bool) -> str:
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "NOT met"


def parse_sizes(text: str) -> list[int]:
    return [int(s.replace("_", "").replace("k", "000")) for s in text.split(",") if s]
