"""The report as a reader meets it (issue 21): no text under 9 pt anywhere (no shrink-to-fit), the executive
summary on one page, honest figures when ingredients are unscored, no "see the report" inside the report."""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from hostile import group
from outcome_states import quick_scan_states
from pdf_fonts import smallest
from pdf_structure import kinds, page_mode, text_homes
from pypdf import PdfReader
from test_report import EXAMPLES, example_pdf, group_pdf

from assessment import assess, default_bank
from assessment.report import build_report
from assessment.report.render import open_bookmarks


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


@cache
def quick6_pdf() -> bytes:
    a = dict(quick_scan_states())["quick_first_6"]
    return build_report(a, default_bank())


@cache
def group10_pdf() -> bytes:
    return group_pdf(group(10, "a comment"))


REPORTS = {
    **{p.stem: (lambda n=p.name: example_pdf(n)) for p in EXAMPLES},
    "quick6": quick6_pdf,
    "group10": group10_pdf,
}


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_text_in_the_report_is_under_9_pt(name: str) -> None:
    small = smallest(REPORTS[name]())
    assert small.size >= 9, small


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_report_sends_its_reader_to_the_report(name: str) -> None:
    text = " ".join(" ".join(pages(REPORTS[name]())).split())
    assert "See the report" not in text and "see the report" not in text


def test_six_answers_give_no_two_decimal_index_and_say_how_many_ingredients_are_scored() -> None:
    a = dict(quick_scan_states())["quick_first_6"]
    result = assess(a, default_bank())
    assert result.recommendation.strategy == "insufficient_evidence"
    used = len(result.readiness.ingredients_used)
    assert 0 < used < 8
    summary = " ".join(pages(quick6_pdf())[1].split())
    assert not re.search(r"Readiness index \d\.\d\d", summary)
    assert f"from {used} of 8 ingredients" in summary


# ----- semantic tagging -----

TABLE_OR_HEADING = {"TD", "TH", "H1", "H2", "H3", "Lbl", "LBody", "Figure", "TOCI"}


@pytest.mark.parametrize("name", list(REPORTS))
def test_text_is_in_paragraphs_on_every_page_and_never_bare(name: str) -> None:
    homes = text_homes(REPORTS[name]())
    assert not [page for page, kinds in homes.items() if "none" in kinds]  # no bare span in the document
    prose = [page for page, kinds in homes.items() if kinds - TABLE_OR_HEADING]
    assert prose and all("P" in homes[page] for page in prose)
    assert sum("P" in kinds for kinds in homes.values()) >= len(homes) // 2


def test_the_report_opens_with_its_bookmarks() -> None:
    pdf = example_pdf(EXAMPLES[0].name)
    assert page_mode(pdf) == "/UseOutlines"
    assert kinds(pdf)["P"] > 40


def test_opening_the_bookmarks_leaves_a_pdf_typst_did_not_lay_out_as_it_is() -> None:
    odd = b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
    assert open_bookmarks(odd) == odd
    pdf = example_pdf(EXAMPLES[0].name)
    assert open_bookmarks(pdf) == pdf  # already open: unchanged


def test_the_slide_has_no_bare_text() -> None:
    from assessment.report.board import render_slide

    pdf = render_slide(assess(dict(quick_scan_states())["quick_first_6"], default_bank()), default_bank(), fmt="pdf")
    homes = text_homes(pdf)
    assert "none" not in homes[0] and {"H1", "H2", "P"} <= homes[0]


def test_strategy_labels_in_the_report_come_from_the_rules_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.report import context
    from assessment.rules import load_rulebook

    book = load_rulebook()
    renamed = {k: v.model_copy(update={"label": f"Renamed {k}"}) for k, v in book.strategies.items()}
    monkeypatch.setattr(context, "load_rulebook", lambda: book.model_copy(update={"strategies": renamed}))
    result = assess(dict(quick_scan_states())["quick_first_27"], default_bank())
    assert context.outcome_label(result) == f"Renamed {result.recommendation.strategy}"
    assert context.strategy_label("hold_back") == "Renamed hold_back"
