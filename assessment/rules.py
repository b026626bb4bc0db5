"""The rules engine: a table of rules (data, in data/rules.yaml) evaluated by a small interpreter.

Strategy rules are tried in priority order and the first that holds chooses the strategy; the lowest rule
always holds, so the engine is total. Warning rules are all evaluated. The engine also explains itself:
which rules fired and on which inputs, how confident the choice is, and the smallest single change to a
dimension score (or a context fact) that would change it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .bank import Citation, QuestionBank
from .errors import BankError, describe_validation_error
from .results import (
    Caveat,
    Confidence,
    DimensionScore,
    DrivingInput,
    EvidenceBase,
    FiredRule,
    Recommendation,
    SensitivityChange,
    Warning,
)
from .sources import DATA_DIR
from .vocabulary import DIMENSION_IDS, SCORE_MAX, SCORE_MIN, STRATEGIES, Strategy

Op = Literal["<", "<=", ">", ">="]
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
FACTS: dict[str, tuple[object, ...]] = {
    "radicalness": ("incremental", "radical"),
    "political_work_first": (True, False, "not_sure"),
    "step_one_evidence": (True, False, "not_sure"),
}
FACT_LABELS = {
    "radicalness": "Radicalness of the innovation",
    "political_work_first": "Plan leads with rules, incentives or structures",
    "step_one_evidence": "Experiments already spread and clinicians attached",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ----- condition grammar -----------------------------------------------------------------------


class ScoreCond(_Strict):
    score: str
    op: Op
    value: float = Field(ge=SCORE_MIN, le=SCORE_MAX)


class MaxOfCond(_Strict):
    max_of: list[str] = Field(min_length=2)
    op: Op
    value: float = Field(ge=SCORE_MIN, le=SCORE_MAX)


class MinOfCond(_Strict):
    min_of: list[str] = Field(min_length=2)
    op: Op
    value: float = Field(ge=SCORE_MIN, le=SCORE_MAX)


class ItemCond(_Strict):
    item: str
    op: Op
    value: float = Field(ge=SCORE_MIN, le=SCORE_MAX)


class FactCond(_Strict):
    fact: str
    is_: bool | str = Field(alias="is")

    @model_validator(mode="after")
    def _known(self) -> FactCond:
        if self.fact not in FACTS or self.is_ not in FACTS[self.fact]:
            raise ValueError(f"unknown fact '{self.fact}' or value {self.is_!r}")
        return self


class AlwaysCond(_Strict):
    always: Literal[True]


class AllCond(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCond(_Strict):
    any: list[Condition] = Field(min_length=1)


Condition = Annotated[
    Union[AllCond, AnyCond, ScoreCond, MaxOfCond, MinOfCond, ItemCond, FactCond, AlwaysCond],  # noqa: UP007
    Field(union_mode="left_to_right"),
]
AllCond.model_rebuild()
AnyCond.model_rebuild()


def _dimensions_in(cond: Condition) -> list[str]:
    if isinstance(cond, ScoreCond):
        return [cond.score]
    if isinstance(cond, MaxOfCond):
        return list(cond.max_of)
    if isinstance(cond, MinOfCond):
        return list(cond.min_of)
    if isinstance(cond, AllCond | AnyCond):
        children = cond.all if isinstance(cond, AllCond) else cond.any
        return [d for c in children for d in _dimensions_in(c)]
    return []


def _thresholds_in(cond: Condition) -> dict[str, set[float]]:
    out: dict[str, set[float]] = {}
    if isinstance(cond, ScoreCond | MaxOfCond | MinOfCond):
        for d in _dimensions_in(cond):
            out.setdefault(d, set()).add(cond.value)
    elif isinstance(cond, AllCond | AnyCond):
        for c in cond.all if isinstance(cond, AllCond) else cond.any:
            for d, ts in _thresholds_in(c).items():
                out.setdefault(d, set()).update(ts)
    return out


def _items_in(cond: Condition) -> list[str]:
    if isinstance(cond, ItemCond):
        return [cond.item]
    if isinstance(cond, AllCond | AnyCond):
        return [i for c in (cond.all if isinstance(cond, AllCond) else cond.any) for i in _items_in(c)]
    return []


# ----- the rule table ----------------------------------------------------------------------------


class Evidence(_Strict):
    cases: int = Field(ge=0)
    case_names: list[str]
    note: str


class StrategyText(_Strict):
    label: str
    headline: str


class CaveatText(_Strict):
    id: str
    text: str
    citation: Citation


class Rule(_Strict):
    id: str
    kind: Literal["strategy", "warning"]
    title: str
    when: Condition
    citation: Citation
    evidence: Evidence
    strategy: Strategy | None = None
    priority: int = 0
    reason: str = ""
    rationale: str = ""
    caveats: list[str] = Field(default_factory=list)
    severity: Literal["high", "medium"] = "medium"
    message: str = ""

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.kind == "strategy" and (self.strategy is None or not self.reason or not self.rationale):
            raise ValueError(f"strategy rule '{self.id}' needs strategy, reason and rationale")
        if self.kind == "warning" and (self.strategy is not None or not self.message):
            raise ValueError(f"warning rule '{self.id}' needs a message and no strategy")
        for d in _dimensions_in(self.when):
            if d not in DIMENSION_IDS:
                raise ValueError(f"rule '{self.id}' refers to unknown dimension '{d}'")
        return self


class RuleBook(_Strict):
    schema_version: Literal[1]
    disclaimer: str
    strategies: dict[Strategy, StrategyText]
    caveats: list[CaveatText]
    rules: list[Rule]

    @model_validator(mode="after")
    def _total(self) -> RuleBook:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        strat = self.strategy_rules
        if not strat or not isinstance(strat[-1].when, AlwaysCond):
            raise ValueError("the lowest-priority strategy rule must be {always: true}, so every input gets a strategy")
        if set(self.strategies) != set(STRATEGIES):
            raise ValueError("texts are needed for exactly the three strategies")
        known = {c.id for c in self.caveats}
        for r in self.rules:
            for c in r.caveats:
                if c not in known:
                    raise ValueError(f"rule '{r.id}' refers to unknown caveat '{c}'")
        return self

    @cached_property
    def strategy_rules(self) -> list[Rule]:
        return sorted((r for r in self.rules if r.kind == "strategy"), key=lambda r: -r.priority)

    @cached_property
    def compiled_strategy_rules(self) -> list[tuple[Rule, Callable[[Inputs], bool]]]:
        return [(r, compile_condition(r.when)) for r in self.strategy_rules]

    @cached_property
    def warning_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.kind == "warning"]

    @cached_property
    def compiled_warning_rules(self) -> list[tuple[Rule, Callable[[Inputs], bool]]]:
        return [(r, compile_condition(r.when)) for r in self.warning_rules]

    @cached_property
    def caveat_by_id(self) -> dict[str, CaveatText]:
        return {c.id: c for c in self.caveats}

    @cached_property
    def sensitivity_points(self) -> dict[str, list[float]]:
        """Per dimension, the values worth trying: each threshold and just either side of it."""
        out: dict[str, set[float]] = {}
        for r in self.strategy_rules:
            for d, ts in _thresholds_in(r.when).items():
                for t in ts:
                    out.setdefault(d, set()).update(
                        round(v, 2) for v in (t - 0.1, t, t + 0.1) if SCORE_MIN <= v <= SCORE_MAX
                    )
        return {d: sorted(v) for d, v in out.items()}

    def check_items(self, bank: QuestionBank) -> list[str]:
        """Item ids the rules refer to that the bank lacks."""
        return sorted({i for r in self.rules for i in _items_in(r.when)} - set(bank.item_by_id))


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


# ----- evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the rules see: usable dimension scores, raw item ratings and context facts."""

    scores: Mapping[str, float | None]
    items: Mapping[str, int] = field(default_factory=dict)
    facts: Mapping[str, object] = field(default_factory=dict)
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> rated item ids

    def with_score(self, dim: str, value: float) -> Inputs:
        return Inputs({**self.scores, dim: value}, self.items, self.facts, self.evidence)

    def with_fact(self, fact: str, value: object) -> Inputs:
        return Inputs(self.scores, self.items, {**self.facts, fact: value}, self.evidence)


