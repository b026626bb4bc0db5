"""The board slide: the same Typst source gives a 3840 x 2160 PNG and a 16:9 vector PDF; any text renders."""

from __future__ import annotations

import io
import re
import struct
from functools import cache
from pathlib import Path

import pytest
from hostile import SCRIPTS, hostile_single
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from outcome_states import full_states, half_answered_group, insufficient, quick_scan_states
from pdf_fonts import smallest
from pypdf import PdfReader

from assessment import assess, default_bank, load_answers
from assessment.chart_data import radar_data
from assessment.errors import ReportError
from assessment.report.board import (
    MAX_MESSAGES,
    MAX_UNKNOWNS,
    TITLE,
    GroupAgreement,
    board_messages,
    budget,
    render_slide,
    slide_data,
)
from assessment.report.render import Format, compile_template
from assessment.results import Result
from assessment.workshop import WorkshopSummary, summarise_answer_sets

ROOT = Path(__file__).resolve().parent.parent


def result(name: str = "northmoor_hold_back") -> Result:
    bank = default_bank()
    return assess(load_answers(ROOT / "examples" / f"{name}.json", bank), bank)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_slide_png_is_3840_by_2160() -> None:
    assert png_size(render_slide(result(), default_bank(), facts=["20 March 2026"])) == (3840, 2160)


def test_slide_pdf_is_one_tagged_16_by_9_vector_page_with_the_board_text() -> None:
    r = result()
    pdf = render_slide(r, default_bank(), facts=["20 March 2026", "Adoption stage"], fmt="pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 1e-3
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(reader.pages[0].extract_text().split())
    assert r.recommendation.strategy_label in text
    assert "Key messages" in text and "20 March 2026 · Adoption stage" in text
    assert "%" not in text.split("Key messages")[0].split(r.recommendation.headline)[-1]  # confidence: no percent


def test_slide_data_is_the_board_view_content() -> None:
    r = result()
    data = slide_data(r, default_bank())
    assert data["strategy"] == r.recommendation.strategy_label
    assert data["confidence"] == r.recommendation.confidence.statement
    assert 1 <= len(data["messages"]) <= 3


def test_hostile_names_render_on_the_slide() -> None:
    bank = default_bank()
    r = assess(hostile_single(), bank)
    assert png_size(render_slide(r, bank)) == (3840, 2160)
    assert render_slide(r, bank, fmt="pdf").startswith(b"%PDF-")


# ----- one page for every result, by design (issue 21) -----

FILLS = {
    "latin": "Wide WWWWWW words ",
    "one long word": "W" * 400,
    "cjk": "中文字符测试",
    "mixed scripts": SCRIPTS + " ",
}


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def group_summary(n: int = 30) -> WorkshopSummary:
    return summarise_answer_sets(half_answered_group(n), default_bank(), title="Half answered")


@pytest.mark.parametrize("fill", FILLS.values(), ids=list(FILLS))
def test_every_block_at_its_budget_still_gives_one_page(fill: str) -> None:
    """Every text block filled to its last line, with the group's radar (the tallest): one page, by design."""
    summary = group_summary(10)
    data = slide_data(summary.result, default_bank(), group=GroupAgreement.from_summary(summary), notes=["n"])
    text = fill * 200
    for kind in ("title", "who", "facts", "strategy", "headline", "confidence", "disclaimer"):
        data[kind] = budget(kind, text)
    data["unknowns"] = [budget("unknown", text)] * MAX_UNKNOWNS
    data["messages"] = [budget("message", text)] * MAX_MESSAGES
    data["notes"] = [budget("note", text)]
    assert pages(compile_template("board.typ", data)) == 1


def test_an_image_of_a_document_longer_than_one_page_is_an_error_not_its_first_page() -> None:
    data = slide_data(result(), default_bank())
    data["messages"] = ["A message " * 200] * 3  # past the budgets, as no caller can pass it
    with pytest.raises(ReportError):
        compile_template("board.typ", data, fmt="png", ppi=10)


STATES = [*insufficient(quick_scan_states()), *insufficient(full_states())]
NAMES = st.text(st.sampled_from("aW 中한हि😀🏥ع" + SCRIPTS), min_size=0, max_size=300)


def check_one_page_with_every_message(r: Result, group: GroupAgreement | None = None) -> None:
    bank = default_bank()
    pdf = render_slide(r, bank, facts=["7 December 2026", "Adoption stage"], notes=["A note."], fmt="pdf", group=group)
    assert pages(pdf) == 1
    text = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    shown = slide_data(r, bank, group=group)["messages"]
    full = board_messages(r, group)
    assert len(shown) == len(full) >= 1
    for message, printed in zip(full, shown, strict=True):
        assert printed == message or (printed.endswith("…") and message.startswith(printed[:-1].rstrip()))
        assert squash(printed) in text


def test_there_are_many_not_enough_answers_states() -> None:
    assert len(STATES) >= 30  # 26 of the quick scan and the partial full assessments


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=st.sampled_from(STATES), name=NAMES, title=NAMES)
@example(state=STATES[0], name="N" * 300, title="T" * 300)
@example(state=STATES[-1], name="नमस्ते अस्पताल " * 20, title="🏥" * 300)
def test_the_slide_is_one_page_with_every_key_message_for_any_state_and_name(
    state: tuple[str, Result], name: str, title: str
) -> None:
    r = state[1].model_copy(
        update={"context": {**state[1].context, "organisation_name": name, "innovation_title": title}}
    )
    check_one_page_with_every_message(r)


