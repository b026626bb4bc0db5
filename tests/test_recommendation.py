"""The methodologist's findings on the recommendation (issue 10), each as a test, and the invariants that
hold the engine to the principle "a missing answer never makes the advice bolder" (Hypothesis)."""

from __future__ import annotations

from helpers import TWO_STEP
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import assess_profile, parse_profile
from assessment.bank import Item
from assessment.plain import score_text
from assessment.rules import Inputs, load_rulebook, possible_strategies
from assessment.rules.outcome import decide, outcome_of
from assessment.vocabulary import CAUTION, DIMENSION_IDS, INGREDIENTS, STRATEGIES

BOOK = load_rulebook()
DECISION = BOOK.decision_dimensions
ALL_HIGH = {d: 5.0 for d in DIMENSION_IDS}


def rec(scores: dict[str, float], **context: object):
    ctx = {"radicalness": "radical", "political_work_first": False, "step_one_evidence": False, **context}
    return assess_profile(parse_profile({"scores": scores, "context": ctx})).recommendation


# ----- 1. missing answers make the result more cautious, never less -------------------------------------------


def test_no_scores_at_all_gives_insufficient_evidence_and_asserts_nothing() -> None:
    r = rec({})
    assert r.strategy == "insufficient_evidence" and r.rule_id is None
    assert "not strong" not in r.reason and "resistance is" not in r.reason.lower()
    assert r.decisive_unknowns[0] == "early_adopters"  # what to answer first
    assert r.confidence.level == "none" and not r.caveats


def test_an_unknown_early_adopters_score_decides_and_says_how() -> None:
    r = rec({k: v for k, v in TWO_STEP.items() if k != "early_adopters"})
    assert r.strategy == "insufficient_evidence"
    assert r.decisive_unknowns == ["early_adopters"]
    detail = r.decisive_unknown_details[0]
    assert [a.outcome for a in detail.bands] == ["hold_back", "centralized_project", "two_step"]
    assert detail.description.startswith("Early adopters: 3.5 or higher would give two-step institutional work")


def test_an_unknown_resistance_gives_the_cautious_strategy_and_names_it() -> None:
    r = rec({k: v for k, v in TWO_STEP.items() if k != "professional_resistance"})
    assert r.strategy == "centralized_project" and not r.determined
    assert r.possible_strategies == ["centralized_project", "two_step"]
    assert r.decisive_unknowns == ["professional_resistance"]
    assert r.confidence.level == "low"
    assert "resistance is not high" not in r.reason


def test_unknowns_that_cannot_change_the_result_do_not_block_it() -> None:
    r = rec({"early_adopters": 1.0})  # nothing else known: no allies decides it whatever the rest
    assert r.strategy == "hold_back" and r.determined and r.rule_id == "hold_back_no_allies"
    assert r.decisive_unknowns == []


band_value = st.sampled_from([1.0, 2.0, 2.49, 2.5, 3.0, 3.49, 3.5, 4.0, 5.0])
profile = st.fixed_dictionaries({d: st.one_of(st.none(), band_value) for d in DECISION})
facts = st.fixed_dictionaries({"radicalness": st.sampled_from(["radical", "incremental"])})


def _env(scores: dict, f: dict) -> Inputs:
    return Inputs(scores=scores, facts=f)


@settings(max_examples=400, deadline=None)
@given(scores=profile, f=facts)
def test_a_given_strategy_is_never_bolder_than_any_completion_of_the_unknowns(scores: dict, f: dict) -> None:
    got = decide(BOOK, _env(scores, f)).outcome
    if got == "insufficient_evidence":
        return
    unknown = [d for d, v in scores.items() if v is None]
    # every completion, band by band (exhaustive over the unknowns' bands)
    completions = [{}]
    for d in unknown:
        completions = [c | {d: p} for c in completions for p in BOOK.band_points[d]]
    for c in completions:
        full = decide(BOOK, _env(scores | c, f)).outcome
        assert CAUTION[got] <= CAUTION[full], (scores, c, got, full)


