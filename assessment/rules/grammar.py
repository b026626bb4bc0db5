"""The condition grammar of the rules table, and its one evaluator.

    {all: [...]} | {any: [...]}
    {score: <dimension id>, op: <op>, value: <1-5>}       a dimension score (reverse items already flipped)
    {max_of: [<dimension ids>], op: <op>, value: <1-5>}   the highest of several dimension scores
    {min_of: [<dimension ids>], op: <op>, value: <1-5>}   the lowest of several dimension scores
    {item: <item id>, op: <op>, value: <1-5>}             one item's raw rating, as the respondent gave it
    {fact: <fact>, is: <value>}                           a context fact (see FACTS)

A condition is evaluated in three-valued (Kleene) logic: True, False, or None when it depends on an answer
nobody gave (a score with insufficient evidence, an unanswered item). An aggregate over partly known scores
is decided where the known ones already decide it (the highest of 2.0 and "unknown" is not below 1.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..vocabulary import OUTCOMES, PLAN_FACTS, PLAN_READINGS, SCORE_MAX, SCORE_MIN, STAGES

Op = Literal["<", "<=", ">", ">="]
OPS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
Tri = bool | None  # True, False, or None: unknown

# Context facts the rules may read, with the values each can take. A plan fact is read from its answer by
# `vocabulary.plan_reading`: "unanswered" when the question was skipped, never "no". A fact whose value is
# None is unknown (radicalness nobody gave): a condition on it is unknown, and the engine tries every value.
# `strategy` (the outcome the strategy rules chose) and `stage` are for warning rules only.
FACTS: dict[str, tuple[object, ...]] = {
    "radicalness": ("incremental", "radical"),
    **dict.fromkeys(PLAN_FACTS, PLAN_READINGS),
    "answer_pattern": ("varied", "uniform", "acquiescent", "reverse_skipped", "uniform_scores", "too_few"),
    "strategy": OUTCOMES,
    "stage": STAGES,
}
WARNING_ONLY_FACTS = ("strategy", "stage")
FACT_LABELS = {
    "radicalness": "Radicalness of the innovation",
    "political_work_first": "Plan leads with rules, incentives or structures",
    "step_one_evidence": "Experiments already spread and clinicians attached",
    "answer_pattern": "Pattern of the answers",
    "strategy": "Recommended strategy",
    "stage": "Stage of the innovation",
}
FACT_VALUE_WORDS: dict[object, str] = {
    True: "yes",
    False: "no",
    "not_sure": "not sure",
    "unanswered": "not answered",
    "incremental": "incremental",
    "radical": "radical",
    "varied": "varied",
    "uniform": "the same answer throughout",
    "acquiescent": "agreement with opposite statements",
    "reverse_skipped": "the negatively worded statements skipped",
    "uniform_scores": "nearly every score the same",
    "too_few": "too few answers to tell",
    "hold_back": "hold back",
    "centralized_project": "a centralized project",
    "two_step": "two-step institutional work",
    "insufficient_evidence": "not enough answers",
    **{s: s for s in STAGES},
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class AllCond(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCond(_Strict):
    any: list[Condition] = Field(min_length=1)


Condition = Annotated[
    Union[AllCond, AnyCond, ScoreCond, MaxOfCond, MinOfCond, ItemCond, FactCond],  # noqa: UP007
    Field(union_mode="left_to_right"),
]
AllCond.model_rebuild()
AnyCond.model_rebuild()
Comparison = ScoreCond | MaxOfCond | MinOfCond | ItemCond
ScoreLike = ScoreCond | MaxOfCond | MinOfCond


def children(cond: Condition) -> list[Condition]:
    if isinstance(cond, AllCond):
        return cond.all
    if isinstance(cond, AnyCond):
        return cond.any
    return []


def leaves(cond: Condition) -> Iterator[Condition]:
    """The comparisons and facts of a condition, depth first."""
    kids = children(cond)
    if not kids:
        yield cond
    for c in kids:
        yield from leaves(c)


def dimensions_of(leaf: Condition) -> list[str]:
    if isinstance(leaf, ScoreCond):
        return [leaf.score]
    if isinstance(leaf, MaxOfCond):
        return list(leaf.max_of)
    if isinstance(leaf, MinOfCond):
        return list(leaf.min_of)
    return []


def dimensions_in(cond: Condition) -> list[str]:
    return list(dict.fromkeys(d for leaf in leaves(cond) for d in dimensions_of(leaf)))


def items_in(cond: Condition) -> list[str]:
    return list(dict.fromkeys(leaf.item for leaf in leaves(cond) if isinstance(leaf, ItemCond)))


def facts_in(cond: Condition) -> list[str]:
    return list(dict.fromkeys(leaf.fact for leaf in leaves(cond) if isinstance(leaf, FactCond)))


# ----- what the rules see ------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Usable dimension scores (None: not enough answers), raw item ratings and context facts."""

    scores: Mapping[str, float | None]
    items: Mapping[str, int | float] = field(default_factory=dict)
    facts: Mapping[str, object] = field(default_factory=dict)
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> rated item ids

    def with_score(self, dim: str, value: float | None) -> Inputs:
        return Inputs({**self.scores, dim: value}, self.items, self.facts, self.evidence)

    def with_fact(self, fact: str, value: object) -> Inputs:
        return Inputs(self.scores, self.items, {**self.facts, fact: value}, self.evidence)


