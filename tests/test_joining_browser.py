"""Joining in headless Chromium against the served app (finding 7 and 8 of issue 18): a forged X-Forwarded-For
sent over loopback does not change the address a wrong code is counted against (Streamlit's server, uvicorn,
believes that header from 127.0.0.1 by default; the app undoes it), a non-address in the header does not remove
the per-address budget, and a reload keeps counting against the same device (its id is in a cookie).

The control: served with ASSESSMENT_TRUSTED_PROXIES=127.0.0.1, the same header *is* believed, so the header
does reach the app through the websocket and the first test is not passing for want of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import WORKER, serve
from playwright.sync_api import expect
from sqlalchemy import text
from test_workshop_browser import ROLE_NAMES, TIMEOUT_MS, main, settle, until

from assessment.store import Store
from assessment.ui.workshop_state import DEVICE_COOKIE

pytestmark = pytest.mark.browser

WRONG = "ABCD-EFGH"


@pytest.fixture(autouse=True, scope="module")
def _expect_timeout() -> None:
    pytest.importorskip("playwright.sync_api").expect.set_options(timeout=TIMEOUT_MS)


def _served(artifacts: Path, tmp: Path, name: str, env: dict[str, str]) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp / 'joining.sqlite'}"
    Store(db).close()  # migrated (and its secret made) before the app starts
    for url in serve(artifacts / f"streamlit-{name}-{WORKER}.log", {"ASSESSMENT_DATABASE_URL": db, **env}):
        yield url, db


@pytest.fixture(scope="module")
def plain_app(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`streamlit run app.py` as the tests start it: uvicorn's default trust of loopback is on."""
    yield from _served(artifacts, tmp_path_factory.mktemp("joining-plain"), "joining-plain", {})


@pytest.fixture(scope="module")
def trusting_app(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    env = {"ASSESSMENT_TRUSTED_PROXIES": "127.0.0.1"}
    yield from _served(artifacts, tmp_path_factory.mktemp("joining-trusting"), "joining-trusting", env)


def counted(db: str, kind: str, value: str) -> int:
    """How many wrong codes the store counted against one device or address (it stores only their HMACs)."""
    store = Store(db)
    try:
        key = store.keys.hexdigest(f"budget-{kind}", value)
        with store.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM join_attempts WHERE client_hash = :k"), {"k": key})
                       .scalar() or 0)  # fmt: skip
    finally:
        store.close()


def wrong_code(page: Any, url: str) -> None:
    page.goto(f"{url}/join")
    expect(page.get_by_role("heading", name="Join a workshop")).to_be_visible()
    settle(page)
    page.get_by_label("Workshop code").fill(WRONG)
    page.get_by_label("Your role").click()
    page.get_by_role("option", name=ROLE_NAMES["nurse"], exact=True).click()
    page.get_by_role("button", name="Join the workshop").click()
    expect(main(page).get_by_text(f"No workshop has the code {WRONG}")).to_be_visible()


def forged(browser: Any, url: str, header: str) -> None:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": header})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        wrong_code(context.new_page(), url)
    finally:
        context.close()


def test_a_forged_forwarded_for_header_over_loopback_changes_nothing(
    browser: Any, plain_app: tuple[str, str], trusting_app: tuple[str, str]
) -> None:
    url, db = plain_app
    page_wait = browser.new_context().new_page()
    for n, header in enumerate(["203.0.113.7", "198.51.100.1, 203.0.113.8", "not-an-address"], start=1):
        forged(browser, url, header)
        until(page_wait, lambda n=n: counted(db, "network", "ip:127.0.0.1") == n, f"{n} wrong codes from loopback")
    for forged_address in ("203.0.113.7", "203.0.113.8", "198.51.100.1", "not-an-address", "unreadable"):
        assert counted(db, "network", f"ip:{forged_address}") == 0
    # the control: with the local proxy trusted, the same header is believed (it does reach the app)
    url, db = trusting_app
    forged(browser, url, "203.0.113.7")
    until(page_wait, lambda: counted(db, "network", "ip:203.0.113.7") == 1, "the trusted proxy's client")
    assert counted(db, "network", "ip:127.0.0.1") == 0
    forged(browser, url, "not-an-address")  # garbage from a trusted proxy: its own address still counts
    until(page_wait, lambda: counted(db, "network", "ip:127.0.0.1") == 1, "the proxy's address")
    page_wait.context.close()


def test_a_reload_keeps_counting_against_the_same_device(browser: Any, plain_app: tuple[str, str]) -> None:
    url, db = plain_app
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        wrong_code(page, url)
        page.reload()  # a new Streamlit session: the device id comes back from the cookie
        wrong_code(page, url)
        [device] = [c["value"] for c in context.cookies() if c["name"] == DEVICE_COOKIE]
        until(page, lambda: counted(db, "device", f"device:{device}") == 2, "two wrong codes from one device")
    finally:
        context.close()
