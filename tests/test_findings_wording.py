"""Issue 19, finding 4: the findings never claim from missing data (pure wording functions)."""

from __future__ import annotations

from assessment.workshop.findings import pockets_explanation
from assessment.workshop.models import (
    POCKET_DIMENSIONS,
    DepartmentScore,
    GroupScore,
    PerceptionGap,
    RoleGroupResult,
)
from assessment.workshop.wording import perception_gap_finding, role_finding, role_verdict


def _gap(dim: str, label: str, gap: float | None, *, n: int = 0) -> PerceptionGap:
    mean = None if gap is None else 3.0
    return PerceptionGap(
        dimension=dim,
        label=label,
        managers=GroupScore(mean=mean, n=n),
        clinicians=GroupScore(mean=mean, n=n),
        gap=gap,
        flagged=gap is not None and gap >= 1.0,
        explanation=f"Perception gap on {label.lower()}" if gap is not None and gap >= 1.0 else "",
    )


def test_no_perception_gap_is_never_claimed_when_nothing_was_compared():
    gaps = [_gap("clinician_engagement", "Clinician engagement", None), _gap("top_down_support", "Support", None)]
    kind, lines, needs = perception_gap_finding(gaps, 3)
    assert kind == "missing" and lines == []
    assert "at least 3 executives or managers and 3 clinicians" in needs


def test_no_perception_gap_names_only_the_dimensions_compared():
    gaps = [_gap("clinician_engagement", "Clinician engagement", 0.2, n=4), _gap("top_down_support", "Support", None)]
    kind, lines, needs = perception_gap_finding(gaps, 3)
    assert kind == "clear"
    assert lines == [
        "No perception gap on clinician engagement: executives and managers do not rate it 1.0 points or more "
        "above clinicians."
    ]
    assert needs.startswith("Support: not compared yet")


def test_a_flagged_gap_is_flagged():
    kind, lines, needs = perception_gap_finding([_gap("clinician_engagement", "Clinician engagement", 1.4, n=4)], 3)
    assert kind == "flagged" and lines == ["Perception gap on clinician engagement"] and needs == ""


def _role(role: str, label: str, strategy: str | None, differs: bool | None, *, enough: bool = True):
    return RoleGroupResult(
        role=role,
        label=label,
        respondents=3 if enough else 1,
        enough=enough,
        scores={},
        strategy=strategy,  # type: ignore[arg-type]
        strategy_label={"insufficient_evidence": "Not enough answers to recommend"}.get(strategy or "", strategy),
        differs_from_group=differs,
    )


def test_a_role_without_a_recommendation_is_not_counted_as_differing():
    roles = [
        _role("doctor", "Doctor", "insufficient_evidence", True),
        _role("nurse", "Nurse", "two_step", False),
    ]
    kind, text = role_finding(roles, "Two-step institutional work")
    assert kind == "clear"
    assert "point to Not enough answers" not in text
    assert "(Nurse) points to the same strategy" in text
    assert "Doctor respondents' answers alone give no recommendation" in text
    assert role_verdict(roles[0]) == ("no recommendation", "not compared: their answers alone give no recommendation")
    assert role_verdict(_role("nurse", "Nurse", None, None))[0] == "no recommendation"


def test_only_roles_with_their_own_recommendation_differ():
    roles = [
        _role("doctor", "Doctor", "hold_back", True),
        _role("nurse", "Nurse", None, True),
        _role("executive", "Executive", "two_step", True, enough=False),
    ]
    kind, text = role_finding(roles, "Two-step institutional work")
    assert kind == "flagged"
    assert text.count("answers alone point to") == 1 and "Doctor respondents' answers alone point to hold_back" in text


def test_no_role_to_compare_says_what_is_needed():
    kind, text = role_finding([_role("doctor", "Doctor", "insufficient_evidence", True)], "X")
    assert kind == "missing" and "at least 3 respondents" in text and "same strategy" not in text


def _dept(name: str, mean: float | None) -> DepartmentScore:
    return DepartmentScore(
        department=name, respondents=3, scores={d: GroupScore(mean=mean, n=3) for d in POCKET_DIMENSIONS}
    )


def _empty() -> dict[str, list[str]]:
    return {d: [] for d in POCKET_DIMENSIONS}


def test_pockets_fewer_than_two_departments_named():
    text = pockets_explanation(1, [_dept("Surgery", 3.0)], _empty(), _empty(), 3)
    assert "at least two departments" in text and "one was named" in text


def test_pockets_departments_merged_or_held_back_are_said_apart():
    merged = pockets_explanation(3, [_dept("Other departments", 3.0)], _empty(), _empty(), 3)
    assert "3 departments were named" in merged and "merged" in merged and "nobody can be worked out" in merged
    held = pockets_explanation(3, [_dept("Surgery", None), _dept("Other departments", None)], _empty(), _empty(), 3)
    assert "3 departments were named" in held and "No department pockets" not in held


def test_pockets_no_claim_unless_two_departments_are_shown():
    text = pockets_explanation(2, [_dept("Surgery", 3.0), _dept("Wards", 3.2)], _empty(), _empty(), 3)
    assert text.startswith("No department pockets among the departments shown")
