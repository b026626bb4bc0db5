"""The report as a reader meets it (issue 21): no text under 9 pt anywhere (no shrink-to-fit), the executive
summary on one page, honest figures when ingredients are unscored, no "see the report" inside the report."""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from hostile import group
from outcome_states import quick_scan_states
from pdf_fonts import body_fill, smallest, text_runs
from pdf_structure import kinds, page_mode, structure, text_homes
from pypdf import PdfReader
from test_report import EXAMPLES, example_pdf, group_pdf

from assessment import assess, default_bank, load_answers
from assessment.report import build_report
from assessment.report.appendix import CHUNK, CHUNK_LINES, comment_chunks
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
    assert kinds(REPORTS[name]())["P"] >= 20


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


def test_a_group_report_gives_its_findings_before_the_raw_answers_and_lists_them_on_the_cover() -> None:
    pdf = group10_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert (
        titles.index("1. Executive summary")
        < titles.index("Workshop findings")
        < titles.index("2. Why this recommendation")
    )
    text = [" ".join(t.split()) for t in pages(pdf)]
    first = next(i for i, t in enumerate(text) if "Workshop: agenda of disagreements" in t and i > 0)
    appendix = next(i for i, t in enumerate(text) if t.count("Appendix: the answers") and i > 0)
    assert first < appendix and first <= 3
    assert "Workshop findings" in text[0] and "Workshop: agenda of disagreements" in text[0]  # the contents


def test_the_group_report_radar_shows_each_ingredients_agreement() -> None:
    summary_page = " ".join(pages(group10_pdf())[1].split())
    assert summary_page.count("agreement") >= 8


def test_the_cover_stays_one_page_with_a_100_line_title_and_200_character_fields() -> None:
    from hostile import SCRIPTS, base

    from assessment import AnswerSet

    a = base()
    a.context.innovation_title = "\n".join("t" for _ in range(100))[:199]
    a.context.organisation_name = (("Organisation " + SCRIPTS + " ") * 5)[:200]
    a.context.department = "W" * 200
    a.context.respondent_name = "N" * 200
    a.context.innovation_description = ("word " * 400)[:2000]
    pdf = build_report(AnswerSet.model_validate(a.model_dump()), default_bank())
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.get_destination_page_number(reader.outline[0]) == 1  # the summary starts on page 2
    cover = " ".join(pages(pdf)[0].split())
    assert "t t t t" in cover and "Glossary" in cover  # the title is one flattened line; the contents are whole
    assert "(in full in the appendix)" in cover


# ----- layout: no near-empty page, no row split across pages in the answers -----

MM = 72 / 25.4
A4_HEIGHT = 297 * MM


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_no_page_of_the_standard_examples_is_nearly_empty(name: str) -> None:
    fill = body_fill(REPORTS[name](), top=A4_HEIGHT - 26 * MM, bottom=20 * MM)
    last = max(fill)
    sparse = {page: round(f, 2) for page, f in fill.items() if f < 0.25 and page != last}
    assert not sparse


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES] + ["group10"])
def test_no_answer_row_is_split_across_pages(name: str) -> None:
    root, _ = structure(REPORTS[name]())
    split = [sorted(el.pages) for el in root.walk() if el.kind == "TR" and len(el.pages) > 1]
    assert not split, split


def test_long_comments_are_packed_into_rows_that_repeat_their_statement() -> None:
    assert comment_chunks("") == [""]
    assert comment_chunks("one\ntwo") == ["one\ntwo"]
    chunks = comment_chunks("\n".join(["c" * 60] * 30))
    assert len(chunks) == 4 and all(len(c) <= CHUNK and c.count("\n") < CHUNK_LINES for c in chunks)
    assert "\n".join(chunks) == "\n".join(["c" * 60] * 30)  # nothing lost or added
    assert comment_chunks("word " * 199 + "end") == ["word " * 199 + "end"]  # one comment is never cut
    long = comment_chunks("word " * 399 + "end")  # longer than any comment may be: cut between words
    assert len(long) == 2 and long[0].endswith(" …") and long[1].startswith("… ")


def test_explanations_name_a_statement_by_its_text_never_its_id() -> None:
    bank = default_bank()
    labels = bank.explanation_labels
    for item in bank.items:
        assert labels[item.id].startswith("Statement: ") and item.id not in labels[item.id]
    result = assess(load_answers(EXAMPLES[0].parent / "northmoor_hold_back.json", bank), bank)
    inputs = [i for rule in result.recommendation.fired_rules for i in rule.inputs if i.kind == "item"]
    assert inputs and all(i.key in bank.item_by_id and i.key not in i.label for i in inputs)


def test_a_1000_character_word_wraps_inside_its_cell_and_the_text_layer_holds_only_what_was_written() -> None:
    from hostile import base

    from assessment import AnswerSet

    a = base()
    first = next(iter(a.answers))
    a.answers[first].comment = "W" * 1000
    a.context.innovation_title = "https://example.org/" + "a" * 80
    pdf = build_report(AnswerSet.model_validate(a.model_dump()), default_bank())
    text = "".join(pages(pdf))
    assert "\u200b" not in text
    assert "W" * 1000 in re.sub(r"\s+", "", text)  # copied out whole, without added characters
    assert "https://example.org/" + "a" * 80 in re.sub(r"\s+", "", pages(pdf)[0])
    right_margin = 595.28 - 18 * MM
    assert not [r for r in text_runs(pdf) if r.x > right_margin + 1]


def test_the_vocabularys_strategy_labels_are_read_from_the_rules_table() -> None:
    from assessment.rules import load_rulebook
    from assessment.vocabulary import STRATEGY_LABELS

    assert {k: v.label for k, v in load_rulebook().strategies.items()} == STRATEGY_LABELS
