"""The settings reach what they govern: a workshop created without a threshold or a duration gets the
deployment's anonymity threshold and retention, the retention bounds every duration and decides what is
purged, the settings are read only through `get_settings()`, and the README's table follows the model."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_store import CTX, FakeClock

from assessment.cli import purge_database
from assessment.settings import Settings, get_settings, markdown_table, readme_table, write_readme
from assessment.store import Store
from assessment.ui.labels import anonymity_rule
from assessment.workshop import InvalidInput

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A deployment keeping workshops 7 days with a threshold of 5; returns its database URL."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", url)
    monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "7")
    monkeypatch.setenv("ASSESSMENT_ANONYMITY_THRESHOLD", "5")
    return url


def test_a_workshop_created_without_a_threshold_or_duration_gets_the_settings(deployment: str) -> None:
    clock = FakeClock()
    store = Store(deployment, clock=clock)
    try:
        info = store.create_workshop("Defaults", CTX, "quick").workshop
        chosen = store.create_workshop("Chosen", CTX, "quick", valid_days=2, min_group_size=4).workshop
    finally:
        store.close()
    assert info.min_group_size == 5 and info.expires_at == clock.now + timedelta(days=7)
    assert chosen.min_group_size == 4 and chosen.expires_at == clock.now + timedelta(days=2)


def test_the_retention_setting_bounds_creating_and_extending(deployment: str) -> None:
    store = Store(deployment, clock=FakeClock())
    try:
        with pytest.raises(InvalidInput, match="1 to 7 days"):
            store.create_workshop("Too long", CTX, "quick", valid_days=8)
        created = store.create_workshop("Kept", CTX, "quick", valid_days=7)
        code, key = created.workshop.join_code, created.facilitator_key
        with pytest.raises(InvalidInput, match="1 to 7 days"):
            store.extend_workshop(code, key, 8)
        assert store.extend_workshop(code, key, 7).expires_at == created.workshop.expires_at
    finally:
        store.close()


def test_purge_deletes_what_the_retention_setting_no_longer_keeps(deployment: str) -> None:
    now = datetime.now(UTC)
    for title, age in (("Eight days old", 8), ("Six days old", 6)):
        store = Store(deployment, clock=lambda age=age: now - timedelta(days=age))
        store.create_workshop(title, CTX, "quick")  # no duration given: the retention setting's 7 days
        store.close()
    assert purge_database(get_settings()) == 1
    store = Store(deployment)
    try:
        with store.engine.connect() as conn:
            titles = conn.exec_driver_sql("SELECT title FROM workshops").scalars().all()
    finally:
        store.close()
    assert titles == ["Six days old"]


def test_the_join_page_promises_the_configured_threshold(deployment: str) -> None:
    assert "minimum group size (5 people unless" in anonymity_rule(None)
    assert "fewer than 4 people" in anonymity_rule(4)


def test_settings_are_read_from_the_environment_only_in_the_settings_module() -> None:
    readers = []
    for path in sorted((ROOT / "assessment").rglob("*.py")):
        if path.name == "settings.py" and path.parent.name == "assessment":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
            if name in ("environ", "getenv", "environb", "putenv"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == [], "read settings through assessment.settings.get_settings()"


def test_the_organiser_key_is_the_settings_value_without_surrounding_space(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", "  Vq8mZ2rT_x4LkN7pW3cY9hJd\n")
    assert get_settings().organiser_key.get_secret_value() == "Vq8mZ2rT_x4LkN7pW3cY9hJd"


def test_a_readme_table_that_differs_from_the_model_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert readme_table(readme.read_text(encoding="utf-8")) == markdown_table()  # in step now
    monkeypatch.setattr(Settings.model_fields["retention_days"], "description", "Days kept (changed in the model).")
    assert readme_table(readme.read_text(encoding="utf-8")) != markdown_table()  # the README test now fails
    write_readme(readme)  # what `make readme-settings` does
    text = readme.read_text(encoding="utf-8")
    assert readme_table(text) == markdown_table() and "Days kept (changed in the model)." in text
    assert text.count("ASSESSMENT_RETENTION_DAYS") == (ROOT / "README.md").read_text().count(
        "ASSESSMENT_RETENTION_DAYS"
    )


def test_a_lowered_retention_shortens_the_workshops_kept_longer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "30")
    clock = FakeClock()
    store = Store(f"sqlite:///{tmp_path / 'w.sqlite'}", clock=clock)
    try:
        created = store.create_workshop("Kept 30 days", CTX, "quick")
        code, key = created.workshop.join_code, created.facilitator_key
        monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "7")  # the deployment lowers its retention
        clock.advance(days=1)
        assert store.purge_expired() == 0
        assert store.open_workshop(code, key).expires_at == clock.now + timedelta(days=7)
        log = store.audit_log(code, key)
        assert [(e.action, e.actor) for e in log] == [("created", "facilitator"), ("shortened", "system")]
        assert store.purge_expired() == 0 and len(store.audit_log(code, key)) == 2  # once only
        clock.advance(days=7, seconds=1)
        assert store.purge_expired() == 1
    finally:
        store.close()
