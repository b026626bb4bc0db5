"""Choosing the outcome when some answers are missing, cautiously.

Strategy rules compare scores only at the cut points, so a score matters only through its band. For the
dimensions with no usable answer, the engine tries every band (a search that branches only where a rule
depends on the missing answer) and collects the strategies that some completion of the answers would give:

- one strategy for every completion: that strategy (the missing answers do not matter);
- several, the most cautious being "hold back": no strategy ("insufficient_evidence"), because giving any
  bolder one could be less cautious than the truth, and holding back would rest on a missing answer;
- several, the most cautious being a centralized project: a centralized project, and the missing answers
  that could make it two-step are named.

So a strategy given with unknown dimensions is never less cautious than the strategy of any completion.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..vocabulary import CAUTION, INSUFFICIENT, Outcome, is_strategy
from .grammar import FACTS, Inputs, dimensions_in, facts_in
from .table import RuleBook, StrategyRule

NO_RULE = "no_rule"  # a completion no strategy rule covers: a gap in the table, reported by `proofs`


class TableGap(RuntimeError):
    """The rules table gives no strategy for some answers (the proofs check that this never happens)."""


def _signature(book: RuleBook, env: Inputs) -> tuple[object, ...]:
    """The band of each decision dimension (None: unknown) and the decision facts: all that the strategy
    depends on."""
    bands = tuple(
        None if (v := env.scores.get(d)) is None else bisect_right(book.band_points[d], v) - 1
        for d in book.decision_dimensions
    )
    return bands + tuple(env.facts.get(f) for f in book.decision_facts)


def _canonical(book: RuleBook, signature: tuple[object, ...]) -> Inputs:
    n = len(book.decision_dimensions)
    scores = {
        d: book.band_points[d][b] if isinstance(b, int) else None
        for d, b in zip(book.decision_dimensions, signature[:n], strict=True)
    }
    return Inputs(scores=scores, facts=dict(zip(book.decision_facts, signature[n:], strict=True)))


def search_outcomes(book: RuleBook, env: Inputs) -> frozenset[str]:
    for rule, test in book.compiled_strategy_rules:
        verdict = test(env)
        if verdict is False:
            continue
        if verdict is True:
            return frozenset({rule.strategy})
        # depends on a missing answer: try each band of the first missing dimension this rule reads (or each
        # value of an unknown fact, such as a radicalness nobody gave)
        out: set[str] = set()
        key = next((d for d in dimensions_in(rule.when) if env.scores.get(d) is None), None)
        if key is not None:
            for point in book.band_points[key]:
                out |= search_outcomes(book, env.with_score(key, point))
            return frozenset(out)
        fact = next(f for f in facts_in(rule.when) if env.facts.get(f) is None)
        for value in FACTS[fact]:
            out |= search_outcomes(book, env.with_fact(fact, value))
        return frozenset(out)
    return frozenset({NO_RULE})


def _solved(book: RuleBook, env: Inputs) -> tuple[frozenset[str], StrategyRule | None]:
    """The possible strategies and, when there is only one, the first rule that surely gives it. Both depend
    on the bands only, so they are cached by band signature."""
    cache = book.outcome_cache
    key = _signature(book, env)
    found = cache.get(key)
    if found is None:
        if len(cache) > 200_000:
            cache.clear()
        canonical = _canonical(book, key)
        possible = search_outcomes(book, canonical)
        rule = None
        if len(possible) == 1:
            (only,) = possible
            rule = next(
                (r for r, test in book.compiled_strategy_rules if r.strategy == only and test(canonical) is True), None
            )
        found = cache[key] = (possible, rule)
    return found


def possible_strategies(book: RuleBook, env: Inputs) -> frozenset[str]:
    """Every strategy that some completion of the missing answers would give."""
    return _solved(book, env)[0]


def outcome_of(possible: frozenset[str]) -> Outcome:
    if NO_RULE in possible:
        raise TableGap("the rules table gives no strategy for these answers")
    cautious = min(possible, key=CAUTION.__getitem__)  # the only one, or the most cautious of several
    if not is_strategy(cautious):
        raise TableGap(f"the rules table gives an unknown strategy {cautious[:40]!r}")
    return INSUFFICIENT if cautious == "hold_back" and len(possible) > 1 else cautious


def unknown_dimensions(book: RuleBook, env: Inputs) -> list[str]:
    """The decision dimensions with no usable score, then the decision facts nobody gave (e.g. radicalness)."""
    return [d for d in book.decision_dimensions if env.scores.get(d) is None] + [
        f for f in book.decision_facts if env.facts.get(f) is None
    ]


def with_value(env: Inputs, key: str, value: object) -> Inputs:
    """`env` with one decision dimension's score or one fact set (a fact key is one of `FACTS`)."""
    if key in FACTS:
        return env.with_fact(key, value)
    assert isinstance(value, float | int)
    return env.with_score(key, float(value))


