"""Retention: expired workshops are deleted with everything in them, at start-up, daily, and by `assessment purge`.

A workshop expires `ASSESSMENT_RETENTION_DAYS` after it is created (or after a facilitator last extended it).
Deleting it removes its participants (names, departments, roles), their answers and comments, and its agreed
scores; the store's `purge_expired` does the deleting. Nothing here imports Streamlit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .errors import AssessmentError
from .logs import audit
from .settings import Settings, get_settings

PURGE_INTERVAL_SECONDS = 24 * 60 * 60
LOG = logging.getLogger(__name__)
_started = False
_lock = threading.Lock()
_stop = threading.Event()


def purge_expired(settings: Settings | None = None) -> int:
    """Delete every expired workshop in the configured database now (migrating it first if needed); returns
    how many. A database that cannot be reached or used raises AssessmentError with one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from .store import Store

    settings = settings or get_settings()
    try:
        store = Store(settings.effective_database_url)
        try:
            n = store.purge_expired()
        finally:
            store.close()
    except (SQLAlchemyError, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else getattr(exc, "orig", None) or exc
        reason = " ".join(str(detail).split())[:300]
        raise AssessmentError(f"cannot use the database ({_safe_url(settings)}): {reason}") from None
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


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.effective_database_url).render_as_string(hide_password=True)
