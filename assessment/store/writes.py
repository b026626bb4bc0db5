"""Writes on SQLite: the fair queue of a process's writers, and the participant's save (the hottest write).

Why saves stalled (issue 11, finding 8), measured with `bench/bench_writes.py` (50 threads, 40 saves each, on
this 2-core machine):

1. SQLite's busy handler. A writer that finds the write lock taken sleeps 1, 2, 5, 10, ... then 100 ms at a
   time and retries; writers that arrive meanwhile can take the lock first, so one unlucky save polled for
   seconds (p50 3 ms but p99 2.1 s and worst 9.2 s with every writer left to the handler). Since commit 6b68071
   the threads of one process queue on a lock in the process (`base.WriteQueue`) and only other processes
   meet the busy timeout.
2. The queue was still slow (p50 117 ms, p99 0.8-1.1 s, worst 1.5-1.9 s) for two reasons found with a lock
   that timed its holders and with cProfile:
   - the lock was not fair: `threading.Lock` wakes a waiter but lets any running thread take the lock first,
     so a thread that had just saved took it again while others kept waiting (holders were fine, waiters
     were starved). `WriteQueue` hands the lock to the longest waiting thread.
   - each save cost 2.6 ms of CPU (6.9 ms wall on the loaded machine) while holding the lock, most of it in
     SQLAlchemy rather than SQLite: the upsert statement was built anew for every save (its `excluded`
     column collection alone took 40 % of the time), the participant and workshop were loaded as ORM objects
     and `updated_at` was written through the unit of work. With 50 writers queued, every save waits for
     about 49 others, so the cost per save is multiplied by 50 in the latency. The statements below are built
     once; the transaction runs three small Core statements (check the participant, upsert, touch
     `updated_at`), and everything that needs no database (validation, hashing, the items asked) happens
     before the lock is taken.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Delete, Insert, Row, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .schema import AnswerRow, ParticipantRow, WorkshopRow


class WriteQueue:
    """A lock that the threads waiting for it get in the order they asked (first come, first served).

    `threading.Lock` makes no such promise: a release wakes a waiter, but a thread that is already running (on
    a busy machine, usually the one that has just released it and is saving again) takes the lock first. Here
    a release hands the lock directly to the longest waiting thread.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        try:
            turn.acquire()  # released by the holder when it is this thread's turn
        except BaseException:  # interrupted while waiting: leave the queue, or pass the turn on if it came
            with self._mutex:
                if turn in self._waiting:
                    self._waiting.remove(turn)
                    raise
            self.release()
            raise

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("release of a WriteQueue that is not held")
            if self._waiting:
                self._waiting.popleft().release()  # stays held: ownership passes to that thread
            else:
                self._held = False

    def __enter__(self) -> WriteQueue:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


ANSWER_CHANGES = ("rating", "dont_know", "comment", "updated_at")
FAST_DIALECTS = ("sqlite", "postgresql")  # the dialects with INSERT ... ON CONFLICT DO UPDATE

_P = ParticipantRow.__table__.c
_W = WorkshopRow.__table__.c
_A = AnswerRow.__table__.c

_TARGET = (
    select(_P.id, _P.submitted_at, _P.excluded_at, _W.mode, _W.expires_at)
    .join_from(ParticipantRow.__table__, WorkshopRow.__table__, _W.id == _P.workshop_id)
    .where(_P.token_hash == bindparam("token_hash"))
)
_TOUCH = update(ParticipantRow.__table__).where(_P.id == bindparam("pid")).values(updated_at=bindparam("now"))
_CLEAR: Delete = delete(AnswerRow.__table__).where(
    _A.participant_id == bindparam("pid"), _A.item_id.in_(bindparam("cleared", expanding=True))
)


@cache
def upsert_statement(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (participant, item) DO UPDATE, built once per dialect."""
    ins = sqlite_insert(AnswerRow.__table__) if dialect == "sqlite" else pg_insert(AnswerRow.__table__)
    return ins.on_conflict_do_update(
        index_elements=["participant_id", "item_id"], set_={c: ins.excluded[c] for c in ANSWER_CHANGES}
    )


def writable_participant(conn: Connection, token_hash: str, now: datetime) -> Row[Any] | None:
    """(participant id, mode) of an open, not excluded, not submitted participant; None otherwise (the caller
    then finds out why, for the message). On PostgreSQL the participant row is locked, so that a concurrent
    submit or exclusion cannot slip between this check and the save."""
    stmt = _TARGET.with_for_update(of=ParticipantRow.__table__) if conn.dialect.name == "postgresql" else _TARGET
    found = conn.execute(stmt, {"token_hash": token_hash}).first()
    if found is None or found.submitted_at is not None or found.excluded_at is not None or found.expires_at <= now:
        return None
    return found


def write_answers(
    conn: Connection, pid: int, upserts: Sequence[dict[str, Any]], cleared: Sequence[str], now: datetime
) -> None:
    """Delete the cleared answers, insert or update the others, and touch the participant: one transaction."""
    if cleared:
        conn.execute(_CLEAR, {"pid": pid, "cleared": list(cleared)})
    if upserts:
        stmt = upsert_statement(conn.dialect.name)
        conn.execute(stmt, upserts[0] if len(upserts) == 1 else list(upserts))
    conn.execute(_TOUCH, {"pid": pid, "now": now})
