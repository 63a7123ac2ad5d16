"""What typing common nouns by meaning (answering/things.py) adds to ``ask()``'s answer time.

    python -m bench.thing_typing --articles DIR --index DIR --testset FILE.yaml

Every question of the test set is asked three times in one process: once to warm the caches
(sentence vectors, split paragraphs) with the typer off, then off again (its embedding replaced
by zeros: no candidate is embedded, none can pass) and then as shipped ("on": the candidate words of a
kind-of-thing question are embedded, cold, then cached). Off and on alternate per question, so
a drift in machine load falls on both alike; the answer-time percentiles of both and the
difference on the kind-of-thing questions alone are printed and written to artifacts/.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

import yaml

import assistant.answering.things as things
from assistant.answering.entity_question import Entity, asked_entity
from bench.common import percentile, print_table, settings_for, write_json


def _ask(bot: Any, case: dict[str, Any]) -> float:
    as_of = case.get("as_of")
    answer = bot.ask(case["question"], as_of=datetime.date.fromisoformat(as_of) if as_of else None)
    return float(answer.timings_ms.get("answer", 0.0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--testset", type=Path, required=True)
    args = parser.parse_args(argv)
    from assistant.factory import build_assistant

    bot = build_assistant(settings_for(args.index, args.articles))
    cases = yaml.safe_load(args.testset.read_text(encoding="utf-8"))["cases"]
    cases = [c for c in cases if c.get("question")]
    real = things.ThingTyper.similarities, things.ThingTyper.prepare

    def zeros(self: things.ThingTyper, kind: str, phrases: Any) -> list[float]:
        return [0.0] * len(phrases)

    def nothing(self: things.ThingTyper, question: str, sentences: Any) -> None:
        return None

    def use(on: bool) -> None:
        similarities, prepare = real if on else (zeros, nothing)
        things.ThingTyper.similarities = similarities  # type: ignore[method-assign]
        things.ThingTyper.prepare = prepare  # type: ignore[method-assign]

    times: dict[str, list[float]] = {"off": [], "on": []}
    kinds: dict[str, list[float]] = {"off": [], "on": []}
    for case in cases:
        asked = asked_entity(case["question"])
        thing = asked is not None and asked.entity is Entity.THING
        use(False)
        _ask(bot, case)  # warm: sentence vectors and splits cached for both runs
        for mode in ("off", "on"):
            use(mode == "on")
            ms = _ask(bot, case)
            times[mode].append(ms)
            if thing:
                kinds[mode].append(ms)
    use(True)
    rows = []
    result: dict[str, Any] = {"questions": len(cases), "kind_of_thing": len(kinds["on"])}
    for mode in ("off", "on"):
        p50, p95 = percentile(times[mode], 50), percentile(times[mode], 95)
        k50, kmax = percentile(kinds[mode], 50), max(kinds[mode], default=0.0)
        rows.append(
            [mode, len(times[mode]), f"{p50:.0f}", f"{p95:.0f}", f"{k50:.0f}", f"{kmax:.0f}"]
        )
        result[mode] = {"p50_ms": p50, "p95_ms": p95, "kind_p50_ms": k50, "kind_max_ms": kmax}
    result["kind_on_ms"] = [round(ms) for ms in kinds["on"]]
    print("kind-of-thing questions, typer on (ms):", result["kind_on_ms"])
    headers = ["typer", "questions", "answer p50 ms", "p95 ms", "kind-of-thing p50", "max"]
    print_table(headers, rows)
    write_json("thing_typing", result)


if __name__ == "__main__":
    main()
