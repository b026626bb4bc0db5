"""Erasure after a deletion: what a deleted workshop leaves in the database files, and how the store clears it.

A DELETE only marks rows as gone. Without more, their text (names, departments, comments, notes, exclusion
reasons) stays readable in the files:

- SQLite: every connection sets `PRAGMA secure_delete = ON` (database.py), so a delete overwrites the rows'
  bytes with zeros. In WAL mode both the inserts and the zeroing are first written to the `-wal` file, and the
  old frames with the text stay there until a checkpoint copies the pages back and the WAL is reset; after a
  deletion `reclaim` runs `PRAGMA wal_checkpoint(TRUNCATE)`, which also cuts the `-wal` file to zero bytes.
- PostgreSQL: a deleted row stays in its page until VACUUM, and even VACUUM only marks the space reusable
  (it moves the live rows together but does not zero what it frees; empty pages at the end of a table are cut
  off). `reclaim` runs a plain VACUUM (ANALYZE) of the store's tables, which does not block the app but does
  not erase the bytes for certain; its ANALYZE replaces the planner's statistics, which keep sample values
  (names, comments) of each column. Physical erasure needs VACUUM FULL (or pg_repack), and the write-ahead log
  holds the text until its segments are removed (README, "Deletion").

`reclaim` runs after the deleting transaction has committed; a failure is logged, never raised: the rows are
already deleted and the next deletion (or the daily purge) tries again.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import Engine

from .database import is_memory_sqlite

LOG = logging.getLogger(__name__)

# Every table a deleted workshop (or an expired join limit) leaves rows in, vacuumed after a deletion.
ERASED_TABLES = (
    "answers",
    "participants",
    "consensus_scores",
    "workshops",
    "audit_log",
    "join_attempts",
    "join_budgets",
    "releases",
    "released_answers",
)


def reclaim(engine: Engine, write_lock: AbstractContextManager[object] | None = None) -> None:
    """Clear what committed deletions left in the files: checkpoint and truncate SQLite's WAL (holding the
    process's write queue, so that the store's own writers wait their turn instead of the busy timeout), or
    VACUUM the tables on PostgreSQL. Other databases: nothing."""
    dialect = engine.dialect.name
    try:
        if dialect == "sqlite":
            if not is_memory_sqlite(engine.url.database):
                with write_lock or nullcontext():
                    _checkpoint(engine)
        elif dialect == "postgresql":
            with engine.connect() as conn:
                auto = conn.execution_options(isolation_level="AUTOCOMMIT")
                auto.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(ERASED_TABLES))
    except Exception:  # the deletion itself is committed; this only tidies the files
        LOG.warning("clearing deleted rows from the %s files failed", dialect, exc_info=True)


def _checkpoint(engine: Engine) -> None:
    raw = engine.raw_connection()  # the DB-API connection: no BEGIN from SQLAlchemy (a checkpoint needs none)
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, frames, copied = cur.fetchone() or (0, 0, 0)
        cur.close()
    finally:
        raw.close()
    if busy:
        LOG.warning("the WAL checkpoint after a deletion was blocked (%s of %s frames copied)", copied, frames)
