"""Saved answers files: round trip, and clear errors for corrupt, foreign or out-of-range files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import TWO_STEP
from hypothesis import given
from hypothesis import strategies as hs

from assessment import AnswersError, AnswerSet, ItemAnswer, default_bank, load_answers, parse_answers
from assessment.answers import ANSWERS_SCHEMA_VERSION, Context
from assessment.engine import Profile, assess_profile
from assessment.results import Recommendation
from assessment.rules import facts_from
from assessment.vocabulary import PLAN_ANSWERS, plan_reading

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
        context={
            "innovation_title": "Virtual ward <script>alert(1)</script>",
            "political_work_first": "yes",
            "step_one_evidence": "not_sure",
        },
        answers={
            BANK.items[0].id: ItemAnswer(value=4, comment="**bold** <b>x</b> مرحبا 😀"),
            BANK.items[1].id: ItemAnswer(value="dont_know"),
        },
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
        (
            json.dumps(
                {"schema_version": 1, "bank_version": "x", "answers": {"sl_commissioners_early": {"value": 7}}}
            ).encode(),
            "answers.sl_commissioners_early.value",
        ),
        (
            json.dumps({"schema_version": 1, "bank_version": "1999.1", "answers": {"old_item": {"value": 3}}}).encode(),
            "does not have: old_item",
        ),
        (
            json.dumps({"schema_version": 1, "bank_version": "x", "context": {"stage": "launch"}}).encode(),
            "context.stage",
        ),
        (
            json.dumps(
                {"schema_version": 1, "bank_version": "x", "context": {"innovation_title": "x" * 5000}}
            ).encode(),
            "at most 200 characters",
        ),
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
    assert "(and 1 more problem)" in line  # the rating: one problem, not one per kind of value it could be


@pytest.mark.parametrize(
    "value,said",
    [
        (7, "less than or equal to 5, or 'dont_know'"),
        (0, "greater than or equal to 1, or 'dont_know'"),
        ("often", "a valid integer, or 'dont_know'"),
        (True, "a valid integer, or 'dont_know'"),
        (2.5, "a valid integer, or 'dont_know'"),
        ({}, "a valid integer, or 'dont_know'"),
        ({"constrained-int": 1}, "a valid integer, or 'dont_know'"),  # a key spelt like pydantic's name for a kind
    ],
)
def test_a_bad_rating_is_one_problem_in_words_without_pydantics_names_for_kinds(value: object, said: str) -> None:
    item = BANK.items[0].id
    raw = {"schema_version": 2, "bank_version": BANK.bank_version, "answers": {item: {"value": value}}}
    with pytest.raises(AnswersError) as exc:
        parse_answers(json.dumps(raw).encode(), BANK, name="upload.json")
    assert exc.value.problems == [f"answers.{item}.value: Input should be {said}"]
    assert str(exc.value).startswith("upload.json has 1 invalid value(s)")


JSON_VALUES = hs.recursive(
    hs.none() | hs.booleans() | hs.integers() | hs.floats(allow_nan=False, allow_infinity=False) | hs.text(max_size=20),
    lambda inner: hs.lists(inner, max_size=3) | hs.dictionaries(hs.text(max_size=20), inner, max_size=3),
    max_leaves=8,
)


def _valid_rating(v: object) -> bool:
    return v is None or v == "dont_know" or (type(v) is int and 1 <= v <= 5)  # type(): true is not a rating


@given(JSON_VALUES.filter(lambda v: not _valid_rating(v)))
def test_any_bad_rating_is_one_problem_at_its_place_without_pydantics_names(value: object) -> None:
    item = BANK.items[0].id
    raw = {"schema_version": 2, "bank_version": BANK.bank_version, "answers": {item: {"value": value}}}
    with pytest.raises(AnswersError) as exc:
        parse_answers(json.dumps(raw).encode(), BANK, name="upload.json")
    [problem] = exc.value.problems
    assert problem.startswith(f"answers.{item}.value: ") and problem.endswith(", or 'dont_know'"), problem
    assert "constrained" not in problem and "literal[" not in problem


def test_an_unknown_key_in_an_answer_is_named_as_one() -> None:
    raw = {"schema_version": 2, "bank_version": BANK.bank_version, "answers": {BANK.items[0].id: {"value": 3, "x": 1}}}
    with pytest.raises(AnswersError) as exc:
        parse_answers(json.dumps(raw).encode(), BANK, name="upload.json")
    assert f"answers.{BANK.items[0].id}.x: unknown key 'x'" in exc.value.one_line()


# ----- plan answers: one shape, older files migrated -----------------------------------------------------------


def _version_1(context: dict[str, object]) -> bytes:
    return json.dumps({"schema_version": 1, "bank_version": BANK.bank_version, "context": context}).encode()


@pytest.mark.parametrize(
    "old,pwf,soe",
    [
        ({"political_work_first": True, "step_one_evidence": False}, "yes", "no"),
        ({"political_work_first": None, "step_one_evidence": True}, None, "yes"),
        ({"plan_unsure": ["step_one_evidence"], "political_work_first": False}, "no", "not_sure"),
        ({"plan_unsure": ["political_work_first", "step_one_evidence"]}, "not_sure", "not_sure"),
        ({}, None, None),
    ],
)
def test_a_version_1_file_loads_with_its_plan_answers_in_the_one_shape(
    old: dict[str, object], pwf: str | None, soe: str | None
) -> None:
    a = parse_answers(_version_1(old), BANK)
    assert (a.context.political_work_first, a.context.step_one_evidence) == (pwf, soe)
    saved = json.loads(a.to_json())  # saved again, it is a file of today's version with today's shape
    assert saved["schema_version"] == ANSWERS_SCHEMA_VERSION == 2
    assert (saved["context"]["political_work_first"], saved["context"]["step_one_evidence"]) == (pwf, soe)
    assert "plan_unsure" not in saved["context"]
    assert parse_answers(a.to_json(), BANK).context == a.context


@pytest.mark.parametrize(
    "old",
    [{"plan_unsure": ["radicalness"]}, {"plan_unsure": "political_work_first"}, {"political_work_first": "true"}],
)
def test_an_old_plan_shape_that_is_wrong_is_refused_by_name(old: dict[str, object]) -> None:
    with pytest.raises(AnswersError, match="context"):
        parse_answers(_version_1(old), BANK)


def test_plan_answers_are_read_cautiously() -> None:
    """yes -> the fact holds, no -> it does not; "not sure" and no answer stay unknown, never "no"."""
    assert [plan_reading(a) for a in (*PLAN_ANSWERS, None)] == [True, False, "not_sure", "unanswered"]
    for answer in ("not_sure", None):
        facts = facts_from(Context(political_work_first=answer, step_one_evidence=answer).model_dump())
        assert facts["political_work_first"] not in (False, True) and facts["step_one_evidence"] not in (False, True)

    def rec(answer: str | None, attached: str | None = "no") -> Recommendation:
        ctx = Context(radicalness="radical", political_work_first=answer, step_one_evidence=attached)
        return assess_profile(Profile(scores=TWO_STEP, context=ctx)).recommendation

    warned = {a: {w.id for w in rec(a).warnings} for a in (*PLAN_ANSWERS, None)}
    assert {a: rec(a).strategy for a in warned} == dict.fromkeys(warned, "two_step")
    assert "political_work_first" in warned["yes"]
    assert not {"political_work_first", "political_work_first_unsure"} & warned["no"]
    for unknown in ("not_sure", None):  # flagged for checking, and two-step work stays in step one as for "no"
        assert "political_work_first_unsure" in warned[unknown] and "political_work_first" not in warned[unknown]
        assert rec(unknown, unknown).current_step == rec("no").current_step == 1
    assert rec("no", "yes").current_step == 2
    # rules brought in once clinicians are attached are step two, not a warning
    both = rec("yes", "yes")
    assert both.current_step == 2 and "political_work_first" not in {w.id for w in both.warnings}
