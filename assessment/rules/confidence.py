"""How firmly the answers and the evidence support a result: the confidence statement, and the evidence behind a
rule in words (its cases, and whether they are comparable to this organisation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ..results import Confidence, EvidenceBase, SensitivityChange, Warning
from ..vocabulary import INSUFFICIENT, STAGES
from .open_questions import join_words, label_of, lower_first
from .outcome import Decided
from .table import Evidence, StrategyRule, WarningRule

LEVELS: tuple[Literal["low", "medium", "high"], ...] = ("low", "medium", "high")
NEAR_CHANGE = 0.25  # a change this small or smaller in one score that alters the result lowers confidence a level
# cases behind a strategy rule for each confidence level, before caps (README: "high only when four or more")
CASES_FOR_LEVEL: tuple[int, ...] = (0, 2, 4)  # low, medium, high
SOURCE = "Two-step institutional work"


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


def insufficient_evidence() -> EvidenceBase:
    return EvidenceBase(
        cases=0,
        case_names=[],
        judgement="No strategy is chosen, so no case is cited.",
        source=SOURCE,
        strength="not applicable: no strategy chosen",
        note="Answer the open questions to get a strategy.",
    )


def open_evidence(candidates: list[StrategyRule]) -> EvidenceBase:
    """The evidence when the rule that applies depends on open questions: each candidate with its cases."""
    note = " ".join(f"If \u2018{r.title}\u2019 applies: {evidence_phrase(r.evidence)}." for r in candidates)
    return EvidenceBase(
        cases=0,
        case_names=[],
        source=SOURCE,
        strength="depends on the open questions",
        note=note or "No single rule applies until the open questions are answered.",
    )
