"""Scale-out behind a real proxy: Debian's nginx with the deployment's configuration (deploy/nginx/assessment/) in
front of two `assessment serve` processes on one PostgreSQL database.

Checked through the proxy: simulated participants (bench/loadgen.py: the browser's websocket protocol, no browser
each) spread over both processes with every answer stored; each browser stays on one process (the route cookie);
the budget of wrong join codes is one budget across the processes; the security headers are on every response;
Streamlit's metrics are closed; and Streamlit's page works under the Content-Security-Policy in Chromium.

Skipped (with the reason) when nginx is not installed: `apt-get install nginx-light` (.ci/run installs it).
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from pg_server import PostgresServer

sys.path.insert(0, str(ROOT / "bench"))

import cluster
import loadgen
from rows import parse

from assessment.store import Store
from assessment.workshop import JOIN_CODE_ALPHABET, JOIN_MAX_FAILURES

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")
METRICS_PATHS = ("/_stcore/metrics", "//_stcore/metrics", "/_stcore/%6detrics", "/_stcore/metrics?format=json")


@pytest.fixture(scope="module")
def two_apps(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if cluster.nginx_binary() is None:
        pytest.skip("nginx is not installed: apt-get install nginx-light")
    url = postgres_server.fresh_url()
    logs = tmp_path_factory.mktemp("apps")
    with cluster.apps(url, 2, logs, {"ASSESSMENT_TRUSTED_PROXIES": "127.0.0.1"}) as started:
        yield url, started, logs


def _get(url: str, cookies: dict[str, str] | None = None) -> tuple[int, Any]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            r.read()
            return r.status, r.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers


def test_security_headers_on_every_response_and_metrics_closed(two_apps: Any, tmp_path: Path) -> None:
    _, apps, _ = two_apps
    assert _get(apps[0].url + "/_stcore/metrics")[0] == 200  # the app itself serves them: the proxy must not
    with cluster.proxy(apps, tmp_path) as proxy:
        for path in ("/", "/join", "/_stcore/health", "/no-such-file.js", *METRICS_PATHS):
            status, headers = _get(proxy.url + path)
            for name in SECURITY_HEADERS:
                assert headers.get(name), (path, name)
            csp = headers["Content-Security-Policy"]
            assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp and "'unsafe-eval'" not in csp
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["X-Frame-Options"] == "SAMEORIGIN"
            if path in METRICS_PATHS:
                assert status == 404, path
        assert _get(proxy.url + "/")[1]["Server"] == "nginx"  # no version number
        status, headers = _get(proxy.url + "/")
        assert headers["Set-Cookie"].startswith("assessment_route=") and "HttpOnly" in headers["Set-Cookie"]
        assert _get(proxy.url + "/", {"assessment_route": "x1"})[1].get("Set-Cookie") is None  # set once


def test_participants_spread_over_both_processes_sticky_and_nothing_lost(two_apps: Any, tmp_path: Path) -> None:
    url, apps, _ = two_apps
    store = Store(url)
    code = store.create_workshop("Through the proxy", None, "quick").workshop.join_code
    plan = loadgen.LoadPlan(participants=16, answers_each=3, min_gap=0.2, max_gap=0.5, ramp=1.0, seed=7)
    with cluster.proxy(apps, tmp_path) as proxy:
        runs = loadgen.run_load(proxy.url, code, plan)
    assert [r.error for r in runs if r.error] == []
    assert sum(len(r.sent) for r in runs) == 16 * 3
    assert loadgen.lost_answers(store, runs) == []
    store.close()
    # after the proxy stopped, every websocket is logged: by route, the processes that served it
    served: dict[str, set[str]] = defaultdict(set)
    paths: dict[str, set[str]] = defaultdict(set)
    streams: dict[str, int] = defaultdict(int)
    for req in proxy.requests():
        served[req.route].add(req.upstream)
        paths[req.route].add(req.path)
        if req.path == "/_stcore/stream":
            streams[req.upstream] += 1
    # each websocket carried the route cookie its page load was given, and went where the page came from
    assert all("/" in paths[route] for route in paths if "/_stcore/stream" in paths[route]), paths
    assert all(len(upstreams) == 1 for upstreams in served.values()), served
    assert set(streams) == {a.address for a in apps}, streams  # both processes have participants
    assert sum(streams.values()) == 16


def _routes_to_each(proxy: cluster.Proxy, apps: list[cluster.App]) -> dict[str, str]:
    """A route cookie for each app process (the proxy says which process answered, in the harness's header)."""
    found: dict[str, str] = {}
    rng = random.Random(3)
    for _ in range(64):
        route = f"{rng.getrandbits(128):032x}"
        found.setdefault(_get(proxy.url + "/_stcore/health", {"assessment_route": route})[1]["X-Upstream"], route)
        if len(found) == len(apps):
            break
    assert set(found) == {a.address for a in apps}
    return found


async def _attempt(base_url: str, code: str, cookies: dict[str, str]) -> tuple[str | None, list[str]]:
    async with loadgen.open_page(base_url, f"join={code}", cookies) as page:
        token = await loadgen.join(page, "Doctor")
        return token, page.alerts


def test_wrong_join_codes_share_one_budget_across_processes(two_apps: Any, tmp_path: Path) -> None:
    url, apps, logs = two_apps
    store = Store(url)
    code = store.create_workshop("Guessing", None, "quick").workshop.join_code
    store.close()
    wrong = "".join(JOIN_CODE_ALPHABET[(JOIN_CODE_ALPHABET.index(c) + 1) % len(JOIN_CODE_ALPHABET)] if c != "-"
                    else c for c in code)  # fmt: skip
    device = "guessing-device-0123456789"
    with cluster.proxy(apps, tmp_path) as proxy:
        routes = list(_routes_to_each(proxy, apps).values())
        for n in range(JOIN_MAX_FAILURES):  # one device's wrong codes, alternately on each process
            cookies = {"assessment_route": routes[n % 2], "assessment_device": device}
            token, alerts = loadgen.run_sync(_attempt(proxy.url, wrong, cookies))
            assert token is None and any("No workshop has the code" in a for a in alerts), alerts
        # the right code from that device is now paused, on either process: the budget is the database's
        for route in routes:
            token, alerts = loadgen.run_sync(_attempt(proxy.url, code, {"assessment_route": route,
                                                                   "assessment_device": device}))  # fmt: skip
            assert token is None and alerts, alerts
            assert not any("No workshop has the code" in a for a in alerts)
        # another device joins with the same code: the code is right, only the guessing device is paused
        other = {"assessment_route": routes[0], "assessment_device": "another-device-0123456789"}
        token, _ = loadgen.run_sync(_attempt(proxy.url, code, other))
        assert token
    refused = [p.read_text().count('"reason": "unknown"') for p in sorted(logs.glob("app-*.log"))]
    paused = [p.read_text().count('"reason": "device_paused"') for p in sorted(logs.glob("app-*.log"))]
    assert refused == [JOIN_MAX_FAILURES // 2] * 2, refused  # each process saw half of the wrong codes
    assert paused == [1, 1], paused


@pytest.mark.browser
def test_streamlit_works_under_the_content_security_policy(two_apps: Any, browser: Any, tmp_path: Path) -> None:
    url, apps, _ = two_apps
    store = Store(url)
    created = store.create_workshop("Under the policy", None, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    items = [i.id for i in store.bank.items_for("quick")]
    for n in range(6):  # submitted answers enough for the dashboard's charts (Plotly)
        token = store.join_workshop(code, ("nurse", "doctor")[n % 2], client_key=f"csp-{n}").participant_token
        store.save_answers(token, {item: 1 + (n + k) % 5 for k, item in enumerate(items)})
        store.submit(token)
    with cluster.proxy(apps, tmp_path) as proxy:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page = context.new_page()
        page.set_default_timeout(45_000)
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        try:
            page.goto(f"{proxy.url}/?join={code}")
            page.get_by_role("heading", name="Join a workshop").wait_for()
            page.get_by_label("Your role").click()
            page.get_by_role("option", name="Nurse", exact=True).click()
            page.get_by_role("button", name="Join the workshop").click()
            main = page.get_by_test_id("stMain")
            main.get_by_text("Your personal link.").wait_for()
            main.get_by_test_id("stRadio").first.get_by_text("Agree", exact=True).click()
            main.get_by_text("Your answers saved: 1 of").wait_for()
            cookies = {c["name"] for c in context.cookies()}
            violations = page.evaluate("window.__csp")
            page.goto(proxy.url + "/")  # the start page (charts' code, page links)
            page.get_by_test_id("stSidebar").wait_for()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            violations += page.evaluate("window.__csp")
            icon = page.evaluate("document.querySelector('link[rel~=icon]').href")
            served = context.request.get(icon)
            assert icon.startswith(proxy.url) and served.ok and served.headers["content-type"] == "image/png", icon
            page.goto(f"{proxy.url}/?facilitate={code}")  # the facilitator's dashboard, with Plotly charts
            page.get_by_label("Facilitator key").fill(key)
            page.get_by_role("button", name="Open the dashboard").click()
            page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
            violations += page.evaluate("window.__csp")
        finally:
            context.close()
    # nothing refused: the tab icon too is served by the app (a Material icon was fetched from Google)
    assert violations == [] and refused == [], "\n".join(violations + refused)
    assert {"assessment_device", "assessment_route"} <= cookies  # the app's inline script ran under the policy
    store.close()


def test_capacity_benchmark_quick_mode(tmp_path: Path) -> None:
    """`bench_capacity.py --quick` (what CI can afford): a few participants on one process, each answer stored."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_capacity.py"), "--quick", "--db", "sqlite",
                          "--no-scale-out"], capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    level = next(line for line in out.stdout.splitlines() if line.startswith("1 process"))
    assert "4 participants:     8 answers" in level and "lost 0, failed 0" in level and "-> holds" in level
    rows = {r.benchmark: r for r in (parse(line) for line in out.stdout.splitlines()) if r is not None}
    assert rows["capacity"].measured == 4 and rows["capacity"].passed is None  # quick mode reports, judges nothing
    assert rows["capacity_cpu"].measured > 0


@pytest.mark.parametrize("site", ["compose.conf", "site-tls.conf"])
def test_the_shipped_site_files_pass_nginx_t(site: str, tmp_path: Path) -> None:
    """deploy/nginx's compose and TLS site files as nginx reads them (`nginx -t`), with the app's address and the
    certificate replaced by local ones (a self-signed certificate made here)."""
    exe = cluster.nginx_binary()
    if exe is None or shutil.which("openssl") is None:
        pytest.skip("nginx or openssl is not installed: apt-get install nginx-light openssl")
    conf = tmp_path / "conf"
    shutil.copytree(cluster.NGINX_CONF, conf / "assessment")
    (conf / "assessment" / "upstreams.conf").write_text("server 127.0.0.1:8501;\n")
    key, cert = tmp_path / "site.key", tmp_path / "site.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)  # fmt: skip
    text = (ROOT / "deploy" / "nginx" / site).read_text()
    text = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {cert};", text)
    text = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {key};", text)
    text = re.sub(r"listen (\[::\]:)?(80|443)", lambda m: f"listen {m.group(1) or ''}{cluster.free_port()}", text)
    text = text.replace("/var/log/nginx/", f"{tmp_path}/")
    (conf / "site.conf").write_text(text)
    (conf / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n include site.conf;\n}}\n")
    check = subprocess.run([exe, "-p", str(tmp_path), "-c", str(conf / "nginx.conf"), "-e", str(tmp_path / "e.log"),
                            "-t"], capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "include assessment/proxy.conf;" in text and "include assessment/http.conf;" in text
