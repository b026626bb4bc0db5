"""Structured logs of who did what: every organiser and facilitator action writes one JSON log line that agrees
with the audit-log table (same action, actor and workshop), and no line carries answers, names, comments,
keys, tokens or join codes. A refused organiser key is logged with where it was typed, never what."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import APP
from streamlit.testing.v1 import AppTest
from test_store import CTX, QUICK, FakeClock, join

from assessment import store as store_module
from assessment.logs import JsonFormatter
from assessment.organisers import organiser_key_ok
from assessment.store import Store
from assessment.store.audit import EVENTS
from assessment.ui import routes
from assessment.ui import workshop_state as ws
from assessment.workshop import WrongFacilitatorKey

SECRET_NAME = "Dr Imogen Quartermaine"
SECRET_DEPT = "Ward 7 Paediatric Oncology"
SECRET_COMMENT = "My manager never listens to the night shift"
SECRET_REASON = "left early, asked by Imogen Quartermaine"
ORGANISER_KEY = "Vq8mZ2rT_x4LkN7pW3cY9hJd"  # 24 random URL-safe characters: 144 bits
# Every field a log line may have: ids, counts and fixed words only.
ALLOWED_FIELDS = {
    "time", "level", "logger", "message", "event", "actor", "action", "workshop_id", "participant_id",
    "reason_given", "export", "days", "mode", "anonymity_threshold", "expected_size", "organiser_account", "gate",
    "dimension", "reason", "network_budget",
}  # fmt: skip


@pytest.fixture
def caught(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.LogCaptureFixture]:
    """The app's log records (its logger may have stopped propagating to the root once logging is configured)."""
    logger = logging.getLogger("assessment")
    monkeypatch.setattr(logger, "propagate", False)
    logger.addHandler(caplog.handler)
    with caplog.at_level(logging.INFO, logger="assessment"):
        yield caplog
    logger.removeHandler(caplog.handler)


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    """The audit log lines of people's actions as they are written (JSON), in order (the app's own purge
    thread, started with its store, logs a count of purged workshops in between: left out here)."""
    fmt = JsonFormatter()
    lines = [json.loads(fmt.format(r)) for r in caplog.records if r.name == "assessment.audit"]
    return [line for line in lines if line["event"] != "expired_workshops_purged"]


def assert_no_secret(lines: list[dict[str, object]], secrets: list[str]) -> None:
    for line in lines:
        assert set(line) <= ALLOWED_FIELDS, line
        text = json.dumps(line, ensure_ascii=False)
        for secret in secrets:
            assert secret not in text, (secret, line)