def test_a_half_answered_thirty_person_group_slide_is_one_page() -> None:
    summary = group_summary()
    check_one_page_with_every_message(summary.result, GroupAgreement.from_summary(summary))


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_images_are_the_one_page(fmt: Format) -> None:
    r = STATES[len(STATES) // 2][1]
    out = render_slide(r, default_bank(), fmt=fmt)
    assert out.startswith(b"\x89PNG" if fmt == "png" else b"<svg")


def test_no_slide_text_is_under_9_pt() -> None:
    summary = group_summary(10)
    for pdf in (
        render_slide(result(), default_bank(), fmt="pdf"),
        render_slide(summary.result, default_bank(), fmt="pdf", group=GroupAgreement.from_summary(summary)),
    ):
        small = smallest(pdf)
        assert small.size >= 9, small


def test_the_slide_title_is_a_heading() -> None:
    pdf = render_slide(result(), default_bank(), fmt="pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert [o.title for o in reader.outline][:1] == [TITLE]


def test_the_presentation_toggle_help_says_where_the_switch_is() -> None:
    source = (ROOT / "assessment" / "ui" / "board.py").read_text()
    assert "top right" in source and "bottom right" not in source
    assert "right: 12px; top: 8px" in source


def test_unscored_ingredients_are_gaps_in_the_radar_not_points_at_the_centre() -> None:
    """The filled outline (the primary colour at 22 % opacity) is drawn only when every ingredient is scored."""
    states = dict(quick_scan_states())
    complete, partial = (assess(states[k], default_bank()) for k in ("quick_first_27", "quick_first_6"))
    assert not any(complete.scores[d].mean is None for d in complete.readiness.weights)
    assert radar_data(partial).insufficient
    fill = "#0b4f8a38"
    assert fill in render_slide(complete, default_bank(), fmt="svg").decode()
    assert fill not in render_slide(partial, default_bank(), fmt="svg").decode()


def test_the_slide_names_the_step_of_two_step_work_the_answers_place_the_organisation_in() -> None:
    bank = default_bank()
    two_step = assess(load_answers(ROOT / "examples" / "riverside_two_step.json", bank), bank)
    assert two_step.recommendation.current_step == 1
    assert slide_data(two_step, bank)["card_label"] == "Recommended strategy · you are in step one of two"
    attached = two_step.model_copy(
        update={"recommendation": two_step.recommendation.model_copy(update={"current_step": 2})}
    )
    assert slide_data(attached, bank)["card_label"] == "Recommended strategy · you are in step two of two"
    assert slide_data(result(), bank)["card_label"] == "Recommended strategy"  # hold back: no steps
    assert png_size(render_slide(attached, bank)) == (3840, 2160)


def test_a_weak_ingredient_just_below_the_cut_is_not_printed_as_the_cut() -> None:
    from assessment import assess_profile, parse_profile
    from assessment.chart_data import key_messages

    scores = dict.fromkeys(("system_leadership", "early_kol_involvement", "meso_clinical_leadership"), 3.0)
    r = assess_profile(parse_profile({"scores": {**scores, "partnerships": 2.46}, "context": {"stage": "adoption"}}))
    assert r.scores["partnerships"].status == "weak"
    weakest = next(m for m in key_messages(r, limit=9) if m.startswith("Weakest"))
    assert "partnerships (2.46)" in weakest  # "(2.5)" would read as not weak
