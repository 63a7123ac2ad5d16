"""The real app as a subprocess on a free loopback port, an indexer process beside it, and the
bookkeeping the reliability tests share (every article version written, figures to JSON)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.web.server_process import ROOT, free_port, stop, wait_until_healthy

ARTIFACTS = ROOT / "artifacts" / "reliability"
LONG = os.environ.get("ASSISTANT_LONG_RELIABILITY") == "1"
ALLOWED_ORIGIN = "https://newsroom.example"  # CORS allowlist of the live server
FRAMING_ORIGIN = "https://cms.example"  # frame-ancestors of the live server
CLIENT_TIMEOUT_S = 4.0  # api.client_timeout_s of the live server: slow clients are cut off


def write_figures(name: str, figures: dict[str, Any]) -> Path:
    """A test's figures as artifacts/reliability/<name>-<short|long>.json."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{'long' if LONG else 'short'}.json"
    path.write_text(json.dumps({"long": LONG, **figures}, indent=2, sort_keys=True) + "\n")
    return path


def normalised(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Version:
    """One text an article had on disk, and when: [written, replaced) in monotonic seconds."""

    text: str
    written: float
    replaced: float | None = None


@dataclass
class CorpusHistory:
    """Every version of every article the tests wrote, so an answer can be checked afterwards."""

    folder: Path
    versions: dict[str, list[Version]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_existing(self, extra: dict[str, str] | None = None, written: float = 0.0) -> None:
        """Take what is in the folder now (plus other known texts of the same article)."""
        for path in sorted(self.folder.iterdir()):
            texts = [path.read_text("utf-8")]
            if extra and path.stem in extra:
                texts.append(extra[path.stem])  # e.g. the cleaned text the API serves
            self.versions[path.stem] = [Version(normalised(t), written) for t in texts]

    def write(self, name: str, text: str) -> None:
        path = self.folder / name
        with self.lock:
            now = time.monotonic()
            for old in self.versions.get(path.stem, []):
                old.replaced = old.replaced if old.replaced is not None else now
            path.write_text(text, "utf-8")
            self.versions.setdefault(path.stem, []).append(Version(normalised(text), now))

    def delete(self, name: str) -> None:
        path = self.folder / name
        with self.lock:
            now = time.monotonic()
            path.unlink()
            for old in self.versions.get(path.stem, []):
                old.replaced = old.replaced if old.replaced is not None else now


@dataclass
class IndexRun:
    started: float
    ended: float
    returncode: int


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]
    articles: Path
    index: Path
    data: Path
    key: str = ""
    index_runs: list[IndexRun] = field(default_factory=list)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def client(self, timeout: float = 60.0) -> httpx.Client:
        # The server closes idle keep-alive connections (uvicorn: after 5 s) and cuts slow
        # ones (CLIENT_TIMEOUT_S); a pooled connection kept as long (httpx: 5 s) can be reused
        # just as the server closes it ("Connection reset by peer" on a POST, seen once in CI
        # under load). A well-behaved client drops idle connections before the server does.
        limits = httpx.Limits(keepalive_expiry=CLIENT_TIMEOUT_S / 2)
        return httpx.Client(
            base_url=self.url, headers=self.headers(), timeout=timeout, limits=limits
        )

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def reindex(self, timeout: float = 600.0) -> IndexRun:
        """``assistant index`` in its own process over the same folders, waited for."""
        command = [sys.executable, "-m", "assistant.cli", "index",
                   "--articles", str(self.articles), "--index", str(self.index)]  # fmt: skip
        started = time.monotonic()
        with open(self.log.with_name("indexer.log"), "ab") as out:
            proc = subprocess.run(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                timeout=timeout, check=False,
            )  # fmt: skip
        run = IndexRun(started, time.monotonic(), proc.returncode)
        self.index_runs.append(run)
        return run

    def stop(self) -> None:
        stop(self.proc)


@dataclass
class LiveApp:
    """The shared server, the history of its corpus, and its API key."""

    server: Server
    history: CorpusHistory
    key: str

    def assert_key_not_logged(self) -> None:
        """The key is in neither the server's output (stdout and stderr) nor the indexer's."""
        server_log = self.server.log_text()
        assert "GET /api/v1/articles" in server_log  # the capture works: requests are logged
        assert self.key not in server_log, "the API key is in the server's log"
        indexer_log = self.server.log.with_name("indexer.log")
        if indexer_log.exists():
            assert self.key not in indexer_log.read_text("utf-8", errors="replace")


def start_server(root: Path, articles: Path, **env: str) -> Server:
    """``python app.py`` on a free loopback port over ``articles`` (it indexes them on start)."""
    port = free_port()
    index, data, log = root / "index", root / "data", root / "server.log"
    full_env = {
        **os.environ,
        "ASSISTANT_ARTICLES_DIR": str(articles),
        "ASSISTANT_INDEX_DIR": str(index),
        "ASSISTANT_DATA_DIR": str(data),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        **env,
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, proc, log)
    except BaseException:
        stop(proc)
        raise
    keys = json.loads(env.get("ASSISTANT_API_KEYS", "[]"))
    return Server(url, proc, log, full_env, articles, index, data, keys[0] if keys else "")


STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3})")
