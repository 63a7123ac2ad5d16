"""The extractive engine's calibrated thresholds: a small JSON file read by the composition root.

``assistant eval evals/shipped.yaml --calibrate --write`` computes them on the tuning half of the
test set and writes the file; ``--calibrate --check`` (run by CI) fails when the shipped file
differs from what calibration computes today. Nothing here runs at import time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Evidence below ``abstain_below`` means abstention; the rest says how it was chosen."""

    abstain_below: float
    testset: str = ""  # the test set and split it was chosen on
    rule: str = ""  # the selection rule, so the file explains itself


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """Read the file; a missing or malformed file is an error naming the path (no silent default)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Calibration(
            abstain_below=float(data["abstain_below"]),
            testset=str(data.get("testset", "")),
            rule=str(data.get("rule", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(f"cannot read the calibration file {path}: {exc}") from None


def save_calibration(calibration: Calibration, path: Path = CALIBRATION_FILE) -> None:
    path.write_text(json.dumps(asdict(calibration), indent=2) + "\n", encoding="utf-8")
