"""The first visit to Results in a new session is as quick as a repeat (issue 19, finding 8). The time itself is
measured in bench/bench_results_served.py (a served app in Chromium) and bench/bench_first_results.py; these
tests check the two things it rests on: what the domain reads from disk is read once per process, and the pages
a respondent reads before Results load its chart and table code (hidden), while the workshop pages do not."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app import APP, app_with, example

from assessment.advice import load_advice
from assessment.bank import default_bank
from assessment.report.render import compiler
from assessment.rules.table import load_rulebook
from assessment.scoring import load_stage_weights
from assessment.sources import load_sources
from assessment.ui import prefetch, routes


def test_bank_rules_weights_advice_sources_and_the_compiler_load_once_per_process() -> None:
    for load in (default_bank, load_rulebook, load_stage_weights, load_advice, load_sources, compiler):
        assert load() is load(), load.__name__


def _hidden_by_css(at: AppTest) -> bool:
    return any(f".st-key-{prefetch.KEY} {{ display: none" in str(h.proto) for h in at.get("html"))


def test_start_and_questionnaire_load_the_results_code_hidden() -> None:
    at = app_with(example("riverside_two_step"))
    at.run()
    assert not at.exception
    for page in (routes.START, routes.QUESTIONNAIRE):
        at.switch_page(page).run()
        assert not at.exception
        assert len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 1, page
        assert _hidden_by_css(at), page


def test_results_and_the_workshop_pages_draw_no_hidden_chart() -> None:
    at = app_with(example("riverside_two_step"))
    at.switch_page(routes.RESULTS).run()
    assert len(at.get("plotly_chart")) == 2 and not _hidden_by_css(at)  # the radar and the bars, nothing else
    for page in (routes.WORKSHOP_JOIN, routes.WORKSHOP_NEW, routes.GLOSSARY):
        at.switch_page(page).run()
        assert not at.exception
        assert not at.get("plotly_chart") and not _hidden_by_css(at), page  # a participant's phone loads none


def test_a_new_session_opens_on_start_with_the_prefetch() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception and _hidden_by_css(at)
