"""Deletion that erases: after a purge or a workshop's deletion, nothing its people wrote (names, departments,
comments, the agreed-score note, the exclusion reason, the title) can be read in the database's files, and the
join limits and the audit log keep nothing beyond their use.

The files are read as raw bytes: SQLite's database and its -wal file while the store is still open (closing the
last connection would checkpoint the WAL by itself and hide a leftover), and every file of a PostgreSQL cluster
of this module's own, the write-ahead log included. Every marker is found before the deletion, and the kept
workshop's markers after it, so a scan that cannot see the files cannot pass.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pg_server
import pytest
from conftest import REQUIRE_POSTGRES_ENV
from sqlalchemy import Connection, create_engine, event, text
from test_audit_logs import ALLOWED_FIELDS, audit_lines, caught  # noqa: F401 - caught is a fixture
from test_store import CTX, QUICK, FakeClock, join

from assessment.store import Store
from assessment.store.erasure import ERASED_TABLES
from assessment.workshop import TooManyAttempts, UnknownJoinCode

AGREED = 3.5


def marker(what: str) -> str:
    return f"MARKER{what}{secrets.token_hex(6)}"


@dataclass
class Filled:
    code: str
    key: str
    doomed: list[str] = field(default_factory=list)  # what the deletion must erase
    kept: list[str] = field(default_factory=list)  # the other workshop's: still in the files afterwards


def fill(store: Store) -> Filled:
    """A workshop that stays and one that goes, each with names, departments and comments; the one that goes
    also with an agreed score and its note and an excluded participant with a reason."""
    kept_title, kept_name = marker("keptTitle"), marker("keptName")
    stays = store.create_workshop(kept_title, CTX, "quick")
    token = join(store, stays.workshop.join_code, name=kept_name, client_key="kept")
    store.save_answers(token, dict.fromkeys(QUICK, 4))
    title = marker("title")
    context = CTX.model_copy(update={"innovation_title": marker("innovation")})
    goes = store.create_workshop(title, context, "quick", valid_days=1)
    code, key = goes.workshop.join_code, goes.facilitator_key
    filled = Filled(code, key, doomed=[title, context.innovation_title], kept=[kept_title, kept_name])
    for i in range(6):
        name, dept, comment = marker("name"), marker("dept"), marker("comment")
        token = join(store, code, name=name, department=dept, client_key=f"p{i}")
        store.save_answers(token, dict.fromkeys(QUICK, 2 + i % 3))
        store.save_answer(token, QUICK[i], 3, comment=comment)
        store.submit(token)
        filled.doomed += [name, dept, comment]
    # a release copies the submitted answers (departments and comments) into released_answers: erased too
    assert store.summary(code, key).release is not None and store.summary(code, key).release.number == 1
    note, reason = marker("note"), marker("reason")
    store.set_consensus(code, key, "system_leadership", AGREED, note)
    store.exclude_participant(code, key, store.participants(code, key)[0].participant_id, reason)
    filled.doomed += [note, reason]
    return filled


def found(files: list[Path], markers: list[str]) -> set[str]:
    """The markers whose bytes occur in any of the files."""
    out: set[str] = set()
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # removed by the server while we listed
            continue
        out |= {m for m in markers if m.encode() in data}
    return out


def delete(store: Store, clock: FakeClock, filled: Filled, how: str) -> None:
    if how == "purge":
        clock.advance(days=2)
        assert store.purge_expired() == 1
    else:
        store.delete_workshop(filled.code, filled.key)


def check_audit_kept_without_detail(store: Store, filled: Filled) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT action, join_code, detail, workshop_id FROM audit_log ORDER BY id")).all()
    gone = [r for r in rows if r.workshop_id is None]
    assert [r.action for r in gone][:3] == ["created", "agreed_score_set", "excluded"]
    assert gone[-1].action in ("purged", "deleted")
    assert {(r.join_code, r.detail) for r in gone} == {("", "")}  # actions and times only
    assert all(r.join_code != filled.code for r in rows)
    assert any(r.join_code and r.detail for r in rows if r.workshop_id is not None)  # the kept workshop's


def check_logs(caught: pytest.LogCaptureFixture, filled: Filled) -> None:  # noqa: F811
    lines = audit_lines(caught)
    assert {line["action"] for line in lines} >= {"created", "agreed_score_set", "excluded"}
    everything = repr([r.__dict__ for r in caught.records])
    assert not [m for m in [*filled.doomed, *filled.kept, filled.code] if m in everything]
    for line in lines:
        assert set(line) <= ALLOWED_FIELDS, line
        assert AGREED not in line.values(), line  # no agreed score, only the dimension


# ----- SQLite ------------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_dir(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.mark.parametrize("how", ["purge", "delete"])
def test_sqlite_files_hold_nothing_of_a_deleted_workshop(
    sqlite_dir: Path,
    clock: FakeClock,
    how: str,
    caught: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    store = Store(f"sqlite:///{sqlite_dir / 'w.sqlite'}", clock=clock)
    try:
        filled = fill(store)
        files = [sqlite_dir / "w.sqlite", sqlite_dir / "w.sqlite-wal"]
        assert found(files, filled.doomed) == set(filled.doomed)  # the scan sees them before
        delete(store, clock, filled, how)
        files = sorted(sqlite_dir.iterdir())  # the database, -wal and -shm, read while the store is open
        assert {p.name for p in files} >= {"w.sqlite", "w.sqlite-wal"}
        assert found(files, filled.doomed) == set()
        assert found(files, filled.kept) == set(filled.kept)
        assert (sqlite_dir / "w.sqlite-wal").stat().st_size == 0  # checkpointed and truncated
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        check_audit_kept_without_detail(store, filled)
    finally:
        store.close()
    check_logs(caught, filled)


def test_without_secure_delete_sqlite_keeps_the_deleted_text(sqlite_dir: Path, clock: FakeClock) -> None:
    """Why the store sets secure_delete: with it off (as in SQLite's own default build), the checkpointed file
    still holds the deleted text in its free space."""
    store = Store(f"sqlite:///{sqlite_dir / 'w.sqlite'}", clock=clock)
    try:

        @event.listens_for(store.engine, "connect")
        def _off(dbapi_conn: Any, _record: Any) -> None:  # runs after the store's own pragmas
            dbapi_conn.execute("PRAGMA secure_delete = OFF")

        store.engine.dispose()  # new connections, with both listeners
        filled = fill(store)
        delete(store, clock, filled, "delete")
        left = found([sqlite_dir / "w.sqlite", sqlite_dir / "w.sqlite-wal"], filled.doomed)
    finally:
        store.close()
    assert len(left) >= len(filled.doomed) // 2, sorted(left)


# ----- PostgreSQL --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg_server.PostgresServer]:
    """A cluster of this module's own (its files are scanned whole), that removes spent WAL segments instead of
    renaming them for reuse with their old contents (wal_recycle=off, as the README asks for erasure)."""
    reason = pg_server.unavailable()
    if reason:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"PostgreSQL tests are required here ({REQUIRE_POSTGRES_ENV}=1): {reason}")
        pytest.skip(reason)
    server = pg_server.PostgresServer({"wal_recycle": "off"})
    yield server
    server.stop()


def cluster_files(server: pg_server.PostgresServer) -> list[Path]:
    return [p for p in server.data_dir.rglob("*") if p.is_file()]


def in_statistics(conn: Connection, markers: list[str]) -> list[str]:
    """The markers among the sample values (histograms, most common values) in the planner's statistics."""
    sampled = conn.execute(
        text(
            "SELECT string_agg(coalesce(histogram_bounds::text, '') || coalesce(most_common_vals::text, ''), ' ') "
            "FROM pg_stats WHERE schemaname = 'public'"
        )
    ).scalar()
    return [m for m in markers if m in (sampled or "")]


@pytest.mark.parametrize("how", ["purge", "delete"])
def test_postgresql_files_hold_nothing_of_a_deleted_workshop_after_the_documented_steps(
    cluster: pg_server.PostgresServer,
    clock: FakeClock,
    how: str,
    caught: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    url = cluster.fresh_url()
    store = Store(url, clock=clock)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        filled = fill(store)
        with admin.connect() as conn:
            conn.execute(text("ANALYZE"))  # as autovacuum would: the planner's statistics sample the names too
            assert in_statistics(conn, filled.doomed)
            conn.execute(text("CHECKPOINT"))
        assert found(cluster_files(cluster), filled.doomed) == set(filled.doomed)
        delete(store, clock, filled, how)
        with admin.connect() as conn:
            assert not in_statistics(conn, filled.doomed)  # the store's VACUUM (ANALYZE) sampled them afresh
            vacuumed = conn.execute(
                text("SELECT relname FROM pg_stat_user_tables WHERE vacuum_count > 0 AND relname = ANY(:t)"),
                {"t": list(ERASED_TABLES)},
            ).scalars()
            assert set(vacuumed) == set(ERASED_TABLES)  # the store's own VACUUM, after the commit
            # what the README's "Deletion" asks of the database's administrator for physical erasure
            conn.execute(text("VACUUM FULL " + ", ".join(ERASED_TABLES)))
            conn.execute(text("VACUUM FULL pg_statistic"))  # the statistics' old samples (a superuser's step)
            conn.execute(text("SELECT pg_switch_wal()"))
            conn.execute(text("CHECKPOINT"))
        files = cluster_files(cluster)
        assert found(files, filled.doomed) == set()
        assert found(files, filled.kept) == set(filled.kept)
        check_audit_kept_without_detail(store, filled)
    finally:
        store.close()
        admin.dispose()
    check_logs(caught, filled)


# ----- join limits -------------------------------------------------------------------------------------------


def limit_rows(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        attempts = conn.execute(text("SELECT count(*) FROM join_attempts")).scalar_one()
        budgets = conn.execute(text("SELECT count(*) FROM join_budgets")).scalar_one()
    return attempts, budgets


def test_join_limits_are_purged_once_out_of_their_window(database_url: str, clock: FakeClock) -> None:
    store = Store(database_url, clock=clock, join_max_failures=3, join_window=timedelta(minutes=15))
    try:
        code = store.create_workshop("Limits", CTX, "quick").workshop.join_code
        for _ in range(3):
            with pytest.raises(UnknownJoinCode):
                join(store, "ZZZZ-ZZZZ", client_key="guesser", network_key="10.0.0.9")
        clock.advance(minutes=10)
        with pytest.raises(UnknownJoinCode):
            join(store, "ZZZZ-ZZZY", client_key="other")
        assert limit_rows(store) == (3 * 3 + 2, 4)  # device + network + server per guess; budgets: 3 keys + 1
        clock.advance(minutes=6)  # the first three guesses have left the window, the fourth has not
        assert store.purge_expired() == 0
        assert limit_rows(store) == (2, 2)  # the other device's and the server's, and their budget rows
        for _ in range(2):  # what is still in the window still counts: the third wrong code spends the budget
            with pytest.raises(UnknownJoinCode):
                join(store, "ZZZZ-ZZZX", client_key="other")
        with pytest.raises(TooManyAttempts):
            join(store, code, client_key="other")
        join(store, code, client_key="guesser", network_key="10.0.0.9")  # its budget rows come back
        assert limit_rows(store) == (6, 4)
        clock.advance(minutes=16)
        assert store.purge_expired() == 0
        assert limit_rows(store) == (0, 0)
    finally:
        store.close()