def values_of(book: RuleBook, key: str) -> tuple[object, ...]:
    """The values an unknown may take that can matter: a dimension's bands (their bottoms), a fact's values."""
    return FACTS[key] if key in FACTS else book.band_points[key]


@dataclass(frozen=True)
class Decided:
    outcome: Outcome
    possible: frozenset[str]
    rule: StrategyRule | None  # a rule whose condition surely holds and that gives the outcome, if any
    unknown: tuple[str, ...]


def decide(book: RuleBook, env: Inputs) -> Decided:
    possible = possible_strategies(book, env)
    outcome = outcome_of(possible)
    rule = None
    if len(possible) == 1:
        rule = next(
            (r for r, test in book.compiled_strategy_rules if r.strategy == outcome and test(env) is True), None
        )
    return Decided(outcome, possible, rule, tuple(unknown_dimensions(book, env)))


@dataclass(frozen=True)
class BandOutcome:
    band: int  # index into the dimension's bands (or the fact's values)
    low: float | None  # None for a fact
    high: float | None  # None: up to the top of the scale (or a fact)
    possible: frozenset[str]
    value: object = None  # for a fact: its value


def by_band(book: RuleBook, env: Inputs, key: str) -> list[BandOutcome]:
    """For an unknown dimension (or fact), the strategies each of its bands (values) could give, the other
    unknowns left open."""
    if key in FACTS:
        return [
            BandOutcome(i, None, None, possible_strategies(book, env.with_fact(key, v)), v)
            for i, v in enumerate(FACTS[key])
        ]
    points = book.band_points[key]
    return [
        BandOutcome(
            i, p, points[i + 1] if i + 1 < len(points) else None, possible_strategies(book, env.with_score(key, p))
        )
        for i, p in enumerate(points)
    ]


def matters(book: RuleBook, env: Inputs, key: str, others: tuple[str, ...]) -> bool:
    """Whether some answers to the unknowns `others` leave a result that the answer to `key` changes: `key`
    is decisive alone or together with others. Prunes where the open answers can no longer change anything."""
    if len(possible_strategies(book, env)) <= 1:
        return False
    if not others:
        return True  # only `key` is open, and its answers give different strategies
    first, rest = others[0], others[1:]
    return any(matters(book, with_value(env, first, v), key, rest) for v in values_of(book, first))


def decisive(book: RuleBook, env: Inputs) -> list[tuple[str, list[BandOutcome]]]:
    """Every unknown whose answer, alone or together with other unknowns, could change the strategy, most
    decisive first: those with bands that settle the outcome on their own come first."""
    unknown = unknown_dimensions(book, env)
    found = [
        (key, by_band(book, env, key))
        for key in unknown
        if matters(book, env, key, tuple(k for k in unknown if k != key))
    ]
    found.sort(key=lambda x: -sum(len(b.possible) == 1 for b in x[1]))
    return found