def test_every_facilitator_action_logs_one_line_that_agrees_with_the_audit_table(
    database_url: str, caught: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    store = Store(database_url, clock=clock)
    try:
        created = store.create_workshop("Audited workshop title", CTX, "quick", organiser_account="oidc:0123abcd")
        code, key = created.workshop.join_code, created.facilitator_key
        tokens = [
            join(store, code, "doctor", name=SECRET_NAME, department=SECRET_DEPT, client_key=f"d{i}") for i in range(3)
        ]
        for t in tokens:
            store.save_answers(t, {QUICK[0]: (2, SECRET_COMMENT)} | dict.fromkeys(QUICK[1:], 4))
        store.submit(tokens[0])
        pid = store.participants(code, key)[0].participant_id
        store.reopen_participant(code, key, pid)
        store.exclude_participant(code, key, pid, SECRET_REASON)
        store.record_export(code, key, "responses CSV")
        store.extend_workshop(code, key, 10)
        store.set_consensus(code, key, "system_leadership", 4.5, "agreed after the discussion")
        store.set_consensus(code, key, "system_leadership", 4, "changed our minds")
        store.clear_consensus(code, key, "system_leadership")
        store.clear_consensus(code, key, "system_leadership")  # nothing left to clear: no entry
        store.set_hide_until_submitted(code, key, True)
        store.set_hide_until_submitted(code, key, True)  # no change: no entry
        store.set_hide_until_submitted(code, key, False)
        workshop_id = created.workshop.workshop_id
        store.delete_workshop(code, key)
        old = store.create_workshop("Old one", CTX, "quick", valid_days=1)
        clock.advance(days=2)
        assert store.purge_expired() == 1
        with store.engine.connect() as conn:
            # a deleted workshop's entries keep their action, actor and time only (no code, detail or workshop id)
            table = conn.exec_driver_sql(
                "SELECT action, actor, join_code, detail, workshop_id FROM audit_log ORDER BY id"
            )
            table = table.all()
    finally:
        store.close()

    lines = audit_lines(caught)
    assert [(line["action"], line["actor"]) for line in lines] == [(r.action, r.actor) for r in table]
    assert {(r.join_code, r.detail, r.workshop_id) for r in table} == {("", "", None)}
    assert [line["action"] for line in lines] == [
        "created", "reopened", "excluded", "exported", "extended", "agreed_score_set", "agreed_score_set",
        "agreed_score_cleared", "results_hidden", "results_shown", "deleted", "created", "purged",
    ]  # fmt: skip
    assert all(line["event"] == EVENTS[str(line["action"])] for line in lines)
    assert {line["workshop_id"] for line in lines} == {workshop_id, old.workshop.workshop_id}
    first = lines[0]
    assert first["organiser_account"] == "oidc:0123abcd" and first["mode"] == "quick"
    assert first["anonymity_threshold"] == 3 and first["days"] == 30
    assert lines[1]["participant_id"] == pid == lines[2]["participant_id"] and lines[2]["reason_given"] is True
    assert lines[3]["export"] == "responses CSV" and lines[4]["days"] == 10
    assert lines[5]["dimension"] == "system_leadership" == lines[7]["dimension"]
    assert lines[-1]["actor"] == "system"
    assert_no_secret(
        lines,
        [code, old.workshop.join_code, key, *tokens, SECRET_NAME, SECRET_DEPT, SECRET_COMMENT, SECRET_REASON,
         "Audited workshop title", CTX.innovation_title],
    )  # fmt: skip


def test_an_action_that_is_rolled_back_logs_nothing(
    tmp_path: Path, caught: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        created = store.create_workshop("Kept", CTX, "quick")

        def fail(*_args: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr("assessment.store.facilitator.delete_workshops", fail)
        with pytest.raises(RuntimeError):
            store.delete_workshop(created.workshop.join_code, created.facilitator_key)
        with store.engine.connect() as conn:
            actions = conn.exec_driver_sql("SELECT action FROM audit_log").scalars().all()
    finally:
        store.close()
    assert actions == ["created"]
    assert [line["action"] for line in audit_lines(caught)] == ["created"]


def test_a_refused_organiser_key_is_logged_without_what_was_typed(
    app_store: Store, monkeypatch: pytest.MonkeyPatch, caught: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("ASSESSMENT_ORGANISER_KEY", raising=False)
    assert not organiser_key_ok("anything", "create_workshop", client_key="c")  # no key set: nothing opens
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", f"  {ORGANISER_KEY}\n")  # as a secrets file often holds it
    assert organiser_key_ok(f" {ORGANISER_KEY} ", "instrument_page", client_key="c")
    assert audit_lines(caught) == []
    assert not organiser_key_ok("Tr0ub4dor&3 guess", "instrument_page", client_key="c")
    lines = audit_lines(caught)
    assert [(x["event"], x["actor"], x["gate"]) for x in lines] == [
        ("organiser_key_refused", "anonymous", "instrument_page")
    ]
    assert_no_secret(lines, ["Tr0ub4dor", ORGANISER_KEY])


def test_a_refused_facilitator_key_is_logged_without_the_key_or_the_code(
    database_url: str, caught: pytest.LogCaptureFixture
) -> None:
    store = Store(database_url)
    try:
        created = store.create_workshop("Audited workshop title", CTX, "quick")
        code, key = created.workshop.join_code, created.facilitator_key
        caught.clear()
        store.open_workshop(code, key)  # the right key: nothing to log
        assert audit_lines(caught) == []
        for wrong in ("guessed-key-123", key[:-1]):
            with pytest.raises(WrongFacilitatorKey):
                store.open_workshop(code, wrong)
        with pytest.raises(WrongFacilitatorKey):
            store.participants("ZZZZ-ZZZZ", key)  # no such workshop: the same refusal, no id to name
    finally:
        store.close()
    lines = audit_lines(caught)
    assert [(x["event"], x["actor"], x["workshop_id"]) for x in lines] == [
        ("facilitator_key_refused", "anonymous", created.workshop.workshop_id),
        ("facilitator_key_refused", "anonymous", created.workshop.workshop_id),
        ("facilitator_key_refused", "anonymous", None),
    ]
    assert_no_secret(lines, [code, key, "guessed-key", key[:-1], "ZZZZ"])


@pytest.fixture
def app_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", ORGANISER_KEY)
    for name in ("ASSESSMENT_RETENTION_DAYS", "ASSESSMENT_ANONYMITY_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def test_the_create_page_logs_a_refused_key_and_then_who_created_the_workshop(
    app_store: Store, caught: pytest.LogCaptureFixture
) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["url"] = f"https://readiness.example.org/{routes.WORKSHOP_NEW_PATH}"
    at.run()
    at.switch_page(routes.WORKSHOP_NEW).run()
    at.text_input(key="wsn_title").set_value("Frailty pathway workshop")
    at.selectbox(key="wsn_stage").set_value("adoption")  # asked, not preselected (issue 19)
    at.radio(key="wsn_radicalness").set_value("radical")
    at.text_input(key="wsn_organiser_key").set_value("not the key")
    at.button(key="wsn_create").click().run()
    assert at.error and len(audit_lines(caught)) == 1
    at.text_input(key="wsn_organiser_key").set_value(ORGANISER_KEY)
    at.button(key="wsn_create").click().run()
    assert not at.exception and not at.error

    lines = audit_lines(caught)
    assert [(x["event"], x["actor"]) for x in lines] == [
        ("organiser_key_refused", "anonymous"),
        ("workshop_created", "facilitator"),
    ]
    assert lines[0]["gate"] == "create_workshop" and lines[1]["organiser_account"] == "key"
    created = at.session_state[ws.CREATED]
    assert_no_secret(lines, [ORGANISER_KEY, "not the key", "Frailty pathway workshop", created["code"], created["key"]])
    with app_store.engine.connect() as conn:
        table = conn.exec_driver_sql("SELECT action, actor, workshop_id FROM audit_log").all()
    assert [tuple(r) for r in table] == [("created", "facilitator", lines[1]["workshop_id"])]
