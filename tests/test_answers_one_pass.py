"""Reading an answers file in one pass (issue 22, finding 11): a usual file goes straight from bytes into the
models (`parse_one_pass`), and the result is the careful path's (`parse_answers` on text, which reads the JSON
strictly first); a key given twice in any object, however spaced, still gets the careful path's one-line
refusal, never the last value silently."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import AnswerSet, ItemAnswer, default_bank, parse_answers
from assessment.answers import parse_one_pass
from assessment.errors import AnswersError

BANK = default_bank()
ITEMS = [i.id for i in BANK.items]
TRICKY = ['He said "no": fine', "a : b", 'ends with a quote"', "back\\slash\\", "C:\\temp\\x", "tab\there", 'x":']

comments = st.one_of(st.sampled_from(["", *TRICKY]), st.text(max_size=40))
answers = st.dictionaries(
    st.sampled_from(ITEMS),
    st.builds(ItemAnswer, value=st.one_of(st.none(), st.integers(1, 5), st.just("dont_know")), comment=comments),
    max_size=12,
)


def answer_set(items: dict[str, ItemAnswer], title: str = "Ward round app") -> AnswerSet:
    return AnswerSet(bank_version=BANK.bank_version, context={"innovation_title": title}, answers=items)


@settings(max_examples=150, deadline=None)
@given(items=answers, title=comments, indent=st.sampled_from([None, 2]), saved=st.booleans())
def test_one_pass_gives_what_the_careful_path_gives(
    items: dict[str, ItemAnswer], title: str, indent: int | None, saved: bool
) -> None:
    original = answer_set(items, title)
    text = original.to_json() if saved else original.model_dump_json(indent=indent)
    assert parse_answers(text.encode(), BANK) == parse_answers(text, BANK)  # bytes: one pass; text: careful


def test_a_usual_file_takes_the_one_pass() -> None:
    comment = 'Checked with the ward: fine, see "plan B" (C:\\notes)'
    original = answer_set({ITEMS[0]: ItemAnswer(value=3, comment=comment), ITEMS[1]: ItemAnswer(value="dont_know")})
    for text in (original.model_dump_json(), original.to_json(), json.dumps(original.model_dump(mode="json"))):
        assert parse_one_pass(text.encode()) is not None


DUPLICATES = [  # BANK and ITEM stand for the bank's version and an item id
    '{"schema_version": 2, "bank_version": "BANK", "bank_version": "BANK"}',
    '{"schema_version": 2, "bank_version": "BANK", "context": {"stage": "adoption" , "stage": "ideation"}}',
    '{"schema_version": 2, "bank_version": "BANK", "answers": {"ITEM": {"value": 1}, "ITEM"\n  :  {"value": 5}}}',
    '{"schema_version": 2, "bank_version": "BANK", "answers": {"ITEM": {"value": 1,"value"\t: 5}}}',
    '{"schema_version": 2, "schema_version"\r\n:2, "bank_version": "BANK"}',
    # a version 1 file's list of plan answers, its key written with an escape: the migration removes that key and
    # adds two, which must not balance out a key given twice elsewhere (found in review)
    '{"schema_version": 2, "bank_version": "BANK", "context": {"plan_\\u0075nsure": '
    '["political_work_first", "step_one_evidence"]}, "answers": {"ITEM": {"value": 1, "value": 5}}}',
]


@pytest.mark.parametrize("template", DUPLICATES)
def test_a_key_given_twice_is_refused_not_read_as_its_last_value(template: str) -> None:
    data = template.replace("BANK", BANK.bank_version).replace("ITEM", ITEMS[0]).encode()
    json.loads(data)  # valid JSON, apart from the duplicate
    assert parse_one_pass(data) is None
    with pytest.raises(AnswersError, match="twice in one object"):
        parse_answers(data, BANK)


def test_what_only_the_careful_path_accepts_or_explains_is_left_to_it() -> None:
    no_version = json.dumps({"bank_version": BANK.bank_version}).encode()
    assert parse_one_pass(no_version) is None
    with pytest.raises(AnswersError, match="no schema version"):
        parse_answers(no_version, BANK)
    truth = json.dumps({"schema_version": True, "bank_version": BANK.bank_version}).encode()
    assert parse_one_pass(truth) is None
    with pytest.raises(AnswersError, match="schema version True"):
        parse_answers(truth, BANK)
    version_one = {"schema_version": 1, "bank_version": BANK.bank_version, "context": {"plan_unsure": []}}
    assert parse_one_pass(json.dumps(version_one).encode()) is None
    assert parse_answers(json.dumps(version_one).encode(), BANK).schema_version == 2


def render(value: object, space: str) -> str:
    """JSON text of a value whose objects are lists of (key, value) pairs (so a key may repeat), with `space`
    around every colon and comma."""
    if isinstance(value, list) and all(isinstance(p, tuple) for p in value):
        body = f"{space},{space}".join(f"{json.dumps(k)}{space}:{space}{render(v, space)}" for k, v in value)
        return "{" + space + body + space + "}"
    return json.dumps(value)


def pairs(value: object) -> object:
    """A parsed JSON value with its objects as lists of pairs."""
    if isinstance(value, dict):
        return [(k, pairs(v)) for k, v in value.items()]
    return value


def objects(value: object) -> list[list[tuple[str, object]]]:
    found: list[list[tuple[str, object]]] = []
    if isinstance(value, list) and all(isinstance(p, tuple) for p in value):
        found.append(value)  # type: ignore[arg-type]
        for _k, v in value:
            found += objects(v)
    return found


@settings(max_examples=150, deadline=None)
@given(items=answers, space=st.sampled_from(["", " ", "\n  ", "\t", "\r\n"]), data=st.data())
def test_a_key_repeated_in_any_object_with_any_spacing_never_takes_the_one_pass(
    items: dict[str, ItemAnswer], space: str, data: st.DataObject
) -> None:
    tree = pairs(json.loads(answer_set(items).model_dump_json()))
    plain = render(tree, space)  # the same file without a repeated key reads the same either way
    assert parse_answers(plain.encode(), BANK) == parse_answers(plain, BANK)
    target = data.draw(st.sampled_from([o for o in objects(tree) if o]))
    key, value = data.draw(st.sampled_from(target))
    target.insert(data.draw(st.integers(0, len(target))), (key, value))
    text = render(tree, space).encode()
    assert parse_one_pass(text) is None
    with pytest.raises(AnswersError, match="twice in one object"):
        parse_answers(text, BANK)


@settings(max_examples=150, deadline=None)
@given(items=answers, data=st.data())
def test_answers_missing_a_key_never_hide_a_key_given_twice_elsewhere(
    items: dict[str, ItemAnswer], data: st.DataObject
) -> None:
    """An answer is a dataclass, which keeps no record of the keys it was given: the one pass counts the defaults
    it made instead. A file written by hand may leave out "value" or "comment" in some answers (each a default, a
    key fewer); a key given twice elsewhere must still not balance them out."""
    tree = pairs(json.loads(answer_set(items).model_dump_json()))
    answers_object = dict(tree)["answers"]  # type: ignore[call-overload]
    for _item, answer in answers_object:
        if data.draw(st.booleans()):
            del answer[data.draw(st.integers(0, len(answer) - 1))]
    text = render(tree, "")
    assert parse_answers(text.encode(), BANK) == parse_answers(text, BANK)  # left-out keys read the same
    target = data.draw(st.sampled_from([o for o in objects(tree) if o]))
    target.append(data.draw(st.sampled_from(target)))
    twice = render(tree, "").encode()
    assert parse_one_pass(twice) is None
    with pytest.raises(AnswersError, match="twice in one object"):
        parse_answers(twice, BANK)
