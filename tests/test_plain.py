"""Plain words for people: values, conditions and citations without ids, literals or line numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assessment.bank import default_bank
from assessment.plain import GLOSSARY, citation_for_people, op_text, score_cell, score_text, section_at, value_text
from assessment.vocabulary import CUT_POINTS, SCORE_MAX, SCORE_MIN


@pytest.mark.parametrize(
    ("locator", "shown"),
    [
        ("Two-step institutional work, L411-440; Table 3", "Two-step institutional work (the findings; Table 3)"),
        ("Enabling bureaucracy, s3-s4", "Enabling bureaucracy (sentences 3-4)"),
        ("Micro-politics (2023), L201-205", "Micro-politics (2023) (section 4, Findings)"),
    ],
)
def test_citations_name_the_section_not_the_lines(locator: str, shown: str) -> None:
    assert citation_for_people(locator) == shown


def test_every_citation_in_the_bank_reads_without_line_numbers() -> None:
    bank = default_bank()
    citations = [i.citation for i in bank.items] + [d.citation for d in bank.dimensions]
    assert citations
    for citation in citations:
        shown = citation_for_people(citation)
        assert shown.startswith(citation.source) and not re.search(r"\bL\d", shown), (citation, shown)


def test_section_lookup_uses_the_first_line() -> None:
    assert section_at("Manual (2023)", 2300) == "section 5.2, Idea Generation"
    assert section_at("Two-step institutional work", 700) == "the discussion"
    assert section_at("Enabling bureaucracy", 3) is None


def test_values_and_conditions_in_words() -> None:
    assert value_text(None) == "not answered" and value_text(True) == "yes" and value_text("not_sure") == "not sure"
    assert op_text(">=", 3.5) == "at least 3.5" and op_text("<", 2) == "below 2"
    assert {"Affordances", "Meso level", "r_wg (agreement index)", "Centralized project"} <= set(GLOSSARY)


def test_scores_print_to_one_decimal_unless_that_would_read_as_a_cut_point() -> None:
    assert [score_text(v) for v in (2.0, 3.33, 3.75, 2.49, 3.45, 2.5, 3.5, 2.46, 3.55)] == [
        "2.0", "3.3", "3.8", "2.49", "3.45", "2.5", "3.5", "2.46", "3.5",
    ]  # fmt: skip
    assert value_text(2.49) == "2.49" and value_text(3.333) == "3.3"
    assert score_text(2.49609375) == "2.49" and score_text(3.4999) == "3.49" and score_text(2.47) == "2.47"
    assert [score_cell(2.47), score_cell(None), score_cell(None, "not scored")] == ["2.47", "–", "not scored"]


@given(st.floats(min_value=SCORE_MIN, max_value=SCORE_MAX))
@example(2.49609375)  # rounds to 2.50 at two decimals as well (found by this test on a CI-like run)
@example(3.4999999999)
@example(2.45)
def test_a_printed_score_is_on_the_same_side_of_every_cut_point_as_the_score(v: float) -> None:
    shown = float(score_text(v))
    assert all((shown >= cut) == (v >= cut) for cut in CUT_POINTS)
    assert abs(shown - v) <= 0.05 + 1e-9
