"""What the rules see, built from answers or a profile: usable scores, item ratings and context facts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import cast

from ..results import DimensionScore
from ..vocabulary import PLAN_FACTS, PlanAnswer, plan_reading
from .grammar import Inputs

MIN_RATED_FOR_PATTERN = 8  # fewer rated answers than this say too little about a pattern
UNIFORM_SHARE = 0.9  # this share of rated answers giving one and the same rating reads as straight-lining
ACQUIESCENT_MEAN = 4.0  # agreeing on average with both the positively and the negatively worded statements
MIN_REVERSE_FOR_PATTERN = 3
# with the negatively worded statements skipped, agreement cannot be checked against them, so a looser share of
# one rating (or agreeing on average) already reads as clicking through
UNIFORM_SHARE_WITHOUT_REVERSE = 0.75


def answer_pattern(ratings: Mapping[str, int | str], reverse: Collection[str]) -> str:
    """'uniform' (nearly every answer the same), 'acquiescent' (agreeing with statements and their opposites),
    'reverse_skipped' (the negatively worded statements answered "don't know" and the rest nearly the same or
    all agreement), 'varied', or 'too_few' to tell. Reads raw ratings, before reverse items are flipped."""
    counts = [0, 0, 0, 0, 0, 0]
    back_n = back_sum = fwd_sum = back_dk = 0
    for k, v in ratings.items():
        if v == "dont_know" and k in reverse:
            back_dk += 1
        elif v.__class__ is int:
            counts[v] += 1
            if k in reverse:
                back_n += 1
                back_sum += v
            else:
                fwd_sum += v
    rated = sum(counts)
    if rated < MIN_RATED_FOR_PATTERN:
        return "too_few"
    if max(counts) / rated >= UNIFORM_SHARE:
        return "uniform"
    fwd_n = rated - back_n
    if (
        back_n >= MIN_REVERSE_FOR_PATTERN
        and fwd_n
        and back_sum / back_n >= ACQUIESCENT_MEAN
        and fwd_sum / fwd_n >= ACQUIESCENT_MEAN
    ):
        return "acquiescent"
    if (
        back_n < MIN_REVERSE_FOR_PATTERN <= back_dk
        and fwd_n
        and (max(counts) / rated >= UNIFORM_SHARE_WITHOUT_REVERSE or fwd_sum / fwd_n >= ACQUIESCENT_MEAN)
    ):
        return "reverse_skipped"
    return "varied"


def profile_pattern(scores: Mapping[str, float | None]) -> str:
    """For dimension scores given directly: 'uniform_scores' when many scores are all the same."""
    given = [v for v in scores.values() if v is not None]
    if len(given) < MIN_RATED_FOR_PATTERN:
        return "too_few"
    return "uniform_scores" if Counter(given).most_common(1)[0][1] / len(given) >= UNIFORM_SHARE else "varied"


def facts_from(context: Mapping[str, object], pattern: str = "too_few") -> dict[str, object]:
    """The context facts the rules read: a context's fields (a dumped `Context`, or its `vars`) and the pattern."""
    facts: dict[str, object] = {
        # None when nobody gave it: the engine then tries both readings and names it as an open question
        "radicalness": context.get("radicalness") or None,
        "stage": context.get("stage") or None,
        "answer_pattern": pattern,
    }
    for fact in PLAN_FACTS:
        facts[fact] = plan_reading(cast("PlanAnswer | None", context.get(fact)))
    return facts


def inputs_from(
    scores: Mapping[str, DimensionScore],
    ratings: Mapping[str, int | str],
    context: Mapping[str, object],
    item_dimensions: Mapping[str, str] | None = None,
    reverse: Collection[str] = (),
) -> Inputs:
    """What the rules see. `item_dimensions` (item id -> dimension) lets explanations name the answers."""
    evidence: dict[str, list[str]] = {}
    for item_id, value in ratings.items():
        if item_dimensions and isinstance(value, int) and item_id in item_dimensions:
            evidence.setdefault(item_dimensions[item_id], []).append(item_id)
    usable = {d: s.usable for d, s in scores.items()}
    pattern = answer_pattern(ratings, reverse) if ratings else profile_pattern(usable)
    return Inputs(
        evidence={d: tuple(ids) for d, ids in evidence.items()},
        scores=usable,
        items={k: v for k, v in ratings.items() if isinstance(v, int)},
        facts=facts_from(context, pattern),
    )
