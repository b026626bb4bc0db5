"""The board page warns before the slide downloads when a character has no font (issue 21): the slide prints
U+FFFD for it, and the person downloading should know before the board does."""

from __future__ import annotations

from test_app import app_with, example

from assessment import AnswerSet
from assessment.ui import routes


def named(organisation: str) -> AnswerSet:
    a = example("northmoor_hold_back")
    a.context.organisation_name = organisation
    return AnswerSet.model_validate(a.model_dump())


def test_an_uncovered_character_warns_above_the_slide_downloads() -> None:
    at = app_with(named("Clinic \U00013000"))
    at.switch_page(routes.BOARD).run()
    assert not at.exception
    assert any("U+13000" in w.value and "\ufffd" in w.value for w in at.warning)


def test_covered_scripts_give_no_warning() -> None:
    at = app_with(named("हिन्दी अस्पताल 🏥 北京"))
    at.switch_page(routes.BOARD).run()
    assert not at.exception
    assert not [w.value for w in at.warning if "font" in w.value]
