"""One log format (issue 22, finding 8): the served process writes one JSON object per line on standard output and
standard error: the app's lines, Streamlit's and uvicorn's messages, what Streamlit prints for a terminal (its
address, "Stopping..."), tracebacks of a failing page, Python warnings and uncaught exceptions in threads.

The servers are started as an operator starts them (`python -m assessment serve`, which runs
`assessment.ui.server`), visited in headless Chromium so that a page runs, and stopped with SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from test_oidc import free_port

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 40
TIMEOUT_MS = 30_000


def json_lines(text: str, stream: str) -> list[dict[str, Any]]:
    """Every line of `text` as a JSON object; fails naming the first line that is not one."""
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"{stream} line {n} is not JSON: {line!r}")
        assert isinstance(record, dict) and {"time", "level", "logger", "message"} <= set(record), line
        records.append(record)
    return records


@contextmanager
def served(argv: list[str], env: dict[str, str], logs: Path) -> Iterator[tuple[str, dict[str, list[dict[str, Any]]]]]:
    """Run a server command on a free port; after the block, stop it with SIGTERM and parse what it wrote."""
    port = free_port()
    out, err = logs / f"out-{port}.txt", logs / f"err-{port}.txt"
    args = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    parsed: dict[str, list[dict[str, Any]]] = {}
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([*argv, *args], cwd=ROOT, env={**os.environ, **env}, stdout=o, stderr=e)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                        break
                except OSError:
                    assert proc.poll() is None, err.read_text()
                    assert time.monotonic() < deadline, f"not healthy after {START_SECONDS} s"
                    time.sleep(0.2)
            yield url, parsed
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    parsed["stdout"] = json_lines(out.read_text(encoding="utf-8"), "stdout")
    parsed["stderr"] = json_lines(err.read_text(encoding="utf-8"), "stderr")


def visit(browser: Any, url: str, wait_for: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.get_by_text(wait_for).first.wait_for()
    finally:
        context.close()


@pytest.mark.browser
def test_the_served_app_writes_only_json_lines(browser: Any, tmp_path: Path) -> None:
    env = {"ASSESSMENT_DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite'}", "ASSESSMENT_LOG_LEVEL": "INFO"}
    with served([sys.executable, "-m", "assessment", "serve"], env, tmp_path) as (url, logs):
        visit(browser, url, "Innovation readiness self-assessment")
    records = logs["stdout"] + logs["stderr"]
    messages = [(r["logger"], r["message"]) for r in records]
    assert ("assessment.audit", "server_starting") in messages  # the app's own line
    assert any(logger.startswith("streamlit.web") and "server started" in m for logger, m in messages)  # Streamlit's
    assert any(m.startswith("URL: http://127.0.0.1:") for _, m in messages)  # what it prints for a terminal
    assert ("streamlit.cli", "Stopping...") in messages


BOOM = """
import threading, warnings
import streamlit as st

warnings.warn("a deprecated call")
threading.Thread(target=lambda: 1 / 0, name="worker").start()
st.write("drawn before the failure")
raise RuntimeError("the page failed")
"""


@pytest.mark.browser
def test_a_failing_page_warnings_and_thread_crashes_are_json_lines_with_their_tracebacks(
    browser: Any, tmp_path: Path
) -> None:
    script = tmp_path / "boom.py"
    script.write_text(textwrap.dedent(BOOM), encoding="utf-8")
    argv = [sys.executable, "-m", "assessment.ui.server", "run", str(script)]
    with served(argv, {}, tmp_path) as (url, logs):
        visit(browser, url, "drawn before the failure")
    records = logs["stdout"] + logs["stderr"]
    failed = [r for r in records if "RuntimeError: the page failed" in r.get("exception", "")]
    assert len(failed) == 1 and "Traceback (most recent call last)" in failed[0]["exception"]
    assert any(r["logger"] == "py.warnings" and "a deprecated call" in r["message"] for r in records)
    crashed = [r for r in records if r["logger"] == "assessment.uncaught" and "worker" in r["message"]]
    assert len(crashed) == 1 and "ZeroDivisionError" in crashed[0]["exception"]
