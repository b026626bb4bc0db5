"""Retention: `assessment purge` (and the app's daily purge) delete expired workshops with every name,
department and comment in them; live workshops stay."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assessment import retention
from assessment.answers import Context
from assessment.cli import main
from assessment.store import Store

SECRET_NAME = "Dr Expired Person"
SECRET_DEPT = "Department of Forgotten Things"
SECRET_COMMENT = "A comment that must not outlive the workshop"
KEPT_NAME = "Nurse Still Here"


def _workshop(store: Store, title: str, name: str, department: str, comment: str, days: int) -> None:
    created = store.create_workshop(title, Context(innovation_title="Virtual ward"), mode="quick", valid_days=days)
    joined = store.join_workshop(
        created.workshop.join_code, "doctor", name=name, department=department, client_key=title
    )
    item = store.bank.items_for("quick")[0].id
    store.save_answers(joined.participant_token, {item: (4, comment)})


def _dump(db: Path) -> str:
    """Every value in every table of the database file, as one string."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))


def test_purge_command_removes_names_departments_and_comments_of_expired_workshops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.sqlite"
    url = f"sqlite:///{db}"
    past = Store(url, clock=lambda: datetime.now(UTC) - timedelta(days=40))
    _workshop(past, "Old workshop", SECRET_NAME, SECRET_DEPT, SECRET_COMMENT, days=30)  # expired 10 days ago
    past.close()
    now = Store(url)
    _workshop(now, "Current workshop", KEPT_NAME, "Wards", "still needed", days=30)
    now.close()
    before = _dump(db)
    assert SECRET_NAME in before and SECRET_DEPT in before and SECRET_COMMENT in before

    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", url)
    assert main(["purge"]) == 0
    assert capsys.readouterr().out.strip() == "purged 1 expired workshop"
    after = _dump(db)
    for gone in (SECRET_NAME, SECRET_DEPT, SECRET_COMMENT, "Old workshop"):
        assert gone not in after
    assert KEPT_NAME in after and "Current workshop" in after
    assert main(["purge"]) == 0
    assert capsys.readouterr().out.strip() == "purged 0 expired workshops"


def test_purge_with_a_bad_setting_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "forever")
    assert main(["purge"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ASSESSMENT_RETENTION_DAYS" in err


def test_the_running_app_purges_at_start_and_again_after_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "_started", False)
    calls: list[int] = []
    twice = threading.Event()

    def purge() -> int:
        calls.append(1)
        if len(calls) == 2:
            twice.set()
        if len(calls) == 1:
            raise RuntimeError("a failing run does not stop the next one")
        return 0

    try:
        assert retention.start_daily_purge(purge, interval=0.01)
        assert not retention.start_daily_purge(purge, interval=0.01)  # once per process
        assert twice.wait(30)
    finally:
        retention.stop_daily_purge()


def test_the_store_starts_the_daily_purge_when_the_app_first_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessment import store as store_module

    started: list[object] = []
    monkeypatch.setattr(store_module, "_default", None)
    monkeypatch.setattr(retention, "start_daily_purge", lambda purge, *a, **k: started.append(purge) or True)
    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    s = store_module.get_store()
    assert store_module.get_store() is s and len(started) == 1
    assert started[0]() == 0  # type: ignore[operator]
    s.close()


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://app:secretpw@127.0.0.1:1/assessment", "sqlite:////proc/no-such-folder/a.sqlite"]
)
def test_purge_with_an_unusable_database_is_one_line_without_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", url)
    assert main(["purge"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot use the database") and "secretpw" not in err
