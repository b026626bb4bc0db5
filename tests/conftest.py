"""Shared fixtures: the app served headless on a free port, a headless Chromium to drive it, and a throwaway
PostgreSQL cluster for the store tests (`database_url`: each store test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pg_server
import pytest
from helpers import ORGANISER_KEY
from hypothesis import HealthCheck, settings

# No Hypothesis test fails on time: CI is a busy 2-core machine, where one example can take 400 ms that takes 1 ms
# when the machine is quiet. A test's own @settings still sets its number of examples.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
STARTUP_SECONDS = 40
REQUIRE_POSTGRES_ENV = "ASSESSMENT_TEST_REQUIRE_POSTGRES"
# `make test` runs the suite in several pytest-xdist worker processes (`-n` in the Makefile): each has its own session
# fixtures (app servers, Chromium, PostgreSQL cluster), so the files they write carry the worker's name.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# The test process holds a large heap (Streamlit's AppTest, pandas, Hypothesis), and Python's default collector
# thresholds (700, 10, 10) sweep it so often that collecting took 12 s of the 69 s CPU time of test_app,
# test_workshop_app, test_hostile_input and test_report run together; with these, 3 s. The same tests and the same
# objects freed, only less often.
gc.set_threshold(10_000, 20, 10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests first (stable order otherwise). They take the longest, so in a run that has both kinds (`make
    test` runs them in two phases) with workers taking one test at a time (`--maxschedchunk 1`), starting them first
    keeps a long one from running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish() -> None:
    """Collect the session's garbage now and freeze the rest, so that the collection pytest runs at exit is quick.
    A pytest-xdist worker is stopped once it reports the session finished (after this hook): still collecting a
    large heap 5 s later on a busy machine, it was interrupted (a KeyboardInterrupt printed as a warning)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def serve(log_path: Path, env: dict[str, str] | None = None, script: str = "app.py") -> Iterator[str]:
    """Start `streamlit run app.py` (or another script) headless on a free port (with extra environment
    variables); stop it after."""
    port = _free_port()
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,  # the checkout's .streamlit/config.toml applies: theme, and no file watcher
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while not _healthy(url):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {proc.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit was not healthy after {STARTUP_SECONDS} s; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def app_url(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served headless on a free port for the whole session, on a database of its own (not the
    checkout's data/, which `make run` and other test workers would share)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('app-db') / 'app.sqlite'}"
    yield from serve(artifacts / f"streamlit-{WORKER}.log", {"ASSESSMENT_DATABASE_URL": db})


@pytest.fixture(scope="session")
def workshop_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The workshop browser tests' database: the served app and the test (seeding through the store) share it. One per
    test process, shared by the five workshop browser files: each test makes workshops of its own (its own join code),
    and none counts what another left."""
    return f"sqlite:///{tmp_path_factory.mktemp('workshop-db') / 'workshop.sqlite'}"


@pytest.fixture(scope="session")
def workshop_app_url(artifacts: Path, workshop_db_url: str) -> Iterator[str]:
    """The app with a workshop database of its own (ASSESSMENT_DATABASE_URL), for the workshop browser tests, with
    an organiser key (helpers.ORGANISER_KEY: the responses CSV is row-level and needs an organiser sign-in). Started
    once per test process, not once per file: a start costs several seconds of CPU (Streamlit, then the first page
    drawn), and `make test`'s workers each ran up to five of them."""
    env = {"ASSESSMENT_DATABASE_URL": workshop_db_url, "ASSESSMENT_ORGANISER_KEY": ORGANISER_KEY}
    yield from serve(artifacts / f"streamlit-workshop-{WORKER}.log", env)


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never `playwright install`: it downloads a browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    exe = chromium_path()
    if not exe:
        pytest.skip("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.PostgresServer]:
    reason = pg_server.unavailable()
    if reason:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":  # .ci/run: a missing server fails instead of skipping
            pytest.fail(f"PostgreSQL tests are required here ({REQUIRE_POSTGRES_ENV}=1): {reason}")
        pytest.skip(reason)
    server = pg_server.PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the session's PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'test.sqlite'}"
    return request.getfixturevalue("postgres_server").fresh_url()
