"""The anonymity threshold k: no figure that describes fewer than k people, in any view.

The leak this guards against (issue 11, finding 1): with one person in a role or department, the disagreement
agenda, the perception gaps and the department comparison showed that person's scores ("Doctor 1.0 (n = 1)").
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from test_workshop import CTX, person

from assessment import default_bank
from assessment.disclosure.policy import shown_pairs
from assessment.vocabulary import DIMENSION_IDS
from assessment.workshop import (
    OTHER_DEPARTMENTS,
    OTHER_ROLES,
    Responses,
    WorkshopSummary,
    anonymised_frame,
    individual_scores,
    pool_small_groups,
    responses_csv,
    summarise_answer_sets,
    summary_json,
)

BANK = default_bank()
LONE = {"doctor": 1.0, "nurse": 5.0, "middle_manager": 2.0}  # each of these roles has one person
ROOM = 27  # allied health professionals, all rating 4


def thirty() -> list:
    """A group of 30 with one doctor, one nurse and one manager, each with a score nobody else gives."""
    sets = [person("allied_health", dict.fromkeys(DIMENSION_IDS, 4), department="Therapies") for _ in range(ROOM)]
    for role, score in LONE.items():
        s = int(score)
        sets.append(person(role, dict.fromkeys(DIMENSION_IDS, s), department=f"{role} ward", name=role.title()))
    for a in sets:
        a.answers["ce_whats_in_it"] = dataclasses.replace(a.answers["ce_whats_in_it"], comment="a comment")
    return sets


def small_figures(node: Any, k: int, path: str = "") -> list[str]:
    """Every mean in a dumped summary that describes fewer than k people (a dict with 'mean' and 'n')."""
    found: list[str] = []
    if isinstance(node, dict):
        if "mean" in node and "n" in node and node["mean"] is not None and node["n"] < k:
            found.append(f"{path}: mean {node['mean']} from n = {node['n']}")
        for key, value in node.items():
            found += small_figures(value, k, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += small_figures(value, k, f"{path}[{i}]")
    return found


EXTREMES = {"min", "max", "range", "lowest", "highest"}


def extremes(node: Any, path: str = "") -> list[str]:
    """Every lowest, highest or range figure in a dumped summary: each end is one person's score."""
    found: list[str] = []
    if isinstance(node, dict):
        found += [f"{path}.{key}" for key in node if key in EXTREMES]
        for key, value in node.items():
            found += extremes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += extremes(value, f"{path}[{i}]")
    return found


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 12)), st.integers(2, 6))
def test_every_shown_group_has_none_or_at_least_k_members(sizes: dict[str, int], k: int) -> None:
    """Whenever the whole group has at least k members (summarise shows nothing otherwise)."""
    assume(sum(sizes.values()) >= k)
    shown = pool_small_groups(sizes, k, "other")
    totals: dict[str, int] = {}
    for group, target in shown.items():
        totals[target] = totals.get(target, 0) + sizes[group]
    assert all(n >= k for n in totals.values()), totals
    assert all(target in (group, "other") for group, target in shown.items())
    assert all(shown[g] == g for g, n in sizes.items() if n >= k and "other" not in totals)


def test_the_json_of_a_group_of_thirty_shows_no_individual() -> None:
    s = summarise_answer_sets(thirty(), BANK)
    dump = json.loads(summary_json(s))
    assert small_figures(dump, 3) == []
    for role in LONE:  # the three lone roles are merged, never shown on their own
        assert all(role not in d.by_role for d in s.dimensions.values())
        assert all(role not in a.by_role for a in s.agenda)
        assert role not in [g.role for g in s.role_groups]
        assert role not in s.role_disagreement.roles_compared
        assert all(role not in (g.role_a, g.role_b) for g in s.role_disagreement.largest)
    other = s.dimensions["top_down_support"].by_role[OTHER_ROLES]
    assert other.n == 3 and other.mean == pytest.approx((1 + 5 + 2) / 3, abs=0.01)
    departments = [d.department for d in s.department_pockets.departments]
    assert departments == ["Therapies", "Other departments"]
    # perception gaps: the lone manager is not a side of its own, and clinicians are only the 27 in their role
    gap = next(g for g in s.perception_gaps if g.dimension == "clinician_engagement")
    assert gap.managers.mean is None and gap.gap is None


def test_role_groups_of_fewer_than_k_are_merged_until_the_merge_is_large_enough() -> None:
    sets = [person("nurse") for _ in range(4)] + [person("doctor") for _ in range(3)] + [person("executive")]
    s = summarise_answer_sets(sets, BANK)  # k = 3: the lone executive takes the doctors with it (3 < 4 nurses)
    assert [g.role for g in s.role_groups] == ["nurse", OTHER_ROLES]
    assert s.dimensions["partnerships"].by_role[OTHER_ROLES].n == 4


def test_fewer_than_k_respondents_give_no_figure_at_all() -> None:
    sets = [person("doctor", dict.fromkeys(DIMENSION_IDS, 5)), person("nurse", dict.fromkeys(DIMENSION_IDS, 1))]
    s = summarise_answer_sets(sets, BANK)
    assert s.too_few and s.min_group == 3 and s.participation.started == 2
    assert all(d.mean is None and d.sd is None for d in s.dimensions.values())
    assert s.agenda == [] and s.role_groups == [] and s.plan_facts["political_work_first"].yes == 0
    assert small_figures(json.loads(summary_json(s)), 3) == []
    assert not summarise_answer_sets(sets, BANK, min_group=2).too_few


