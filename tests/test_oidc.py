"""Organiser sign-in end to end against a real OpenID Connect provider (issue 22, finding 6).

The provider is Node's `oidc-provider` (tests/oidc/: its version pinned in package-lock.json, installed with
`npm ci` into tests/oidc/node_modules on first use; the test is skipped, saying why, when node or npm is missing
or the install fails). The app is served as in production, with Streamlit's `st.login` (Authlib) reading an
`[auth]` section from a secrets file written for the test (`STREAMLIT_SECRETS_FILES`) and the allow-list in
`ASSESSMENT_ORGANISER_ACCOUNTS`. In headless Chromium:

- an allow-listed organiser signs in at the provider and reaches *Set up a workshop*;
- a signed-in account that is not on the list is refused (and the refusal is logged as a hash, no address);
- another app process with the same `cookie_secret` accepts the first one's session cookie (no new sign-in), as
  behind a load balancer; a process with another `cookie_secret` does not (it offers the sign-in). Streamlit
  binds the cookie to the origin of `redirect_uri`, so these processes serve one after the other on the same
  address, as processes behind one proxy share the proxy's address.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import WORKER

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_DIR = ROOT / "tests" / "oidc"
INSTALL_LOCK = ".npm-ci.lock"  # beside node_modules (git ignores both): held while npm ci installs
ORGANISER = "organiser@hospital.example"
STRANGER = "visitor@hospital.example"
CLIENT_ID = "readiness-assessment"
CLIENT_SECRET = "test-client-secret-only-for-this-test"
COOKIE_SECRET = "shared-cookie-secret-for-both-processes-in-this-test"
OTHER_COOKIE_SECRET = "a-different-cookie-secret-of-a-third-process"
TIMEOUT_MS = 30_000
START_SECONDS = 30
SETUP_HEADING = "Set up a workshop"
REFUSED = "not on this deployment's list of organisers"


@pytest.fixture(autouse=True, scope="module")
def _expect_timeout() -> None:
    pytest.importorskip("playwright.sync_api").expect.set_options(timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Deployment:
    issuer: str  # the provider
    app_port: int  # every app process of the test serves here, one after the other (the registered callback)
    shared: Path  # secrets with COOKIE_SECRET
    other: Path  # secrets with OTHER_COOKIE_SECRET
    db: str
    logs: Path

    def app(self, secrets: Path, name: str) -> Any:
        return app(self.app_port, secrets, self.db, self.logs / f"streamlit-oidc-{name}-{WORKER}.log")

    def log(self, name: str) -> str:
        return (self.logs / f"streamlit-oidc-{name}-{WORKER}.log").read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def install_provider() -> Path:
    """tests/oidc/node_modules from the pinned lock file (npm ci), once; skip when that cannot be done here."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to run the local OpenID Connect provider (apt-get install nodejs npm)")
    installed = PROVIDER_DIR / "node_modules" / ".package-lock.json"
    lock = PROVIDER_DIR / "package-lock.json"
    # One installer at a time: the two tests run in two pytest-xdist workers, and `npm ci` first deletes
    # node_modules, so on a fresh checkout one worker's provider started on the other's half-installed tree
    # ("require(...) is not a function"). The second waits here, then finds the tree installed.
    with (PROVIDER_DIR / INSTALL_LOCK).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
            return Path(node)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
    if done.returncode != 0:
        tail = " ".join(done.stderr.split())[-300:]
        pytest.skip(f"could not install the test OpenID Connect provider with npm ci (no registry?): {tail}")
    return Path(node)


