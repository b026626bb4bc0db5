"""The database behind the store: its URL (one setting), the engine set-up for SQLite and PostgreSQL, and migrations."""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Engine,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError
from sqlalchemy.pool import StaticPool

from ..errors import AssessmentError
from ..settings import database_secrets, load_settings, url_password

DATABASE_URL_ENV = "ASSESSMENT_DATABASE_URL"
DEFAULT_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "assessment.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
BUSY_TIMEOUT_MS = 30_000
# A pooled PostgreSQL connection is pinged (SELECT 1) before use only when it sat idle in the pool this long: a
# connection used a moment ago is alive, and pinging on every checkout cost 12 % of the server's CPU per answer
# (issue 22). One that fails the ping is replaced before anyone uses it; one dropped within these seconds fails
# one transaction, and SQLAlchemy then discards the whole pool (the server has restarted).
PING_AFTER_IDLE_S = 10.0
_IDLE_SINCE = "assessment_idle_since"


def database_url() -> str:
    """`ASSESSMENT_DATABASE_URL`, else the SQLite file `assessment.sqlite` in `ASSESSMENT_DATA_DIR` (settings.py)."""
    # read afresh: a test or a command may have changed the environment
    return load_settings().effective_database_url


def safe_url(url: str) -> str:
    """The URL as errors and logs may show it: the password as `***`; a URL that does not parse as its scheme only
    (its password could not be told apart from the rest)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("://", 1)[0] + "://..." if "://" in url else "(not a database URL)"


def scrub(text: str, *secrets: str) -> str:
    """`text` with each secret, its URL-encoded form and every piece of it between the characters a URL splits on
    replaced by `***`."""
    from urllib.parse import quote, unquote

    pieces: set[str] = set()
    for secret in secrets:
        for form in {secret, unquote(secret), quote(secret, safe=""), quote(unquote(secret), safe="")}:
            if form:
                pieces.add(form)
                pieces.update(p for p in re.split(r"[@:/?#%]", form) if len(p) >= 2)
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, "***")
    return text


def connection_error(url: str, exc: BaseException) -> str:
    """One line for a database that cannot be reached or read, never showing the password."""
    orig = getattr(exc, "orig", None) or exc
    detail = " ".join(str(orig).split("\n", 1)[0].split())
    detail = re.sub(r"\s*\(Background on this error at: \S+\)", "", detail)
    secrets = [url_password(url)]
    with contextlib.suppress(ArgumentError, ValueError):
        secrets.append(make_url(url).password or "")
    secrets += database_secrets()
    return scrub(f"cannot use the database {safe_url(url)}: {detail[:300]}", *secrets)


# ----- engine and migrations -----------------------------------------------------------------------------


def is_memory_sqlite(database: str | None) -> bool:
    return not database or database == ":memory:" or database.startswith("file::memory:")


def make_engine(url: str) -> Engine:
    """An engine set up as stack.md section 5 found safe for 50 concurrent writers on SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return _ping_after_idle(create_engine(u))
    memory = is_memory_sqlite(u.database)
    if not memory:
        _create_private(Path(cast(str, u.database)).expanduser())
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(pool_size=10, max_overflow=50)
    engine = create_engine(u, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # secure_delete: deleted rows are overwritten with zeros in the file (and in the WAL frames that carry the
        # change), instead of lingering in free space until reused; erasure.py then checkpoints the WAL.
        pragmas = [f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL", "foreign_keys=ON", "secure_delete=ON"]
        if not memory:
            pragmas.insert(0, "journal_mode=WAL")
        for p in pragmas:
            cur.execute(f"PRAGMA {p}")
        cur.close()
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writes take the write lock at BEGIN, so a read-then-write waits (busy_timeout) instead of failing
        # on the lock upgrade; reads use a deferred BEGIN and never block writers in WAL mode.
        immediate = conn.get_execution_options().get("assessment_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _ping_after_idle(engine: Engine) -> Engine:
    """Check a pooled connection before use only when it was idle for PING_AFTER_IDLE_S or more (read when the
    engine is made). SQLite needs no check: a file cannot drop a connection."""
    idle_s = PING_AFTER_IDLE_S

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_conn: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < idle_s:
            return  # new, or used a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
            dbapi_conn.rollback()  # end the transaction the ping began: the caller starts its own
        except Exception as exc:  # the driver's own error for a connection the server dropped
            raise DisconnectionError("a pooled connection failed its liveness check") from exc
        if not alive:
            raise DisconnectionError("a pooled connection failed its liveness check")

    return engine


def _create_private(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by this user only, before SQLite opens it: SQLite gives the
    -wal and -shm files it creates the database file's permissions. An existing file is left as it is."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code; `script_location` points into the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration. Safe to run repeatedly and from several processes."""
    write = engine.execution_options(assessment_write=True)
    with write.begin() as conn:
        if conn.dialect.name == "postgresql":  # serialise concurrent start-ups
            conn.execute(text("SELECT pg_advisory_xact_lock(7274701)"))
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        _refuse_a_newer_schema(conn, cfg)
        command.upgrade(cfg, "head")


class NewerDatabase(AssessmentError):
    """The database was upgraded by a newer version of the app than this one (a deployment rolled back)."""


def _refuse_a_newer_schema(conn: Any, cfg: Config) -> None:
    """Say in one line that the database is newer than this app, instead of Alembic's "Can't locate revision"."""
    current = MigrationContext.configure(conn).get_current_revision()  # None on a new database
    script = ScriptDirectory.from_config(cfg)
    if current is None or current in {s.revision for s in script.walk_revisions()}:
        return
    raise NewerDatabase(
        f"the database was upgraded by a newer version of this app (its schema is at revision {current}; this "
        f"version knows revisions up to {script.get_current_head()}): run the newer version, or restore the "
        "backup taken before the upgrade"
    )


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no version table yet
            return None
