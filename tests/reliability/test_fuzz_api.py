"""Fuzz the JSON API from its own OpenAPI spec (schemathesis): no input may cause a server error.

Valid and invalid bodies, paths and query strings for every operation in /openapi.json, sent
in-process to the app over the shipped index. Bounded: FUZZ_EXAMPLES per operation for valid and
again for invalid data (more with ASSISTANT_LONG_RELIABILITY=1); the cases tried go to
artifacts/reliability/fuzz-*.json.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from assistant.config import Settings
from assistant.service import Assistant
from assistant.web.server import create_app
from tests.reliability.live_server import LONG, write_figures

FUZZ_EXAMPLES = 300 if LONG else 25


class Tally:
    """Every fuzzed case and the status it got, per operation."""

    def __init__(self) -> None:
        self.statuses: dict[str, Counter[int]] = {}

    def add(self, label: str, status: int) -> None:
        self.statuses.setdefault(label, Counter())[status] += 1

    def figures(self) -> dict[str, Any]:
        total: Counter[int] = Counter()
        for counts in self.statuses.values():
            total.update(counts)
        return {
            "cases": sum(total.values()),
            "server_errors": sum(n for status, n in total.items() if status >= 500),
            "max_examples_per_operation_and_mode": FUZZ_EXAMPLES,
            "status_counts": {str(k): v for k, v in sorted(total.items())},
            "per_operation": {
                label: {str(k): v for k, v in sorted(c.items())}
                for label, c in sorted(self.statuses.items())
            },
        }


@pytest.fixture(scope="module")
def fuzz_tally() -> Iterator[Tally]:
    tally = Tally()
    yield tally
    write_figures("fuzz", tally.figures())


@pytest.fixture(scope="module")
def fuzz_app(shipped_bot: Assistant, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("fuzz-data")
    # No keys and no rate limit, so generated requests reach the validators and the service.
    config = Settings().with_overrides(
        data={"dir": data}, api={"keys": [], "rate_limit_per_minute": 0}
    )
    return create_app(config, assistant=shipped_bot)


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


# schemathesis's own pytest integration (``from_fixture(...).parametrize()``) breaks on pytest 9's
# node ids, so each operation's strategy is driven by Hypothesis directly.
@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzed_requests_never_get_a_server_error(
    api_schema: Any, fuzz_tally: Tally, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6, [op.label for op in operations]
    for operation in operations:
        takes_input = bool(operation.body) or any(True for _ in operation.iter_parameters())
        if mode is GenerationMode.POSITIVE or takes_input:  # nothing to get wrong otherwise
            fuzz_operation(operation, mode, fuzz_tally)


def fuzz_operation(operation: Any, mode: GenerationMode, tally: Tally) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not LONG,  # the short run is the same every time; the long one explores
        database=None,
    )
    def call(case: Any) -> None:
        try:
            response = case.call()
        except Exception:
            tally.add(operation.label, 599)  # the app raised instead of answering
            raise
        tally.add(operation.label, response.status_code)
        assert response.status_code < 500, (
            f"{response.status_code}: {response.text[:500]}\n{case.as_curl_command()}"
        )

    call()
