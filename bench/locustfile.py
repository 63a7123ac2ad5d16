"""Closed-loop askers for ``bench.serving``: each user posts the next question when answered.

Reads the questions from ``BENCH_QUESTIONS`` (a JSON list, taken in order from
``BENCH_OFFSET`` so each load level gets questions the server has not answered yet), stops after
``BENCH_MAX_REQUESTS`` requests, and writes every request's (start, seconds, ok, status) to
``BENCH_SAMPLES`` at the end, so percentiles are exact rather than locust's rounded buckets.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

QUESTIONS: list[str] = json.loads(Path(os.environ["BENCH_QUESTIONS"]).read_text())
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "0"))
OFFSET = int(os.environ.get("BENCH_OFFSET", "0"))
_samples: list[tuple[float, float, bool, int]] = []
_sent = itertools.count()


class Asker(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 10.0

    @task
    def ask(self) -> None:
        n = next(_sent)
        if MAX_REQUESTS and n >= MAX_REQUESTS:
            self.environment.runner.quit()
            return
        started = time.perf_counter()
        body = {"question": QUESTIONS[(OFFSET + n) % len(QUESTIONS)]}
        with self.client.post("/api/v1/ask", json=body, catch_response=True) as response:
            ok = response.status_code == 200 and "answer" in (response.text or "")
            if not ok:
                response.failure(f"HTTP {response.status_code}")
        _samples.append((started, time.perf_counter() - started, ok, response.status_code))


@events.quitting.add_listener
def _write_samples(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    Path(os.environ["BENCH_SAMPLES"]).write_text(json.dumps(_samples))