def _agg(cond: ScoreCond | MaxOfCond | MinOfCond, scores: Mapping[str, float | None]) -> float | None:
    if isinstance(cond, ScoreCond):
        return scores.get(cond.score)
    dims = cond.max_of if isinstance(cond, MaxOfCond) else cond.min_of
    values = [scores.get(d) for d in dims]
    if any(v is None for v in values):
        # max is still known when a known value already exceeds the threshold side we need; keep it simple
        # and strict: an aggregate over a missing score is unknown.
        return None
    return max(values) if isinstance(cond, MaxOfCond) else min(values)  # type: ignore[type-var]


def holds(cond: Condition, env: Inputs) -> bool:
    """Whether a condition holds (the same compiled test that chooses the strategy)."""
    return compile_condition(cond)(env)


def explain(cond: Condition, env: Inputs, labels: Mapping[str, str]) -> list[DrivingInput]:
    """The leaf inputs of a condition with their values and whether each was met."""
    if isinstance(cond, AllCond | AnyCond):
        return [x for c in (cond.all if isinstance(cond, AllCond) else cond.any) for x in explain(c, env, labels)]
    if isinstance(cond, AlwaysCond):
        return []
    if isinstance(cond, FactCond):
        value = env.facts.get(cond.fact)
        return [
            DrivingInput(
                kind="fact", key=cond.fact, label=FACT_LABELS[cond.fact], value=value,  # type: ignore[arg-type]
                condition=f"is {cond.is_}", met=holds(cond, env),
            )
        ]
    if isinstance(cond, ItemCond):
        return [
            DrivingInput(
                kind="item", key=cond.item, label=labels.get(cond.item, cond.item),
                value=env.items.get(cond.item), condition=f"{cond.op} {cond.value:g}", met=holds(cond, env),
            )
        ]
    dims = _dimensions_in(cond)
    prefix = "" if isinstance(cond, ScoreCond) else ("highest of " if isinstance(cond, MaxOfCond) else "lowest of ")
    return [
        DrivingInput(
            kind="score",
            key=",".join(dims),
            label=prefix + ", ".join(labels.get(d, d) for d in dims),
            value=_agg(cond, env.scores),
            condition=f"{cond.op} {cond.value:g}",
            met=holds(cond, env),
            items=[i for d in dims for i in env.evidence.get(d, ())],
        )
    ]


