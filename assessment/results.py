"""Result models: dimension scores, the readiness index and the explained recommendation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .bank import Citation
from .vocabulary import Strategy

Status = Literal["insufficient_evidence", "weak", "developing", "strong"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DimensionScore(Model):
    dimension: str
    label: str
    group: str
    higher_is: Literal["better", "worse"] = "better"
    mean: float | None  # 1-5, reverse items flipped; None when nothing was rated
    percent: float | None  # 0-100
    answered: int  # items rated 1-5
    dont_know: int
    asked: int
    coverage: float  # answered / asked
    sufficient: bool  # coverage >= 50 %
    status: Status

    @property
    def usable(self) -> float | None:
        """The score the rules may use: None when the evidence is insufficient."""
        return self.mean if self.sufficient else None


class ReadinessIndex(Model):
    stage: str
    value: float | None  # 1-5, stage-weighted mean of the sufficient ingredients
    percent: float | None
    weights: dict[str, float]  # normalised weights used for this stage
    ingredients_used: list[str]
    ingredients_missing: list[str]
    citation: str


class DrivingInput(Model):
    """One input a rule looked at: a dimension score, an item answer or a context fact."""

    kind: Literal["score", "item", "fact"]
    key: str
    label: str
    value: float | bool | str | None
    condition: str  # e.g. ">= 3.5"
    met: bool
    items: list[str] = []  # for a score: the ids of the rated items behind it (the answers that drove it)


class FiredRule(Model):
    id: str
    title: str
    effect: str  # "strategy: two_step" / "warning: political_work_first"
    rationale: str
    citation: Citation
    inputs: list[DrivingInput]


class EvidenceBase(Model):
    cases: int
    case_names: list[str]
    source: str
    strength: str
    note: str


class Warning(Model):
    id: str
    title: str
    message: str
    citation: Citation
    severity: Literal["high", "medium"]
    inputs: list[DrivingInput]


class Caveat(Model):
    id: str
    text: str
    citation: Citation


class Confidence(Model):
    level: Literal["high", "medium", "low"]
    value: float  # 0-1
    reasons: list[str]


class SensitivityChange(Model):
    key: str
    label: str
    kind: Literal["score", "fact"]
    current: float | bool | str | None
    target: float | bool | str
    delta: float | None
    new_strategy: Strategy
    description: str


class Recommendation(Model):
    strategy: Strategy
    strategy_label: str
    headline: str
    reason: str
    rule_id: str
    evidence_base: EvidenceBase
    confidence: Confidence
    warnings: list[Warning]
    caveats: list[Caveat]
    fired_rules: list[FiredRule]
    sensitivity: list[SensitivityChange]
    current_step: Literal[1, 2] | None = None  # two-step only: which step the answers place you in
    disclaimer: str


class Result(Model):
    bank_version: str
    mode: Literal["quick", "full", "profile"]
    context: dict[str, object]
    scores: dict[str, DimensionScore]
    readiness: ReadinessIndex
    recommendation: Recommendation
