"""The explained recommendation: outcome, reasons, fired rules, warnings, confidence and what would change it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ..plain import score_text
from ..results import (
    Caveat,
    Confidence,
    DecisiveUnknown,
    DrivingInput,
    EvidenceBase,
    FiredRule,
    Recommendation,
    SensitivityChange,
    Warning,
)
from ..vocabulary import CAUTION, DIMENSION_IDS, INSUFFICIENT, SCORE_MAX, SCORE_MIN, STAGES, Outcome, is_strategy
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
from .table import Evidence, RuleBook, StrategyRule, WarningRule, load_rulebook

LEVELS: tuple[Literal["low", "medium", "high"], ...] = ("low", "medium", "high")
NEAR_CHANGE = 0.25  # a change this small or smaller in one score that alters the result lowers confidence a level
# cases behind a strategy rule for each confidence level, before caps (README: "high only when four or more")
CASES_FOR_LEVEL: tuple[int, ...] = (0, 2, 4)  # low, medium, high
SOURCE = "Two-step institutional work"


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


# ----- confidence -------------------------------------------------------------------------------------


def evidence_phrase(ev: Evidence, org: Mapping[str, object] | None = None) -> str:
    """The evidence in one phrase. Cases are called comparable only when they match the organisation (`org`: its
    facts; None describes the rule on its own), see `cases_differ`."""
    n = len(ev.cases)
    if n == 0:
        return "no studied case matches this pattern; the rule is our judgement"
    plural = "s" if n > 1 else ""
    # not called comparable when they differ (the confidence statement says how)
    who = f"{n} comparable hospital{plural}" if cases_differ(ev, org) is None else f"{n} hospital{plural}"
    base = f"{who} in one comparative study ({', '.join(ev.cases)})"
    if ev.judgement:
        base += ", extended to your situation by our judgement"
    return base


def cases_differ(ev: Evidence, org: Mapping[str, object] | None = None) -> str | None:
    """Why the cases behind a rule are not comparable to this organisation (a clause), or None when they are: their
    change was as radical as this one and they were at its stage. All twelve hospitals pursued radical redesign
    (Two-step institutional work L225-249) while getting departments to take up a chosen method (L237-243).
    An unknown radicalness or stage is a difference: the cases cannot be called comparable on an unknown."""
    if org is None or not ev.cases:
        return None
    radicalness, stage = org.get("radicalness"), org.get("stage")
    other_radicalness = ev.case_radicalness is not None and radicalness != ev.case_radicalness
    other_stage = bool(ev.case_stages) and stage not in ev.case_stages
    if not other_radicalness and not other_stage:
        return None
    span: list[str] = sorted(ev.case_stages, key=STAGES.index) or ["its"]
    when = f"between {span[0]} and {span[-1]}" if len(span) > 1 else f"at the {span[0]} stage"
    at = "the innovation's stage is not given" if stage is None else f"at the {stage} stage"
    if not other_radicalness:
        return f"those hospitals were {when}, {'and' if stage is None else 'not'} {at}"
    this = (
        "whether this innovation is radical or incremental is not given"
        if radicalness is None
        else f"this innovation is {radicalness}"
    )
    if not other_stage:
        return f"those hospitals pursued {ev.case_radicalness} change, and {this}"
    return f"those hospitals pursued {ev.case_radicalness} change {when}, and {this}, {at}"


def confidence(
    decided: Decided,
    rule: StrategyRule | None,
    warnings: list[Warning],
    sens: list[SensitivityChange],
    labels: Mapping[str, str],
    open_questions: list[str] | None = None,
    possible_warnings: list[WarningRule] | None = None,
    org: Mapping[str, object] | None = None,
) -> Confidence:
    """One statement of how firmly the answers and the evidence support the result. Never raised by a missing
    answer: a capping warning that depends on an unanswered question caps as if it applied."""
    if decided.outcome == INSUFFICIENT:
        return Confidence(
            level="none",
            statement="No confidence level: there are not enough answers to recommend a strategy.",
            reasons=["The answers that would decide it are missing."],
        )
    reasons: list[str] = []
    level = 0
    phrase = "which rule and which cases apply depends on the open questions"
    if rule is not None:
        n = len(rule.evidence.cases)
        level = max(i for i, least in enumerate(CASES_FOR_LEVEL) if n >= least)
        if rule.evidence.judgement and n:
            level = max(0, level - 1)
        phrase = evidence_phrase(rule.evidence, org)
    reasons.append(f"Evidence: {phrase}.")
    caps: list[str] = []
    differs = cases_differ(rule.evidence, org) if rule is not None else None
    if differs:
        level = 0
        caps.append(differs)
    if len(decided.possible) > 1:
        level = 0
        open_dims = open_questions or list(decided.unknown)
        names = join_words([lower_first(label_of(d, labels)) for d in open_dims])
        caps.append(f"it is the cautious choice while {names} {'is' if len(open_dims) == 1 else 'are'} unanswered")
    for w in warnings:
        if w.caps_confidence is not None and level > LEVELS.index(w.caps_confidence):
            level = LEVELS.index(w.caps_confidence)
        if w.caps_confidence is not None:
            caps.append(f"the warning \u2018{w.title}\u2019 applies")
    for pw in possible_warnings or []:
        if pw.caps_confidence is not None:
            level = min(level, LEVELS.index(pw.caps_confidence))
            caps.append(f"the warning \u2018{pw.title}\u2019 may apply, depending on unanswered questions")
    near = [c for c in sens if c.delta is not None and abs(c.delta) <= NEAR_CHANGE]
    if near:
        level = max(0, level - 1)
        c = near[0]
        caps.append(f"a change of {abs(c.delta or 0):.2f} in {lower_first(c.label)} would change it")
    reasons += [f"Lowered because {c}." for c in caps]
    statement = f"{LEVELS[level].capitalize()} confidence: {phrase}"
    if caps:
        statement += "; lowered because " + "; and because ".join(caps)
    return Confidence(level=LEVELS[level], statement=statement + ".", reasons=reasons)


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


def _insufficient_evidence() -> EvidenceBase:
    return EvidenceBase(
        cases=0,
        case_names=[],
        judgement="No strategy is chosen, so no case is cited.",
        source=SOURCE,
        strength="not applicable: no strategy chosen",
        note="Answer the open questions to get a strategy.",
    )


def _open_evidence(candidates: list[StrategyRule]) -> EvidenceBase:
    """The evidence when the rule that applies depends on open questions: each candidate with its cases."""
    note = " ".join(f"If \u2018{r.title}\u2019 applies: {evidence_phrase(r.evidence)}." for r in candidates)
    return EvidenceBase(
        cases=0,
        case_names=[],
        source=SOURCE,
        strength="depends on the open questions",
        note=note or "No single rule applies until the open questions are answered.",
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
        evidence = _open_evidence(candidates)
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
        evidence = _insufficient_evidence()
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
