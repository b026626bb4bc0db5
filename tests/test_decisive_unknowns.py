"""Issue 20, findings 4 and 8: a missing answer is never asserted, and every unknown that could change the
result, alone or together with other unknowns, is named (checked against brute force)."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine import Profile, assess_profile
from assessment.rules import Inputs, load_rulebook
from assessment.rules.grammar import FACTS
from assessment.rules.outcome import decide, decisive, search_outcomes, unknown_dimensions

BOOK = load_rulebook()
DIMS = BOOK.decision_dimensions


def _values(key: str) -> tuple[object, ...]:
    return FACTS[key] if key in FACTS else BOOK.band_points[key]


def _strategy(env: Inputs, assignment: dict[str, object]) -> str:
    scores = {**env.scores, **{k: v for k, v in assignment.items() if k not in FACTS}}
    facts = {**env.facts, **{k: v for k, v in assignment.items() if k in FACTS}}
    (only,) = search_outcomes(BOOK, Inputs(scores=scores, facts=facts))
    return only


def brute_force_decisive(env: Inputs) -> set[str]:
    """Unknowns on which the strategy of some full completion depends (changing that one answer changes it)."""
    unknown = unknown_dimensions(BOOK, env)
    table = {
        combo: _strategy(env, dict(zip(unknown, combo, strict=True)))
        for combo in product(*(_values(k) for k in unknown))
    }
    found = set()
    for combo, got in table.items():
        for i, key in enumerate(unknown):
            for v in _values(key):
                other = combo[:i] + (v,) + combo[i + 1 :]
                if table[other] != got:
                    found.add(key)
    return found


@st.composite
def partial_profiles(draw: st.DrawFn) -> Inputs:
    unknown = draw(st.sets(st.sampled_from(DIMS), max_size=5))
    scores = {d: None if d in unknown else draw(st.sampled_from(BOOK.band_points[d])) for d in DIMS}
    facts = {
        "radicalness": draw(st.sampled_from([None, "radical", "incremental"])),
        "political_work_first": False,
        "step_one_evidence": False,
        "answer_pattern": "varied",
    }
    return Inputs(scores=scores, facts=facts)


@settings(max_examples=300, deadline=None)
@given(env=partial_profiles())
def test_decisive_unknowns_are_exactly_those_brute_force_finds(env: Inputs) -> None:
    listed = {key for key, _ in decisive(BOOK, env)}
    assert listed == brute_force_decisive(env)


def test_jointly_decisive_unknowns_are_listed() -> None:
    """Heterogeneity and ambiguity decide holding back only together (issue 20, finding 8)."""
    rec = assess_profile(
        Profile.model_validate(
            {
                "scores": {
                    "professional_resistance": 4.34,
                    "multiplicity": 1.5,
                    "early_adopters": 4.0,
                    "learning_infrastructure": 4.0,
                    "mediating_managers": 4.0,
                },
                "context": {"radicalness": "radical"},
            }
        )
    ).recommendation
    assert {"top_down_support", "heterogeneity", "ambiguity"} <= set(rec.decisive_unknowns)


def test_a_radicalness_nobody_gave_is_never_asserted_and_is_tried_both_ways() -> None:
    scores = {
        "professional_resistance": 2.0,
        "multiplicity": 4.0,
        "heterogeneity": 4.0,
        "ambiguity": 3.0,
        "early_adopters": 4.0,
        "learning_infrastructure": 4.0,
        "mediating_managers": 4.0,
        "top_down_support": 4.0,
    }
    rec = assess_profile(Profile.model_validate({"scores": scores, "context": {}})).recommendation
    assert "incremental" not in rec.reason.lower()
    assert rec.strategy == "centralized_project"  # incremental would give it; radical would give two-step
    assert "radicalness" in rec.decisive_unknowns
    (detail,) = [d for d in rec.decisive_unknown_details if d.dimension == "radicalness"]
    assert detail.kind == "fact" and "radicalness" not in detail.label.split()[0]
    assert "“radical” would give two-step institutional work" in detail.description
    given = assess_profile(
        Profile.model_validate({"scores": scores, "context": {"radicalness": "radical"}})
    ).recommendation
    assert given.strategy == "two_step" and "radicalness" not in given.unknown_dimensions


def test_an_unknown_radicalness_is_unknown_to_the_decision() -> None:
    env = Inputs(scores={d: 3.0 for d in DIMS}, facts={"radicalness": None})
    assert "radicalness" in decide(BOOK, env).unknown


def test_a_better_answer_that_leaves_holding_back_open_says_why() -> None:
    """Finding 8: raising early adopters out of "low" leaves holding back possible but no longer certain; the
    result says why there is no strategy and names what decides it."""
    scores = {"early_adopters": 2.0, "professional_resistance": 2.0, "multiplicity": 3.0, "mediating_managers": 3.0}
    ctx = {"radicalness": "incremental", "political_work_first": "no", "step_one_evidence": "no"}
    before = assess_profile(Profile.model_validate({"scores": scores, "context": ctx})).recommendation
    after = assess_profile(
        Profile.model_validate({"scores": scores | {"early_adopters": 3.0}, "context": ctx})
    ).recommendation
    assert before.strategy == "hold_back"
    assert after.strategy == "insufficient_evidence"
    assert "top_down_support" in after.decisive_unknowns
    assert "top-down directional support" in after.reason
    assert "Holding back is one of these, so no bolder strategy can be given" in after.reason