def compile_condition(cond: Condition) -> Callable[[Inputs], bool]:
    """The same semantics as `holds`, as a closure: the hot path for choosing a strategy."""
    if isinstance(cond, AllCond | AnyCond):
        parts = [compile_condition(c) for c in (cond.all if isinstance(cond, AllCond) else cond.any)]
        if isinstance(cond, AllCond):
            return lambda env: all(p(env) for p in parts)
        return lambda env: any(p(env) for p in parts)
    if isinstance(cond, AlwaysCond):
        return lambda env: True
    if isinstance(cond, FactCond):
        fact, want = cond.fact, cond.is_
        return lambda env: env.facts.get(fact) == want
    op, threshold = _OPS[cond.op], cond.value
    if isinstance(cond, ItemCond):
        item = cond.item

        def item_holds(env: Inputs) -> bool:
            v = env.items.get(item)
            return v is not None and op(v, threshold)

        return item_holds
    if isinstance(cond, ScoreCond):
        dim = cond.score

        def score_holds(env: Inputs) -> bool:
            v = env.scores.get(dim)
            return v is not None and op(v, threshold)

        return score_holds
    dims, pick = (cond.max_of, max) if isinstance(cond, MaxOfCond) else (cond.min_of, min)

    def aggregate_holds(env: Inputs) -> bool:
        values = [env.scores.get(d) for d in dims]
        return None not in values and op(pick(values), threshold)  # type: ignore[type-var]

    return aggregate_holds


