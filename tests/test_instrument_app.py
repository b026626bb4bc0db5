"""The Instrument quality page and the results page's line per dimension, with AppTest, on a store holding
generated workshops: they say what `assessment instrument` says, and the page's item detail and downloads stay shut
without the organiser key (tests/test_organiser_gate.py: with no gate configured at all, and the identity provider).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import APP, plain
from streamlit.testing.v1 import AppTest
from test_instrument_store import seed_released

from assessment import store as store_module
from assessment.answers import load_answers
from assessment.bank import default_bank
from assessment.instrument.present import dimension_lines
from assessment.instrument.source import report_from_store
from assessment.organisers import ORGANISER_KEY_ENV
from assessment.store import Store
from assessment.ui import routes, state
from assessment.ui import workshop_state as ws

BANK = default_bank()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "riverside_two_step.json"
KEY = "Vq8mZ2rT_x4LkN7pW3cY9hJd"  # 24 random URL-safe characters: 144 bits


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('instrument-app') / 'store.sqlite'}"
    s = Store(url)
    seed_released(s, BANK, (40, 30), research_use=(True, False), seed=21)  # released, as the instrument reads them
    s.close()
    return url


@pytest.fixture
def store(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, seeded_url)
    monkeypatch.delenv(ORGANISER_KEY_ENV, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    parts += [m.value for m in (*at.info, *at.warning, *at.error)]
    parts += [e.proto.label for e in at.get("expander")]
    return "\n".join(plain(p) for p in parts)


def instrument_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(routes.INSTRUMENT).run()
    assert not at.exception
    return at


def type_key(at: AppTest, typed: str) -> AppTest:
    at.text_input(key="instrument_key").set_value(typed)
    at.button(key="instrument_open").click().run()
    assert not at.exception
    return at


def organiser_page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page with an organiser key configured and typed."""
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)
    return type_key(instrument_page(), KEY)


