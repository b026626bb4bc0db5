"""The instrument-quality report as pydantic models (JSON-friendly: `InstrumentReport.model_dump_json()`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .thresholds import Thresholds

FlagKind = Literal["opposite_direction", "lowers_reliability", "weakly_related", "never_varies", "many_dont_know"]
DimensionStatus = Literal["not_enough_data", "acceptable", "below_acceptable"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Interval(Model):
    """A 95 % interval: Feldt's analytic interval for alpha; for omega, percentiles of omega over covariance
    matrices simulated from their distribution-free large-sample distribution (reliability.omega_interval)."""

    low: float
    high: float
    method: Literal["feldt", "simulation"]


class ItemFlag(Model):
    kind: FlagKind
    reason: str  # a plain sentence with the figure that triggered it


class ItemQuality(Model):
    item_id: str
    text: str
    reverse: bool
    scored: bool = True  # False for a step-two signal item: asked, not averaged into the score, not in the scale
    answered: int  # respondents who rated it or chose "don't know"
    rated: int
    dont_know_share: float | None  # None below the minimum number of answers
    rating_shares: dict[str, float] | None  # "1".."5" -> share of ratings (raw, before reverse scoring)
    floor_share: float | None  # share of ratings at 1
    ceiling_share: float | None  # share of ratings at 5
    item_total_r: float | None  # corrected: the item against the sum of the other items (reverse-scored)
    alpha_if_dropped: float | None
    flags: list[ItemFlag]


class DimensionQuality(Model):
    dimension: str
    label: str
    n: int  # respondents who rated every item of the dimension (the sample for alpha and omega)
    n_any: int  # respondents who rated at least one of its items
    k: int  # items in the dimension's scale (its scored items)
    alpha: float | None
    alpha_ci: Interval | None
    omega: float | None
    omega_ci: Interval | None
    status: DimensionStatus
    statement: str  # one line for the results page and the report's method section
    items: list[ItemQuality]

    @property
    def flagged_items(self) -> list[ItemQuality]:
        return [i for i in self.items if i.flags]


class FitIndex(Model):
    name: str
    value: float
    meaning: str  # what the index says, in one line
    verdict: str  # how this value reads against the usual cut-offs


class StructureCheck(Model):
    """A confirmatory factor analysis: each dimension one factor, its items loading only on it."""

    status: Literal["fitted", "not_enough_data", "failed"]
    n: int
    n_needed: int
    message: str
    indices: list[FitIndex] = []


class InstrumentReport(Model):
    bank_version: str
    respondents: int  # rows in the data (after exclusions)
    thresholds: Thresholds = Thresholds()
    dimensions: dict[str, DimensionQuality]
    structure: StructureCheck | None = None
    notes: list[str] = []  # what the data left out (items from other bank versions, excluded people)