def test_a_dimension_or_item_rated_by_fewer_than_k_has_no_mean() -> None:
    unsure = {i.id: "dont_know" for i in BANK.items_by_dimension["partnerships"]}
    sets = [person("nurse", {"partnerships": 5}), person("nurse", {"partnerships": 5})]
    sets += [person("nurse", items=unsure) for _ in range(3)]
    s = summarise_answer_sets(sets, BANK)
    d = s.dimensions["partnerships"]
    assert d.n == 2 and d.mean is None and d.sd is None and not d.sufficient
    assert all(a.dimension != "partnerships" for a in s.agenda)


def test_k_can_be_raised_per_workshop() -> None:
    sets = [person("nurse") for _ in range(4)] + [person("doctor") for _ in range(4)]
    assert {g.role for g in summarise_answer_sets(sets, BANK, min_group=4).role_groups} == {"nurse", "doctor"}
    assert {g.role for g in summarise_answer_sets(sets, BANK, min_group=5).role_groups} == {OTHER_ROLES}
    assert summarise_answer_sets(sets, BANK, min_group=9).too_few


def test_the_summary_model_round_trips() -> None:
    s = summarise_answer_sets(thirty(), BANK, context=CTX)
    assert WorkshopSummary.model_validate_json(summary_json(s)) == s


def test_a_perception_gap_side_is_shown_only_when_nobody_can_be_subtracted_out_of_it() -> None:
    rosy, bleak = {"clinician_engagement": 5}, {"clinician_engagement": 2}
    clinicians = [person("doctor", bleak) for _ in range(3)] + [person("nurse", bleak) for _ in range(3)]
    merged = [person("executive", rosy), person("executive", rosy), person("middle_manager", rosy)]
    gap = next(g for g in summarise_answer_sets(merged + clinicians, BANK).perception_gaps if g.flagged)
    assert gap.managers.n == 3 and gap.gap == 3.0  # the three managers are one merged group: nothing to subtract
    split = [person("executive", rosy) for _ in range(3)] + [person("middle_manager", bleak)]
    s = summarise_answer_sets(split + clinicians, BANK)
    gap = next(g for g in s.perception_gaps if g.dimension == "clinician_engagement")
    # executives are shown on their own, so managers minus executives would be the lone middle manager
    assert gap.gap is None and gap.managers.mean is None


def test_no_lowest_or_highest_score_is_kept_for_any_dimension_or_statement() -> None:
    """The rule: a minimum or maximum is one person's score (with any k; here the lone doctor's 1.0 and the lone
    nurse's 5.0 on every dimension), so only the mean and the standard deviation describe the spread."""
    sets = thirty()
    x = individual_scores(Responses.from_answer_sets(sets, BANK), BANK)
    assert np.nanmin(x) == LONE["doctor"] and np.nanmax(x) == LONE["nurse"]  # the extremes are single people
    s = summarise_answer_sets(sets, BANK)
    dump = json.loads(summary_json(s))
    assert extremes(dump) == [] and s.agenda and all(a.sd for a in s.agenda)
    assert all(d.sd is not None for d in s.dimensions.values())


def test_the_csv_of_a_group_of_thirty_singles_nobody_out() -> None:
    responses = Responses.from_answer_sets(thirty(), BANK)
    frame = anonymised_frame(responses, BANK)
    # no role, no department and no name at all: not even the 27 in one role and one ward are labelled, since a
    # labelled row that appears between two releases would be the one person who submitted in between
    assert list(frame.columns) == ["respondent", "item_id", "dimension", "value", "comment"]
    assert sorted(frame.respondent.unique()) == list(range(1, 31))
    assert frame.groupby("respondent").size().nunique() == 1  # every respondent has the same rows
    text = responses_csv(responses, BANK)
    for role in LONE:  # neither the lone people's roles nor their names nor their wards
        assert role not in text and role.title() not in text and f"{role} ward" not in text
    assert "allied_health" not in text and "Therapies" not in text
    assert OTHER_ROLES not in text and OTHER_DEPARTMENTS not in text


def test_a_lone_nurse_in_a_ward_of_doctors_is_merged_in_the_export() -> None:
    roles = ["nurse"] * 4 + ["doctor"] * 3
    wards = ["ward a"] * 3 + ["icu"] * 4  # the fourth nurse works in ICU with the three doctors
    shown = shown_pairs(roles, wards, 3)
    assert shown[3] == (OTHER_ROLES, OTHER_DEPARTMENTS) and shown[:3] == [("nurse", "ward a")] * 3
    assert shown.count((OTHER_ROLES, OTHER_DEPARTMENTS)) == 4


@given(
    st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["", "x", "y", "z"])), min_size=2, max_size=40),
    st.integers(2, 6),
)
def test_every_role_department_and_pair_an_export_shows_has_at_least_k_people(
    people: list[tuple[str, str]], k: int
) -> None:
    assume(len(people) >= k)
    shown = shown_pairs([r for r, _ in people], [d for _, d in people], k)
    for counts in (Counter(shown), Counter(r for r, _ in shown), Counter(d for _, d in shown)):
        assert min(counts.values()) >= k, counts
    for (role, dept), (shown_role, shown_dept) in zip(people, shown, strict=True):
        assert shown_role in (role, OTHER_ROLES) and shown_dept in (dept, OTHER_DEPARTMENTS)
