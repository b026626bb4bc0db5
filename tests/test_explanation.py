"""Issue 21, finding 8: a fired rule's inputs are structured records (statement text, item id, value) that the
results page and the PDF lay out alike; no "id: text" string reaches a person."""

from __future__ import annotations

import io
import re
from functools import cache
from typing import Any

import pytest
from helpers import APP, ROOT, plain
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from assessment import AnswerSet, assess, default_bank, load_answers
from assessment.explanation import HEADERS, ExplanationRow, explanation_rows
from assessment.report import build_report
from assessment.results import DrivingInput
from assessment.ui import routes, state

BANK = default_bank()
NAMES = ["northmoor_hold_back", "eastvale_centralized", "riverside_two_step", "riverside_quick_scan"]


def squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


@cache
def answers(name: str) -> AnswerSet:
    return load_answers(ROOT / "examples" / f"{name}.json", BANK)


def rows_of(name: str) -> list[list[ExplanationRow]]:
    answer_set = answers(name)
    result = assess(answer_set, BANK)
    innovation = " ".join(str(result.context.get("innovation_title") or "").split()) or "the innovation"
    return [explanation_rows(r.inputs, BANK, innovation) for r in result.recommendation.fired_rules if r.inputs]


def test_a_statement_is_named_by_its_text_and_keeps_its_id_in_its_own_field() -> None:
    rows = [r for rule in rows_of("northmoor_hold_back") for r in rule if r.kind == "item"]
    assert rows, "northmoor's rules read single statements; the test needs one"
    for r in rows:
        assert r.item_id in BANK.item_by_id and r.statement
        assert r.label == f"Statement: {r.statement}"
        for text in (r.label, r.value, r.needs, r.met_text):
            assert r.item_id not in text and not re.search(r"\b[a-z]+_[a-z_]+\b", text), text


def test_values_are_words_for_people() -> None:
    item = BANK.items[0]
    scale = BANK.scales[item.scale]
    cases: list[tuple[DrivingInput, str]] = [
        (DrivingInput(kind="item", key=item.id, label="x", value=4.0, op=">=", threshold=4, met=True),
         f"4 ({scale.anchors[4]})"),
        (DrivingInput(kind="item", key=item.id, label="x", value=None, op=">=", threshold=4, met=None),
         "no rating (unanswered or don't know)"),
        (DrivingInput(kind="score", key="early_adopters", label="Early adopters", value=2.25, op="<", threshold=2.5,
                      met=True), "2.2"),
        (DrivingInput(kind="score", key="early_adopters", label="Early adopters", value=None, met=None),
         "insufficient evidence"),
        (DrivingInput(kind="fact", key="radicalness", label="Radicalness", value="radical", expected="radical",
                      met=True), "radical"),
    ]  # fmt: skip
    got = [r.value for r in explanation_rows([c for c, _ in cases], BANK, "the innovation")]
    assert got == [want for _, want in cases]
    rows = explanation_rows([c for c, _ in cases], BANK, "the innovation")
    assert [r.met_text for r in rows] == ["met", "open: depends on a missing answer", "met",
                                          "open: depends on a missing answer", "met"]  # fmt: skip
    assert rows[2].needs == "below 2.5" and rows[4].needs == "radical"


@pytest.mark.parametrize("name", ["northmoor_hold_back", "eastvale_centralized"])
def test_the_pdf_prints_the_deciding_rules_records(name: str) -> None:
    pdf = build_report(answers(name), BANK)
    text = squash(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    deciding = rows_of(name)[0]
    for header in HEADERS:
        assert squash(header) in text
    for r in deciding:
        assert squash(r.label) in text and squash(r.value) in text and squash(r.needs) in text


def app_with(answer_set: AnswerSet) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    store: dict[str, Any] = {}
    state.init_state(store)
    state.restore(answer_set, BANK, store)
    for key in (state.ANSWERS, state.CONTEXT, state.CHOSEN, state.PLAN, state.MODE, state.SECTION):
        at.session_state[key] = store[key]
    return at


def test_the_results_page_shows_the_same_records_as_the_pdf() -> None:
    name = "northmoor_hold_back"
    at = app_with(answers(name))
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    shown = [t.value for t in at.table if list(t.value.columns) == list(HEADERS)]
    expected = rows_of(name)
    assert len(shown) == len(expected)
    for frame, rows in zip(shown, expected, strict=True):
        cells = [[plain(str(v)) for v in row] for row in frame.to_numpy().tolist()]
        assert cells == [[r.label, r.value, r.needs, r.met_text] for r in rows]


ITEM_IDS = [i.id for i in BANK.items]


@given(
    item=st.sampled_from(ITEM_IDS),
    value=st.one_of(st.none(), st.integers(1, 5).map(float), st.floats(1, 5, allow_nan=False)),
    op=st.sampled_from(["<", "<=", ">", ">="]),
    threshold=st.integers(1, 5),
    met=st.sampled_from([True, False, None]),
    innovation=st.text(min_size=1, max_size=40),
)
def test_no_row_shows_an_id_or_a_python_literal(
    item: str, value: float | None, op: str, threshold: int, met: bool | None, innovation: str
) -> None:
    inp = DrivingInput.model_validate(
        {"kind": "item", "key": item, "label": "x", "value": value, "op": op, "threshold": threshold, "met": met}
    )
    (row,) = explanation_rows([inp], BANK, innovation)
    assert row.item_id == item
    for text in (row.label, row.value, row.needs, row.met_text):
        assert item not in text.replace(innovation, "")
        assert not re.search(r"\bNone\b|\bTrue\b|\bFalse\b", text.replace(innovation, ""))


def test_a_fact_the_rule_accepts_several_values_of_is_one_row() -> None:
    """Looked at on the results page: the rules-first warning read "Experiments already spread and clinicians
    attached" three times (needs "no": met; "not sure": not met; "not answered": not met), as if the rule wanted
    all three. It is one row, needing any of them."""
    rules = {r.id: r for r in assess(answers("eastvale_centralized"), BANK).recommendation.fired_rules}
    rows = explanation_rows(rules["political_work_first"].inputs, BANK, "the innovation")
    attached = [r for r in rows if r.label.startswith("Experiments already spread")]
    assert len(attached) == 1, [r.needs for r in attached]
    assert attached[0].value == "no" and attached[0].needs == "no, not sure or not answered"
    assert attached[0].met is True and attached[0].met_text == "met"
    assert all(r.met for r in rows)  # a fired rule's rows are all met


def test_one_row_per_fact_is_met_when_any_value_is_and_open_when_none_is_but_one_may_be() -> None:
    def fact(met: bool | None, expected: str) -> DrivingInput:
        return DrivingInput(kind="fact", key="step_one_evidence", label="x", value=None, expected=expected, met=met)

    for mets, want in (([False, True], True), ([False, None], None), ([False, False], False), ([None, True], True)):
        (row,) = explanation_rows([fact(m, e) for m, e in zip(mets, ("not_sure", "unanswered"), strict=True)], BANK, "")
        assert row.met is want, (mets, row)
