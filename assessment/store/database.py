"""The database behind the store: its URL (one setting), the engine set-up for SQLite and PostgreSQL, and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Engine,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

DATABASE_URL_ENV = "ASSESSMENT_DATABASE_URL"
DEFAULT_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "assessment.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
BUSY_TIMEOUT_MS = 30_000


def database_url() -> str:
    """`ASSESSMENT_DATABASE_URL`, else the SQLite file `assessment.sqlite` in `ASSESSMENT_DATA_DIR` (settings.py)."""
    from ..settings import load_settings  # read afresh: a test or a command may have changed the environment

    return load_settings().effective_database_url


# ----- engine and migrations -----------------------------------------------------------------------------


def _is_memory_sqlite(database: str | None) -> bool:
    return not database or database == ":memory:" or database.startswith("file::memory:")


def make_engine(url: str) -> Engine:
    """An engine set up as stack.md section 5 found safe for 50 concurrent writers on SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True)
    memory = _is_memory_sqlite(u.database)
    if not memory:
        Path(cast(str, u.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
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
        command.upgrade(cfg, "head")


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no version table yet
            return None
