"""The examples work against the real server: curl on the JSON API, gradio_client on the chat."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from server_process import EXAMPLES, ROOT, LiveServer

pytestmark = pytest.mark.slow
QUESTION = "How many soldiers defected to the KNU?"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_example(live_server: LiveServer) -> None:
    done = run(["bash", str(EXAMPLES / "ask.sh"), QUESTION], APP_URL=live_server.url)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert "[1]" in answer["answer"] and answer["citations"][0]["verified"] is True
    streamed = run(
        ["bash", str(EXAMPLES / "ask.sh"), QUESTION], APP_URL=live_server.url, STREAM="1"
    )
    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stdout.startswith("event: delta") and "event: answer" in streamed.stdout
    assert '"citations": [{"n": 1' in streamed.stdout


def test_gradio_client_example(live_server: LiveServer) -> None:
    done = run(
        [sys.executable, str(EXAMPLES / "client_gradio.py"), "--url", live_server.url, QUESTION]
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "[1]" in lines[0]
    assert lines[1].startswith("[1] ") and "(verified)" in lines[1]
