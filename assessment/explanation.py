"""A fired rule's inputs as structured records for people: what the rule looked at (a statement's text, never its
id; a score's or a fact's label), the value given, what the rule looks for and whether it holds.

The results page and the PDF's "Why this recommendation" both lay out these records, so they say the same
words; the item id stays in its own field (`item_id`) for tools, never in the text.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .bank import QuestionBank
from .plain import op_text, value_text
from .results import DrivingInput
from .rules.grammar import FACT_VALUE_WORDS

MET_TEXT = {True: "met", False: "not met", None: "open: depends on a missing answer"}
HEADERS = ("What the rule looked at", "Your value", "Rule needs", "Result")


class ExplanationRow(BaseModel):
    """One input of a fired rule, ready to print."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["score", "item", "fact"]
    item_id: str | None  # for a statement: its id (for tools; never printed)
    statement: str | None  # for a statement: its text as the respondent read it
    label: str  # what the rule looked at, for people
    value: str  # the value given, in words
    needs: str  # what the rule looks for, in words
    met: bool | None  # None: depends on a missing answer
    met_text: str


def _label(i: DrivingInput, bank: QuestionBank, innovation: str) -> tuple[str | None, str]:
    if i.kind == "item" and i.key in bank.item_by_id:
        statement = bank.item_by_id[i.key].render(innovation)
        return statement, f"Statement: {statement}"
    label = i.label
    if i.aggregate and not label.lower().startswith(i.aggregate):
        label = f"{i.aggregate.capitalize()} of: {label}"
    return None, label


def _value(i: DrivingInput, bank: QuestionBank) -> str:
    v = i.value
    if v is None:
        return {
            "score": "insufficient evidence",
            "item": "no rating (unanswered or don't know)",
        }.get(i.kind, "not answered")
    if i.kind == "fact":
        return FACT_VALUE_WORDS.get(v, value_text(v))
    if i.kind == "item" and isinstance(v, int | float) and float(v).is_integer() and i.key in bank.item_by_id:
        anchor = bank.scales[bank.item_by_id[i.key].scale].anchors.get(int(v), "")
        return f"{int(v)} ({anchor})" if anchor else str(int(v))
    return value_text(v)


def _needs(i: DrivingInput) -> str:
    if i.kind == "fact":
        return FACT_VALUE_WORDS.get(i.expected, value_text(i.expected))
    if i.op is None or i.threshold is None:
        return "–"
    return op_text(i.op, i.threshold)


def _any_met(met: list[bool | None]) -> bool | None:
    return True if True in met else (None if None in met else False)


def _one_row_per_fact(inputs: list[DrivingInput]) -> list[list[DrivingInput]]:
    """Group the inputs that read one fact (a rule's `any` of several values of it: a fired rule cannot need one
    fact to be two values at once), in the order each was first read; every other input is a group of one."""
    groups: list[list[DrivingInput]] = []
    by_fact: dict[str, list[DrivingInput]] = {}
    for i in inputs:
        if i.kind == "fact" and i.key in by_fact:
            by_fact[i.key].append(i)
            continue
        groups.append([i])
        if i.kind == "fact":
            by_fact[i.key] = groups[-1]
    return groups


def explanation_rows(inputs: list[DrivingInput], bank: QuestionBank, innovation: str) -> list[ExplanationRow]:
    """The inputs of one fired rule as rows for people, in the rule's order; a fact the rule accepts several
    values of is one row ("no, not sure or not answered"), not one row per value, each but one "not met".
    `innovation`: the innovation's title, as the statements name it."""
    rows = []
    for group in _one_row_per_fact(inputs):
        i = group[0]
        statement, label = _label(i, bank, innovation)
        needs = list(dict.fromkeys(_needs(g) for g in group))
        met = _any_met([g.met for g in group])
        rows.append(
            ExplanationRow(
                kind=i.kind,
                item_id=i.key if statement is not None else None,
                statement=statement,
                label=label,
                value=_value(i, bank),
                needs=needs[0] if len(needs) == 1 else f"{', '.join(needs[:-1])} or {needs[-1]}",
                met=met,
                met_text=MET_TEXT[met],
            )
        )
    return rows
