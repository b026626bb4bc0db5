"""The rules table and its engine: grammar, totality, plan answers, and the table's own checks."""

from __future__ import annotations

import copy

import pytest
import yaml

from assessment import assess_profile, parse_profile
from assessment.errors import BankError
from assessment.rules import DATA_DIR, parse_rulebook

RAW = yaml.safe_load((DATA_DIR / "rules.yaml").read_text(encoding="utf-8"))


def rec_for(**context: object):
    profile = parse_profile({"scores": {"professional_resistance": 3.0, "early_adopters": 3.0}, "context": context})
    return assess_profile(profile).recommendation


def test_not_sure_about_rules_first_prompts_a_check_not_the_full_warning() -> None:
    ids = {w.id for w in rec_for(plan_unsure=["political_work_first"]).warnings}
    assert ids == {"political_work_first_unsure"}
    assert {w.id for w in rec_for(political_work_first=True).warnings} == {"political_work_first"}
    assert not rec_for(political_work_first=False).warnings


def test_not_sure_about_step_one_evidence_keeps_two_step_work_in_step_one() -> None:
    scores = {"multiplicity": 4.5, "heterogeneity": 4.5, "professional_resistance": 3, "early_adopters": 4,
              "learning_infrastructure": 4, "mediating_managers": 4, "top_down_support": 4}
    unsure = assess_profile(parse_profile({"scores": scores, "context": {"plan_unsure": ["step_one_evidence"]}}))
    sure = assess_profile(parse_profile({"scores": scores, "context": {"step_one_evidence": True}}))
    assert unsure.recommendation.current_step == 1 and sure.recommendation.current_step == 2


def test_the_shipped_table_ends_in_a_rule_that_always_holds() -> None:
    book = parse_rulebook(RAW)
    assert book.strategy_rules[-1].id == "centralized_default"
    assert all(r.citation.locator for r in book.rules)


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda r: r["rules"].pop(next(i for i, x in enumerate(r["rules"]) if x["id"] == "centralized_default")),
         "must be {always: true}"),
        (lambda r: r["rules"][0]["when"]["all"][0].update(score="charisma"), "unknown dimension 'charisma'"),
        (lambda r: r["rules"][0].update(caveats=["nope"]), "unknown caveat 'nope'"),
        (lambda r: r["rules"].append(dict(r["rules"][0])), "unique"),
        (lambda r: r["rules"][0].update(colour="red"), "unknown key 'colour'"),
    ],
)
def test_a_broken_table_is_rejected_with_a_specific_message(mutate, message: str) -> None:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(BankError) as exc:
        parse_rulebook(raw)
    assert any(message in p for p in exc.value.problems), exc.value.problems
