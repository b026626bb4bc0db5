"""Issue 20, finding 11: the double-barrelled statements ask one thing each, and the stretched citations point at
passages that say what the statement needs."""

from __future__ import annotations

import pytest

from assessment import default_bank

BANK = default_bank()


@pytest.mark.parametrize(
    "item_id,second_barrel",
    [
        ("pa_risks_shared", "rewards"),
        ("sv_financial_measures", "baseline"),
        ("sv_quality_measures", "baseline"),
        ("fl_lone_champion", "backing"),
        ("tds_project_support", "IT and"),
    ],
)
def test_a_statement_asks_one_thing(item_id: str, second_barrel: str) -> None:
    assert second_barrel not in BANK.item_by_id[item_id].text


@pytest.mark.parametrize(
    "item_id,stretched",
    [
        ("ea_reluctant_to_pilot", "L2829-2833"),  # the mainstream consultants, not the most interested
        ("li_leadership_development", "L245"),  # political socialisation, not leadership development
    ],
)
def test_citations_are_not_stretched(item_id: str, stretched: str) -> None:
    assert stretched not in BANK.item_by_id[item_id].citation.locator


def test_no_statement_asks_for_protection_and_no_money_at_once() -> None:
    for item in BANK.items_by_dimension["top_down_support"]:
        assert not ("protect" in item.text and "money" in item.text), item.id
