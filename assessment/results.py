"""Result models: dimension scores, the readiness index and the explained recommendation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .bank import Citation
from .vocabulary import Outcome, Strategy

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
    """One input a rule looked at: a dimension score (or the highest / lowest of several), an item answer or a
    context fact, with what the rule looks for as fields (no formatted strings to parse back)."""

    kind: Literal["score", "item", "fact"]
    key: str  # dimension id(s) joined by ",", item id or fact name
    label: str
    aggregate: Literal["highest", "lowest"] | None = None  # for several scores: which one the rule reads
    value: float | bool | str | None  # None: no usable answer
    op: Literal["<", "<=", ">", ">="] | None = None  # for scores and items
    threshold: float | None = None
    expected: bool | str | None = None  # for facts: the value the rule looks for
    met: bool | None  # None: depends on a missing answer
    items: list[str] = []  # for a score: the ids of the rated items behind it (the answers that drove it)


class FiredRule(Model):
    id: str
    title: str
    kind: Literal["strategy", "warning"]
    strategy: Strategy | None = None  # for a strategy rule: the strategy it chooses
    severity: Literal["high", "medium"] | None = None  # for a warning
    rationale: str
    citation: Citation
    inputs: list[DrivingInput]


class EvidenceBase(Model):
    cases: int  # cases whose situation and strategy match the rule
    case_names: list[str]
    contrast_cases: list[str] = []  # cases that did otherwise in a similar situation and fared worse
    judgement: str | None = None  # what no case supports
    source: str
    strength: str  # the evidence in one phrase, e.g. "2 comparable hospitals in one comparative study"
    note: str


class Warning(Model):
    id: str
    title: str
    message: str
    citation: Citation
    severity: Literal["high", "medium"]
    caps_confidence: Literal["low", "medium"] | None = None
    inputs: list[DrivingInput]


class Caveat(Model):
    id: str
    text: str
    citation: Citation


class Confidence(Model):
    """How firmly the answers and the evidence support the result, as one statement (no percentage: the
    evidence is a handful of case studies, so a number would claim a precision it does not have)."""

    level: Literal["high", "medium", "low", "none"]  # "none": no strategy, so nothing to be confident about
    statement: str  # level and evidence in one sentence, e.g. "Medium confidence: 2 comparable hospitals ..."
    reasons: list[str]


class SensitivityChange(Model):
    key: str
    label: str
    kind: Literal["score", "fact"]
    current: float | bool | str | None
    target: float | bool | str
    delta: float | None  # exact to 0.01 for scores
    new_strategy: Outcome
    description: str


class ItemChange(Model):
    """One answer that, changed on its own, would change the result (item, from, to)."""

    item: str  # item id
    statement: str  # the statement as the respondent read it
    current: int | str | None  # the answer now: 1-5, "dont_know", or None (not answered)
    target: int  # the answer (1-5) that would change the result
    new_strategy: Outcome
    description: str


class BandAnswer(Model):
    """One range of answers to an open question, between two cut points, and what it would give."""

    low: float | None  # None for a fact (e.g. radicalness), whose answers are words
    high: float | None  # None: up to the top of the scale
    range: str  # "below 2.5", "2.5 to 3.49", "3.5 or higher", or a fact's answer ("radical")
    outcome: Outcome | None  # None: would still depend on other unanswered questions


class DecisiveUnknown(Model):
    dimension: str  # a dimension id, or a fact nobody gave (kind "fact", e.g. radicalness)
    kind: Literal["score", "fact"] = "score"
    label: str
    bands: list[BandAnswer]
    description: str  # e.g. "Early adopters: 3.5 or higher would give two-step institutional work; ..."


class Recommendation(Model):
    strategy: Outcome
    strategy_label: str
    headline: str
    reason: str
    rule_id: str | None  # the rule that chose it; None when no single rule did (unknowns left it open)
    determined: bool  # True when every possible answer to the unanswered questions gives the same result
    possible_strategies: list[Strategy]  # the strategies some answer to the unanswered questions would give
    unknown_dimensions: list[str]  # dimensions the strategy rules read that have no usable score
    decisive_unknowns: list[str]  # of those, the ones whose answer could change the result, most decisive first
    decisive_unknown_details: list[DecisiveUnknown]
    evidence_base: EvidenceBase
    confidence: Confidence
    warnings: list[Warning]
    caveats: list[Caveat]
    fired_rules: list[FiredRule]
    sensitivity: list[SensitivityChange]
    current_step: Literal[1, 2] | None = None  # two-step only: which step the answers place you in
    disclaimer: str

    @property
    def answer_first(self) -> list[DecisiveUnknown]:
        """The open questions to answer first: those with a band that settles the result (else all of them)."""
        settling = [d for d in self.decisive_unknown_details if any(b.outcome for b in d.bands)]
        return settling or self.decisive_unknown_details

    @property
    def also_open(self) -> list[DecisiveUnknown]:
        """Decisive open questions that only narrow the result, named after `answer_first`."""
        first = {d.dimension for d in self.answer_first}
        return [d for d in self.decisive_unknown_details if d.dimension not in first]


class Result(Model):
    bank_version: str
    mode: Literal["quick", "full", "profile"]
    context: dict[str, object]
    scores: dict[str, DimensionScore]
    readiness: ReadinessIndex
    recommendation: Recommendation
    # the single answers that would change the result, nearest first (answers only; empty for a profile)
    item_changes: list[ItemChange] = []