# ----- the evaluator ----------------------------------------------------------------------------------


def _range_test(op: Callable[[float, float], bool], threshold: float, lo: float, hi: float) -> Tri:
    """Whether `value op threshold` holds for every value in [lo, hi] (True), none (False), or some (None).
    Exact for the four comparisons, which are monotone in the value."""
    a, b = op(lo, threshold), op(hi, threshold)
    return a if a == b else None


def compile_condition(cond: Condition) -> Callable[[Inputs], Tri]:
    """A condition as a closure returning True, False or None (depends on a missing answer)."""
    if isinstance(cond, AllCond | AnyCond):
        # Kleene "and" and "or" are duals: one child equal to `stop` decides (False for all, True for any);
        # otherwise an unknown child leaves the result unknown.
        parts = [compile_condition(c) for c in children(cond)]
        stop = isinstance(cond, AnyCond)

        def combined(env: Inputs) -> Tri:
            unknown = False
            for p in parts:
                v = p(env)
                if v is stop:
                    return stop
                unknown = unknown or v is None
            return None if unknown else not stop

        return combined
    if isinstance(cond, FactCond):
        fact, want = cond.fact, cond.is_

        def fact_holds(env: Inputs) -> Tri:
            v = env.facts.get(fact)
            return None if v is None else v == want

        return fact_holds
    op, threshold = OPS[cond.op], cond.value
    if isinstance(cond, ItemCond | ScoreCond):
        key, source = (cond.item, "items") if isinstance(cond, ItemCond) else (cond.score, "scores")

        def leaf_holds(env: Inputs) -> Tri:
            v = getattr(env, source).get(key)
            return None if v is None else op(v, threshold)

        return leaf_holds
    dims, is_max = (cond.max_of, True) if isinstance(cond, MaxOfCond) else (cond.min_of, False)

    def aggregate_holds(env: Inputs) -> Tri:
        known = [v for v in (env.scores.get(d) for d in dims) if v is not None]
        if len(known) == len(dims):
            return op(max(known) if is_max else min(known), threshold)
        if is_max:  # the highest is at least the highest known, at most the top of the scale
            return _range_test(op, threshold, max(known, default=SCORE_MIN), SCORE_MAX)
        return _range_test(op, threshold, SCORE_MIN, min(known, default=SCORE_MAX))

    return aggregate_holds


def aggregate_value(cond: ScoreLike, scores: Mapping[str, float | None]) -> float | None:
    """The value a score comparison looks at: the score, or the highest / lowest of several (None if any
    is unknown)."""
    values = [scores.get(d) for d in dimensions_of(cond)]
    if any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    if isinstance(cond, ScoreCond):
        return known[0]
    return max(known) if isinstance(cond, MaxOfCond) else min(known)


SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def describe(cond: Condition, labels: Mapping[str, str]) -> str:
    """A condition in words, e.g. 'professional resistance ≥ 3.5 and highest of (multiplicity, ...) < 2.5'.
    Items are named by their statement (labels), facts by their plain label and value."""
    if isinstance(cond, AllCond | AnyCond):
        parts = [f"({describe(c, labels)})" if children(c) else describe(c, labels) for c in children(cond)]
        return " and ".join(parts) if isinstance(cond, AllCond) else "either " + " or ".join(parts)
    if isinstance(cond, FactCond):
        return f"{FACT_LABELS[cond.fact].lower()}: {FACT_VALUE_WORDS.get(cond.is_, str(cond.is_))}"
    if isinstance(cond, ItemCond):
        return f"“{labels.get(cond.item, cond.item)}” rated {SYMBOLS[cond.op]} {cond.value:g}"
    dims = dimensions_of(cond)
    names = ", ".join(labels.get(d, d).lower() for d in dims)
    which = "" if isinstance(cond, ScoreCond) else "highest of " if isinstance(cond, MaxOfCond) else "lowest of "
    shown = names if isinstance(cond, ScoreCond) else f"({names})"
    return f"{which}{shown} {SYMBOLS[cond.op]} {cond.value:g}"
