"""App processes and the nginx proxy in front of them, started the way a deployment starts them, for the capacity
benchmark and tests/test_proxy.py.

`apps` starts n `python -m assessment serve` processes (the image's start command) on one database. `proxy`
runs Debian's nginx unprivileged (a temporary prefix, a free high port, `daemon off`) with the deployment's own
configuration files from deploy/nginx/assessment/ (copied unchanged; only upstreams.conf is written, one line per
app process) and a server block like deploy/nginx/compose.conf's. `cpu_seconds` reads a process's CPU time from
/proc.
"""

from __future__ import annotations

import os
import re
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

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "assessment"
STARTUP_SECONDS = 90.0

MAIN_CONF = """
worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include assessment/http.conf;
    # for the checks only, not in a deployment: each request's route and process, and the process in a header
    log_format harness '$assessment_route "$request_method $uri" $status $upstream_addr';
    server {{
        listen 127.0.0.1:{port};
        include assessment/proxy.conf;
        add_header X-Upstream $upstream_addr always;
        access_log {prefix}/access.log harness;
    }}
}}
"""


@dataclass(frozen=True)
class App:
    url: str  # http://127.0.0.1:port
    pid: int

    @property
    def address(self) -> str:
        return self.url.removeprefix("http://")


@dataclass(frozen=True)
class Logged:
    route: str  # the sticky route (the route cookie's value, or the one the response set)
    path: str
    status: int
    upstream: str  # the app process that answered (host:port), "-" if none


@dataclass(frozen=True)
class Proxy:
    url: str
    access_log: Path
    pid: int

    def requests(self) -> list[Logged]:
        """Every request logged so far (a websocket is logged when it closes: all are once the proxy stopped)."""
        out = []
        for line in self.access_log.read_text().splitlines():
            m = re.fullmatch(r'(\S+) "\w+ (\S+)" (\d+) (\S+)', line)
            if m:
                out.append(Logged(m.group(1), m.group(2), int(m.group(3)), m.group(4)))
        return out


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def apps(
    database_url: str, n: int, log_dir: Path, env: dict[str, str] | None = None, root: Path = ROOT
) -> Iterator[list[App]]:
    """Start n `python -m assessment serve` processes at once on one database; yield them once all are healthy.
    `root`: the source tree they run from (another commit's, for a baseline), this one by default."""
    procs: list[subprocess.Popen[bytes]] = []
    started: list[App] = []
    environment = {**os.environ, "ASSESSMENT_DATABASE_URL": database_url, **(env or {})}
    try:
        for k in range(n):
            port = free_port()
            argv = [sys.executable, "-m", "assessment", "serve", "--server.port", str(port),
                    "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
            with (log_dir / f"app-{k}.log").open("wb") as log:
                proc = subprocess.Popen(argv, cwd=root, env=environment, stdout=log, stderr=subprocess.STDOUT)
            procs.append(proc)
            started.append(App(f"http://127.0.0.1:{port}", proc.pid))
        deadline = time.monotonic() + STARTUP_SECONDS
        for proc, app in zip(procs, started, strict=True):
            while not healthy(app.url):
                if proc.poll() is not None:
                    raise RuntimeError(f"an app process exited with code {proc.returncode}; see {log_dir}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"an app process was not healthy after {STARTUP_SECONDS:.0f} s; see {log_dir}")
                time.sleep(0.2)
        yield started
    finally:
        _stop(procs)


@contextmanager
def proxy(upstreams: list[App], prefix: Path) -> Iterator[Proxy]:
    """nginx with deploy/nginx/assessment/ in front of the app processes, on a free port of 127.0.0.1."""
    exe = nginx_binary()
    if exe is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    conf = prefix / "conf"
    shutil.copytree(NGINX_CONF, conf / "assessment")
    (conf / "assessment" / "upstreams.conf").write_text("".join(f"server {a.address};\n" for a in upstreams))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    port = free_port()
    (conf / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix, port=port))
    argv = [exe, "-p", str(prefix), "-c", str(conf / "nginx.conf"), "-e", str(prefix / "error.log"),
            "-g", "daemon off;"]  # fmt: skip
    check = subprocess.run([*argv[:-2], "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration: {check.stderr.strip()}")
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start; see {prefix / 'error.log'}")
            time.sleep(0.1)
        yield Proxy(url, prefix / "access.log", proc.pid)
    finally:
        _stop([proc])
