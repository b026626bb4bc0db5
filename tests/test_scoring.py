"""Dimension scores, reverse items, "don't know", coverage and the stage-weighted readiness index."""

from __future__ import annotations

import pytest

from assessment import AnswerSet, ItemAnswer, assess, default_bank
from assessment.scoring import load_stage_weights, score_dimensions
from assessment.vocabulary import INGREDIENTS, STAGES

BANK = default_bank()


def items_of(dim: str):
    return BANK.items_by_dimension[dim]


def test_mean_of_answered_items_with_reverse_flipped() -> None:
    items = items_of("system_leadership")
    reverse = [i for i in items if i.reverse]
    forward = [i for i in items if not i.reverse]
    assert reverse and forward
    ratings = {forward[0].id: 4, reverse[0].id: 2}  # 2 on a reverse item counts as 4
    s = score_dimensions(BANK, ratings)["system_leadership"]
    assert s.mean == 4.0
    assert s.percent == 75.0
    assert s.answered == 2 and s.asked == len(items)


def test_dont_know_is_not_a_score_but_is_counted() -> None:
    items = items_of("partnerships")
    ratings = {items[0].id: 5, items[1].id: "dont_know"}
    s = score_dimensions(BANK, ratings)["partnerships"]
    assert s.mean == 5.0 and s.answered == 1 and s.dont_know == 1


def test_below_half_coverage_is_insufficient_evidence() -> None:
    items = items_of("professional_resistance")  # 6 items
    ratings = {i.id: 3 for i in items[:2]}
    s = score_dimensions(BANK, ratings)["professional_resistance"]
    assert s.coverage < 0.5 and not s.sufficient and s.status == "insufficient_evidence"
    ratings = {i.id: 3 for i in items[:3]}
    assert score_dimensions(BANK, ratings)["professional_resistance"].sufficient


def test_quick_scan_coverage_counts_only_core_items() -> None:
    core = [i for i in BANK.items_for("quick") if i.dimension == "early_adopters"]
    s = score_dimensions(BANK, {core[0].id: 4}, BANK.items_for("quick"))["early_adopters"]
    assert s.asked == len(core)
    assert s.coverage == pytest.approx(1 / len(core), abs=1e-3)


def test_resistance_status_reads_high_as_unfavourable() -> None:
    items = [i for i in items_of("professional_resistance") if not i.reverse]
    s = score_dimensions(BANK, {i.id: 5 for i in items}, items)["professional_resistance"]
    assert s.mean == 5.0 and s.status == "weak"


def test_stage_weights_are_normalised_and_follow_the_manual() -> None:
    sw = load_stage_weights()
    for stage in STAGES:
        assert sum(sw.normalised(stage).values()) == pytest.approx(1.0, abs=1e-3)
    ideation, diffusion = sw.normalised("ideation"), sw.normalised("diffusion")
    # Manual abstract: top-down support matters most early and late; flexible leadership at diffusion/implementation
    assert ideation["top_down_support"] == max(ideation.values())
    assert diffusion["flexible_leadership"] > ideation["flexible_leadership"]
    assert diffusion["partnerships"] == max(diffusion.values())  # essential throughout (L143)
    assert sw.normalised("sustainability")["top_down_support"] > sw.normalised("implementation")["top_down_support"]


def test_readiness_index_depends_on_stage_weights() -> None:
    tds = [i for i in items_of("top_down_support")]
    flex = [i for i in items_of("flexible_leadership")]
    answers = {i.id: ItemAnswer(value=(1 if i.reverse else 5)) for i in tds}
    answers |= {i.id: ItemAnswer(value=(5 if i.reverse else 1)) for i in flex}
    for ing in INGREDIENTS:
        if ing not in ("top_down_support", "flexible_leadership"):
            answers |= {i.id: ItemAnswer(value=3) for i in items_of(ing)}
    at = {s: assess(AnswerSet(bank_version="x", answers=answers, context={"stage": s}), BANK) for s in STAGES}
    # strong top-down, weak flexible leadership: readier at ideation than at diffusion
    assert at["ideation"].readiness.value > at["diffusion"].readiness.value


def test_stage_weights_follow_their_own_scheme() -> None:
    """Every weight is one of the scheme's levels; partnerships are essential throughout (Manual L143)."""
    from assessment.scoring import load_stage_weights

    sw = load_stage_weights()
    levels = {1.0, 1.2, 1.5, 2.0}
    assert all(w in levels for row in sw.weights.values() for w in row.values())
    assert set(sw.weights["partnerships"].values()) == {2.0}
