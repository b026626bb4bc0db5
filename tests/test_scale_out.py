"""Scale out: two app processes on different ports share one PostgreSQL database.

Both are started at the same moment with the image's start command (`assessment serve`) on an empty database,
so both try to migrate at once; the schema ends at the newest revision, once. A participant joins on each
instance in headless Chromium, and the facilitator's dashboard on either instance shows both of them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from conftest import ROOT, STARTUP_SECONDS, _free_port, _healthy
from pg_server import PostgresServer
from sqlalchemy import create_engine, text

from assessment.answers import Context
from assessment.store import Store, alembic_config

pytestmark = pytest.mark.browser
TIMEOUT_MS = 45_000  # generous: a busy 2-core CI machine runs two app servers and Chromium here


@contextmanager
def start_instances(url: str, log_dir: Path, n: int = 2) -> Iterator[list[str]]:
    """Start n `python -m assessment serve` processes at once; yield their base URLs once all are healthy."""
    procs, urls, logs = [], [], []
    env = {**os.environ, "ASSESSMENT_DATABASE_URL": url}
    for k in range(n):
        port = _free_port()
        log = (log_dir / f"instance-{k}.log").open("wb")
        argv = [sys.executable, "-m", "assessment", "serve", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
        procs.append(subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
        logs.append(log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS * 2
        for proc, u in zip(procs, urls, strict=True):
            while not _healthy(u):
                assert proc.poll() is None, f"an instance exited; see {log_dir}"
                assert time.monotonic() < deadline, f"an instance was not healthy in time; see {log_dir}"
                time.sleep(0.2)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def settle(page: Any) -> None:
    page.wait_for_timeout(120)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)


def join(browser: Any, base: str, code: str, role_label: str) -> str:
    """Join on one instance in the browser; return the participant's token from the personal link."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{base}/?join={code}")
        page.get_by_role("heading", name="Join a workshop").wait_for()
        settle(page)
        page.get_by_label("Your role").click()
        page.get_by_role("option", name=role_label, exact=True).click()
        page.get_by_role("button", name="Join the workshop").click()
        main = page.get_by_test_id("stMain")
        main.get_by_text("Your personal link.").wait_for()
        settle(page)
        main.get_by_text("Your personal link.").click()  # folded into one line above the statements
        main.get_by_test_id("stCode").first.get_by_text("resume=").wait_for()
        link = main.get_by_test_id("stCode").first.inner_text().strip()
        assert link.startswith(f"{base}/?resume="), link
        return link.rsplit("=", 1)[1]
    finally:
        context.close()


def dashboard_text(browser: Any, base: str, code: str, key: str, artifacts: Path) -> str:
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{base}/?facilitate={code}")
        page.get_by_label("Facilitator key").wait_for()
        settle(page)
        page.get_by_label("Facilitator key").fill(key)
        page.get_by_role("button", name="Open the dashboard").click()
        main = page.get_by_test_id("stMain")
        main.get_by_role("heading", name="Participants").wait_for()
        main.get_by_test_id("stMetricValue").filter(has_text="2 of 2").wait_for()
        settle(page)
        return main.inner_text()
    except Exception:
        page.screenshot(path=str(artifacts / f"scale_out_failure_{base.rsplit(':', 1)[1]}.png"))
        raise
    finally:
        context.close()


def test_two_instances_share_one_postgresql(postgres_server: PostgresServer, browser: Any, artifacts: Path) -> None:
    url = postgres_server.fresh_url()
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with start_instances(url, artifacts) as (a, b):
        engine = create_engine(url)
        with engine.connect() as conn:  # both migrated at once: one version row, the newest
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
        engine.dispose()

        store = Store(url)
        created = store.create_workshop("Two instances", Context(innovation_title="Virtual ward"), mode="quick")
        code, key = created.workshop.join_code, created.facilitator_key
        tokens = [join(browser, a, code, "Doctor"), join(browser, b, code, "Nurse")]
        items = [i.id for i in store.bank.items_for("quick")]
        for token in tokens:  # their answers, seeded through the store (one browser user drives each page)
            store.save_answers(token, dict.fromkeys(items, 3))
            store.submit(token)
        store.close()

        for base in (a, b):
            shown = dashboard_text(browser, base, code, key, artifacts)
            # (dashboard_text waited for "Submitted: 2 of 2": both participants, each joined on another instance)
            assert "Submitted" in shown and "2 of 2" in shown
            assert not re.search(r"Traceback|Error:", shown)
    for log in artifacts.glob("instance-*.log"):
        assert "Traceback" not in log.read_text(errors="replace"), log