@settings(max_examples=400, deadline=None)
@given(scores=profile, f=facts, dim=st.sampled_from(DECISION))
def test_forgetting_an_answer_never_makes_the_advice_bolder(scores: dict, f: dict, dim: str) -> None:
    """Replacing a known score by 'unknown' gives the same, a more cautious, or no strategy."""
    if scores[dim] is None:
        return
    known = decide(BOOK, _env(scores, f)).outcome
    forgotten = decide(BOOK, _env(scores | {dim: None}, f)).outcome
    if forgotten != "insufficient_evidence" and known != "insufficient_evidence":
        assert CAUTION[forgotten] <= CAUTION[known]


full_profile = st.fixed_dictionaries({d: st.floats(1.0, 5.0).map(lambda x: round(x, 2)) for d in DECISION})


@settings(max_examples=400, deadline=None)
@given(scores=full_profile, f=facts, dim=st.sampled_from(DECISION), up=st.booleans())
def test_a_change_of_0_01_moves_the_strategy_at_most_one_step(scores: dict, f: dict, dim: str, up: bool) -> None:
    moved = round(min(5.0, max(1.0, scores[dim] + (0.01 if up else -0.01))), 2)
    a = decide(BOOK, _env(scores, f)).outcome
    b = decide(BOOK, _env(scores | {dim: moved}, f)).outcome
    assert abs(CAUTION[a] - CAUTION[b]) <= 1


# ----- 2. resistance is in the two-step gate; contradictory answers are named -------------------------------


def test_all_fifteen_scores_at_5_is_not_two_step_and_is_questioned() -> None:
    r = rec(ALL_HIGH)
    assert r.strategy == "centralized_project"
    assert {"contradictory_answers", "uniform_scores"} <= {w.id for w in r.warnings}
    assert r.confidence.level == "low"


def test_high_resistance_never_jumps_from_hold_back_to_two_step_on_executive_support() -> None:
    base = TWO_STEP | {"professional_resistance": 5.0}
    assert rec(base | {"top_down_support": 2.49}).strategy == "hold_back"
    assert rec(base | {"top_down_support": 2.5}).strategy == "centralized_project"
    assert rec(base | {"top_down_support": 5.0}).strategy == "centralized_project"


def test_opinion_leaders_without_early_adopters_is_named_as_contradictory() -> None:
    r = rec({"early_kol_involvement": 4.5, "early_adopters": 1.5})
    assert "contradictory_answers" in {w.id for w in r.warnings}


# ----- 3, 4. honest evidence counts; incremental never beats "no allies" -----------------------------------


def test_evidence_counts_name_only_the_cases_that_did_what_the_rule_says() -> None:
    incremental = BOOK.rule("centralized_for_incremental")
    assert incremental.evidence.cases == [] and incremental.evidence.judgement
    allies = BOOK.rule("hold_back_no_allies")
    assert allies.evidence.cases == ["Winter", "Tailor", "Woody", "Black"]
    assert allies.evidence.contrast == ["Raffi", "Dragan"] and allies.evidence.judgement
    for r in BOOK.rules:
        assert r.evidence.cases or r.evidence.judgement, r.id


def test_incremental_does_not_override_no_allies() -> None:
    r = rec(
        {"professional_resistance": 5, "early_adopters": 1, "top_down_support": 4, "mediating_managers": 4},
        radicalness="incremental",
    )
    assert r.strategy == "hold_back" and r.rule_id == "hold_back_no_allies"
    assert r.confidence.level != "high"


# ----- 6. the two-step gate measures what step one needs ----------------------------------------------------


def test_two_step_needs_executive_protection_and_supportive_managers_not_a_budget() -> None:
    assert rec(TWO_STEP).strategy == "two_step"
    assert rec(TWO_STEP | {"top_down_support": 3.49}).strategy == "centralized_project"
    assert rec(TWO_STEP | {"mediating_managers": 3.49}).strategy == "centralized_project"


# ----- 7. confidence cannot contradict itself ----------------------------------------------------------


