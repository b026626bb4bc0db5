"""The explained recommendation: outcome, reasons, fired rules, warnings, confidence and what would change it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ..plain import score_text
from ..results import (
    Caveat,
    DecisiveUnknown,
    DrivingInput,
    EvidenceBase,
    FiredRule,
    Recommendation,
    SensitivityChange,
    Warning,
)
from ..vocabulary import CAUTION, DIMENSION_IDS, INSUFFICIENT, SCORE_MAX, SCORE_MIN, Outcome, is_strategy
from .confidence import confidence, evidence_phrase, insufficient_evidence, open_evidence
from .grammar import (
    FACT_LABELS,
    Condition,
    FactCond,
    Inputs,
    ItemCond,
    MaxOfCond,
    MinOfCond,
    ScoreCond,
    aggregate_value,
    compile_condition,
    dimensions_of,
    leaves,
)
from .open_questions import decisive_details, join_words, label_of, lower_first, outcome_words
from .outcome import Decided, decide, outcome_of, possible_strategies
from .table import RuleBook, StrategyRule, WarningRule, load_rulebook

# ----- inputs, explained -------------------------------------------------------------------------------


def explain(cond: Condition, env: Inputs, labels: Mapping[str, str]) -> list[DrivingInput]:
    """The leaves of a condition with their values and whether each is met (None: depends on a missing answer)."""
    out: list[DrivingInput] = []
    for leaf in leaves(cond):
        met = compile_condition(leaf)(env)
        if isinstance(leaf, FactCond):
            out.append(
                DrivingInput(
                    kind="fact",
                    key=leaf.fact,
                    label=FACT_LABELS[leaf.fact],
                    value=_fact_value(env.facts.get(leaf.fact)),
                    expected=leaf.is_,
                    met=met,
                )
            )
        elif isinstance(leaf, ItemCond):
            out.append(
                DrivingInput(
                    kind="item",
                    key=leaf.item,
                    label=labels.get(leaf.item, leaf.item),
                    value=env.items.get(leaf.item),
                    op=leaf.op,
                    threshold=leaf.value,
                    met=met,
                )
            )
        elif isinstance(leaf, ScoreCond | MaxOfCond | MinOfCond):
            dims = dimensions_of(leaf)
            out.append(
                DrivingInput(
                    kind="score",
                    key=",".join(dims),
                    label=", ".join(labels.get(d, d) for d in dims),
                    aggregate=None
                    if isinstance(leaf, ScoreCond)
                    else "highest"
                    if isinstance(leaf, MaxOfCond)
                    else "lowest",
                    value=aggregate_value(leaf, env.scores),
                    op=leaf.op,
                    threshold=leaf.value,
                    met=met,
                    items=[i for d in dims for i in env.evidence.get(d, ())],
                )
            )
    return out


def _fact_value(value: object) -> bool | str | None:
    """A context fact as the rules hold it (True/False, a word such as 'not_sure' or 'radical', or None)."""
    return value if value is None or isinstance(value, bool | str) else str(value)


def _fired(rule: StrategyRule | WarningRule, env: Inputs, labels: Mapping[str, str]) -> FiredRule:
    if isinstance(rule, StrategyRule):
        strategy, severity, rationale = rule.strategy, None, rule.rationale
    else:
        strategy, severity, rationale = None, rule.severity, rule.message
    return FiredRule(
        id=rule.id,
        title=rule.title,
        kind=rule.kind,
        strategy=strategy,
        severity=severity,
        rationale=" ".join(rationale.split()),
        citation=rule.citation,
        inputs=explain(rule.when, env, labels),
    )


# ----- what would change it ------------------------------------------------------------------------------


def _result_with(book: RuleBook, env: Inputs) -> Outcome:
    return outcome_of(possible_strategies(book, env))


def sensitivity(book: RuleBook, env: Inputs, current: Outcome, labels: Mapping[str, str]) -> list[SensitivityChange]:
    """Per answered dimension the rules read, the smallest change (exact on a 0.01 grid) that changes the result.

    The result only changes where a score crosses a cut point, so the nearest candidates are the cut point
    itself (from below) and 0.01 under it (from above)."""
    changes: list[SensitivityChange] = []
    for dim in book.decision_dimensions:
        now = env.scores.get(dim)
        if now is None:
            continue
        targets = sorted(
            {c if now < c else round(c - 0.01, 2) for c in book.band_points[dim][1:]} - {now},
            key=lambda t: abs(t - now),
        )
        for target in targets:
            new = _result_with(book, env.with_score(dim, target))
            if new != current:
                verb = "rose" if target > now else "fell"
                changes.append(
                    SensitivityChange(
                        key=dim,
                        label=labels.get(dim, dim),
                        kind="score",
                        current=now,
                        target=target,
                        delta=round(target - now, 2),
                        new_strategy=new,
                        description=(
                            f"If {lower_first(labels.get(dim, dim))} {verb} from {score_text(now)} to "
                            f"{score_text(target)}, the result would be {outcome_words(new)}."
                        ),
                    )
                )
                break
    changes.sort(key=lambda c: abs(c.delta or 0.0))
    flip = {"radical": "incremental", "incremental": "radical"}
    r_now = env.facts.get("radicalness")
    if isinstance(r_now, str) and r_now in flip:
        new = _result_with(book, env.with_fact("radicalness", flip[r_now]))
        if new != current:
            changes.append(
                SensitivityChange(
                    key="radicalness",
                    label=FACT_LABELS["radicalness"],
                    kind="fact",
                    current=r_now,
                    target=flip[r_now],
                    delta=None,
                    new_strategy=new,
                    description=f"If the innovation were {flip[r_now]} rather than {r_now}, the result would be "
                    f"{outcome_words(new)}.",
                )
            )
    return changes


# ----- the recommendation --------------------------------------------------------------------------------


def _fmt(v: float | None) -> str:
    return "unanswered" if v is None else score_text(v)


def _reason(
    book: RuleBook, decided: Decided, labels: Mapping[str, str], env: Inputs, details: list[DecisiveUnknown]
) -> str:
    if decided.rule is not None:
        formatted = {d: _fmt(env.scores.get(d)) for d in DIMENSION_IDS}
        return " ".join(decided.rule.reason.format_map(formatted).split())
    open_dims = [d.dimension for d in details] or list(decided.unknown)
    names = [lower_first(label_of(d, labels)) for d in open_dims]
    open_names = join_words(names) if len(names) <= 3 else ", ".join(names[:3]) + f" and {len(names) - 3} more"
    options = join_words([outcome_words(s) for s in sorted(decided.possible, key=CAUTION.__getitem__)], "or")
    they = "it is" if len(open_dims) == 1 else "they are"
    if decided.outcome == INSUFFICIENT:
        return (
            f"The answers so far cannot support a strategy: depending on {open_names}, the evidence would point to "
            f"{options}. Holding back is one of these, so no bolder strategy can be given; and none of the answers "
            "given settles on holding back either, so it is not given. Answer those questions first; until then, "
            "launch nothing."
        )
    if len(decided.possible) == 1:
        return f"Every possible answer to the open questions ({open_names}) leads to {outcome_words(decided.outcome)}."
    return (
        f"Depending on {open_names}, the evidence would point to {options}. Until {they} answered, the "
        f"recommendation is the more cautious of these: {outcome_words(decided.outcome)}."
    )


# warnings that say clinicians are not yet attached across the organisation: beside them, step two is not reached
NOT_YET_ATTACHED = ("engagement_in_pockets",)


def current_step(outcome: Outcome, env: Inputs, warning_ids: list[str]) -> Literal[1, 2] | None:
    """For two-step work, the step the answers place the organisation in: step two only when the plan says
    clinicians are attached and no warning says the engagement is still confined (so the two never
    contradict). Rules brought in after attachment are step two (Two-step institutional work L611-631)."""
    if outcome != "two_step":
        return None
    attached = env.facts.get("step_one_evidence") is True
    return 2 if attached and not set(NOT_YET_ATTACHED) & set(warning_ids) else 1


def recommend(
    env: Inputs, labels: Mapping[str, str], book: RuleBook | None = None, with_sensitivity: bool = True
) -> Recommendation:
    book = book or load_rulebook()
    decided = decide(book, env)
    outcome = decided.outcome
    # the rules that could give this outcome; the one to cite is the rule that chose it, else (a cautious choice
    # under unknowns) the first candidate
    candidates = [r for r, test in book.compiled_strategy_rules if r.strategy == outcome and test(env) is not False]
    rule = decided.rule or (candidates[0] if candidates else None)
    fired = [_fired(rule, env, labels)] if rule is not None else []
    warnings: list[Warning] = []
    possible_warnings: list[WarningRule] = []
    env = env.with_fact("strategy", outcome)  # warnings may depend on the strategy chosen
    for w, test in book.compiled_warning_rules:
        verdict = test(env)
        if verdict is None:
            possible_warnings.append(w)
        if verdict is True:
            fw = _fired(w, env, labels)
            warnings.append(
                Warning(
                    id=w.id,
                    title=w.title,
                    message=" ".join(w.message.split()),
                    citation=w.citation,
                    severity=w.severity,
                    caps_confidence=w.caps_confidence,
                    inputs=fw.inputs,
                )
            )
            fired.append(fw)
    sens = sensitivity(book, env, outcome, labels) if with_sensitivity else []
    details = decisive_details(book, env, labels) if decided.unknown and len(decided.possible) > 1 else []
    if rule is not None and outcome != INSUFFICIENT and decided.rule is None:
        evidence = open_evidence(candidates)
    elif rule is not None and outcome != INSUFFICIENT:
        ev = rule.evidence
        evidence = EvidenceBase(
            cases=len(ev.cases),
            case_names=ev.cases,
            contrast_cases=ev.contrast,
            judgement=ev.judgement,
            source=rule.citation.source,
            strength=evidence_phrase(ev, env.facts),
            note=" ".join(ev.note.split()),
        )
    else:
        evidence = insufficient_evidence()
    caveats = (
        []
        if rule is None or outcome == INSUFFICIENT
        else [
            Caveat(id=c, text=" ".join(book.caveat_by_id[c].text.split()), citation=book.caveat_by_id[c].citation)
            for c in rule.caveats
        ]
    )
    text = book.strategies[outcome]
    return Recommendation(
        strategy=outcome,
        strategy_label=text.label,
        headline=text.headline,
        reason=_reason(book, decided, labels, env, details),
        rule_id=decided.rule.id if decided.rule else None,
        determined=len(decided.possible) == 1,
        possible_strategies=[s for s in sorted(decided.possible, key=CAUTION.__getitem__) if is_strategy(s)],
        unknown_dimensions=list(decided.unknown),
        decisive_unknowns=[d.dimension for d in details],
        decisive_unknown_details=details,
        evidence_base=evidence,
        confidence=confidence(
            decided,
            decided.rule,
            warnings,
            sens,
            labels,
            [d.dimension for d in details],
            possible_warnings,
            env.facts,
        ),
        warnings=warnings,
        caveats=caveats,
        fired_rules=fired,
        sensitivity=sens,
        current_step=current_step(outcome, env, [w.id for w in warnings]),
        disclaimer=" ".join(book.disclaimer.split()),
    )


__all__ = ["SCORE_MAX", "SCORE_MIN", "confidence", "decisive_details", "explain", "recommend", "sensitivity"]
