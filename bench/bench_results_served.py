"""The first visit to Results in a new browser session against a repeat visit, on a served app (issue 19,
finding 8: 2.0-4.3 s against 0.45-0.52 s).

Run:  .venv/bin/python bench/bench_results_served.py [--sessions 5]

Starts `streamlit run app.py` headless on a free port with a database of its own, and drives Debian's Chromium
through Playwright. The server is warmed by one visitor first. Then each session is a new browser context (a new
Streamlit session and a new page load, as a new participant's phone or laptop): the example answers
(examples/riverside_two_step.json) are resumed from the sidebar, then the time from the click on "Results" to
the page's finished run with both charts drawn (first visit), then the same after going to Start and back
(repeat). Wall time in the browser, and the server process's CPU time over each visit. Median over the sessions;
the goal is the first visit within 1.5x of the repeat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from rows import Row, emit  # noqa: E402

GOAL_RATIO = 1.5
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
TIMEOUT_MS = 60_000
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(db_dir: Path) -> Iterator[tuple[str, int]]:
    """(url, pid) of a headless server on a free port; stopped after."""
    port = _port()
    env = {**os.environ, "ASSESSMENT_DATABASE_URL": f"sqlite:///{db_dir / 'bench.sqlite'}"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with open(db_dir / "server.log", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start; see {db_dir / 'server.log'}")
                time.sleep(0.2)
            yield url, proc.pid
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle(page: Any) -> None:
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def open_results(page: Any, pid: int) -> tuple[float, float]:
    """(wall, server CPU) seconds from the click on Results to its finished run with both charts drawn."""
    c0, t0 = cpu_seconds(pid), time.perf_counter()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Results", exact=True).click()
    page.get_by_role("heading", name="Why this recommendation").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=TIMEOUT_MS)
    idle(page)
    return time.perf_counter() - t0, cpu_seconds(pid) - c0


Visit = tuple[float, float]  # wall, server CPU seconds


def session(browser: Any, url: str, pid: int) -> tuple[Visit, Visit, float]:
    """(first Results visit, repeat visit, wall seconds of the Start page's load) of one new browser session."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        t0 = time.perf_counter()
        page.goto(url)
        page.get_by_role("heading", name="Innovation readiness self-assessment").wait_for()
        idle(page)
        start = time.perf_counter() - t0
        page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(EXAMPLE))
        page.get_by_role("heading", name="Questionnaire").wait_for()
        idle(page)
        first = open_results(page, pid)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Start", exact=True).click()
        page.get_by_role("heading", name="Innovation readiness self-assessment").wait_for()
        idle(page)
        repeat = open_results(page, pid)
        return first, repeat, start
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("skipped: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)")
        return
    with tempfile.TemporaryDirectory() as tmp, served(Path(tmp)) as (url, pid), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True)
        try:
            cold = session(browser, url, pid)  # the server's first visitor
            runs = [session(browser, url, pid) for _ in range(args.sessions)]
        finally:
            browser.close()
    print(f"Server's first visitor: Results first {cold[0][0]:.2f} s wall ({cold[0][1]:.2f} s server CPU), "
          f"repeat {cold[1][0]:.2f} s")  # fmt: skip
    med = {k: [statistics.median(r[i][j] for r in runs) for j in range(2)] for i, k in enumerate(("first", "repeat"))}
    print(f"Results page, median of {args.sessions} new browser sessions:")
    for k, (wall, cpu) in med.items():
        print(f"  {k:<7} wall {wall:.3f} s   server CPU {cpu:.3f} s")
    print("  each session (first / repeat wall s): " + ", ".join(f"{r[0][0]:.2f}/{r[1][0]:.2f}" for r in runs))
    print(f"  the Start page's load (new session, to its finished run): {statistics.median(r[2] for r in runs):.3f} s")
    ratio = med["first"][0] / med["repeat"][0]
    cpu_ratio = med["first"][1] / med["repeat"][1] if med["repeat"][1] else float("nan")
    print(f"ratio first / repeat: wall {ratio:.2f}x, server CPU {cpu_ratio:.2f}x; goal within {GOAL_RATIO}x: "
          f"{'met' if ratio <= GOAL_RATIO else 'NOT met'}")  # fmt: skip
    emit(
        Row(
            benchmark="results_served",
            measured_what="first Results visit in a new browser session (wall, median)",
            goal=f"within {GOAL_RATIO}x of a repeat visit",
            measured=round(med["first"][0] * 1000, 1),
            baseline=round(med["repeat"][0] * 1000, 1),
            unit="ms",
            passed=ratio <= GOAL_RATIO,
            cpu_ms=round(med["first"][1] * 1000, 1),
            wall_ms=round(med["first"][0] * 1000, 1),
        )
    )


if __name__ == "__main__":
    main()
