"""Budgets of wrong join codes, kept in the database so that they hold in every deployment.

Three budgets, each a sliding window of `join_window` (15 minutes by default), counted in `join_attempts`:

- per device (the browser session's client key): `join_max_failures` (10) wrong codes, then joining pauses
  for that device, even with the right code;
- per network address (the client's IP, see `assessment.netaddr`): NETWORK_FACTOR (10) times more, 100, so
  that a script opening a fresh session for every guess is still slowed down while a room of 30 behind one
  hospital address can mistype a code three times each without anyone being locked out;
- for the whole server: GLOBAL_FACTOR (100) times the device budget, 1,000. When it is spent (many addresses
  guessing at once), devices and addresses that have failed in the window are refused; those that have not
  (people typing the right code the first time) still join, so an attack cannot close every workshop.

Atomic on SQLite and PostgreSQL: each key has a row in `join_budgets` that the join transaction locks
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction is BEGIN IMMEDIATE and already runs
alone), so concurrent guesses from one key are counted one after another instead of all reading the same count.
Keys are stored hashed. Failed joins that have left the window, and the budget rows of keys with none left in
it, are deleted at every purge (`purge`, from the store's `purge_expired`), so nothing here is kept for good.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from sqlalchemy import Insert, Table, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..workshop import NETWORK_FACTOR, TooManyAttempts
from .schema import JoinAttemptRow, JoinBudgetRow

GLOBAL_FACTOR = 100
GLOBAL_KEY = "all"


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Budget:
    key: str  # hashed
    limit: int
    kind: str  # "device", "network" or "server"


def budgets(client_key: str, network_key: str | None, max_failures: int) -> tuple[list[Budget], Budget]:
    """The device and network budgets of one request, and the server's."""
    own = [Budget(key_hash(f"client:{client_key}"), max_failures, "device")]
    if network_key:
        own.append(Budget(key_hash(f"network:{network_key}"), max_failures * NETWORK_FACTOR, "network"))
    return own, Budget(key_hash(GLOBAL_KEY), max_failures * GLOBAL_FACTOR, "server")


@cache
def _create_budgets(dialect: str) -> Insert:
    table = cast(Table, JoinBudgetRow.__table__)
    ins = sqlite_insert(table) if dialect == "sqlite" else pg_insert(table)
    return ins.on_conflict_do_nothing(index_elements=["client_hash"])


# built once: a join runs these while it holds the write lock (see writes.py on why that must be short)
_LOCK_BUDGETS = (
    select(JoinBudgetRow.client_hash)
    .where(JoinBudgetRow.client_hash.in_(bindparam("keys", expanding=True)))
    .order_by(JoinBudgetRow.client_hash)
    .with_for_update()
)
_FAILURES = (
    select(JoinAttemptRow.attempted_at)
    .where(JoinAttemptRow.client_hash == bindparam("key"), JoinAttemptRow.attempted_at > bindparam("since"))
    .order_by(JoinAttemptRow.attempted_at)
)


def lock(s: Session, keys: list[str]) -> None:
    """Create the keys' budget rows if needed and lock them until the transaction ends (in a fixed order)."""
    dialect = s.get_bind().dialect.name
    rows = [{"client_hash": k} for k in sorted(keys)]
    if dialect in ("sqlite", "postgresql"):
        s.connection().execute(_create_budgets(dialect), rows)  # Core: no ORM bulk-insert machinery
    else:  # pragma: no cover - other databases
        for r in rows:
            if s.get(JoinBudgetRow, r["client_hash"]) is None:
                s.add(JoinBudgetRow(**r))
        s.flush()
    locked = s.connection().execute(_LOCK_BUDGETS, {"keys": sorted(keys)}).all()
    if len(locked) < len(set(keys)) and dialect == "postgresql":
        # a purge (below) removed an idle row between the insert and the lock: create it again and lock it
        s.connection().execute(_create_budgets(dialect), rows)
        s.connection().execute(_LOCK_BUDGETS, {"keys": sorted(keys)}).all()


def failures(s: Session, budget: Budget, now: datetime, window: timedelta) -> list[datetime]:
    return list(s.connection().execute(_FAILURES, {"key": budget.key, "since": now - window}).scalars())


def refuse_if_spent(times: list[datetime], budget: Budget, now: datetime, window: timedelta) -> None:
    if len(times) < budget.limit:
        return
    free_at = times[len(times) - budget.limit] + window
    _refuse(budget, max(1, math.ceil((free_at - now).total_seconds())))


def _refuse(budget: Budget, wait: int) -> None:
    minutes = math.ceil(wait / 60)
    when = f"Try again in {minutes} minute{'s' if minutes != 1 else ''}"
    if budget.kind == "server":
        message = (
            "Many wrong workshop codes have been tried on this server recently, so joining after a wrong code is "
            f"paused for security. {when}, and check the code with your facilitator."
        )
    else:
        where = "this device" if budget.kind == "device" else "this network"
        message = (
            f"Too many wrong workshop codes from {where}, so joining is paused for security. {when}, and check "
            "the code with your facilitator."
        )
    raise TooManyAttempts(message, retry_after=wait)


def check_server(
    s: Session, server: Budget, now: datetime, window: timedelta, *, failed_before: bool, failing: bool
) -> None:
    """When the server's budget is spent, refuse requests that fail now or come from a key that failed before."""
    if not (failed_before or failing):
        return
    lock(s, [server.key])
    refuse_if_spent(failures(s, server, now, window), server, now, window)


def record(s: Session, keys: list[str], now: datetime, window: timedelta) -> None:
    s.add_all(JoinAttemptRow(client_hash=k, attempted_at=now) for k in keys)
    s.execute(delete(JoinAttemptRow).where(JoinAttemptRow.attempted_at < now - window))


def purge(s: Session, now: datetime, window: timedelta) -> int:
    """Delete the failed joins that have left the window, and the budget rows of keys with none left in it
    (a budget row holds no count, only the lock; the next join from that key creates it again). Returns how
    many rows went. PostgreSQL: budget rows that a join holds locked right now are left for the next purge."""
    since = now - window
    old = s.execute(delete(JoinAttemptRow).where(JoinAttemptRow.attempted_at <= since))
    recent = select(JoinAttemptRow.client_hash).where(JoinAttemptRow.attempted_at > since)
    idle = (
        select(JoinBudgetRow.client_hash)
        .where(JoinBudgetRow.client_hash.not_in(recent))
        .with_for_update(skip_locked=True)
    )
    unused = s.execute(delete(JoinBudgetRow).where(JoinBudgetRow.client_hash.in_(idle)))
    return int(getattr(old, "rowcount", 0) or 0) + int(getattr(unused, "rowcount", 0) or 0)


def count(s: Session, key: str, now: datetime, window: timedelta) -> int:
    return int(
        s.scalar(
            select(func.count()).where(JoinAttemptRow.client_hash == key, JoinAttemptRow.attempted_at > now - window)
        )
        or 0
    )
