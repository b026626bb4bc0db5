"""The rules table and its engine: grammar, the table's own checks, its examples and its totality."""

from __future__ import annotations

import copy

import pytest
import yaml
from helpers import TWO_STEP

from assessment import assess_profile, parse_profile
from assessment.errors import BankError
from assessment.rules import DATA_DIR, Inputs, compile_condition, load_rulebook, parse_rulebook
from assessment.rules.proofs import example_failures, proof_failures, totality_gaps
from assessment.rules.table import StrategyRule
from assessment.vocabulary import CUT_POINTS

RAW = yaml.safe_load((DATA_DIR / "rules.yaml").read_text(encoding="utf-8"))
BOOK = load_rulebook()


def rec_for(**context: object):
    profile = parse_profile({"scores": {"professional_resistance": 3.0, "early_adopters": 3.0}, "context": context})
    return assess_profile(profile).recommendation


def test_not_sure_or_skipped_rules_first_prompts_a_check_not_the_full_warning() -> None:
    ids = {w.id for w in rec_for(political_work_first="not_sure").warnings}
    assert "political_work_first_unsure" in ids and "political_work_first" not in ids
    assert "political_work_first_unsure" in {w.id for w in rec_for().warnings}  # skipped is not read as "no"
    assert "political_work_first" in {w.id for w in rec_for(political_work_first="yes").warnings}
    assert not {"political_work_first", "political_work_first_unsure"} & {
        w.id for w in rec_for(political_work_first="no").warnings
    }


def test_not_sure_about_step_one_evidence_keeps_two_step_work_in_step_one() -> None:
    radical = {"radicalness": "radical"}
    unsure = assess_profile(parse_profile({"scores": TWO_STEP, "context": radical | {"step_one_evidence": "not_sure"}}))
    sure = assess_profile(parse_profile({"scores": TWO_STEP, "context": radical | {"step_one_evidence": "yes"}}))
    assert unsure.recommendation.current_step == 1 and sure.recommendation.current_step == 2


@pytest.mark.parametrize("rule", [r for r in BOOK.rules], ids=[r.id for r in BOOK.rules])
def test_every_rule_carries_passing_examples_both_ways(rule) -> None:
    """CertLogic-style: each rule has a profile where it fires and a near miss where it does not."""
    test = compile_condition(rule.when)
    outcomes = {e.fires: test(e.inputs()) is True for e in rule.examples}
    assert set(outcomes) == {True, False}
    for e in rule.examples:
        assert (test(e.inputs()) is True) == e.fires, e.name


def test_the_shipped_table_passes_its_proofs() -> None:
    assert proof_failures(BOOK) == []


def test_a_wrong_example_is_reported_by_name() -> None:
    raw = copy.deepcopy(RAW)
    rule = next(r for r in raw["rules"] if r["id"] == "hold_back_no_allies")
    rule["examples"][0]["fires"] = False
    rule["examples"].append({"name": "another near miss", "fires": True, "scores": {"early_adopters": 4.0}})
    problems = example_failures(parse_rulebook(raw))
    assert any("no early adopters" in p and "not fire" in p for p in problems)
    assert any("another near miss" in p for p in problems)


def test_a_gap_in_the_table_is_found_with_a_witness() -> None:
    raw = copy.deepcopy(RAW)
    raw["rules"] = [r for r in raw["rules"] if r["id"] != "centralized_no_case"]
    gaps = totality_gaps(parse_rulebook(raw))
    assert gaps and "multiplicity=1" in gaps[0]


def test_strategy_rules_compare_only_at_the_shared_cut_points() -> None:
    raw = copy.deepcopy(RAW)
    rule = next(r for r in raw["rules"] if r["id"] == "hold_back_no_allies")
    rule["when"] = {"score": "early_adopters", "op": "<", "value": 3.0}
    with pytest.raises(BankError) as exc:
        parse_rulebook(raw)
    assert any("cut points 2.5, 3.5" in p for p in exc.value.problems)
    for r in BOOK.strategy_rules:
        assert isinstance(r, StrategyRule)
    assert CUT_POINTS == (2.5, 3.5)


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda r: r["rules"][0]["when"]["all"][1].update(score="charisma"), "unknown dimension 'charisma'"),
        (lambda r: r["rules"][0].update(caveats=["nope"]), "unknown caveat 'nope'"),
        (lambda r: r["rules"].append(dict(r["rules"][0])), "unique"),
        (lambda r: r["rules"][0].update(colour="red"), "colour"),
        (lambda r: r["rules"][0].update(examples=[r["rules"][0]["examples"][0]] * 2), "near miss"),
        (lambda r: r["rules"][1]["evidence"].update(cases=[], judgement=None), "judgement"),
        (
            lambda r: r["rules"][5]["when"]["all"].append({"item": "kol_involved_early", "op": ">=", "value": 4}),
            "dimension scores only",
        ),
    ],
)
def test_a_broken_table_is_rejected_with_a_specific_message(mutate, message: str) -> None:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(BankError) as exc:
        parse_rulebook(raw)
    assert any(message in p for p in exc.value.problems), exc.value.problems


def test_kleene_aggregates_decide_where_known_scores_already_decide() -> None:
    from assessment.rules import MaxOfCond, MinOfCond

    high = compile_condition(MaxOfCond(max_of=["multiplicity", "heterogeneity"], op=">=", value=3.5))
    low = compile_condition(MinOfCond(min_of=["multiplicity", "heterogeneity"], op="<", value=2.5))
    env = Inputs(scores={"multiplicity": 4.0, "heterogeneity": None})
    assert high(env) is True  # the highest is at least 4.0 whatever the other
    assert low(env) is None  # the lowest could be below 2.5 or not
    assert low(Inputs(scores={"multiplicity": 2.0, "heterogeneity": None})) is True
    assert high(Inputs(scores={"multiplicity": 2.0, "heterogeneity": None})) is None
