"""Serving: ``python app.py`` on loopback under locust at 1, 8 and 32 concurrent clients.

``python -m bench.serving --size 1000`` (``--size 10000`` for the peak-RSS figure)

The server is a real process on 127.0.0.1 with the benchmark's index; its per-client rate limit
is switched off (ASSISTANT_API_RATE_LIMIT_PER_MINUTE=0) because every simulated client shares one
address. Each level runs closed-loop (no think time) for ``--duration`` seconds or
``--max-requests`` requests, whichever comes first. The server's peak RSS is its VmHWM.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT
from bench.common import (
    DEFAULT_WORK,
    corpus_dir,
    index_dir,
    parse_sizes,
    percentile,
    print_table,
    questions,
    synthetic,
    verdict,
    write_json,
)

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
POOL = 2000  # questions drawn from the corpus' facts (about 80 %) and off-topic ones
TARGET_RPS, TARGET_P95_MS, TARGET_RSS_MB = 20.0, 500.0, 1536.0  # at 8 clients; RSS at 10k


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index: Path, articles: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        ASSISTANT_INDEX_DIR=str(index),
        ASSISTANT_ARTICLES_DIR=str(articles),
        ASSISTANT_DATA_DIR=str(index / "data"),
        ASSISTANT_API_RATE_LIMIT_PER_MINUTE="0",
        ANONYMIZED_TELEMETRY="False",
    )
    cmd = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def wait_healthy(server: subprocess.Popen, url: str, timeout_s: float) -> float:
    """Seconds until /healthz says ok; raises if the server dies or never gets there."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}; see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"no healthy server at {url} after {timeout_s:.0f} s")


def ask_once(url: str, question: str) -> float:
    body = json.dumps({"question": question}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/ask", body, {"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def memory_mb(pid: int) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(line.split()[1]) / 1024
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_level(
    url: str, clients: int, duration: int, max_requests: int, qfile: Path, offset: int
) -> dict:
    samples = qfile.with_name(f"samples-{clients}.json")
    env = dict(os.environ, BENCH_QUESTIONS=str(qfile), BENCH_SAMPLES=str(samples))
    env.update(BENCH_MAX_REQUESTS=str(max_requests), BENCH_OFFSET=str(offset))
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(clients), "-r", str(clients), "-t", f"{duration}s", "--host", url,
        "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(
        cmd, env=env, timeout=duration + 120, check=False, capture_output=True, text=True
    )
    rows = json.loads(samples.read_text())
    ok = [r for r in rows if r[2]]
    span = max(r[0] + r[1] for r in rows) - min(r[0] for r in rows) if rows else 0.0
    latencies = [r[1] * 1000 for r in ok]
    return {
        "clients": clients,
        "requests": len(rows),
        "errors": len(rows) - len(ok),
        "error_statuses": sorted({r[3] for r in rows if not r[2]}),
        "seconds": span,
        "rps": len(ok) / span if span else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
    }


def measure(work: Path, size: int, clients: list[int], duration: int, max_requests: int) -> dict:
    articles = corpus_dir(work, size)
    port, scratch = free_port(), Path(tempfile.mkdtemp(prefix="bench-serving-"))
    url = f"http://127.0.0.1:{port}"
    qfile = scratch / "questions.json"
    # Enough distinct questions that no level replays another's (answers' caches stay honest);
    # the shipped corpus has only its evaluation set, so there questions repeat.
    qfile.write_text(json.dumps([q["question"] for q in questions(articles, POOL)]))
    log = work / f"server-{size}.log"
    server = start_server(index_dir(work, size), articles, port, log)
    vectors = "synthetic" if synthetic(work, size) else "real"
    result: dict[str, Any] = {"size": size, "vectors": vectors, "server_log": str(log)}
    try:
        # A missing index is built by the server itself at start, hence the long wait.
        result["healthy_after_s"] = wait_healthy(server, url, timeout_s=3 * 3600)
        result["first_answer_s"] = ask_once(url, "Who is the mayor?")
        result["memory_after_first_answer_mb"] = memory_mb(server.pid)
        for q in json.loads(qfile.read_text())[:5]:  # warm, as the latency benchmark does
            ask_once(url, q)
        levels: list[dict[str, Any]] = []
        for n in clients:
            cpu0, t0 = cpu_seconds(server.pid), time.perf_counter()
            sent = 5 + sum(lv["requests"] for lv in levels)
            level = run_level(url, n, duration, max_requests, qfile, sent)
            level["server_cpu_percent"] = (
                100 * (cpu_seconds(server.pid) - cpu0) / (time.perf_counter() - t0)
            )
            level["memory_mb"] = memory_mb(server.pid)
            levels.append(level)
            print(f"  {n} clients: {level['rps']:.1f} req/s, p95 {level['p95_ms']:.0f} ms")
        result["levels"] = levels
        result["peak_rss_mb"] = memory_mb(server.pid)["VmHWM"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="corpus size to serve (2 = shipped)")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--duration", type=int, default=30, help="seconds per level at most")
    parser.add_argument("--max-requests", type=int, default=3000, help="requests per level")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and indexes")
    parser.add_argument("--name", default="", help="artifacts/bench/<name>.json")
    args = parser.parse_args(argv)

    result = measure(
        args.work, args.size, parse_sizes(args.clients), args.duration, args.max_requests
    )
    print(f"\nserving the {args.size:,}-article index ({result['vectors']} vectors), loopback")
    cols = ["clients", "requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms"]
    print_table(
        [*cols, "server CPU %", "RSS MB"],
        [
            [lv[c] for c in cols] + [lv["server_cpu_percent"], lv["memory_mb"]["VmRSS"]]
            for lv in result["levels"]
        ],
    )
    print(
        f"healthy after {result['healthy_after_s']:.1f} s; peak RSS {result['peak_rss_mb']:.0f} MB"
    )
    targets: dict[str, Any] = {}
    eight = next((lv for lv in result["levels"] if lv["clients"] == 8), None)
    if eight:
        targets["rps_8"] = verdict(eight["rps"], TARGET_RPS, True)
        targets["p95_8"] = verdict(eight["p95_ms"], TARGET_P95_MS, False)
        targets["errors_8"] = "met" if eight["errors"] == 0 else "NOT met"
    if args.size >= 10000:
        targets["peak_rss_10000"] = verdict(result["peak_rss_mb"], TARGET_RSS_MB, False)
    print(f"targets: {targets}")
    data = {"targets": targets, **result}
    write_json(args.name or f"serving-{args.size}", data)
    return data


if __name__ == "__main__":
    main()
