"""Organisers: with ASSESSMENT_ORGANISER_KEY set, only someone who types it can create a workshop; the
retention setting bounds how long a workshop may stay open; the footer shows the version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import APP
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

import assessment
from assessment import store as store_module
from assessment.store import Store, WorkshopRow
from assessment.ui import routes
from assessment.ui import workshop_state as ws

BASE = "https://readiness.example.org"
KEY = "Vq8mZ2rT_x4LkN7pW3cY9hJd"  # 24 random URL-safe characters: 144 bits


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.delenv("ASSESSMENT_ORGANISER_KEY", raising=False)
    monkeypatch.delenv("ASSESSMENT_RETENTION_DAYS", raising=False)
    monkeypatch.delenv("ASSESSMENT_ANONYMITY_THRESHOLD", raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def _workshops(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(WorkshopRow)).scalar_one()


def new_workshop_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["url"] = f"{BASE}/{routes.WORKSHOP_NEW_PATH}"
    at.run()
    at.switch_page(routes.WORKSHOP_NEW).run()
    assert not at.exception
    at.text_input(key="wsn_title").set_value("Frailty pathway workshop")
    at.selectbox(key="wsn_stage").set_value("adoption")  # asked, not preselected (issue 19)
    at.radio(key="wsn_radicalness").set_value("radical")
    return at


def test_without_an_organiser_key_anyone_can_create(store: Store) -> None:
    at = new_workshop_page()
    assert not [t for t in at.text_input if t.key == "wsn_organiser_key"]
    at.button(key="wsn_create").click().run()
    assert not at.error and ws.CREATED in at.session_state and _workshops(store) == 1


def test_with_an_organiser_key_only_the_right_key_creates(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", KEY)
    at = new_workshop_page()
    at.button(key="wsn_create").click().run()  # no key typed
    assert at.error and "not the organiser key" in at.error[0].value and _workshops(store) == 0
    at.text_input(key="wsn_organiser_key").set_value("wrong horse")
    at.button(key="wsn_create").click().run()
    assert at.error and _workshops(store) == 0 and ws.CREATED not in at.session_state
    at.text_input(key="wsn_organiser_key").set_value(KEY)
    at.button(key="wsn_create").click().run()
    assert not at.error and _workshops(store) == 1 and ws.CREATED in at.session_state


def test_the_retention_setting_bounds_how_long_a_workshop_stays_open(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "14")
    at = new_workshop_page()
    days = at.number_input(key="wsn_days")
    assert days.value == 14 and days.max == 14
    at.button(key="wsn_create").click().run()
    created = at.session_state[ws.CREATED]
    info = store.open_workshop(created["code"], created["key"])
    assert (info.expires_at - info.created_at).days == 14


def test_the_footer_shows_the_version(store: Store) -> None:
    at = new_workshop_page()
    assert any(f"version {assessment.__version__}" in c.value for c in at.caption)


def test_a_bad_setting_stops_the_app_with_one_line(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_RETENTION_DAYS", "-3")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1 and "ASSESSMENT_RETENTION_DAYS" in at.error[0].value


def test_with_an_identity_provider_only_a_signed_in_person_sees_the_form(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", KEY)  # the provider replaces the key
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = {
        "redirect_uri": "https://readiness.example.org/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "assessment",
        "client_secret": "s",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    }
    at.context["url"] = f"{BASE}/{routes.WORKSHOP_NEW_PATH}"
    at.run()
    at.switch_page(routes.WORKSHOP_NEW).run()
    assert not at.exception
    assert [b for b in at.button if b.key == "wsn_login"]
    assert not [t for t in at.text_input if t.key in ("wsn_title", "wsn_organiser_key")]
    assert _workshops(store) == 0


def test_the_anonymity_setting_is_the_default_smallest_group(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_ANONYMITY_THRESHOLD", "5")
    at = new_workshop_page()
    assert at.number_input(key="wsn_min_group").value == 5
    at.button(key="wsn_create").click().run()
    created = at.session_state[ws.CREATED]
    assert store.open_workshop(created["code"], created["key"]).min_group_size == 5
