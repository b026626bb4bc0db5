"""Saved answers files: round trip, and clear errors for corrupt, foreign or out-of-range files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment import AnswersError, AnswerSet, ItemAnswer, default_bank, load_answers, parse_answers

BANK = default_bank()
EXAMPLES = sorted(Path(__file__).resolve().parent.parent.joinpath("examples").glob("*.json"))


def test_examples_load() -> None:
    assert len(EXAMPLES) >= 3
    for path in EXAMPLES:
        assert load_answers(path, BANK).answers


def test_round_trip_keeps_everything() -> None:
    a = AnswerSet(
        bank_version=BANK.bank_version,
        mode="quick",
        context={"innovation_title": "Virtual ward <script>alert(1)</script>", "political_work_first": True},
        answers={BANK.items[0].id: ItemAnswer(value=4, comment="**bold** <b>x</b> مرحبا 😀"),
                 BANK.items[1].id: ItemAnswer(value="dont_know")},
    )
    back = parse_answers(a.to_json(), BANK)
    assert back.answers == a.answers and back.context == a.context and back.mode == "quick"
    assert back.saved_at is not None


@pytest.mark.parametrize(
    "data,message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 text file"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "must hold a JSON object"),
        (json.dumps({"format": "something-else", "schema_version": 1}).encode(), "not an innovation-readiness"),
        (json.dumps({"schema_version": 99, "bank_version": "x"}).encode(), "schema version 99"),
        (json.dumps({"bank_version": "x"}).encode(), "has no schema version"),  # never "schema version None"
        (json.dumps({"schema_version": 1, "bank_version": "x", "answers": {"sl_commissioners_early": {"value": 7}}})
         .encode(), "answers.sl_commissioners_early.value"),
        (json.dumps({"schema_version": 1, "bank_version": "1999.1", "answers": {"old_item": {"value": 3}}}).encode(),
         "does not have: old_item"),
        (json.dumps({"schema_version": 1, "bank_version": "x", "context": {"stage": "launch"}}).encode(),
         "context.stage"),
        (json.dumps({"schema_version": 1, "bank_version": "x", "context": {"innovation_title": "x" * 5000}}).encode(),
         "at most 200 characters"),
    ],
)
def test_bad_files_give_one_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(AnswersError) as exc:
        parse_answers(data, BANK, name="upload.json")
    assert message in exc.value.one_line()
    assert "\n" not in exc.value.one_line()
    assert "Traceback" not in exc.value.one_line()


def test_control_characters_are_dropped_but_text_is_kept() -> None:
    a = ItemAnswer(value=3, comment="line one\nline\x00 two\x1b[31m")
    assert a.comment == "line one\nline two[31m"


def test_joiners_and_direction_marks_survive() -> None:
    text = "👩‍⚕️ نمی‌خواهم \u200fשלום"
    assert ItemAnswer(value=3, comment=text).comment == text


def test_an_invalid_answer_is_described_once_in_words_not_class_names() -> None:
    raw = json.loads(EXAMPLES[0].read_bytes())
    first, second = list(raw["answers"])[:2]
    raw["answers"][first] = None
    raw["answers"][second] = {"value": 7}
    with pytest.raises(AnswersError) as exc:
        parse_answers(json.dumps(raw).encode(), BANK, name="upload.json")
    line = exc.value.one_line()
    assert line.count(f"answers.{first}") == 1, line  # the first problem is not repeated
    assert "should be an object" in line and "ItemAnswer" not in line
    assert "(and 2 more problems)" in line