def secrets_file(folder: Path, provider_port: int, cookie_secret: str) -> Path:
    """A `.streamlit/secrets.toml` as the README describes; `{port}` is the app's own port (Streamlit fills it)."""
    path = folder / f"secrets-{cookie_secret[:8]}.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n'
        # Streamlit asks for prompt=select_account unless told otherwise; oidc-provider, like several providers,
        # supports only none, login and consent (the example secrets file says so)
        'client_kwargs = { prompt = "login" }\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def provider(node: Path, port: int, redirect_uri: str, log_path: Path) -> Iterator[str]:
    """The provider on 127.0.0.1:port, with the app registered as a client (one redirect URI)."""
    clients = [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [redirect_uri]}]
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENTS": json.dumps(clients)}
    issuer = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(node), "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=log)
        try:
            wait_for(issuer + "/.well-known/openid-configuration", proc, log_path)
            yield issuer
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextmanager
def app(port: int, secrets: Path, db: str, log_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1:port with the given secrets file (as conftest.serve, on a set port)."""
    env = {
        **os.environ,
        "ASSESSMENT_DATABASE_URL": db,
        "ASSESSMENT_ORGANISER_ACCOUNTS": ORGANISER,
        "STREAMLIT_SECRETS_FILES": str(secrets),
    }
    args = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", *args, "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(url + "/_stcore/health", proc, log_path)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def wait_for(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{url} : the process exited with code {proc.returncode}; see {log_path}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer in {START_SECONDS} s; see {log_path}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The provider, with the app's client registered for one app address; the secrets files; a database."""
    node = install_provider()
    tmp = tmp_path_factory.mktemp("oidc")
    provider_port, app_port = free_port(), free_port()
    log = artifacts / f"oidc-provider-{WORKER}.log"
    with provider(node, provider_port, f"http://127.0.0.1:{app_port}/oauth2callback", log) as issuer:
        yield Deployment(
            issuer=issuer,
            app_port=app_port,
            shared=secrets_file(tmp, provider_port, COOKIE_SECRET),
            other=secrets_file(tmp, provider_port, OTHER_COOKIE_SECRET),
            db=f"sqlite:///{tmp / 'oidc.sqlite'}",
            logs=artifacts,
        )


def sign_in_at_provider(page: Any, app_url: str, login: str) -> None:
    """From the app's *Run a workshop* page through the provider's sign-in and consent back to the app."""
    page.goto(f"{app_url}/workshop")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider accepts it")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # consent to share the e-mail address with the app
    page.wait_for_url(f"{app_url}/**")  # Streamlit returns to the app's first page after the callback
    page.goto(f"{app_url}/workshop")


def new_context(browser: Any) -> Any:
    """A browser context that reaches only the apps and the provider (its pages link a web font)."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_an_allow_listed_organiser_signs_in_and_another_process_with_the_cookie_secret_accepts_it(
    browser: Any, deployment: Deployment
) -> None:
    from playwright.sync_api import expect

    context = new_context(browser)
    provider_requests: list[str] = []
    context.on("request", lambda r: provider_requests.append(r.url) if r.url.startswith(deployment.issuer) else None)
    try:
        page = context.new_page()
        with deployment.app(deployment.shared, "first") as url:
            sign_in_at_provider(page, url, ORGANISER)
            expect(page.get_by_role("heading", name=SETUP_HEADING)).to_be_visible()
            assert page.get_by_text(REFUSED).count() == 0
            assert provider_requests  # the sign-in went through the provider
        assert "_streamlit_user" in {c["name"] for c in context.cookies(url)}
        assert "organiser_account_refused" not in deployment.log("first")

        # Another process with the same cookie_secret, at the same address (Streamlit binds the cookie to the
        # redirect_uri's origin; behind a proxy every process has the proxy's): signed in, no new sign-in.
        provider_requests.clear()
        with deployment.app(deployment.shared, "second") as url:
            page.goto(f"{url}/workshop")
            expect(page.get_by_role("heading", name=SETUP_HEADING)).to_be_visible()
        assert provider_requests == []

        # a process with another cookie_secret cannot read that cookie: it asks for a sign-in
        with deployment.app(deployment.other, "other") as url:
            page.goto(f"{url}/workshop")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            assert page.get_by_role("heading", name=SETUP_HEADING).count() == 0
    finally:
        context.close()


def test_a_signed_in_account_not_on_the_list_is_refused(browser: Any, deployment: Deployment) -> None:
    from playwright.sync_api import expect

    context = new_context(browser)
    try:
        page = context.new_page()
        with deployment.app(deployment.shared, "refused") as url:
            sign_in_at_provider(page, url, STRANGER)
            expect(page.get_by_text(REFUSED)).to_be_visible()
            assert page.get_by_role("heading", name=SETUP_HEADING).count() == 0
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    finally:
        context.close()
    log = deployment.log("refused")
    assert "organiser_account_refused" in log
    assert STRANGER not in log  # the refusal names a hash, never the address
