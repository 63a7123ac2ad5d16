"""Small deterministic news-like articles for reliability tests."""

from __future__ import annotations

import random
from pathlib import Path

TOWNS = ["Arlen", "Beckford", "Calloway", "Dunmore", "Elswick", "Farrow", "Glenrock", "Halden"]
SUBJECTS = [
    "the ferry service",
    "the town council",
    "the harbour board",
    "the library",
    "the rail line",
]
VERBS = ["approved", "delayed", "expanded", "reviewed", "funded", "criticised"]


def write_corpus(folder: Path, n: int, seed: int = 7, version: int = 0) -> list[Path]:
    """``n`` articles; ``version`` changes every article's last paragraph."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        paragraphs = [
            f"{rng.choice(SUBJECTS).capitalize()} in {town} {rng.choice(VERBS)} plan number {i} "
            f"on Monday, officials said, after {rng.randint(2, 900)} residents signed a petition."
            for _ in range(rng.randint(4, 9))
        ]
        paragraphs.append(
            f"Article {i} revision {version}: the next meeting is on day {rng.randint(1, 28)}."
        )
        path = folder / f"art{i:05d}.txt"
        path.write_text(
            f"Plan {i} in {town}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths
