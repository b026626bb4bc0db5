"""The question bank loads, and each kind of malformed bank is rejected with a message naming the problem."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml

from assessment.bank import DEFAULT_BANK_PATH, MAX_CORE_PER_DIMENSION, load_bank, parse_bank
from assessment.errors import BankError
from assessment.rules import load_rulebook
from assessment.scoring import score_dimensions
from assessment.vocabulary import AFFORDANCES, CONDITIONS, DIMENSION_IDS, INGREDIENTS

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
    assert all(1 <= core[d] <= MAX_CORE_PER_DIMENSION <= 3 for d in DIMENSION_IDS)
    scored_core = Counter(i.dimension for i in bank.items if i.core and not i.step_two_signal)
    assert all(scored_core[d] >= 1 for d in DIMENSION_IDS)


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


# ----- the quick scan (core items) ----------------------------------------------------------------

# The dimensions the strategy rules read: the affordances, the conditions and top-down support (issue 10).
RULE_DIMENSIONS = (*AFFORDANCES, *CONDITIONS, "top_down_support")
SECONDS_PER_ITEM = 10  # about 10 s an item
PLAN_QUESTIONS = 2  # political work first? step-one evidence?


def test_quick_scan_takes_at_most_five_minutes() -> None:
    quick = load_bank().items_for("quick")
    assert len(quick) <= 30  # issue 20: room for two scored core items in every dimension the rules read
    assert (len(quick) + PLAN_QUESTIONS) * SECONDS_PER_ITEM <= 5.5 * 60  # about five minutes


def test_quick_scan_has_reverse_worded_core_items_spread_over_the_rule_dimensions() -> None:
    reverse_core = [i for i in load_bank().items_for("quick") if i.reverse and i.dimension in RULE_DIMENSIONS]
    assert len(reverse_core) >= 4
    assert len({i.dimension for i in reverse_core}) >= 4  # spread, not four in one dimension


def test_agreeing_with_everything_in_a_quick_scan_does_not_max_out_the_rule_dimensions() -> None:
    """A straight-liner who answers "strongly agree" throughout gets the best possible score on no more
    than half of the rule dimensions: the reverse-worded core items pull the others down."""
    bank = load_bank()
    quick = bank.items_for("quick")
    scores = score_dimensions(bank, {i.id: 5 for i in quick}, quick)
    favourable = [d for d in RULE_DIMENSIONS if bank.dimension_by_id[d].higher_is == "better"]
    below_top = [d for d in favourable if scores[d].mean is not None and scores[d].mean < 5.0]
    assert len(below_top) >= 4, below_top


def test_items_read_by_item_based_warnings_are_asked_in_a_quick_scan() -> None:
    bank = load_bank()
    for item_id in (
        "fl_clinicians_change_content",
        "ce_framed_as_clinician_led",
        "ea_beyond_volunteers",
        "mm_carry_objections",
        "ce_change_load",
        "mm_protected_time",
    ):
        assert bank.item_by_id[item_id].core, item_id


# ----- step-two signals ---------------------------------------------------------------------------


def test_rollout_funding_is_a_step_two_signal_and_step_one_support_is_core() -> None:
    bank = load_bank()
    assert bank.item_by_id["tds_rollout_funding"].step_two_signal
    protects = bank.item_by_id["tds_protects_time"]
    assert protects.core and not protects.step_two_signal and protects.dimension == "top_down_support"


def test_step_two_signal_items_are_not_averaged_into_their_dimension() -> None:
    bank = load_bank()
    tds = bank.items_by_dimension["top_down_support"]
    signals = [i for i in tds if i.step_two_signal]
    scored = [i for i in tds if not i.step_two_signal]
    assert signals and scored
    ratings: dict[str, int | str] = {i.id: (4 if i.reverse else 2) for i in scored}  # every scored item counts 2
    ratings |= {i.id: 5 for i in signals}
    s = score_dimensions(bank, ratings)["top_down_support"]
    assert s.mean == 2.0 and s.answered == len(scored) and s.asked == len(scored)
    # a "don't know" on the signal is not counted against the dimension either
    s = score_dimensions(bank, ratings | {i.id: "dont_know" for i in signals})["top_down_support"]
    assert s.mean == 2.0 and s.dont_know == 0
    # only the signal answered: the dimension has no score at all, in the full bank or the quick scan
    for asked in (bank.items_for("full"), bank.items_for("quick")):
        s = score_dimensions(bank, {i.id: 5 for i in signals}, asked)["top_down_support"]
        assert s.mean is None and not s.sufficient


def test_a_dimension_whose_only_core_item_is_a_signal_is_rejected() -> None:
    def only_signal_core(r: dict) -> None:
        for i in r["items"]:
            if i["dimension"] == "top_down_support":
                i["core"] = i["id"] == "tds_rollout_funding"

    assert any("'top_down_support' has no scored core item" in p for p in problems_of(broken(only_signal_core)))


def test_more_core_items_than_the_limit_are_rejected() -> None:
    def all_core(r: dict) -> None:
        for i in r["items"]:
            if i["dimension"] == "partnerships":
                i["core"] = True

    n = sum(1 for i in RAW["items"] if i["dimension"] == "partnerships")
    assert n > MAX_CORE_PER_DIMENSION
    assert any(f"'partnerships' has {n} core items" in p for p in problems_of(broken(all_core)))
