"""The workshop store: the only package that talks to the database.

By default an embedded SQLite file at `data/assessment.sqlite` (created on first use, in WAL mode, with a busy
timeout, and with every write transaction opened by `BEGIN IMMEDIATE` so that concurrent read-then-write
transactions queue instead of failing with "database is locked"). Any SQLAlchemy URL can be used instead
through one setting, the environment variable `ASSESSMENT_DATABASE_URL`. The schema is created and upgraded
by the Alembic migrations in `assessment/migrations/`, run on start-up; tables are never dropped and recreated.

Secrets: the facilitator key and the participants' resume tokens are 256-bit random strings; only their
SHA-256 hashes are stored (a fast hash is enough for keys this long), and the facilitator key is compared with
`hmac.compare_digest`. The client keys used to rate-limit wrong join codes (a session id or an IP address) are
stored hashed as well.

Usage from the UI::

    store = get_store()
    created = store.create_workshop("Frailty pathway workshop", context, mode="full")
    joined = store.join_workshop(created.workshop.join_code, "nurse", client_key=session_id)
    store.save_answer(joined.participant_token, "ce_protected_time", 4, comment="Only on paper")
    summary = store.summary(created.workshop.join_code, created.facilitator_key)

The package holds one module per concern: `schema` (tables), `database` (URL, engine, migrations), `fastload`
(the workshop load's performance measures), `writes` (the fair queue of a process's SQLite writers and the
participant's save, with why saves used to stall), `base` (sessions and shared checks), `facilitator` and
`participants` (the operations), and `store` (the `Store` class joining them). Public names are re-exported here.
"""

from __future__ import annotations

import threading

from .base import Resume, utc_now
from .database import (
    DATABASE_URL_ENV,
    DEFAULT_DB_PATH,
    MIGRATIONS_DIR,
    NewerDatabase,
    alembic_config,
    connection_error,
    database_url,
    make_engine,
    safe_url,
    schema_revision,
    upgrade_schema,
)
from .fastload import answer_queries
from .limits import GLOBAL_FACTOR
from .schema import AnswerRow, Base, ConsensusRow, JoinAttemptRow, ParticipantRow, UTCDateTime, WorkshopRow
from .store import JoiningStatus, Store

_default: Store | None = None
_default_lock = threading.Lock()


def get_store() -> Store:
    """The process-wide store for the app (created, and the schema migrated, on first use, which also starts
    purging expired workshops: now, then daily; see retention.py, which schedules and never imports the store)."""
    global _default
    with _default_lock:
        if _default is None:
            from ..retention import start_daily_purge

            _default = Store()
            start_daily_purge(lambda: get_store().purge_expired())  # whichever store is current at each run
        return _default


__all__ = [
    "GLOBAL_FACTOR",
    "DATABASE_URL_ENV",
    "DEFAULT_DB_PATH",
    "MIGRATIONS_DIR",
    "AnswerRow",
    "ConsensusRow",
    "JoinAttemptRow",
    "ParticipantRow",
    "UTCDateTime",
    "WorkshopRow",
    "answer_queries",
    "schema_revision",
    "utc_now",
    "Base",
    "JoiningStatus",
    "Resume",
    "Store",
    "alembic_config",
    "connection_error",
    "database_url",
    "get_store",
    "make_engine",
    "NewerDatabase",
    "safe_url",
    "upgrade_schema",
]
