"""Joining, on SQLite and PostgreSQL: join codes and guessing budgets stored only as keyed hashes (HMAC with the
deployment's secret), the migration that converts plain codes, the facilitator's lock on joining, excluded
devices, re-joins, and the log line of a refused join."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from test_audit_logs import assert_no_secret, audit_lines, caught  # noqa: F401 (fixture)
from test_store import CTX, FakeClock, join

from assessment.store import Store, alembic_config, make_engine
from assessment.workshop import (
    JoiningClosed,
    ParticipantExcluded,
    TooManyAttempts,
    UnknownJoinCode,
    WorkshopExpired,
)

SECRET_ENV = "ASSESSMENT_SECRET"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    s = Store(database_url, clock=clock)
    yield s
    s.close()


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# ----- keyed hashes -------------------------------------------------------------------------------------------


def test_the_code_is_stored_only_as_a_keyed_hash(store: Store) -> None:
    created = store.create_workshop("Hashed", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    [(stored,)] = rows(store, "SELECT join_code FROM workshops")
    assert stored == store.code_tag(code) and stored != code and len(stored) == 9 and stored.startswith("h")
    assert all(code not in str(r) for r in rows(store, "SELECT * FROM audit_log"))
    assert join(store, code.lower().replace("-", " "), client_key="d1")  # as typed
    assert store.open_workshop(code, key).join_code == code  # the facilitator, who typed it, sees it
    assert store.workshop_view(code, key)[0].info.join_code == code


def test_every_process_on_one_database_shares_the_secret(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    first, second = Store(database_url), Store(database_url)
    created = first.create_workshop("Shared", CTX, "quick")
    assert join(second, created.workshop.join_code, client_key="d1")
    assert second.open_workshop(created.workshop.join_code, created.facilitator_key).title == "Shared"
    [(secret,)] = rows(first, "SELECT secret FROM deployment_secret")
    assert len(str(secret)) == 64 and first.keys.secret == str(secret).encode()
    assert str(secret) not in repr(first.keys)
    first.close()
    second.close()


def test_the_secret_setting_replaces_the_stored_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "x" * 40)
    a, b = Store(f"sqlite:///{tmp_path / 'a.sqlite'}"), Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert a.keys.secret == b.keys.secret == b"x" * 40
    assert a.code_tag("ABCD-EFGH") == b.code_tag("abcd efgh")
    monkeypatch.delenv(SECRET_ENV)
    c = Store(f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert c.code_tag("ABCD-EFGH") != a.code_tag("ABCD-EFGH")  # each database's own secret otherwise
    for s in (a, b, c):
        s.close()


def test_guessing_budgets_store_no_address_or_device_as_given(store: Store) -> None:
    with pytest.raises(UnknownJoinCode):
        store.join_workshop("ABCD-EFGH", "nurse", client_key="session:abc", network_key="ip:192.0.2.44")
    stored = {r[0] for r in rows(store, "SELECT client_hash FROM join_attempts")}
    stored |= {r[0] for r in rows(store, "SELECT client_hash FROM join_budgets")}
    plain = {"session:abc", "ip:192.0.2.44", "192.0.2.44"}
    unsalted = {sha256(v) for v in plain | {"client:session:abc", "network:ip:192.0.2.44", "all"}}
    assert stored and not stored & (plain | unsalted)
    assert store.keys.hexdigest("budget-network", "ip:192.0.2.44") in stored  # only the secret's holder can tell


def test_the_migration_turns_plain_codes_into_keyed_hashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database from before 0009 (plain codes in workshops and audit_log, unsalted counters): after the upgrade
    the code still opens and joins its workshop, and no plain code or old counter is left."""
    monkeypatch.delenv(SECRET_ENV, raising=False)
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    s = Store(url)
    created = s.create_workshop("Before 0009", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    with pytest.raises(UnknownJoinCode):
        s.join_workshop("ABCD-EFGH", "nurse", client_key="d", network_key="ip:192.0.2.1")
    s.close()
    engine = make_engine(url)
    with engine.execution_options(assessment_write=True).begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
        conn.execute(text("DROP TABLE deployment_secret"))  # as 0008 had it: no secret, plain codes
        conn.execute(text("UPDATE workshops SET join_code = :c"), {"c": code})
        conn.execute(text("UPDATE audit_log SET join_code = :c"), {"c": code})
        conn.execute(text("INSERT INTO join_budgets (client_hash) VALUES (:h)"), {"h": sha256("network:1.2.3.4")})
    engine.dispose()
    new = Store(url)
    assert new.open_workshop(code, key).title == "Before 0009"
    assert join(new, code, client_key="after")
    assert {r[0] for r in rows(new, "SELECT join_code FROM workshops")} == {new.code_tag(code)}
    assert {r[0] for r in rows(new, "SELECT join_code FROM audit_log")} == {new.code_tag(code)}
    assert sha256("network:1.2.3.4") not in {r[0] for r in rows(new, "SELECT client_hash FROM join_budgets")}
    new.close()


# ----- the facilitator's lock ---------------------------------------------------------------------------------


def test_the_facilitator_closes_and_reopens_joining(store: Store, clock: FakeClock) -> None:
    created = store.create_workshop("Locked", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    assert join(store, code, client_key="in-time")
    status = store.close_joining(code, key)
    assert not status.open and status.closed_at == clock.now and status.joins == 1
    with pytest.raises(JoiningClosed, match="closed joining"):
        join(store, code, client_key="late", network_key="ip:192.0.2.9")
    assert rows(store, "SELECT * FROM join_attempts") == []  # a right code is not a wrong guess
    assert store.close_joining(code, key).open is False  # closing twice: one audit entry
    assert store.open_joining(code, key).open
    assert join(store, code, client_key="late")
    actions = [e.action for e in store.audit_log(code, key)]
    assert actions == ["created", "joining_closed", "joining_opened"]


def test_an_excluded_device_cannot_join_again(store: Store) -> None:
    created = store.create_workshop("Fakes", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    fake = store.join_workshop(code, "nurse", client_key="device:fake").participant_id
    store.exclude_participant(code, key, fake, "fake")
    with pytest.raises(ParticipantExcluded, match="this device cannot join"):
        store.join_workshop(code, "doctor", client_key="device:fake")
    assert join(store, code, client_key="device:honest")
    other = store.create_workshop("Another", CTX, "quick").workshop.join_code
    assert join(store, other, client_key="device:fake")  # only in the workshop it was excluded from
    [(device_hash,)] = rows(store, f"SELECT device_hash FROM participants WHERE id = {fake}")
    assert device_hash == store.keys.hexdigest("participant-device", f"{created.workshop.workshop_id}:device:fake")
    assert "device:fake" not in str(rows(store, "SELECT * FROM participants"))


def test_the_dashboard_counts_rejoins(store: Store) -> None:
    created = store.create_workshop("Twice", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    for device in ("a", "b", "a", "c", "a", "b"):
        join(store, code, client_key=device)
    status = store.joining_status(code, key)
    assert (status.joins, status.rejoins, status.open) == (6, 3, True)


# ----- refusals are logged --------------------------------------------------------------------------------------


def test_a_refused_join_writes_one_line_without_the_code(
    store: Store,
    clock: FakeClock,
    caught: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    created = store.create_workshop("Logged", CTX, "quick", valid_days=1)
    code = created.workshop.join_code
    caught.clear()
    with pytest.raises(UnknownJoinCode):
        store.join_workshop("ABCD-EFGH", "nurse", client_key="d", network_key="ip:192.0.2.7")
    clock.advance(days=2)
    for _ in range(2):
        with pytest.raises(WorkshopExpired):
            store.join_workshop(code, "nurse", client_key="d")
    limited = Store(store.url, clock=clock, join_max_failures=2)
    with pytest.raises(TooManyAttempts):
        limited.join_workshop(code, "nurse", client_key="d")
    limited.close()
    lines = [line for line in audit_lines(caught) if line["event"] == "join_refused"]
    assert [(line["reason"], line["actor"]) for line in lines] == [
        ("unknown", "anonymous"), ("expired", "anonymous"), ("expired", "anonymous"), ("device_paused", "anonymous")
    ]  # fmt: skip
    assert lines[1]["workshop_id"] == created.workshop.workshop_id
    assert_no_secret(lines, [code, "ABCD-EFGH", "192.0.2.7", store.code_tag(code)])
    assert logging.getLogger("assessment").handlers  # the app's logger, as configured