def test_page_shows_the_same_lines_as_the_cli(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = organiser_page(monkeypatch)
    page = texts(at)
    report = report_from_store(store, structure=False)
    for line in dimension_lines(report).values():
        assert line in page
    for q in report.dimensions.values():
        for item in q.flagged_items:
            for flag in item.flags:
                assert flag.reason in page
    assert "Reliability is not validity" in page
    assert "70 respondents who submitted" in page
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("instrument_json" in k for k in keys) and any("instrument_csv" in k for k in keys)
    assert not at.sidebar.markdown or "Save your answers" not in texts(at)


def test_structure_check_says_it_needs_more_respondents(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = organiser_page(monkeypatch)
    at.toggle(key="instrument_run_cfa").set_value(True).run()
    assert not at.exception
    assert "Not enough data for the structure check yet" in texts(at)


def test_item_detail_is_shut_without_the_organiser_key(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)
    at = instrument_page()
    report = report_from_store(store, structure=False)
    some_line = next(iter(dimension_lines(report).values()))
    assert some_line not in texts(at) and not at.get("download_button")
    assert "Respondents" in at.dataframe[0].value.columns  # the per-dimension summary is for everyone
    type_key(at, "wrong")
    assert "not the organiser key" in texts(at) and some_line not in texts(at)
    assert not at.get("download_button")
    type_key(at, KEY)
    assert some_line in texts(at)
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("instrument_json" in k for k in keys) and any("instrument_csv" in k for k in keys)


def test_results_page_shows_one_line_per_dimension(store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    saved: dict[str, Any] = {}
    state.init_state(saved)
    state.restore(load_answers(EXAMPLE, BANK), BANK, saved)
    for key in (state.ANSWERS, state.CONTEXT, state.CHOSEN, state.PLAN, state.MODE, state.SECTION):
        at.session_state[key] = saved[key]
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    page = texts(at)
    lines = dimension_lines(report_from_store(store, structure=False))
    assert "How far to trust each score" in page
    for dim in BANK.dimensions:
        assert f"**{dim.label}:** {lines[dim.id]}" in page


# ----- research use: chosen at creation, off by default, stated on the join page -----


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'research.sqlite'}")
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def test_research_use_is_off_unless_the_facilitator_switches_it_on(empty_store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(routes.WORKSHOP_NEW).run()
    assert at.toggle(key="wsn_research").value is False
    at.text_input(key="wsn_title").set_value("Default workshop")
    at.selectbox(key="wsn_stage").set_value("adoption")  # asked, not preselected (issue 19)
    at.radio(key="wsn_radicalness").set_value("radical")
    at.button(key="wsn_create").click().run()
    created = at.session_state[ws.CREATED]
    code, key = created["code"], created["key"]
    assert empty_store.open_workshop(code, key).research_use is False


def test_join_page_says_whether_answers_may_be_used_for_research(empty_store: Store) -> None:
    from assessment.ui.labels import RESEARCH_USE_BEFORE_JOINING, RESEARCH_USE_OFF, RESEARCH_USE_ON

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(routes.WORKSHOP_JOIN).run()
    assert plain(RESEARCH_USE_BEFORE_JOINING) in texts(at)
    for allowed, expected in ((True, RESEARCH_USE_ON), (False, RESEARCH_USE_OFF)):
        created = empty_store.create_workshop(f"Research {allowed}", research_use=allowed)
        joined = empty_store.join_workshop(created.workshop.join_code, "nurse", client_key=f"c{allowed}")
        page = AppTest.from_file(APP, default_timeout=60)
        page.query_params[routes.RESUME_PARAM] = joined.participant_token
        page.run()
        assert not page.exception
        captions = [c.value for c in page.caption]
        assert expected in captions


def test_dashboard_says_whether_answers_may_be_used_for_research(empty_store: Store) -> None:
    from assessment.ui.labels import RESEARCH_USE_DASHBOARD_OFF, RESEARCH_USE_DASHBOARD_ON

    for allowed, expected, other in (
        (True, RESEARCH_USE_DASHBOARD_ON, RESEARCH_USE_DASHBOARD_OFF),
        (False, RESEARCH_USE_DASHBOARD_OFF, RESEARCH_USE_DASHBOARD_ON),
    ):
        created = empty_store.create_workshop(f"Dashboard research {allowed}", research_use=allowed)
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params[routes.FACILITATE_PARAM] = created.workshop.join_code
        at.run()
        at.text_input(key="wdw_key").set_value(created.facilitator_key)
        at.button(key="wd_open").click().run()
        assert not at.exception
        captions = [c.value for c in at.caption]
        assert expected in captions and other not in captions


def test_the_page_gate_reads_the_organiser_key_from_the_settings(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate asks `get_settings()`, the same place as the workshop form, not the environment itself: a key
    that only the settings hold still shuts the page."""
    from assessment import organisers
    from assessment.settings import Settings

    monkeypatch.delenv(ORGANISER_KEY_ENV, raising=False)
    from_settings = "Settings0only_Key-4Yq7Wm2"
    monkeypatch.setattr(organisers, "get_settings", lambda: Settings(organiser_key=from_settings))
    report = report_from_store(store, structure=False)
    some_line = next(iter(dimension_lines(report).values()))
    at = instrument_page()
    assert some_line not in texts(at)
    type_key(at, from_settings)
    assert some_line in texts(at)


def test_no_none_in_the_instrument_tables(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19, 10: a missing alpha or omega reads "–" with a caption saying why; never "None" or a line number."""
    at = organiser_page(monkeypatch)
    cells = [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    assert "None" not in cells and "nan" not in cells
    assert not re.search(r"\bNone\b|\bL\d{2,4}\b", texts(at))
    summary = at.dataframe[0].value
    if (summary["Alpha"] == "–").any() or (summary["Omega"] == "–").any():
        assert "A dash (–) means not estimated yet" in texts(at)