def choose(book: RuleBook, env: Inputs) -> Rule:
    for rule, test in book.compiled_strategy_rules:
        if test(env):
            return rule
    raise AssertionError("unreachable: the last strategy rule always holds")  # pragma: no cover


def facts_from(context: Mapping[str, object]) -> dict[str, object]:
    """Context facts as the rules see them: a plan fact is True, False or "not_sure"; unanswered reads as False."""
    unsure = context.get("plan_unsure") or ()
    facts: dict[str, object] = {"radicalness": context.get("radicalness", "radical")}
    for fact in ("political_work_first", "step_one_evidence"):
        facts[fact] = "not_sure" if fact in unsure else context.get(fact) is True  # type: ignore[operator]
    return facts


def inputs_from(
    scores: Mapping[str, DimensionScore],
    ratings: Mapping[str, int | str],
    context: Mapping[str, object],
    item_dimensions: Mapping[str, str] | None = None,
) -> Inputs:
    """What the rules see. `item_dimensions` (item id -> dimension) lets explanations name the answers."""
    evidence: dict[str, list[str]] = {}
    for item_id, value in ratings.items():
        if item_dimensions and isinstance(value, int) and item_id in item_dimensions:
            evidence.setdefault(item_dimensions[item_id], []).append(item_id)
    return Inputs(
        evidence={d: tuple(ids) for d, ids in evidence.items()},
        scores={d: s.usable for d, s in scores.items()},
        items={k: v for k, v in ratings.items() if isinstance(v, int)},
        facts=facts_from(context),
    )


def _fmt(v: float | None) -> str:
    return "not enough answers" if v is None else f"{v:.1f}"


def sensitivity(book: RuleBook, env: Inputs, current: Strategy, labels: Mapping[str, str]) -> list[SensitivityChange]:
    """For each dimension (and fact) the rules use, the smallest single change that changes the strategy."""
    changes: list[SensitivityChange] = []
    for dim, points in book.sensitivity_points.items():
        now = env.scores.get(dim)
        if now is None:
            continue
        best: tuple[float, float, Strategy] | None = None
        for p in points:
            if p == now:
                continue
            new = choose(book, env.with_score(dim, p)).strategy
            if new != current and (best is None or abs(p - now) < abs(best[0] - now)):
                best = (p, p - now, new)  # type: ignore[assignment]
        if best is not None:
            target, delta, new = best
            verb = "rose" if delta > 0 else "fell"
            changes.append(
                SensitivityChange(
                    key=dim, label=labels.get(dim, dim), kind="score", current=now, target=target,
                    delta=round(delta, 2), new_strategy=new,
                    description=(
                        f"If {labels.get(dim, dim).lower()} {verb} from {now:.1f} to {target:.1f}, the "
                        f"recommendation would become {book.strategies[new].label.lower()}."
                    ),
                )
            )
    changes.sort(key=lambda c: abs(c.delta or 0.0))
    flip = {"radical": "incremental", "incremental": "radical"}
    r_now = env.facts.get("radicalness")
    if r_now in flip:
        new = choose(book, env.with_fact("radicalness", flip[r_now])).strategy  # type: ignore[index]
        if new != current:
            changes.append(
                SensitivityChange(
                    key="radicalness", label=FACT_LABELS["radicalness"], kind="fact", current=r_now,  # type: ignore[arg-type]
                    target=flip[r_now], delta=None, new_strategy=new,  # type: ignore[index]
                    description=(
                        f"If the innovation were {flip[r_now]} rather than {r_now}, the recommendation would "  # type: ignore[index]
                        f"become {book.strategies[new].label.lower()}."
                    ),
                )
            )
    return changes


KEY_DIMENSIONS = ("professional_resistance", "multiplicity", "heterogeneity", "ambiguity", "early_adopters")


