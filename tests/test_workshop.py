"""The pure workshop aggregation: synthetic role personas, agreement, agenda, consensus, pockets, exports."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import AnswerSet, Context, ItemAnswer, default_bank
from assessment.scoring import score_dimensions
from assessment.vocabulary import DIMENSION_IDS
from assessment.workshop import (
    CSV_COLUMNS,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_SPACE,
    ConsensusScore,
    InvalidInput,
    MalformedJoinCode,
    Respondent,
    Responses,
    TextTooLong,
    WorkshopSummary,
    check_consensus,
    clean_text,
    individual_scores,
    innovation_context,
    join_code_odds,
    new_join_code,
    normalise_join_code,
    responses_csv,
    responses_frame,
    summarise,
    summarise_answer_sets,
    summary_json,
)

BANK = default_bank()
CTX = Context(innovation_title="Integrated frailty pathway", radicalness="radical", stage="adoption")

# Vignette profiles from the research notes (seeds_001_003_004.md section 4.7).
TWO_STEP = {  # V-004-D, constructed counterfactual: two_step
    **dict.fromkeys(DIMENSION_IDS, 3),
    "early_kol_involvement": 4,
    "meso_clinical_leadership": 4,
    "societal_value": 4,
    "clinician_engagement": 4,
    "top_down_support": 4,
    "flexible_leadership": 4,
    "multiplicity": 4,
    "heterogeneity": 4,
    "early_adopters": 4,
    "learning_infrastructure": 4,
    "mediating_managers": 4,
}
HOLD_BACK = {  # V-003-A, surgical directorate walk-out: hold_back
    **dict.fromkeys(DIMENSION_IDS, 3),
    "early_kol_involvement": 1,
    "meso_clinical_leadership": 1,
    "clinician_engagement": 1,
    "flexible_leadership": 1,
    "multiplicity": 2,
    "heterogeneity": 2,
    "ambiguity": 2,
    "professional_resistance": 5,
    "early_adopters": 1,
    "mediating_managers": 1,
}


def person(
    role: str,
    scores: dict[str, int] | None = None,
    *,
    department: str = "",
    name: str = "",
    items: dict[str, int | str] | None = None,
    mode: str = "full",
    pwf: bool | None = None,
    soe: bool | None = None,
) -> AnswerSet:
    """An answer set whose dimension scores are exactly `scores` (reverse items answered 6 - score)."""
    scores = {**dict.fromkeys(DIMENSION_IDS, 3), **(scores or {})}
    answers: dict[str, ItemAnswer] = {}
    for item in BANK.items_for(mode):  # type: ignore[arg-type]
        s = scores[item.dimension]
        answers[item.id] = ItemAnswer(value=6 - s if item.reverse else s)
    for item_id, v in (items or {}).items():
        answers[item_id] = ItemAnswer(value=v)
    ctx = CTX.model_copy(
        update={
            "respondent_role": role,
            "respondent_name": name,
            "department": department,
            "political_work_first": pwf,
            "step_one_evidence": soe,
        }
    )
    return AnswerSet(bank_version=BANK.bank_version, mode=mode, context=ctx, answers=answers)  # type: ignore[arg-type]


# ----- join codes -------------------------------------------------------------------------------------


def test_join_codes_are_readable_and_unambiguous() -> None:
    codes = {new_join_code() for _ in range(5000)}
    assert len(codes) == 5000
    for code in list(codes)[:500]:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}", code)
    assert not set("01ILO") & set(JOIN_CODE_ALPHABET)
    assert len(JOIN_CODE_ALPHABET) == 31 and JOIN_CODE_SPACE == 31**8 == 852_891_037_441


def test_join_code_odds_are_documented_numbers() -> None:
    odds = join_code_odds(live_workshops=1000)
    assert odds.bits == pytest.approx(39.63, abs=0.01)
    assert odds.p_per_guess == pytest.approx(1000 / 852_891_037_441)
    assert odds.guesses_per_day_per_client == 960
    assert odds.p_per_day_per_client == pytest.approx(1.13e-6, rel=0.01)
    assert odds.p_per_year_per_client == pytest.approx(4.1e-4, rel=0.01)


@pytest.mark.parametrize("typed", ["abcd-efgh", " ABCD EFGH ", "abcdefgh", "AB-CD-EF-GH", "abcd_efgh\n"])
def test_codes_are_read_as_typed(typed: str) -> None:
    assert normalise_join_code(typed) == "ABCD-EFGH"


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "Enter the workshop code"),
        ("ABCD-EFG", "8 letters and digits"),
        ("ABCD-EFGO", "never use 0, 1, I, L or O"),
        ("ABCD-EF1H", "never use 0, 1, I, L or O"),
        ("<script>", "cannot contain"),
        ("A" * 10_000, "not a workshop code"),
    ],
)
def test_malformed_codes_get_specific_messages(typed: str, fragment: str) -> None:
    with pytest.raises(MalformedJoinCode, match=re.escape(fragment)):
        normalise_join_code(typed)


# ----- text and inputs -----------------------------------------------------------------------------------


def test_clean_text_limits_and_keeps_hostile_text_as_given() -> None:
    html = '<img src=x onerror="alert(1)"> **bold** [link](javascript:alert(1))'
    assert clean_text(html, "comment", 1000) == html
    rtl = "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200f\U0001f469\u200d\u2695\ufe0f\U0001f44d"
    assert clean_text(rtl, "name", 200) == rtl
    assert clean_text("a\x00b\x1b[31mc\u202ed", "name", 200) == "ab[31mcd"  # control and override chars dropped
    with pytest.raises(TextTooLong, match=r"10,000 characters, and the limit is 1,000"):
        clean_text("x" * 10_000, "comment", 1000)


def test_consensus_validation() -> None:
    assert check_consensus("top_down_support", 4, "agreed after discussion").score == 4.0
    for bad in (0, 5.5, float("nan"), True, "4"):
        with pytest.raises(InvalidInput):
            check_consensus("top_down_support", bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="Unknown dimension"):
        check_consensus("morale", 3)
    with pytest.raises(TextTooLong):
        check_consensus("top_down_support", 3, "n" * 5000)


def test_innovation_context_drops_respondent_fields() -> None:
    ctx = innovation_context(
        CTX.model_copy(update={"respondent_name": "Dr X", "department": "ICU", "political_work_first": True})
    )
    assert ctx.respondent_name == "" and ctx.department == "" and ctx.political_work_first is None
    assert ctx.innovation_title == CTX.innovation_title


# ----- aggregation -------------------------------------------------------------------------------------


def test_identical_answers_give_full_agreement() -> None:
    sets = [person(r, TWO_STEP) for r in ("executive", "executive", "doctor", "doctor", "nurse")]
    s = summarise_answer_sets(sets, BANK, min_group=2)
    for dim in DIMENSION_IDS:
        d = s.dimensions[dim]
        assert d.mean == pytest.approx(TWO_STEP[dim])
        assert d.sd == 0.0 and d.rwg == 1.0 and d.rwg_j == 1.0 and d.agreement == "very_strong"
        assert d.n == 5 and d.sufficient
    assert s.agenda == []  # nothing to discuss
    assert s.group_result.recommendation.strategy == "two_step"
    assert s.role_disagreement.index == 0.0
    assert not s.perception_gap_flagged


def test_random_answers_show_no_agreement() -> None:
    """Uniform random ratings: r_wg near 0, although the dimension means vary little (the reason r_wg uses the
    item variances and not the variance of the dimension means)."""
    rng = np.random.default_rng(7)
    items = tuple(i.id for i in BANK.items_for("full"))
    people = tuple(Respondent(participant_id=i, role="nurse") for i in range(400))
    r = Responses(items, people, rng.integers(1, 6, (400, len(items))).astype(float), np.zeros((400, len(items)), bool))
    s = summarise(r, CTX, bank=BANK)
    for d in s.dimensions.values():
        assert d.rwg is not None and d.rwg < 0.1
        assert d.agreement == "none"


def test_group_score_is_the_mean_of_individual_scores_and_dont_know_is_not_imputed() -> None:
    a = person("doctor", {"top_down_support": 2})
    b = person("nurse", {"top_down_support": 5})
    unsure = {i.id: "dont_know" for i in BANK.items_by_dimension["top_down_support"]}
    c = person("middle_manager", {"top_down_support": 3}, items=unsure)
    s = summarise_answer_sets([a, b, c], BANK, min_group=2)
    d = s.dimensions["top_down_support"]
    scored = [i for i in BANK.items_by_dimension["top_down_support"] if not i.step_two_signal]
    assert d.mean == 3.5 and d.n == 2 and d.respondents == 3 and d.dont_know == len(scored)  # signals not counted
    assert d.sufficient  # 2 of 3 respondents have a usable score
    s2 = summarise_answer_sets([a, c, person("nurse", items=unsure)], BANK, min_group=2)
    assert not s2.dimensions["top_down_support"].sufficient  # 1 of 3: insufficient, not imputed
    assert s2.group_result.scores["top_down_support"].status == "insufficient_evidence"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_individual_scores_match_the_single_respondent_engine(data: st.DataObject) -> None:
    items = BANK.items_for("full")
    n = data.draw(st.integers(1, 6))
    values = st.one_of(st.none(), st.just("dont_know"), st.integers(1, 5))
    sets = []
    for _ in range(n):
        answers = {i.id: ItemAnswer(value=v) for i in items if (v := data.draw(values)) is not None}
        sets.append(AnswerSet(bank_version=BANK.bank_version, mode="full", context=CTX, answers=answers))
    responses = Responses.from_answer_sets(sets, BANK)
    x = individual_scores(responses, BANK)
    for row, a in enumerate(sets):
        engine = score_dimensions(BANK, a.ratings(), items)
        for j, dim in enumerate(DIMENSION_IDS):
            usable = engine[dim].usable
            assert (usable is None) == bool(np.isnan(x[row, j]))
            if usable is not None:
                assert x[row, j] == pytest.approx(usable, abs=0.006)
    s = summarise(responses, CTX, bank=BANK)
    for d in s.dimensions.values():
        assert d.rwg is None or 0.0 <= d.rwg <= 1.0
        assert d.mean is None or 1.0 <= d.mean <= 5.0


def test_perception_gap_when_executives_rate_engagement_above_clinicians() -> None:
    rosy = {"clinician_engagement": 5, "top_down_support": 5}
    bleak = {"clinician_engagement": 2, "top_down_support": 4}
    sets = [person("executive", rosy), person("executive", rosy), person("executive", rosy)]
    sets += [person("doctor", bleak), person("doctor", bleak), person("doctor", bleak)]
    s = summarise_answer_sets(sets, BANK)
    gaps = {g.dimension: g for g in s.perception_gaps}
    assert gaps["clinician_engagement"].flagged and gaps["clinician_engagement"].gap == 3.0
    assert "Perception gap" in gaps["clinician_engagement"].explanation
    assert gaps["clinician_engagement"].managers.n == 3 and gaps["clinician_engagement"].clinicians.n == 3
    assert gaps["top_down_support"].flagged and gaps["top_down_support"].gap == 1.0  # exactly 1.0 is flagged
    assert not gaps["mediating_managers"].flagged
    assert s.perception_gap_flagged
    assert "Micro-politics (2023)" in s.perception_gap_citations
    assert "Movement for improvement (2017), L237, L249" in s.perception_gap_citations


def test_no_perception_gap_below_one_point_or_without_both_groups() -> None:
    sets = [person("executive", {"clinician_engagement": 4}) for _ in range(2)]
    sets += [person("doctor", {"clinician_engagement": 4}) for _ in range(2)]
    sets += [person("nurse", {"clinician_engagement": 3}) for _ in range(2)]
    s = summarise_answer_sets(sets, BANK, min_group=2)
    gap = next(g for g in s.perception_gaps if g.dimension == "clinician_engagement")
    assert gap.gap == 0.5 and gap.clinicians.mean == 3.5  # clinicians pooled: (4 + 3) / 2
    assert not s.perception_gap_flagged
    only_managers = summarise_answer_sets([person("executive", {"clinician_engagement": 5})] * 3, BANK)
    gap = next(g for g in only_managers.perception_gaps if g.dimension == "clinician_engagement")
    assert gap.gap is None and not gap.flagged and "needs answers" in gap.explanation


def test_disagreement_agenda_order_sd_then_range_then_bank_order() -> None:
    items = tuple(i.id for i in BANK.items_for("full"))
    r = np.full((5, len(items)), 3.0)
    col = {i: k for k, i in enumerate(items)}
    r[:, col["tds_named_sponsor"]] = [1, 1, 2, 4, 4]  # var 2.3
    r[:, col["ce_whats_in_it"]] = [1, 1, 1, 3, 3]  # var 1.2, range 2
    r[:, col["pr_managerial_intrusion"]] = [1, 2, 2, 2, 4]  # var 1.2, range 3: before ce_whats_in_it
    r[:, col["sl_system_strategy_fit"]] = [3, 3, 3, 3, 4]  # var 0.2
    r[:, col["mcl_changed_sides"]] = [3, 3, 3, 3, 4]  # same: bank order decides
    roles = ["executive", "executive", "doctor", "doctor", "nurse"]
    people = tuple(Respondent(participant_id=i + 1, role=ro) for i, ro in enumerate(roles))
    s = summarise(Responses(items, people, r, np.zeros(r.shape, bool)), CTX, bank=BANK, agenda_size=5, min_group=2)
    assert [a.item_id for a in s.agenda] == [
        "tds_named_sponsor",
        "pr_managerial_intrusion",
        "ce_whats_in_it",
        "sl_system_strategy_fit",
        "mcl_changed_sides",
    ]
    top = s.agenda[0]
    assert top.rank == 1 and top.sd == pytest.approx(2.3**0.5, abs=0.01)
    assert top.by_role["executive"].mean == 1.0
    # the lone nurse is merged with the doctors, so that nobody's rating shows: (2 + 4 + 4) / 3
    assert set(top.by_role) == {"executive", "other_roles"} and top.by_role["other_roles"].mean == 3.33
    assert "Integrated frailty pathway" in top.text or "{innovation}" not in top.text


def test_persona_workshop_puts_political_items_on_the_agenda() -> None:
    """P1-P7 from the research notes (section 4.6): the managerial-intrusion, changed-sides and top-down
    support items should be near the top of the discussion agenda. Tendencies are judgement."""
    tds = {i.id: 5 for i in BANK.items_by_dimension["top_down_support"] if not i.reverse}
    tds_low = {i.id: 1 for i in BANK.items_by_dimension["top_down_support"] if not i.reverse}
    politics = [i.id for i in BANK.items if i.dimension in ("ambiguity", "multiplicity")]
    sets = [
        person("middle_manager", items={**dict.fromkeys(politics, "dont_know"), "pr_managerial_intrusion": 2}),  # P1
        person("doctor", items={"pr_managerial_intrusion": 3, "mcl_changed_sides": 3, **tds_low}),  # P2
        person("nurse", items={"pr_managerial_intrusion": 4, "mcl_changed_sides": 4, **tds_low}),  # P3
        person("doctor", items={"pr_managerial_intrusion": 5, "mcl_changed_sides": 5, **tds_low}),  # P4
        person("doctor", items={"pr_managerial_intrusion": 4, "mcl_changed_sides": 5}),  # P5
        person("executive", items={"pr_managerial_intrusion": 1, "mcl_changed_sides": 1, **tds}),  # P6
        person("executive", items={"pr_managerial_intrusion": 1, "mcl_changed_sides": 2, **tds}),  # P7
    ]
    s = summarise_answer_sets(sets, BANK)
    top = [a.item_id for a in s.agenda[:8]]
    assert "pr_managerial_intrusion" in top and "mcl_changed_sides" in top
    assert any(i.startswith("tds_") for i in top)
    # by role in vocabulary order, the merged roles last: 2 executives, a nurse and a manager are fewer than 3 each
    assert [(r.role, r.joined) for r in s.participation.by_role] == [("doctor", 3), ("other_roles", 4)]
    assert s.dimensions["ambiguity"].dont_know >= len(BANK.items_by_dimension["ambiguity"])


def test_role_recommendations_differ_from_the_group() -> None:
    sets = [person("executive", TWO_STEP) for _ in range(3)] + [person("doctor", HOLD_BACK) for _ in range(4)]
    sets += [person("nurse", TWO_STEP) for _ in range(2)]  # too few respondents for their own recommendation
    s = summarise_answer_sets(sets, BANK, min_group=2)
    by_role = {g.role: g for g in s.role_groups}
    assert by_role["executive"].strategy == "two_step"
    assert by_role["doctor"].strategy == "hold_back"
    assert not by_role["nurse"].enough and by_role["nurse"].strategy is None
    group = s.group_result.recommendation.strategy
    assert by_role["executive"].differs_from_group == (group != "two_step")
    assert by_role["doctor"].differs_from_group == (group != "hold_back")
    assert by_role["executive"].differs_from_group or by_role["doctor"].differs_from_group
    assert s.dimensions["clinician_engagement"].by_role["doctor"].mean == 1.0
    # executives vs doctors differ on 11 dimensions; the index is the mean absolute difference (n >= 2 per role)
    assert s.role_disagreement.roles_compared == ["executive", "doctor", "nurse"]
    # pairs: executive-doctor and doctor-nurse differ, executive-nurse agree
    expected = np.mean([abs(TWO_STEP[d] - HOLD_BACK[d]) for d in DIMENSION_IDS]) * 2 / 3
    assert s.role_disagreement.index == pytest.approx(expected, abs=0.01)
    assert s.role_disagreement.largest[0].difference == 3.0
    assert s.role_disagreement.heterogeneity_score == s.group_result.scores["heterogeneity"].mean
    assert "points on the 1-5" in s.role_disagreement.explanation


def test_consensus_overrides_and_says_so() -> None:
    sets = [person(r, TWO_STEP) for r in ("executive", "doctor", "nurse")]
    plain = summarise_answer_sets(sets, BANK)
    assert plain.result.recommendation.strategy == "two_step" and not plain.consensus_used
    agreed = [
        ConsensusScore(dimension="flexible_leadership", score=2, note="Leaders fix the content"),
        ConsensusScore(dimension="mediating_managers", score=2),
    ]
    s = summarise_answer_sets(sets, BANK, consensus=agreed)
    assert s.consensus_used and s.consensus_dimensions == ["flexible_leadership", "mediating_managers"]
    assert s.result.scores["flexible_leadership"].mean == 2.0
    assert s.result.scores["early_adopters"].mean == 4.0  # aggregate fills the others
    assert s.group_result.recommendation.strategy == "two_step"
    assert s.result.recommendation.strategy != "two_step" and s.consensus_changed_strategy
    d = s.dimensions["flexible_leadership"]
    assert d.mean == 4.0 and d.consensus == 2.0 and d.final == 2.0 and d.consensus_note == "Leaders fix the content"


def test_consensus_can_fill_an_insufficient_dimension() -> None:
    unsure = {i.id: "dont_know" for i in BANK.items_by_dimension["partnerships"]}
    sets = [person("nurse", items=unsure), person("doctor", items=unsure)]
    s = summarise_answer_sets(sets, BANK, consensus={"partnerships": ConsensusScore(dimension="partnerships", score=3)})
    assert s.dimensions["partnerships"].mean is None and s.dimensions["partnerships"].final == 3.0
    assert s.result.scores["partnerships"].sufficient and not s.group_result.scores["partnerships"].sufficient


def test_department_pockets() -> None:
    keen = {"early_adopters": 5, "clinician_engagement": 4}
    cold = {"early_adopters": 1, "clinician_engagement": 2}
    sets = [
        person("nurse", keen, department="Anaesthesia"),
        person("nurse", keen, department="anaesthesia "),  # same tag, different spelling
        person("nurse", cold, department="Surgery"),
        person("nurse", cold, department="Surgery"),
        person("nurse", cold, department="Elderly care"),
        person("nurse", cold, department="Elderly care"),
        person("nurse", cold),  # no tag
        person("nurse", cold),
    ]
    s = summarise_answer_sets(sets, BANK, min_group=2)
    p = s.department_pockets
    assert p.flagged
    assert [d.department for d in p.departments] == ["Anaesthesia", "Elderly care", "Surgery"]
    assert p.departments[0].respondents == 2
    assert p.high["early_adopters"] == ["Anaesthesia"] and p.low["early_adopters"] == ["Elderly care", "Surgery"]
    assert "Pockets of converts" in p.explanation and "Movement for improvement (2017)" in p.explanation
    even = summarise_answer_sets([person("nurse", keen, department=d) for d in "AABB"], BANK, min_group=2)
    assert not even.department_pockets.flagged


def test_a_department_that_would_single_out_one_role_member_is_held_back() -> None:
    """Doctors and nurses are shown as role groups; each department holds one doctor and one nurse, so a
    department's mean beside the doctors' would leave atoms of one person: the departments give way."""
    keen = {"early_adopters": 5, "clinician_engagement": 4}
    cold = {"early_adopters": 1, "clinician_engagement": 2}
    sets = [
        person("nurse", keen, department="Anaesthesia"),
        person("doctor", keen, department="Anaesthesia"),
        person("doctor", cold, department="Surgery"),
        person("nurse", cold, department="Surgery"),
    ]
    s = summarise_answer_sets(sets, BANK, min_group=2)
    assert s.dimensions["early_adopters"].by_role["doctor"].mean == 3.0
    assert all(d.scores["early_adopters"].mean is None for d in s.department_pockets.departments)
    assert not s.department_pockets.flagged


def test_plan_facts_by_majority() -> None:
    sets = [
        person("nurse", TWO_STEP, pwf="yes", soe="yes"),
        person("doctor", TWO_STEP, pwf="yes", soe="no"),
        person("doctor", TWO_STEP, pwf="no"),
    ]
    s = summarise_answer_sets(sets, BANK)
    assert s.plan_facts["political_work_first"].majority == "yes"
    assert s.plan_facts["step_one_evidence"].majority is None  # a tie
    assert s.plan_facts["step_one_evidence"].unanswered == 1
    assert s.group_result.context["political_work_first"] == "yes"
    assert any(w.id == "political_work_first" for w in s.group_result.recommendation.warnings)


def test_participation_and_submitted_only() -> None:
    sets = [person("nurse", TWO_STEP), person("nurse", TWO_STEP), person("doctor", HOLD_BACK)]
    sets.append(AnswerSet(bank_version="x", context=CTX))
    responses = Responses.from_answer_sets(sets, BANK, submitted=[True, True, False, False])
    s = summarise(responses, CTX, bank=BANK, min_group=2)
    assert s.participation.joined == 4 and s.participation.started == 3 and s.participation.submitted == 2
    assert not s.participation.all_submitted
    assert s.dimensions["clinician_engagement"].respondents == 3
    only = summarise(responses, CTX, bank=BANK, submitted_only=True, min_group=2)
    assert only.submitted_only and only.dimensions["clinician_engagement"].mean == 4.0
    assert only.participation.joined == 4  # participation always counts everyone


def test_empty_workshop_summarises() -> None:
    s = summarise_answer_sets([], BANK, context=CTX)
    assert not s.has_answers and s.participation.joined == 0 and s.agenda == []
    assert all(not d.sufficient for d in s.dimensions.values())
    assert s.role_disagreement.index is None and not s.perception_gap_flagged


def test_quick_mode_uses_core_items_only() -> None:
    sets = [person("nurse", TWO_STEP, mode="quick"), person("doctor", HOLD_BACK, mode="quick")]
    s = summarise_answer_sets(sets, BANK)
    assert s.mode == "quick"
    assert {a.item_id for a in s.agenda} <= {i.id for i in BANK.items_for("quick")}
    with pytest.raises(InvalidInput, match="mix quick scans and full"):
        Responses.from_answer_sets([sets[0], person("nurse")], BANK)


# ----- exports -----------------------------------------------------------------------------------------


def test_responses_frame_and_csv() -> None:
    a = person("nurse", TWO_STEP, name="", department="Ward 5", items={"ce_protected_time": "dont_know"})
    a.answers["tds_named_sponsor"] = ItemAnswer(value=2, comment='=HYPERLINK("http://x","click") <b>hi</b>')
    b = person("doctor", HOLD_BACK, name="Dr \u05e9\u05dc\u05d5\u05dd \U0001f44d", department="+ICU")
    responses = Responses.from_answer_sets([a, b], BANK, participant_ids=[11, 12])
    frame = responses_frame(responses, BANK)
    assert list(frame.columns) == [
        "participant",
        "name",
        "role",
        "department",
        "submitted",
        "item_id",
        "dimension",
        "value",
        "comment",
    ]
    assert len(frame) == 2 * len(BANK.items)
    assert set(frame.loc[frame.participant == 11, "name"]) == {""}
    assert set(frame.loc[frame.participant == 12, "name"]) == {"Dr \u05e9\u05dc\u05d5\u05dd \U0001f44d"}
    row = frame[(frame.participant == 11) & (frame.item_id == "ce_protected_time")].iloc[0]
    assert row.value == "dont_know" and row.dimension == "clinician_engagement"
    assert frame[(frame.participant == 11) & (frame.item_id == "tds_named_sponsor")].iloc[0].value == 2
    # the download: two people only, and k = 3, so nothing but the header
    assert responses_csv(responses, BANK).splitlines() == [",".join(CSV_COLUMNS)]
    c = b.model_copy(deep=True)
    c.answers["tds_named_sponsor"] = ItemAnswer(value=5, comment="@SUM(A1)")
    d = a.model_copy(deep=True)
    d.context = d.context.model_copy(update={"respondent_name": "Nurse Ann"})
    four = Responses.from_answer_sets([a, b, c, d], BANK, participant_ids=[11, 12, 13, 14])
    back = pd.read_csv(io.StringIO(responses_csv(four, BANK, min_group=2)), keep_default_na=False)
    assert list(back.columns) == CSV_COLUMNS and len(back) == 4 * len(BANK.items)  # no name, no participant id
    assert sorted(back.respondent.unique()) == [1, 2, 3, 4]
    # no role and no department: a row labelled "doctor" that appears between two releases would be that doctor
    assert list(back.columns) == ["respondent", "item_id", "dimension", "value", "comment"]
    text = responses_csv(four, BANK, min_group=2, excel_safe=False)
    assert [w for w in ("Ward 5", "ICU", "nurse", "doctor") if w in text] == []
    comments = set(back[back.item_id == "tds_named_sponsor"].comment)
    assert comments == {'\'=HYPERLINK("http://x","click") <b>hi</b>', "", "'@SUM(A1)"}  # neutralised
    assert "Nurse Ann" not in responses_csv(four, BANK, min_group=2)
    raw = responses_csv(four, BANK, min_group=2, excel_safe=False)
    assert '"=HYPERLINK(""http://x"",""click"") <b>hi</b>"' in raw


def test_summary_json_round_trips() -> None:
    sets = [person("executive", TWO_STEP), person("doctor", HOLD_BACK), person("nurse", HOLD_BACK)]
    s = summarise_answer_sets(sets, BANK, title="Frailty <workshop>")
    again = WorkshopSummary.model_validate_json(summary_json(s))
    assert again.result.recommendation.strategy == s.result.recommendation.strategy
    assert again.dimensions["clinician_engagement"].mean == s.dimensions["clinician_engagement"].mean
    assert again.title == "Frailty <workshop>"
