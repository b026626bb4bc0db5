"""Issue 20, finding 2: a rule claims comparable cases only for an organisation whose change is as radical as
theirs, at a stage they were in; otherwise confidence is at most low and says why."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import assess_profile, parse_profile
from assessment.rules import load_rulebook

ENTRENCHED = {
    "professional_resistance": 4.5,
    "multiplicity": 1.5,
    "heterogeneity": 1.5,
    "ambiguity": 1.5,
    "early_adopters": 3.0,
    "learning_infrastructure": 3.0,
    "mediating_managers": 3.0,
    "top_down_support": 3.0,
    "system_leadership": 3.0,
    "partnerships": 3.0,
}
PLAN = {"political_work_first": "no", "step_one_evidence": "no"}


def rec(scores: dict[str, float], **context: object):
    return assess_profile(
        parse_profile({"scores": scores, "context": {"stage": "adoption", **PLAN, **context}})
    ).recommendation


def test_an_incremental_innovation_never_gets_high_confidence_from_radical_cases() -> None:
    r = rec(ENTRENCHED, radicalness="incremental")
    assert r.strategy == "hold_back"
    assert r.confidence.level == "low"
    assert "comparable" not in r.confidence.statement
    assert "radical change per se" not in r.reason and "tolerant of radical change" not in r.reason
    assert r.evidence_base.cases == 0  # the incremental rule names no case


def test_a_rule_that_names_cases_fires_only_for_their_radicalness_or_says_why() -> None:
    """No-allies hold back names the four radical hospitals; for an incremental change it says they differ."""
    r = rec({**ENTRENCHED, "early_adopters": 1.5, "professional_resistance": 2.0}, radicalness="incremental")
    assert r.rule_id == "hold_back_no_allies"
    assert r.confidence.level == "low"
    assert "pursued radical change, and this innovation is incremental" in r.confidence.statement
    assert "comparable" not in r.evidence_base.strength


def test_the_radical_entrenched_case_keeps_its_evidence() -> None:
    r = rec(ENTRENCHED, radicalness="radical")
    assert r.rule_id == "hold_back_entrenched" and r.confidence.level == "high"
    assert "4 comparable hospitals" in r.confidence.statement


@settings(max_examples=150, deadline=None)
@given(
    scores=st.dictionaries(
        st.sampled_from(sorted(ENTRENCHED)), st.sampled_from([1.5, 2.5, 3.0, 3.5, 4.5]), min_size=len(ENTRENCHED)
    )
)
def test_confidence_is_never_above_low_when_the_cases_differ_in_radicalness(scores: dict[str, float]) -> None:
    book = load_rulebook()
    r = rec(scores, radicalness="incremental")
    if r.rule_id is not None and book.rule(r.rule_id).evidence.cases:
        assert r.confidence.level == "low" and "comparable" not in r.confidence.statement


def test_cases_from_another_stage_are_not_called_comparable() -> None:
    """The twelve hospitals were getting departments to take up a chosen method: an organisation still choosing its
    innovation, or keeping one going, is not in their situation."""
    for stage in ("ideation", "sustainability"):
        r = rec(ENTRENCHED, radicalness="radical", stage=stage)
        assert r.rule_id == "hold_back_entrenched"
        assert r.confidence.level == "low", stage
        assert f"those hospitals were between adoption and implementation, not at the {stage} stage" in (
            r.confidence.statement
        )
        assert "comparable" not in r.confidence.statement and "comparable" not in r.evidence_base.strength
    for stage in ("adoption", "diffusion", "implementation"):
        r = rec(ENTRENCHED, radicalness="radical", stage=stage)
        assert r.confidence.level == "high" and "4 comparable hospitals" in r.confidence.statement


def test_a_difference_in_radicalness_and_stage_is_said_once_with_both() -> None:
    r = rec({**ENTRENCHED, "early_adopters": 1.5, "professional_resistance": 2.0}, radicalness="incremental",
            stage="ideation")  # fmt: skip
    assert r.confidence.level == "low"
    assert r.confidence.statement.count("those hospitals") == 1
    assert "this innovation is incremental, at the ideation stage" in r.confidence.statement


@settings(max_examples=100, deadline=None)
@given(
    scores=st.dictionaries(
        st.sampled_from(sorted(ENTRENCHED)), st.sampled_from([1.5, 2.5, 3.0, 3.5, 4.5]), min_size=len(ENTRENCHED)
    ),
    stage=st.sampled_from(["ideation", "sustainability"]),
)
def test_confidence_is_never_above_low_when_the_cases_differ_in_stage(scores: dict[str, float], stage: str) -> None:
    book = load_rulebook()
    r = rec(scores, radicalness="radical", stage=stage)
    if r.rule_id is not None and book.rule(r.rule_id).evidence.cases:
        assert r.confidence.level == "low" and "comparable" not in r.confidence.statement
