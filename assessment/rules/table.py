"""The rules table (data/rules.yaml) as typed models, with the checks made when it is loaded.

A strategy rule compares scores only at the shared cut points (vocabulary.CUT_POINTS) and only with `<` or
`>=`, so every score falls in one of three bands and the engine can reason about unknown answers band by
band. Every rule carries its evidence (the cases behind it, by name, and what is our judgement) and its own
examples: at least one profile where it fires and one near miss where it does not (run by `proofs`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..bank import Citation, QuestionBank
from ..errors import BankError, describe_validation_error
from ..sources import DATA_DIR
from ..vocabulary import CUT_POINTS, DIMENSION_IDS, OUTCOMES, SCORE_MIN, Outcome, Stage, Strategy
from .grammar import (
    FACTS,
    Condition,
    Inputs,
    ItemCond,
    MaxOfCond,
    MinOfCond,
    ScoreCond,
    Tri,
    compile_condition,
    dimensions_in,
    facts_in,
    items_in,
    leaves,
)

MIN_SCORED_CORE = 2  # scored core items for each dimension a rule reads: one answer alone cannot tip it
MAX_QUICK_ITEMS = 30  # the quick scan's length, about five minutes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Strict):
    """The cases behind a rule. `cases` are those whose situation and strategy match the rule; `contrast`
    cases did otherwise in a similar situation and fared worse; `judgement` says what no case supports."""

    cases: list[str] = Field(default_factory=list)
    contrast: list[str] = Field(default_factory=list)
    judgement: str | None = None
    note: str
    # how radical the change in the cases was: a result for another radicalness may not call them comparable
    case_radicalness: Literal["radical", "incremental"] | None = None
    # the stages of the innovation the cases were in: a result for another stage may not call them comparable
    case_stages: list[Stage] = Field(default_factory=list)

    @model_validator(mode="after")
    def _honest(self) -> Evidence:
        if not self.cases and not self.judgement:
            raise ValueError("a rule that no case stands behind must say what is judgement ('judgement:')")
        return self


class StrategyText(_Strict):
    label: str
    headline: str


class CaveatText(_Strict):
    id: str
    text: str
    citation: Citation


class Example(_Strict):
    """A profile and whether the rule's condition holds for it (CertLogic-style test beside the rule)."""

    name: str
    scores: dict[str, float] = Field(default_factory=dict)
    items: dict[str, int] = Field(default_factory=dict)
    facts: dict[str, bool | str] = Field(default_factory=dict)
    fires: bool
    outcome: Outcome | None = None  # optionally, what the whole engine recommends for this profile

    def inputs(self) -> Inputs:
        facts: dict[str, object] = {
            "radicalness": "radical",
            "political_work_first": False,
            "step_one_evidence": False,
            "answer_pattern": "varied",
            "stage": "adoption",
            **self.facts,
        }
        return Inputs(scores={d: self.scores.get(d) for d in DIMENSION_IDS}, items=dict(self.items), facts=facts)


class _RuleBase(_Strict):
    id: str
    title: str
    when: Condition
    citation: Citation
    evidence: Evidence
    examples: list[Example] = Field(min_length=2)

    @model_validator(mode="after")
    def _checked(self) -> _RuleBase:
        for d in dimensions_in(self.when):
            if d not in DIMENSION_IDS:
                raise ValueError(f"rule '{self.id}' refers to unknown dimension '{d}'")
        firing = {e.fires for e in self.examples}
        if firing != {True, False}:
            raise ValueError(f"rule '{self.id}' needs an example where it fires and a near miss where it does not")
        for e in self.examples:
            unknown = set(e.scores) - set(DIMENSION_IDS)
            if unknown:
                raise ValueError(f"example '{e.name}' of rule '{self.id}' uses unknown dimension(s) {sorted(unknown)}")
            for k, v in e.facts.items():
                if k not in FACTS or v not in FACTS[k]:
                    raise ValueError(f"example '{e.name}' of rule '{self.id}': unknown fact {k}={v!r}")
        return self


class StrategyRule(_RuleBase):
    kind: Literal["strategy"]
    strategy: Strategy
    priority: int
    reason: str
    rationale: str
    caveats: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cases_say_how_radical(self) -> StrategyRule:
        if self.evidence.cases and self.evidence.case_radicalness is None:
            raise ValueError(f"rule '{self.id}' names cases; say how radical their change was (case_radicalness)")
        if self.evidence.cases and not self.evidence.case_stages:
            raise ValueError(f"rule '{self.id}' names cases; say which stages they were in (case_stages)")
        return self

    @model_validator(mode="after")
    def _banded(self) -> StrategyRule:
        for leaf in leaves(self.when):
            if isinstance(leaf, ScoreCond | MaxOfCond | MinOfCond):
                if leaf.op not in ("<", ">=") or leaf.value not in CUT_POINTS:
                    raise ValueError(
                        f"rule '{self.id}' compares a score with '{leaf.op} {leaf.value:g}'; strategy rules use only "
                        f"'<' or '>=' at the cut points {', '.join(f'{c:g}' for c in CUT_POINTS)}"
                    )
            elif isinstance(leaf, ItemCond):
                raise ValueError(
                    f"rule '{self.id}' reads the item '{leaf.item}'; strategy rules read dimension scores only, so "
                    "that a group result (which has scores, not single answers) is decided by the same rules"
                )
        return self


