"""A throwaway PostgreSQL cluster for the store tests (stack.md section 5), one per test session.

`PostgresServer.fresh_url()` creates an empty database per test, so PostgreSQL tests are as isolated as the
SQLite ones (a file per test). The cluster runs as the `postgres` user when the tests run as root (initdb
refuses root). When `initdb`, `pg_ctl` or the psycopg package are missing the PostgreSQL variants are
skipped with the reason; `.ci/run` installs the server, and requirements-dev.txt pins psycopg.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text


def _bin_dir() -> str | None:
    """Where initdb and pg_ctl are: on PATH, or in Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return str(Path(found).parent)
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return str(candidate)
    return None


def unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None."""
    if _bin_dir() is None:
        return "needs the PostgreSQL server programs initdb and pg_ctl (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "needs the psycopg package (requirements-dev.txt)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs a 'postgres' user to run initdb"
    return None


def _scratch() -> str | None:
    """Where the cluster lives: in memory (/dev/shm) where there is one, else the temporary directory; either way a
    top-level folder, so the postgres user can reach it. Every test gets a database of its own, about 10 MB written
    at CREATE DATABASE and deleted with the cluster: on a busy disk that cost tens of seconds, in memory it does not."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, settings: dict[str, str] | None = None) -> None:
        """`settings`: extra server settings (`-c name=value`), e.g. for a cluster of one test module's own."""
        self.root = Path(tempfile.mkdtemp(prefix="assessment-pg-", dir=_scratch()))
        self.port = _free_port()
        self._as_postgres = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._names = itertools.count(1)
        bin_dir = _bin_dir()
        init = f"{bin_dir}/initdb -D {self.root}/data -A trust -U postgres >/dev/null"
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        opts += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
        start = f"{bin_dir}/pg_ctl -D {self.root}/data -o '{opts}' -l {self.root}/log -w start >/dev/null"
        subprocess.run([*self._as_postgres, f"{init} && {start}"], check=True, timeout=120)
        self._bin = bin_dir
        self.admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (every file the server writes, the write-ahead log included)."""
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def fresh_url(self) -> str:
        name = f"t{next(self._names)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url(name)

    def stop(self) -> None:
        self.admin.dispose()
        subprocess.run(
            [*self._as_postgres, f"{self._bin}/pg_ctl -D {self.root}/data -m immediate stop >/dev/null"],
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)
