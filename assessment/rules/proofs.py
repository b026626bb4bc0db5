"""The table's proofs, run by `python -m assessment validate` and by the tests.

- every rule's examples (CertLogic style): where it fires, and a near miss where it does not, and where an
  example says so, the whole engine's outcome;
- totality: every combination of bands of the decision dimensions, with every value of the decision facts,
  gets a strategy from some rule (so no answer set falls through the table).
"""

from __future__ import annotations

from itertools import product

from ..vocabulary import DIMENSION_IDS
from .grammar import FACTS, Inputs, compile_condition
from .outcome import NO_RULE, TableGap, decide, search_outcomes
from .table import RuleBook


def example_failures(book: RuleBook) -> list[str]:
    problems: list[str] = []
    for rule in book.rules:
        test = compile_condition(rule.when)
        for example in rule.examples:
            env = example.inputs()
            fired = test(env) is True
            if fired != example.fires:
                problems.append(
                    f"rule '{rule.id}', example '{example.name}': expected it to "
                    f"{'fire' if example.fires else 'not fire'}, but it {'fired' if fired else 'did not'}"
                )
            if example.outcome is not None:
                try:
                    got: str = decide(book, env).outcome
                except TableGap:
                    got = "no outcome (a gap in the table)"
                if got != example.outcome:
                    problems.append(
                        f"rule '{rule.id}', example '{example.name}': expected the outcome {example.outcome}, got {got}"
                    )
    return problems


def totality_gaps(book: RuleBook) -> list[str]:
    """Combinations no strategy rule covers, named by a witness profile."""
    gaps: list[str] = []
    for values in product(*(FACTS[f] for f in book.decision_facts)):
        facts = dict(zip(book.decision_facts, values, strict=True))
        unknown = Inputs(scores={d: None for d in DIMENSION_IDS}, facts=facts)
        if NO_RULE not in search_outcomes(book, unknown):
            continue
        dims = book.decision_dimensions
        for bands in product(*(book.band_points[d] for d in dims)):
            env = Inputs(scores={**unknown.scores, **dict(zip(dims, bands, strict=True))}, facts=facts)
            if NO_RULE in search_outcomes(book, env):
                shown = ", ".join(f"{d}={v:g}" for d, v in zip(dims, bands, strict=True))
                gaps.append(f"no strategy rule covers {shown} with {facts}")
                break
    return gaps


def proof_failures(book: RuleBook) -> list[str]:
    return example_failures(book) + totality_gaps(book)
