"""The question bank loads, and each kind of malformed bank is rejected with a message naming the problem."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml

from assessment.bank import DEFAULT_BANK_PATH, load_bank, parse_bank
from assessment.errors import BankError
from assessment.rules import load_rulebook
from assessment.vocabulary import CONDITIONS, DIMENSION_IDS, INGREDIENTS

RAW = yaml.safe_load(DEFAULT_BANK_PATH.read_text(encoding="utf-8"))


def broken(mutate) -> dict:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


def problems_of(raw: object) -> list[str]:
    with pytest.raises(BankError) as exc:
        parse_bank(raw)
    return exc.value.problems


def test_shipped_bank_is_valid_and_within_limits() -> None:
    bank = load_bank()
    assert 55 <= len(bank.items) <= 75
    per_dim = Counter(i.dimension for i in bank.items)
    assert set(per_dim) == set(DIMENSION_IDS)
    assert all(3 <= n <= 6 for n in per_dim.values())
    core = Counter(i.dimension for i in bank.items if i.core)
    assert all(1 <= core[d] <= 2 for d in DIMENSION_IDS)


def test_every_ingredient_and_condition_has_cited_items() -> None:
    bank = load_bank()
    for dim in INGREDIENTS + CONDITIONS:
        items = bank.items_by_dimension[dim]
        assert items and all(i.citation.locator.strip() for i in items), dim


def test_items_name_the_innovation_through_the_placeholder() -> None:
    bank = load_bank()
    with_placeholder = [i for i in bank.items if "{innovation}" in i.text]
    assert len(with_placeholder) >= 0.8 * len(bank.items)
    item = with_placeholder[0]
    assert "Frailty pathway" in item.render("Frailty pathway")
    assert "{innovation}" not in item.render("")


def test_rules_refer_only_to_items_in_the_bank() -> None:
    assert load_rulebook().check_items(load_bank()) == []


def test_unknown_key_is_named_with_the_item() -> None:
    raw = broken(lambda r: r["items"][3].update(colour="red"))
    item_id = RAW["items"][3]["id"]
    assert any(item_id in p and "unknown key 'colour'" in p for p in problems_of(raw))


def test_duplicate_item_id_is_rejected() -> None:
    def dup(r: dict) -> None:
        r["items"][1]["id"] = r["items"][0]["id"]

    assert any("used 2 times" in p and RAW["items"][0]["id"] in p for p in problems_of(broken(dup)))


def test_unknown_dimension_is_rejected() -> None:
    raw = broken(lambda r: r["items"][0].update(dimension="charisma"))
    assert any("unknown dimension 'charisma'" in p and RAW["items"][0]["id"] in p for p in problems_of(raw))


def test_dimension_with_too_few_items_is_rejected() -> None:
    def thin(r: dict) -> None:
        r["items"] = [i for i in r["items"] if i["dimension"] != "partnerships"] + [
            i for i in r["items"] if i["dimension"] == "partnerships"
        ][:2]

    assert any("'partnerships' has 2 items" in p for p in problems_of(broken(thin)))


def test_missing_citation_is_rejected() -> None:
    raw = broken(lambda r: r["items"][5].pop("citation"))
    assert any(RAW["items"][5]["id"] in p and "missing required key 'citation'" in p for p in problems_of(raw))


def test_unknown_source_in_citation_is_rejected() -> None:
    raw = broken(lambda r: r["items"][2].update(citation={"source": "Wikipedia", "locator": "p1"}))
    assert any("unknown source 'Wikipedia'" in p for p in problems_of(raw))


def test_stray_braces_in_text_are_rejected() -> None:
    raw = broken(lambda r: r["items"][0].update(text="Does {organisation} support {innovation} well enough?"))
    assert any("placeholder" in p for p in problems_of(raw))


def test_non_mapping_bank_is_rejected() -> None:
    with pytest.raises(BankError, match="YAML mapping"):
        parse_bank(["not", "a", "bank"])


def test_malformed_yaml_gives_line_number(tmp_path: Path) -> None:
    p = tmp_path / "q.yaml"
    p.write_text("schema_version: 1\nitems: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"not valid YAML at line \d+"):
        load_bank(p)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="not found"):
        load_bank(tmp_path / "nope.yaml")
