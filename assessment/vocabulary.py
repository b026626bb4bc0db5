"""Fixed identifiers shared by the question bank, the rules, the app and the report.

These ids are a contract: other tools, saved answer files and tests rely on them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeGuard

import yaml

from .sources import DATA_DIR

INGREDIENTS: tuple[str, ...] = (
    "system_leadership",
    "early_kol_involvement",
    "meso_clinical_leadership",
    "societal_value",
    "clinician_engagement",
    "partnerships",
    "top_down_support",
    "flexible_leadership",
)
AFFORDANCES: tuple[str, ...] = ("multiplicity", "heterogeneity", "ambiguity")
CONDITIONS: tuple[str, ...] = (
    "professional_resistance",
    "early_adopters",
    "learning_infrastructure",
    "mediating_managers",
)
DIMENSION_IDS: tuple[str, ...] = INGREDIENTS + AFFORDANCES + CONDITIONS

GROUPS: dict[str, tuple[str, ...]] = {
    "ingredients": INGREDIENTS,
    "affordances": AFFORDANCES,
    "conditions": CONDITIONS,
}
GROUP_LABELS: dict[str, str] = {
    "ingredients": "Innovation-success ingredients",
    "affordances": "Micro-institutional affordances",
    "conditions": "Resistance and enabling conditions",
}

Strategy = Literal["hold_back", "centralized_project", "two_step"]
STRATEGIES: tuple[str, ...] = ("hold_back", "centralized_project", "two_step")  # most cautious first
INSUFFICIENT: Literal["insufficient_evidence"] = "insufficient_evidence"
# What the engine returns: one of the three strategies, or "insufficient_evidence" when the answers cannot
# support any strategy (an unknown answer could lead to holding back, so no bolder strategy may be given).
Outcome = Literal["hold_back", "centralized_project", "two_step", "insufficient_evidence"]
OUTCOMES: tuple[str, ...] = (*STRATEGIES, INSUFFICIENT)
CAUTION: dict[str, int] = {s: i for i, s in enumerate(STRATEGIES)}  # 0 = most cautious

# The one set of cut points on the 1-5 scale, used by the rules, the status labels and the charts:
# below 2.5 is "weak" (low), from 2.5 to below 3.5 "moderate", from 3.5 "strong" (high). They are the
# mid-points between the anchor levels: our judgement, not the sources' (the case studies describe their
# hospitals in words, not numbers).
WEAK_BELOW = 2.5
STRONG_FROM = 3.5
CUT_POINTS: tuple[float, ...] = (WEAK_BELOW, STRONG_FROM)
Band = Literal["low", "moderate", "high"]
BANDS: tuple[str, ...] = ("low", "moderate", "high")
# The one table of words for a dimension's status (scoring.status_for reads the band, reversed for a dimension
# where higher is worse): every table, chart, card and sentence that gives a score a band word takes it from here.
STATUS_LABELS: dict[str, str] = {
    "strong": "Strong",
    "developing": "Developing",
    "weak": "Weak",
    "insufficient_evidence": "Insufficient evidence",
}

Mode = Literal["quick", "full"]  # quick scan (core items) or full assessment
Stage = Literal["ideation", "adoption", "diffusion", "implementation", "sustainability"]
STAGES: tuple[str, ...] = ("ideation", "adoption", "diffusion", "implementation", "sustainability")

Radicalness = Literal["incremental", "radical"]

Role = Literal[
    "executive",
    "middle_manager",
    "doctor",
    "nurse",
    "allied_health",
    "commissioner",
    "patient_public",
    "other",
]
ROLE_LABELS: dict[str, str] = {
    "executive": "Executive",
    "middle_manager": "Middle or quality manager",
    "doctor": "Doctor",
    "nurse": "Nurse",
    "allied_health": "Allied health professional",
    "commissioner": "Commissioner",
    "patient_public": "Patient or public representative",
    "other": "Other",
}
CLINICAL_ROLES: tuple[str, ...] = ("doctor", "nurse", "allied_health")
MANAGERIAL_ROLES: tuple[str, ...] = ("executive", "middle_manager")

STAGE_LABELS: dict[str, str] = {s: s.capitalize() for s in STAGES}


def _strategy_labels() -> dict[str, str]:
    """Each outcome's label as rules.yaml gives it (its `strategies` table), the one place the words are written;
    the rules package validates the whole file, this reads only the labels (C parser: a few milliseconds)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((DATA_DIR / "rules.yaml").read_text(encoding="utf-8"), Loader=loader)
    return {str(k): str(v["label"]) for k, v in raw["strategies"].items()}


