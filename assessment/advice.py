"""Action plan: concrete, cited next steps for the recommended strategy and for each weak dimension.

The texts are data (data/advice.yaml); this module validates them and picks and orders them for a result.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .bank import Citation
from .errors import BankError, describe_validation_error
from .results import Result
from .sources import DATA_DIR
from .vocabulary import DIMENSION_IDS, INGREDIENTS, OUTCOMES, STAGES, Role, Stage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    id: str
    text: str
    owner: Role
    stages: list[Stage] = Field(min_length=1)
    citation: Citation

    def render(self, innovation: str) -> str:
        return self.text.replace("{innovation}", innovation or "this innovation")


class DimensionAdvice(_Strict):
    weak_summary: str
    citation: Citation
    steps: list[Step] = Field(min_length=1)


class StepPhase(_Strict):
    title: str
    led_by: list[Role]
    supported_by: list[Role] = Field(default_factory=list)
    summary: str
    citation: Citation
    steps: list[Step] = Field(min_length=1)


class Signal(_Strict):
    text: str
    citation: Citation


class StrategyAdvice(_Strict):
    headline: str
    summary: str
    citation: Citation
    steps: list[Step] = Field(default_factory=list)
    step_one: StepPhase | None = None
    step_two: StepPhase | None = None
    move_on_signal: Signal | None = None


class AdviceBook(_Strict):
    schema_version: int
    dimensions: dict[str, DimensionAdvice]
    strategies: dict[str, StrategyAdvice]

    @model_validator(mode="after")
    def _complete(self) -> AdviceBook:
        problems = [f"no advice for dimension '{d}'" for d in DIMENSION_IDS if d not in self.dimensions]
        problems += [f"advice for unknown dimension '{d}'" for d in self.dimensions if d not in DIMENSION_IDS]
        problems += [f"no advice for strategy '{s}'" for s in OUTCOMES if s not in self.strategies]
        two = self.strategies.get("two_step")
        if two and not (two.step_one and two.step_two and two.move_on_signal):
            problems.append("two_step advice needs step_one, step_two and move_on_signal")
        ids = [s.id for s in self.all_steps()]
        problems += [f"step id '{i}' is used more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def all_steps(self) -> list[Step]:
        steps = [s for d in self.dimensions.values() for s in d.steps]
        for sa in self.strategies.values():
            steps += sa.steps
            for phase in (sa.step_one, sa.step_two):
                if phase:
                    steps += phase.steps
        return steps


@lru_cache(maxsize=1)
def load_advice() -> AdviceBook:
    raw = yaml.safe_load((DATA_DIR / "advice.yaml").read_text(encoding="utf-8"))
    try:
        return AdviceBook.model_validate(raw)
    except ValidationError as err:
        problems = describe_validation_error(err, raw)
        raise BankError(f"invalid advice file ({len(problems)} problem(s))", problems) from None


class PlannedStep(_Strict):
    id: str
    text: str
    owner: Role
    stages: list[Stage]
    in_current_stage: bool
    citation: Citation


class DimensionPlan(_Strict):
    dimension: str
    label: str
    score: float | None
    status: str
    summary: str
    citation: Citation
    steps: list[PlannedStep]


class PhasePlan(_Strict):
    title: str
    led_by: list[Role]
    supported_by: list[Role]
    summary: str
    citation: Citation
    steps: list[PlannedStep]


class ActionPlan(_Strict):
    strategy: str
    headline: str
    summary: str
    citation: Citation
    steps: list[PlannedStep]
    phases: list[PhasePlan]  # two-step only: step one, step two
    current_step: int | None
    move_on_signal: Signal | None
    weak_dimensions: list[DimensionPlan]


def _plan_steps(steps: list[Step], stage: str, innovation: str) -> list[PlannedStep]:
    planned = [
        PlannedStep(
            id=s.id,
            text=s.render(innovation),
            owner=s.owner,
            stages=s.stages,
            in_current_stage=stage in s.stages,
            citation=s.citation,
        )
        for s in steps
    ]
    # steps that belong to the current stage first, then by the earliest stage they belong to
    return sorted(planned, key=lambda p: (not p.in_current_stage, min(STAGES.index(x) for x in p.stages)))


def action_plan(result: Result) -> ActionPlan:
    book = load_advice()
    stage = result.readiness.stage
    innovation = str(result.context.get("innovation_title") or "this innovation")
    strat = book.strategies[result.recommendation.strategy]
    phases = [
        PhasePlan(
            title=p.title,
            led_by=p.led_by,
            supported_by=p.supported_by,
            summary=p.summary,
            citation=p.citation,
            steps=_plan_steps(p.steps, stage, innovation),
        )
        for p in (strat.step_one, strat.step_two)
        if p is not None
    ]
    weights = result.readiness.weights
    weak = [s for s in result.scores.values() if s.status == "weak"]
    # ingredients first, heaviest stage weight first; then affordances and conditions, weakest first
    weak.sort(key=lambda s: (s.dimension not in INGREDIENTS, -weights.get(s.dimension, 0.0), s.mean or 0.0))
    return ActionPlan(
        strategy=result.recommendation.strategy,
        headline=strat.headline,
        summary=" ".join(strat.summary.split()),
        citation=strat.citation,
        steps=_plan_steps(strat.steps, stage, innovation),
        phases=phases,
        current_step=result.recommendation.current_step,
        move_on_signal=strat.move_on_signal,
        weak_dimensions=[
            DimensionPlan(
                dimension=s.dimension,
                label=s.label,
                score=s.mean,
                status=s.status,
                summary=" ".join(book.dimensions[s.dimension].weak_summary.split()),
                citation=book.dimensions[s.dimension].citation,
                steps=_plan_steps(book.dimensions[s.dimension].steps, stage, innovation),
            )
            for s in weak
        ],
    )