def test_political_work_first_caps_confidence_even_with_perfect_scores() -> None:
    r = rec(TWO_STEP, political_work_first=True)
    assert r.strategy == "two_step" and r.confidence.level == "low"
    assert "Rules and incentives before clinicians" in r.confidence.statement


def test_confidence_is_one_statement_without_a_percentage_and_matches_the_evidence() -> None:
    for scores in (TWO_STEP, ALL_HIGH, {}, {"early_adopters": 1.0}):
        c = rec(scores).confidence
        assert "%" not in c.statement and c.statement.split()[0] in {"High", "Medium", "Low", "No"}
    two = rec(TWO_STEP)
    assert two.confidence.level == "medium" and "2 comparable hospitals" in two.confidence.statement
    entrenched = {
        "professional_resistance": 4.5,
        "multiplicity": 1.5,
        "heterogeneity": 1.5,
        "ambiguity": 1.5,
        "early_adopters": 1.5,
        "mediating_managers": 1.5,
        "top_down_support": 1.5,
        "system_leadership": 3.0,
        "partnerships": 3.0,
        "early_kol_involvement": 2.0,
    }
    assert rec(entrenched).confidence.level == "high"
    # a missing answer that could make a capping warning apply caps as if it did (never more reassuring)
    partial = {k: v for k, v in entrenched.items() if k != "system_leadership"} | {"partnerships": 1.0}
    assert rec(partial).confidence.level == "medium"
    assert "may apply" in rec(partial).confidence.statement


warning_dims = ("system_leadership", "partnerships", "early_kol_involvement")
any_profile = st.fixed_dictionaries({d: st.one_of(st.none(), band_value) for d in (*DECISION, *warning_dims)})
plan = st.sampled_from([True, False, "not_sure", "unanswered"])


@settings(max_examples=300, deadline=None)
@given(scores=any_profile, f=facts, pwf=plan, dim=st.sampled_from((*DECISION, *warning_dims)))
def test_forgetting_an_answer_never_raises_confidence(scores: dict, f: dict, pwf: object, dim: str) -> None:
    """With the pattern of the answers held fixed (it is a property of the whole answer set)."""
    from assessment.rules import recommend

    levels = ["none", "low", "medium", "high"]
    facts_ = f | {"political_work_first": pwf, "step_one_evidence": False, "answer_pattern": "varied"}
    known = recommend(Inputs(scores=scores, facts=facts_), {}).confidence.level
    forgotten = recommend(Inputs(scores=scores | {dim: None}, facts=facts_), {}).confidence.level
    unsure = recommend(Inputs(scores=scores, facts=facts_ | {"political_work_first": "unanswered"}), {})
    assert levels.index(forgotten) <= levels.index(known) or forgotten == "none"
    assert levels.index(unsure.confidence.level) <= levels.index(known) or unsure.confidence.level == "none"


# ----- 9. where the ingredients enter the decision ---------------------------------------------------------


def test_executive_backing_is_a_precondition_and_system_backing_caps_confidence() -> None:
    assert "top_down_support" in DECISION and "mediating_managers" in DECISION
    assert not set(DECISION) & (set(INGREDIENTS) - {"top_down_support"})
    r = rec(TWO_STEP | {"system_leadership": 1.5, "partnerships": 2.0})
    assert r.strategy == "two_step" and "no_system_or_partner_backing" in {w.id for w in r.warnings}
    assert r.confidence.level == "low" or "system" in r.confidence.statement.lower()


# ----- 10. sensitivity is exact to 0.01 -------------------------------------------------------------


def test_sensitivity_is_exact_on_a_001_grid_for_both_directions() -> None:
    r = rec(TWO_STEP | {"early_adopters": 3.2})
    ea = next(c for c in r.sensitivity if c.key == "early_adopters")
    assert ea.target == 3.5 and ea.delta == 0.3 and "from 3.2 to 3.5" in ea.description
    r = rec(TWO_STEP | {"professional_resistance": 3.6})
    res = next(c for c in r.sensitivity if c.key == "professional_resistance")
    assert res.target == 3.49 and res.delta == -0.11 and res.new_strategy == "two_step"
    assert "from 3.6 to 3.49" in res.description  # two decimals only where one would read as the cut point
    assert all(f"from {score_text(c.current)} to {score_text(c.current)}" not in c.description for c in r.sensitivity
               if c.delta and isinstance(c.current, float))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(scores=full_profile, f=facts)
