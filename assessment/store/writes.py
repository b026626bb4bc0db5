"""Writes on SQLite: the fair queue of a process's writers, and the participant's save (the hottest write).

Why saves stalled (issue 11, finding 8), measured with `bench/bench_writes.py` (50 threads start together, each
joins and saves 40 answers) on this shared 2-core machine (load average 6-15 from other work):

1. SQLite's busy handler. A writer that finds the write lock taken sleeps 1, 2, 5, 10, ... then 100 ms at a
   time and retries, and writers that arrive meanwhile can take the lock first, so one unlucky save polled for
   seconds: p50 3-5 ms but p99 1.1-2.1 s and worst 4.2-9.2 s with every writer left to the handler. Since
   commit 6b68071 the threads of one process queue in the process and only other processes meet the busy
   timeout. (WAL checkpoints were not the cause: with automatic checkpoints off the tail did not change.)
2. That queue was still slow: p50 99-131 ms, p99 0.6-1.1 s, worst 0.85-1.9 s. A lock that timed its holders
   and cProfile showed why:
   - each save cost 2.6 ms of CPU (6.9 ms wall here) while holding the lock, most of it in SQLAlchemy, not
     SQLite: the upsert statement was built anew for every save (its `excluded` column collection alone took
     40 % of the time), the participant and workshop were loaded as ORM objects and `updated_at` was written
     through the unit of work. With 50 writers queued, a save waits for about 49 others, so the cost of one
     save is multiplied by 50 in the latency. The statements below are built once and the transaction runs
     three small Core statements (check the participant, upsert, touch `updated_at`): 0.5 ms of CPU. What
     needs no database (validation, hashing, the items asked per mode) happens before the lock is taken.
     A join holds the lock too (about 2.9 ms, now 1.5 ms: statements built once, Core inserts; limits.py,
     participants.py); the slowest saves are each participant's first, behind the 50 joins.
   - `threading.Lock` is not fair: a release wakes a waiter, but the running thread (usually the one that
     has just saved and saves again) takes the lock first. With the fast saves, the same benchmark alternated:
     threading.Lock p50 0.7-1.5 ms but p99 111-372 ms, worst 229-581 ms; `WriteQueue` (first come, first
     served) p50 27-36 ms, p99 126-160 ms, worst 138-190 ms. The mean is the same (50 writers share one
     lock); the fair queue spreads the wait instead of starving some writers.

After both: p99 51-186 ms, worst 69-192 ms over seven runs (goal p99 < 250 ms).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, Delete, Insert, Row, Table, bindparam, delete, func, or_, select, update
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

_PARTICIPANTS = cast(Table, ParticipantRow.__table__)
_WORKSHOPS = cast(Table, WorkshopRow.__table__)
_ANSWERS = cast(Table, AnswerRow.__table__)
_P, _W, _A = _PARTICIPANTS.c, _WORKSHOPS.c, _ANSWERS.c

_TARGET = (
    select(
        _P.id, _P.submitted_at, _P.excluded_at, _W.mode, _W.expires_at, _P.role, _P.name, _P.department, _P.joined_at
    )
    .join_from(_PARTICIPANTS, _WORKSHOPS, _W.id == _P.workshop_id)
    .where(_P.token_hash == bindparam("token_hash"))
)
# participant id, submitted_at, excluded_at, mode, expires_at, role, name, department, joined_at
Target = Row[Any, Any, Any, Any, Any, Any, Any, Any, Any]
_ANSWERED = select(func.count()).where(
    _A.participant_id == bindparam("pid"), or_(_A.rating.is_not(None), _A.dont_know.is_(True))
)
_TOUCH = update(_PARTICIPANTS).where(_P.id == bindparam("pid")).values(updated_at=bindparam("now"))
_CLEAR: Delete = delete(_ANSWERS).where(
    _A.participant_id == bindparam("pid"), _A.item_id.in_(bindparam("cleared", expanding=True))
)


@cache
def upsert_statement(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (participant, item) DO UPDATE, built once per dialect."""
    ins = sqlite_insert(_ANSWERS) if dialect == "sqlite" else pg_insert(_ANSWERS)
    return ins.on_conflict_do_update(
        index_elements=["participant_id", "item_id"], set_={c: ins.excluded[c] for c in ANSWER_CHANGES}
    )


def writable_participant(conn: Connection, token_hash: str, now: datetime) -> Target | None:
    """(participant id, mode) of an open, not excluded, not submitted participant; None otherwise (the caller
    then finds out why, for the message). On PostgreSQL the participant row is locked, so that a concurrent
    submit or exclusion cannot slip between this check and the save."""
    stmt = _TARGET.with_for_update(of=_PARTICIPANTS) if conn.dialect.name == "postgresql" else _TARGET
    found = conn.execute(stmt, {"token_hash": token_hash}).first()
    if found is None or found.submitted_at is not None or found.excluded_at is not None or found.expires_at <= now:
        return None
    return found


def write_answers(
    conn: Connection, pid: int, upserts: Sequence[dict[str, Any]], cleared: Sequence[str], now: datetime
) -> int:
    """Delete the cleared answers, insert or update the others, and touch the participant: one transaction. The
    number of statements the participant has answered (rated or "don't know") once these are written."""
    if cleared:
        conn.execute(_CLEAR, {"pid": pid, "cleared": list(cleared)})
    if upserts:
        stmt = upsert_statement(conn.dialect.name)
        conn.execute(stmt, upserts[0] if len(upserts) == 1 else list(upserts))
    conn.execute(_TOUCH, {"pid": pid, "now": now})
    return int(conn.execute(_ANSWERED, {"pid": pid}).scalar_one())