def confidence(
    rule: Rule, env: Inputs, sens: list[SensitivityChange], labels: Mapping[str, str] | None = None
) -> Confidence:
    reasons: list[str] = []
    value = 1.0
    if rule.evidence.cases >= 4:
        reasons.append(f"{rule.evidence.cases} cases in the evidence stand behind this rule.")
    elif rule.evidence.cases >= 2:
        value *= 0.85
        reasons.append(f"Only {rule.evidence.cases} cases in the evidence stand behind this rule.")
    else:
        value *= 0.55
        reasons.append("No case, or a single case, in the evidence matches this pattern.")
    margins = [abs(c.delta) for c in sens if c.delta is not None]
    if margins:
        m = min(margins)
        if m < 0.5:
            value *= 0.65
            reasons.append(f"A change of {m:.1f} in one score would change the recommendation.")
        elif m < 1.0:
            value *= 0.85
            reasons.append(f"The nearest change that would alter it is {m:.1f} points on one score.")
        else:
            reasons.append("No single score is close to a threshold that would change it.")
    used = set(_dimensions_in(rule.when)) | set(KEY_DIMENSIONS)
    missing = sorted(d for d in used if env.scores.get(d) is None)
    if missing:
        value *= max(0.5, 0.85 ** len(missing))
        names = ", ".join((labels or {}).get(d, d).lower() for d in missing)
        reasons.append(f"Insufficient evidence on: {names}.")
    level: Literal["high", "medium", "low"] = "high" if value >= 0.75 else "medium" if value >= 0.5 else "low"
    return Confidence(level=level, value=round(value, 2), reasons=reasons)


def recommend(
    env: Inputs,
    labels: Mapping[str, str],
    book: RuleBook | None = None,
    with_sensitivity: bool = True,
) -> Recommendation:
    book = book or load_rulebook()
    rule = choose(book, env)
    strategy: Strategy = rule.strategy  # type: ignore[assignment]
    formatted = {d: _fmt(env.scores.get(d)) for d in DIMENSION_IDS}
    fired: list[FiredRule] = [_fired(rule, env, labels, f"strategy: {rule.strategy}")]
    warnings: list[Warning] = []
    for w, test in book.compiled_warning_rules:
        if test(env):
            inputs = explain(w.when, env, labels)
            warnings.append(
                Warning(
                    id=w.id, title=w.title, message=w.message, citation=w.citation, severity=w.severity, inputs=inputs
                )
            )
            fired.append(_fired(w, env, labels, f"warning: {w.id}", inputs))
    sens = sensitivity(book, env, strategy, labels) if with_sensitivity else []
    caveats = [
        Caveat(id=c, text=book.caveat_by_id[c].text, citation=book.caveat_by_id[c].citation) for c in rule.caveats
    ]
    return Recommendation(
        strategy=strategy,
        strategy_label=book.strategies[strategy].label,
        headline=book.strategies[strategy].headline,
        reason=" ".join(rule.reason.format_map(formatted).split()),
        rule_id=rule.id,
        evidence_base=EvidenceBase(
            cases=rule.evidence.cases,
            case_names=rule.evidence.case_names,
            source=rule.citation.source,
            strength=_strength(rule.evidence.cases),
            note=rule.evidence.note,
        ),
        confidence=confidence(rule, env, sens, labels),
        warnings=warnings,
        caveats=caveats,
        fired_rules=fired,
        sensitivity=sens,
        current_step=(2 if env.facts.get("step_one_evidence") is True else 1) if strategy == "two_step" else None,
        disclaimer=" ".join(book.disclaimer.split()),
    )


def _strength(cases: int) -> str:
    if cases >= 4:
        return f"moderate: {cases} comparable cases in one comparative study"
    if cases >= 2:
        return f"limited: {cases} comparable cases in one comparative study"
    if cases == 1:
        return "weak: a single case"
    return "extrapolated: no case in the evidence matches this pattern"


def _fired(
    rule: Rule, env: Inputs, labels: Mapping[str, str], effect: str, inputs: list[DrivingInput] | None = None
) -> FiredRule:
    return FiredRule(
        id=rule.id,
        title=rule.title,
        effect=effect,
        rationale=" ".join((rule.rationale or rule.message).split()),
        citation=rule.citation,
        inputs=inputs if inputs is not None else explain(rule.when, env, labels),
    )
