"""Retention: expired workshops are deleted with everything in them, at start-up, daily, and by `assessment purge`.

A workshop expires `ASSESSMENT_RETENTION_DAYS` after it is created (or after a facilitator last extended it).
Deleting it removes its participants (names, departments, roles), their answers and comments, and its agreed
scores; the store's `purge_expired` does the deleting. Nothing here imports Streamlit or the store (the store
starts the daily purge, so importing it from here would be a cycle): the command line opens the store and purges
it (`assessment purge`, and `assessment serve` at start-up), and the app's store starts the daily purge when it
is first used (`store.get_store`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from .logs import audit

PURGE_INTERVAL_SECONDS = 24 * 60 * 60
LOG = logging.getLogger(__name__)
_started = False
_lock = threading.Lock()
_stop = threading.Event()


class Purger(Protocol):
    """What the purge needs of a store (`assessment.store.Store`)."""

    def purge_expired(self) -> int: ...


def purge_expired(store: Purger) -> int:
    """Delete every expired workshop in `store` now and log it; returns how many. The caller opens the store (the
    command line: `assessment purge` and `assessment serve`, with a one-line error for a database that cannot
    be used)."""
    n = store.purge_expired()
    audit("expired_workshops_purged", actor="system", count=n)
    return n


def start_daily_purge(purge: Callable[[], int], interval: float = PURGE_INTERVAL_SECONDS) -> bool:
    """Run `purge` now and then every `interval` seconds in a daemon thread, once per process.
    Returns True if this call started the thread (later calls do nothing)."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
        _stop.clear()

    def loop() -> None:
        while True:
            try:
                n = purge()
                audit("expired_workshops_purged", actor="system", count=n)
            except Exception:  # keep the thread alive: the next day's run may succeed
                LOG.exception("purging expired workshops failed")
            if _stop.wait(interval):
                return

    threading.Thread(target=loop, name="assessment-daily-purge", daemon=True).start()
    return True


def stop_daily_purge() -> None:
    """Stop the purge thread after its current run (tests; the app's thread dies with the process)."""
    global _started
    _stop.set()
    with _lock:
        _started = False
