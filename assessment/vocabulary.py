"""Fixed identifiers shared by the question bank, the rules, the app and the report.

These ids are a contract: other tools, saved answer files and tests rely on them.
"""

from __future__ import annotations

from typing import Literal

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
STRATEGIES: tuple[str, ...] = ("hold_back", "centralized_project", "two_step")

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
STRATEGY_LABELS: dict[str, str] = {
    "hold_back": "Hold back",
    "centralized_project": "Centralized project",
    "two_step": "Two-step institutional work",
}

SCORE_MIN = 1.0
SCORE_MAX = 5.0
MIN_COVERAGE = 0.5  # below this share of answered items a dimension is "insufficient evidence"
