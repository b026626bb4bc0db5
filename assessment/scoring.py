"""Scoring: dimension scores from item answers, and the stage-weighted readiness index.

Rules of the game (also in the README and the report's method section):
- an item's score is its 1-5 rating, flipped (6 - rating) for reverse items; "don't know" is not a score;
- a step-two signal item (e.g. money committed beyond a pilot) is asked but not averaged into any score;
- a dimension's score is the mean of its rated items, shown on 1-5 and as 0-100 %;
- coverage = rated items / items asked; below MIN_COVERAGE (50 %) the dimension is "insufficient evidence";
- the readiness index is the stage-weighted mean of the eight ingredients with sufficient evidence.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, overload

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from .bank import Citation, Item, QuestionBank
from .results import DimensionScore, ReadinessIndex, Status
from .sources import DATA_DIR
from .vocabulary import DIMENSION_IDS, INGREDIENTS, MIN_COVERAGE, SCORE_MAX, SCORE_MIN, STAGES, Band, Mode, band_of

if TYPE_CHECKING:  # numpy only for the type of the workshop's elementwise use
    import numpy as np
    from numpy.typing import NDArray


def to_percent(mean: float | None) -> float | None:
    return None if mean is None else round((mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100.0, 1)


def status_for(mean: float | None, sufficient: bool, higher_is: str) -> Status:
    if mean is None or not sufficient:
        return "insufficient_evidence"
    # The band of the score itself (one set of cut points for every use); for a dimension where higher is
    # worse (resistance) a high band is the weak status.
    band = band_of(mean)
    if higher_is == "worse":
        band = _FLIPPED[band]
    return _STATUS_OF_BAND[band]


_FLIPPED: dict[Band, Band] = {"low": "high", "moderate": "moderate", "high": "low"}
_STATUS_OF_BAND: dict[Band, Status] = {"low": "weak", "moderate": "developing", "high": "strong"}


@overload
def is_sufficient(rated: int, asked: int) -> bool: ...


@overload
def is_sufficient(rated: NDArray[Any], asked: NDArray[Any] | int) -> NDArray[np.bool_]: ...


def is_sufficient(rated: Any, asked: Any) -> Any:
    """The coverage rule, written once: enough evidence for a score is something given, and at least MIN_COVERAGE
    of what was asked (a person's dimension score: items rated of items asked; a workshop's group score:
    respondents with a usable score of respondents who answered). Elementwise on numpy arrays."""
    return (rated > 0) & (rated >= MIN_COVERAGE * asked)


ScoringPlan = tuple[tuple[str, str, bool], ...]  # (item id, dimension, reverse) of each item scored, in order


def scoring_plan(items: Iterable[Item]) -> ScoringPlan:
    """What `tally` reads of the items asked: the step-two signal items left out (asked, but read by the rules as
    a signal, not averaged into a score)."""
    return tuple((i.id, i.dimension, i.reverse) for i in items if not i.step_two_signal)


def mode_plan(bank: QuestionBank, mode: Mode) -> ScoringPlan:
    """`scoring_plan` of the items a quick scan or a full assessment asks, made once per bank and mode (the
    engine scores thousands of answer sets against one bank)."""
    key = (id(bank), mode)
    cached = _MODE_PLANS.get(key)
    if cached is None or cached[0]() is not bank:  # a new bank at a recycled address gets its own plan
        cached = (weakref.ref(bank), scoring_plan(bank.items_for(mode)))
        _MODE_PLANS[key] = cached
    return cached[1]


_MODE_PLANS: dict[tuple[int, str], tuple[weakref.ref[QuestionBank], ScoringPlan]] = {}


def tally(
    bank: QuestionBank, ratings: Mapping[str, int | str], asked: Iterable[Item] | None = None
) -> dict[str, list[int]]:
    """Per dimension: [sum of item scores (reverse flipped), items rated, "don't know"s, items asked]."""
    return tally_plan(scoring_plan(asked if asked is not None else bank.items), ratings)


def tally_plan(plan: ScoringPlan, ratings: Mapping[str, int | str]) -> dict[str, list[int]]:
    """`tally` over a `scoring_plan`."""
    totals = {d: [0, 0, 0, 0] for d in DIMENSION_IDS}
    get = ratings.get
    for item_id, dimension, reverse in plan:
        t = totals[dimension]
        t[3] += 1
        value = get(item_id)
        if value.__class__ is int:
            if 1 <= value <= 5:
                t[0] += 6 - value if reverse else value
                t[1] += 1
        elif value == "dont_know":
            t[2] += 1
    return totals


def usable_means(totals: Mapping[str, list[int]]) -> dict[str, float | None]:
    """The mean per dimension where coverage is sufficient, else None: what the rules may use."""
    return {
        d: round(total / rated, 2) if is_sufficient(rated, asked) else None
        for d, (total, rated, _dk, asked) in totals.items()
    }


def score_dimensions(
    bank: QuestionBank, ratings: Mapping[str, int | str], asked: Iterable[Item] | None = None
) -> dict[str, DimensionScore]:
    """Score every dimension from item ratings (item id -> 1..5 or 'dont_know').

    `asked` is the set of items put to the respondent (the quick scan or the full bank);
    coverage is measured against it.
    """
    out: dict[str, DimensionScore] = {}
    for dim_id, (total, rated, dont_know, n_asked) in tally(bank, ratings, asked).items():
        dim = bank.dimension_by_id[dim_id]
        mean = round(total / rated, 2) if rated else None
        coverage = rated / n_asked if n_asked else 0.0
        sufficient = is_sufficient(rated, n_asked)
        out[dim_id] = DimensionScore(
            dimension=dim_id,
            label=dim.label,
            group=dim.group,
            higher_is=dim.higher_is,
            mean=mean,
            percent=to_percent(mean),
            answered=rated,
            dont_know=dont_know,
            asked=n_asked,
            coverage=round(coverage, 3),
            sufficient=sufficient,
            status=status_for(mean, sufficient, dim.higher_is),
        )
    return out


def scores_from_profile(bank: QuestionBank, profile: Mapping[str, float]) -> dict[str, DimensionScore]:
    """Dimension scores given directly (the `recommend` command): full coverage for each given score."""
    out: dict[str, DimensionScore] = {}
    for dim_id in DIMENSION_IDS:
        dim = bank.dimension_by_id[dim_id]
        mean = profile.get(dim_id)
        given = mean is not None
        out[dim_id] = DimensionScore(
            dimension=dim_id,
            label=dim.label,
            group=dim.group,
            higher_is=dim.higher_is,
            mean=None if mean is None else round(float(mean), 2),
            percent=to_percent(mean),
            answered=1 if given else 0,
            dont_know=0,
            asked=1,
            coverage=1.0 if given else 0.0,
            sufficient=given,
            status=status_for(mean, given, dim.higher_is),
        )
    return out


# ----- stage weights -------------------------------------------------------------------------


class StageWeights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    scheme: str
    citation: Citation
    weights: dict[str, dict[str, float]]
    citations: dict[str, Citation]

    @model_validator(mode="after")
    def _complete(self) -> StageWeights:
        if set(self.weights) != set(INGREDIENTS) or set(self.citations) != set(INGREDIENTS):
            raise ValueError("stage weights need exactly the eight ingredients, each with a citation")
        for ing, row in self.weights.items():
            if set(row) != set(STAGES) or any(w <= 0 for w in row.values()):
                raise ValueError(f"stage weights for '{ing}' need a positive weight for each stage")
        return self

    @cached_property
    def by_stage(self) -> dict[str, dict[str, float]]:
        """Weights normalised to sum to 1 within each stage."""
        out: dict[str, dict[str, float]] = {}
        for stage in STAGES:
            total = sum(self.weights[ing][stage] for ing in INGREDIENTS)
            out[stage] = {ing: round(self.weights[ing][stage] / total, 4) for ing in INGREDIENTS}
        return out

    def normalised(self, stage: str) -> dict[str, float]:
        return self.by_stage[stage]


@lru_cache(maxsize=1)
def load_stage_weights() -> StageWeights:
    raw = yaml.safe_load((DATA_DIR / "stage_weights.yaml").read_text(encoding="utf-8"))
    return StageWeights.model_validate(raw)


def readiness_index(scores: Mapping[str, DimensionScore], stage: str) -> ReadinessIndex:
    sw = load_stage_weights()
    weights = sw.normalised(stage)
    means = {i: m for i in INGREDIENTS if scores[i].sufficient and (m := scores[i].mean) is not None}
    used = list(means)
    missing = [i for i in INGREDIENTS if i not in used]
    total_w = sum(weights[i] for i in used)
    value = round(sum(weights[i] * m for i, m in means.items()) / total_w, 2) if used else None
    return ReadinessIndex(
        stage=stage,
        value=value,
        percent=to_percent(value),
        weights=weights,
        ingredients_used=used,
        ingredients_missing=missing,
        citation=str(sw.citation),
    )
