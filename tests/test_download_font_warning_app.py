"""Issue 21, finding 4: the warning that a character has no font is drawn before every PDF or slide download, by
one helper (`ui.board.font_warning`): on the board page (tests/test_board_app_fonts.py), on the results page
above the report download, and on the workshop dashboard above the group report."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app import app_with, example
from test_workshop_app import open_dashboard, populate, store, view, workshop  # noqa: F401

from assessment import AnswerSet
from assessment.store import Store
from assessment.ui import routes

UNCOVERED = "\U00013000"  # an Egyptian hieroglyph: no font in the chain has it


def named(organisation: str) -> AnswerSet:
    a = example("northmoor_hold_back")
    a.context.organisation_name = organisation
    return AnswerSet.model_validate(a.model_dump())


def font_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "no font" in w.value]


def test_the_results_page_warns_above_the_report_download() -> None:
    at = app_with(named(f"Clinic {UNCOVERED}"))
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    warnings = font_warnings(at)
    assert len(warnings) == 1 and "U+13000" in warnings[0] and "the PDF report" in warnings[0]


def test_the_results_page_gives_no_warning_for_covered_scripts() -> None:
    at = app_with(named("हिन्दी अस्पताल 🏥 北京"))
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    assert font_warnings(at) == []


def test_the_dashboard_warns_above_the_group_report(store: Store) -> None:  # noqa: F811
    code, key = workshop(store, title=f"Frailty {UNCOVERED}")
    populate(store, code)
    at = view(open_dashboard(code, key), "Downloads")
    warnings = font_warnings(at)
    assert len(warnings) == 1 and "U+13000" in warnings[0] and "the group report" in warnings[0]


def test_the_dashboard_gives_no_warning_for_covered_scripts(store: Store) -> None:  # noqa: F811
    code, key = workshop(store, title="Frailty 🏥 北京")
    populate(store, code)
    at = view(open_dashboard(code, key), "Downloads")
    assert font_warnings(at) == []
