"""The pooled PostgreSQL connection's liveness check (store/database.py): pinged only after it sat idle, and a
connection the server dropped is replaced before anyone uses it. SQLite is never pinged."""

from __future__ import annotations

from pathlib import Path

import pg_server
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from assessment.store import database, make_engine


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(url: str, pid: int) -> None:
    other = make_engine(url)
    try:
        with other.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
    finally:
        other.dispose()


@pytest.fixture
def pg_url(postgres_server: pg_server.PostgresServer) -> str:
    return postgres_server.fresh_url()


def test_a_dropped_connection_that_sat_idle_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)  # every checkout counts as after idle
    engine = make_engine(pg_url)
    try:
        first = _backend_pid(engine)
        _terminate(pg_url, first)  # as a server restart or an idle timeout in between would
        second = _backend_pid(engine)  # no error: the ping found it dead and the pool connected anew
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 3600.0)
    engine = make_engine(pg_url)
    try:
        first = _backend_pid(engine)
        _terminate(pg_url, first)
        # not pinged: the first use fails (the cost of skipping the ping), and the pool then starts afresh
        with pytest.raises(DBAPIError) as failed:
            _backend_pid(engine)
        assert failed.value.connection_invalidated
        assert _backend_pid(engine) != first
    finally:
        engine.dispose()


def test_pings_are_sent_only_after_idle(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(database.time, "monotonic", lambda: clock[0])
    engine = make_engine(pg_url)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    try:
        pid = _backend_pid(engine)  # a new connection: no ping
        clock[0] += database.PING_AFTER_IDLE_S - 1
        assert _backend_pid(engine) == pid
        assert pings == []
        clock[0] += database.PING_AFTER_IDLE_S + 1
        assert _backend_pid(engine) == pid
        assert len(pings) == 1
    finally:
        engine.dispose()


def test_sqlite_is_never_pinged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)
    engine = make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    pings: list[object] = []
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or True)
    try:
        for _ in range(3):
            with engine.connect() as conn:
                assert conn.execute(text("SELECT 1")).scalar_one() == 1
        assert pings == []
    finally:
        engine.dispose()
