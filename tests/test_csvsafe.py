"""CSV injection in every spreadsheet locale: after writing a CSV and splitting it again on `,`, on `;` (Italian,
German, French list separators) or on tabs, with or without honouring the writer's quotes, no field starts a
formula. Hypothesis draws hostile text; the app's writers (responses, validation study, results) go through
`assessment.csvsafe`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessment import default_bank, load_answers
from assessment.csvsafe import frame_to_csv, is_safe, safe_cell
from assessment.engine import assess
from assessment.export import comparison_csv, results_csv
from assessment.workshop import Responses, responses_csv

BANK = default_bank()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# the characters that matter (formula starters, separators, quotes, white space) and some ordinary text
HOSTILE_ALPHABET = "=+-@\t\r\n,;\"' |!AZaz09éЖ中😀\u00a0"
hostile_text = st.text(alphabet=HOSTILE_ALPHABET, max_size=40) | st.sampled_from(
    [
        "fine;=cmd|' /C calc'!A0",
        '=HYPERLINK("http://x","click")',
        "ok, -2+3+cmd|' /C calc'!A0",
        "a\t@SUM(A1)",
        'x;"=1+2";y',
        "line one\n+line two",
        "\r=cr",
        "; ;  =spaced",
    ]
)


def fields(text: str) -> list[str]:
    """Every field a spreadsheet could make of `text`: split on `,`, `;` and tab, honouring quotes (a CSV reader
    with that delimiter) and ignoring them (a plain split of each line)."""
    out: list[str] = []
    for delimiter in (",", ";", "\t"):
        out += [f for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for f in row]
        out += [f for line in text.replace("\r", "\n").split("\n") for f in line.split(delimiter)]
    return out


def starts_formula(field: str) -> bool:
    return field.startswith(FORMULA) or field.lstrip(' "\u00a0').startswith(FORMULA[:4])


def assert_no_formula(text: str) -> None:
    bad = [f for f in fields(text) if starts_formula(f)]
    assert not bad, bad[:5]


# ----- the rule itself -----


def test_the_reported_comment_is_neutralised_in_a_semicolon_split() -> None:
    cell = "fine;=cmd|' /C calc'!A0"
    assert safe_cell(cell) == "fine;'=cmd|' /C calc'!A0"
    text = frame_to_csv(pd.DataFrame({"comment": [cell], "n": [1]}))
    assert_no_formula(text)
    back = next(csv.reader(io.StringIO(text.splitlines()[1]), delimiter=";"))
    assert back == ["fine", "'=cmd|' /C calc'!A0,1"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+ICU", "'+ICU"),
        ("-5 beds", "'-5 beds"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=x", "' =x"),  # a line break is written as a space
        (' "=x"', '\' "=x"'),
        ("a,=b", "a,'=b"),
        ("a;b\t+c", "a;b\t'+c"),
        ("up\n-down", "up -down"),  # no longer the start of a row or a cell
        ("Ward 5; ICU, A&E", "Ward 5; ICU, A&E"),  # nothing to do: exactly as typed
        ("e-mail me @ 9", "e-mail me @ 9"),
        ("", ""),
    ],
)
def test_dangerous_parts_get_a_quote_and_everything_else_is_kept(typed: str, written: str) -> None:
    assert safe_cell(typed) == written
    assert is_safe(written)


def test_numbers_and_missing_values_are_not_text_and_stay_as_they_are() -> None:
    assert safe_cell(-3) == -3 and safe_cell(-0.5) == -0.5 and safe_cell(None) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=6), hostile_text)
def test_no_field_starts_a_formula_in_any_split(rows: list[tuple[str, str]], header: str) -> None:
    frame = pd.DataFrame(rows, columns=["comment", "department"])
    frame[header or "h"] = [str(i) for i in range(len(frame))]
    frame["value"] = list(range(1, len(frame) + 1))
    text = frame_to_csv(frame)
    assert_no_formula(text)
    # read back with the comma the file was written with: each cell is the safe text, nothing else changed
    back = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [r[0] for r in back] == [safe_cell(c) for c, _ in rows]
    for typed, read in zip([d for _, d in rows], [r[1] for r in back], strict=True):
        assert read == typed if is_safe(typed) else read == safe_cell(typed)


@given(st.text(max_size=60))
def test_safe_cell_is_idempotent_and_only_inserts_quotes(text: str) -> None:
    once = safe_cell(text)
    assert safe_cell(once) == once
    assert once.replace("'", "") == re.sub(r"\r\n|[\r\n]", " ", text).replace("'", "")
    assert "\r" not in once and "\n" not in once


# ----- the app's writers -----


def _answer_sets(comment: str, department: str) -> list:
    sets = []
    for k, role in enumerate(("nurse", "doctor", "nurse", "doctor")):
        a = load_answers(EXAMPLES / "riverside_two_step.json", BANK)
        a.context = a.context.model_copy(update={"respondent_role": role, "department": department})
        for n, item in enumerate(a.answers.values()):
            item.comment = comment if (n + k) % 3 == 0 else ""
        sets.append(a)
    return sets


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text, hostile_text)
@example(comment="\r", department="")  # a lone carriage return (found by Hypothesis)
@example(comment='";', department="")  # a quote then a separator: with CRLF line ends a stray field began with CR
@example(comment="", department=';"\t')  # quotes then a tab after a separator
def test_the_workshop_responses_csv_is_safe_in_every_split(comment: str, department: str) -> None:
    responses = Responses.from_answer_sets(_answer_sets(comment, department), BANK, participant_ids=[1, 2, 3, 4])
    text = responses_csv(responses, BANK, min_group=2)
    assert len(text.splitlines()) > 1
    assert_no_formula(text)


def test_the_single_respondent_csvs_are_safe_in_every_split() -> None:
    a = load_answers(EXAMPLES / "riverside_two_step.json", BANK)
    b = load_answers(EXAMPLES / "northmoor_hold_back.json", BANK)
    result, earlier = assess(a, BANK), assess(b, BANK)
    for data in (results_csv(result), comparison_csv(result, earlier)):
        text = data.decode("utf-8-sig")
        numbers = {f for f in fields(text) if _is_number(f)}  # a negative change is a number, not a formula
        assert not [f for f in fields(text) if f not in numbers and starts_formula(f)]


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True