STRATEGY_LABELS: dict[str, str] = _strategy_labels()

# The two plan questions, and the one shape of their answers everywhere (answers files, the store, the
# widgets, the workshop, the report): "yes" / "no" / "not_sure", and None for "not answered".
PlanFact = Literal["political_work_first", "step_one_evidence"]
PLAN_FACTS: tuple[str, ...] = ("political_work_first", "step_one_evidence")
PlanAnswer = Literal["yes", "no", "not_sure"]
PLAN_ANSWERS: tuple[str, ...] = ("yes", "no", "not_sure")
PLAN_ANSWER_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
# How the rules read a plan answer (a fact value in rules.yaml): True, False, or one of the two unknowns.
PlanReading = bool | Literal["not_sure", "unanswered"]
PLAN_READINGS: tuple[PlanReading, ...] = (True, False, "not_sure", "unanswered")


def plan_reading(answer: PlanAnswer | None) -> PlanReading:
    """The one reading of a plan answer: "yes" -> the fact holds (True), "no" -> it does not (False). "Not sure"
    and no answer stay unknown ("not_sure" / "unanswered") and are read cautiously: never as "no", so they never
    make the advice bolder (the rules warn on them, and two-step work stays in step one)."""
    if answer == "yes":
        return True
    if answer == "no":
        return False
    return "not_sure" if answer == "not_sure" else "unanswered"


def migrate_plan_answer(value: object) -> object:
    """An older stored shape of a plan answer in today's: true -> "yes", false -> "no" (answers files of schema
    version 1 and workshop records before migration 0008). Anything else is returned as it is, to be validated
    as a `PlanAnswer`."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


SCORE_MIN = 1.0
SCORE_MAX = 5.0
# The coverage rule (scoring.is_sufficient): a score needs at least this share of what was asked. A person's
# dimension score needs this share of its items rated; a group score, this share of the respondents scored.
MIN_COVERAGE = 0.5

# Agreement within a workshop group, r_wg: the conventional bands (LeBreton and Senter 2008), each band for an
# r_wg above its lower bound. Above 0.70 is the usual bar for treating a group score as shared.
Agreement = Literal["very_strong", "strong", "moderate", "weak", "none", "unknown"]
STRONG_AGREEMENT_ABOVE = 0.70
AGREEMENT_ABOVE: tuple[tuple[float, Agreement], ...] = (
    (0.90, "very_strong"),
    (STRONG_AGREEMENT_ABOVE, "strong"),
    (0.50, "moderate"),
    (0.30, "weak"),
)
# The one set of words for the bands: a label, and a word or two for charts, the board and the slide.
AGREEMENT_LABELS: dict[str, str] = {
    "very_strong": "Very strong agreement",
    "strong": "Strong agreement",
    "moderate": "Moderate agreement",
    "weak": "Weak agreement",
    "none": "No agreement",
    "unknown": "Not enough answers to judge agreement",
}
AGREEMENT_SHORT: dict[str, str] = {
    "very_strong": "very strong",
    "strong": "strong",
    "moderate": "moderate",
    "weak": "weak",
    "none": "none",
    "unknown": "not enough answers",
}


def is_strategy(value: str) -> TypeGuard[Strategy]:
    """Whether `value` is one of the three strategies (narrows a plain string to `Strategy`)."""
    return value in CAUTION


def band_of(value: float) -> Band:
    """The band a 1-5 score falls in (the cut points above)."""
    if value < WEAK_BELOW:
        return "low"
    return "moderate" if value < STRONG_FROM else "high"


def long_date(d: date) -> str:
    """A date as people read it, the one form every output uses: '7 December 2026' (no leading zero)."""
    return f"{d.day} {d:%B %Y}"