def test_no_smaller_change_on_the_grid_would_do(scores: dict, f: dict) -> None:
    env = _env(scores, f)
    now = decide(BOOK, env).outcome
    from assessment.rules.recommend import sensitivity

    for c in sensitivity(BOOK, env, now, {}):
        if c.kind != "score":
            continue
        step = 0.01 if c.delta > 0 else -0.01  # type: ignore[operator]
        value = round(float(c.current), 2)  # type: ignore[arg-type]
        for _ in range(int(round(abs(c.delta) / 0.01)) - 1):  # type: ignore[arg-type]
            value = round(value + step, 2)
            assert outcome_of(possible_strategies(BOOK, env.with_score(c.key, value))) == now
        assert decide(BOOK, env.with_score(c.key, c.target)).outcome == c.new_strategy  # type: ignore[arg-type]


def test_every_strategy_and_the_fourth_outcome_are_reachable() -> None:
    seen = {rec(s).strategy for s in (TWO_STEP, {}, {"early_adopters": 1.0}, TWO_STEP | {"early_adopters": 3.0})}
    assert seen == {*STRATEGIES, "insufficient_evidence"}


# ----- 8. the quick scan: straight-lining is detected, every warning can fire --------------------------------


def _quick(ratings: dict[str, object], **context: object):
    from assessment import AnswerSet, ItemAnswer, assess, default_bank

    bank = default_bank()
    ctx = {"radicalness": "radical", "political_work_first": False, "step_one_evidence": False, **context}
    answers = {k: ItemAnswer(value=v) for k, v in ratings.items()}
    return assess(AnswerSet(bank_version=bank.bank_version, mode="quick", context=ctx, answers=answers), bank)


def test_a_straight_lined_quick_scan_is_named_and_never_confident() -> None:
    from assessment import default_bank

    quick = default_bank().items_for("quick")
    for rating in (4, 5):
        r = _quick({i.id: rating for i in quick}).recommendation
        assert "uniform_answers" in {w.id for w in r.warnings}
        assert r.confidence.level == "low"
        assert r.strategy != "two_step"


def test_every_warning_that_reads_items_can_fire_in_a_quick_scan() -> None:
    """Each item warning has an example that fires using quick-scan (core) items only."""
    from assessment import default_bank
    from assessment.rules.grammar import items_in

    bank = default_bank()
    for rule in BOOK.warning_rules:
        if not items_in(rule.when):
            continue
        assert any(e.fires and e.items and all(bank.item_by_id[i].core for i in e.items) for e in rule.examples), (
            rule.id
        )


def test_money_committed_before_step_one_is_warned_about_in_a_quick_scan() -> None:
    from assessment import default_bank

    bank = default_bank()
    ratings = {i.id: two_step_rating(i) for i in bank.items_for("quick")} | {"tds_rollout_funding": 5}
    early = _quick(ratings, step_one_evidence=False).recommendation
    assert early.strategy == "two_step" and "money_before_step_one" in {w.id for w in early.warnings}
    ids = {w.id for w in _quick(ratings, step_one_evidence=True).recommendation.warnings}
    assert "money_before_step_one" not in ids
    # the same budget is no warning at the sustainability stage, nor beside an incremental (centralized) project
    ids = {w.id for w in _quick(ratings, step_one_evidence=False, stage="sustainability").recommendation.warnings}
    assert "money_before_step_one" not in ids
    central = _quick(ratings, step_one_evidence=False, radicalness="incremental").recommendation
    assert central.strategy == "centralized_project" and "money_before_step_one" not in {w.id for w in central.warnings}


def two_step_rating(item: Item) -> int:
    """A rating that reads as strong for two-step work: agree, disagree with reverse items and resistance."""
    high = item.dimension != "professional_resistance"
    return 2 if item.reverse == high else 4