class WarningRule(_RuleBase):
    kind: Literal["warning"]
    severity: Literal["high", "medium"]
    message: str
    caps_confidence: Literal["low", "medium"] | None = None  # a warning that limits how sure the result can be


Rule = Annotated[StrategyRule | WarningRule, Field(discriminator="kind")]


class RuleBook(_Strict):
    schema_version: Literal[2]
    disclaimer: str
    strategies: dict[Outcome, StrategyText]
    caveats: list[CaveatText]
    rules: list[Rule]

    @model_validator(mode="after")
    def _consistent(self) -> RuleBook:
        problems: list[str] = []
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"rule ids must be unique: {', '.join(dupes)}")
        if set(self.strategies) != set(OUTCOMES):
            problems.append("texts are needed for exactly the three strategies and insufficient_evidence")
        known = {c.id for c in self.caveats}
        for r in self.strategy_rules:
            problems += [f"rule '{r.id}' refers to unknown caveat '{c}'" for c in r.caveats if c not in known]
        if not self.strategy_rules:
            problems.append("the table has no strategy rule")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def strategy_rules(self) -> list[StrategyRule]:
        return sorted((r for r in self.rules if isinstance(r, StrategyRule)), key=lambda r: -r.priority)

    @cached_property
    def compiled_strategy_rules(self) -> list[tuple[StrategyRule, Callable[[Inputs], Tri]]]:
        return [(r, compile_condition(r.when)) for r in self.strategy_rules]

    @cached_property
    def warning_rules(self) -> list[WarningRule]:
        return [r for r in self.rules if isinstance(r, WarningRule)]

    @cached_property
    def compiled_warning_rules(self) -> list[tuple[WarningRule, Callable[[Inputs], Tri]]]:
        return [(r, compile_condition(r.when)) for r in self.warning_rules]

    @cached_property
    def outcome_cache(self) -> dict[tuple[object, ...], tuple[frozenset[str], StrategyRule | None]]:
        """Band signature -> (possible strategies, the rule that surely gives the only one): see `outcome`.
        Kept on the table itself, so that a cache can never outlive or confuse its table."""
        return {}

    @cached_property
    def caveat_by_id(self) -> dict[str, CaveatText]:
        return {c.id: c for c in self.caveats}

    @cached_property
    def decision_dimensions(self) -> tuple[str, ...]:
        """The dimensions the strategy rules read, in the order they first appear (highest priority first)."""
        return tuple(dict.fromkeys(d for r in self.strategy_rules for d in dimensions_in(r.when)))

    @cached_property
    def decision_facts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for r in self.strategy_rules for f in facts_in(r.when)))

    @cached_property
    def band_points(self) -> dict[str, tuple[float, ...]]:
        """Per dimension the strategy rules read: one value from each band between its thresholds (the bottom
        of each band). Every value in a band gives the same strategy."""
        points: dict[str, set[float]] = {}
        for r in self.strategy_rules:
            for leaf in leaves(r.when):
                if isinstance(leaf, ScoreCond | MaxOfCond | MinOfCond):
                    for d in dimensions_in(leaf):
                        points.setdefault(d, {SCORE_MIN}).add(leaf.value)
        return {k: tuple(sorted(v)) for k, v in points.items()}

    def rule(self, rule_id: str) -> StrategyRule | WarningRule:
        return next(r for r in self.rules if r.id == rule_id)

    @cached_property
    def read_dimensions(self) -> tuple[str, ...]:
        """Every dimension any rule reads (strategy or warning)."""
        return tuple(dict.fromkeys(d for r in self.rules for d in dimensions_in(r.when)))

    def check_quick_scan(self, bank: QuestionBank) -> list[str]:
        """The quick scan must not be tipped by one answer: every dimension a rule reads has at least
        MIN_SCORED_CORE scored core items, and the scan stays short (at most MAX_QUICK_ITEMS)."""
        problems = []
        for d in self.read_dimensions:
            n = sum(1 for i in bank.items_by_dimension[d] if i.core and not i.step_two_signal)
            if n < MIN_SCORED_CORE:
                problems.append(f"the rules read '{d}', which has {n} scored core item(s); it needs {MIN_SCORED_CORE}")
        asked = len(bank.items_for("quick"))
        if asked > MAX_QUICK_ITEMS:
            problems.append(f"the quick scan asks {asked} items; at most {MAX_QUICK_ITEMS} (about five minutes)")
        return problems

    def check_items(self, bank: QuestionBank) -> list[str]:
        """Item ids the rules or their examples name that the bank lacks."""
        named = {i for r in self.rules for i in items_in(r.when)} | {
            i for r in self.rules for e in r.examples for i in e.items
        }
        return sorted(named - set(bank.item_by_id))


def parse_rulebook(raw: object) -> RuleBook:
    try:
        return RuleBook.model_validate(raw)
    except ValidationError as err:
        problems = describe_validation_error(err, raw)
        raise BankError(f"invalid rules table ({len(problems)} problem(s))", problems) from None


@lru_cache(maxsize=1)
def load_rulebook() -> RuleBook:
    raw = yaml.safe_load((DATA_DIR / "rules.yaml").read_text(encoding="utf-8"))
    return parse_rulebook(raw)
