"""The group result of a workshop: participation, dimension aggregates, role groups and the recommendation.

Nothing here touches the database or Streamlit; `assessment.store` persists workshops and calls
`summarise` on what it loads. Everything is computed on a respondents x items matrix (numpy), so a
workshop of 1,000 respondents on the full bank is summarised in a few milliseconds.

How the group result is computed (also in `METHOD`, which the summary carries for the UI and report):

1. Each respondent's dimension scores are computed exactly as for a single respondent (the mean of their
   rated items with reverse items flipped; "don't know" is not a score), and count only when that respondent
   rated at least half of the dimension's items (the coverage rule, `scoring.is_sufficient`).
2. The group score of a dimension is the unweighted mean of those individual scores: every respondent
   weighs the same, however many items they rated. (Pooling item means instead would let whoever rated
   most items dominate, and would make the spread and agreement figures describe a different quantity from
   the score.) A group score is "sufficient" when at least half of the respondents who answered anything
   have a usable score for that dimension: "don't know" is a legitimate answer (Micro-politics (2023)
   L145-153), so it is never imputed.
3. Spread is the sample standard deviation of the individual dimension scores. Agreement is
   r_wg = 1 - s^2 / sigma_EU^2 with sigma_EU^2 = (A^2 - 1) / 12 = 2 for a 5-point item, clipped to [0, 1]
   (James, Demaree and Wolf 1984). The uniform null describes one 5-point item, so s^2 is the observed
   variance of the item ratings across respondents, averaged over the dimension's items: applied to the
   dimension means instead it would overstate agreement (the mean of four items answered at random varies
   a quarter as much, which reads as r_wg = 0.75, "strong agreement"). r_wg(J), the multi-item form built on
   the same mean item variance, is reported beside it; it rises with the number of items. An item's own r_wg
   is on the discussion agenda. All need at least 2 ratings per item.
4. The group recommendation is `assess_profile` on the sufficient group scores, with each plan question answered
   as more participants answered it than any other way (yes, no or not sure; a tie counts as not answered).
5. Consensus scores recorded by the facilitator replace the computed group score of their dimension in the
   final result; the other dimensions keep the computed score (`consensus_used` says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..answers import AnswerSet, Context
from ..bank import QuestionBank, default_bank
from ..disclosure.gate import MEMBERS, Gate, dimension_quantity, item_quantity
from ..disclosure.ledger import Ledger
from ..disclosure.policy import DEFAULT_MIN_GROUP, OTHER_ROLES, clamp_k, group_label, shown_rows
from ..results import Result
from ..scoring import is_sufficient, status_for
from ..vocabulary import (
    DIMENSION_IDS,
    PlanAnswer,
)
from .findings import build_agenda, find_department_pockets, find_perception_gaps, find_role_disagreement
from .groups import RoleGroups, plan_votes, profile_result, role_group_results, role_groups_of
from .models import (
    AGENDA_SIZE,
    ROLES,
    ConsensusScore,
    DimensionAggregate,
    GroupScore,
    Mode,
    Participation,
    RoleCount,
    WorkshopSummary,
)
from .responses import Responses, answer_layout, individual_scores
from .rounds import item_spreads
from .stats import agreement_for, col_stats, round_or_none, rwg_dimension
from .validation import innovation_context


def _participation(responses: Responses, answered_counts: np.ndarray, k: int) -> Participation:
    return participation(
        [r.role for r in responses.respondents],
        np.array([r.submitted for r in responses.respondents], dtype=bool),
        answered_counts,
        k,
    )


def participation(role_of: Sequence[str], submitted: np.ndarray, answered_counts: np.ndarray, k: int) -> Participation:
    """Who joined, started and submitted (live, not from a release: it says nothing about anyone's answers); by
    role only for roles of at least k people (smaller ones merged into "other roles", as everywhere)."""
    by_role: list[RoleCount] = []
    roles = np.array(shown_rows(list(role_of), k, OTHER_ROLES), dtype=object)
    for role in (*ROLES, OTHER_ROLES):
        m = roles == role
        if not m.any():
            continue
        by_role.append(
            RoleCount(
                role=role,
                label=group_label(role),
                joined=int(m.sum()),
                started=int((answered_counts[m] > 0).sum()),
                submitted=int(submitted[m].sum()),
            )
        )
    joined = len(role_of)
    return Participation(
        joined=joined,
        started=int((answered_counts > 0).sum()),
        submitted=int(submitted.sum()),
        all_submitted=joined > 0 and bool(submitted.all()),
        by_role=by_role,
    )


@dataclass(frozen=True)
class _Matrix:
    """What the figures are computed from: the kept respondents, their dimension scores and item statistics."""

    resp: Responses
    x: np.ndarray  # (P, D) individual dimension scores
    n_item: np.ndarray
    mean_item: np.ndarray
    item_shown: np.ndarray  # the gate published the whole group's figures on the item
    var_item: np.ndarray  # NaN where the gate did not publish the item's figures (fewer than k raters, or a
    # difference of fewer than k from a figure shown before)
    dk_item: np.ndarray
    k: int
    gate: Gate


def _kept(responses: Responses, answered_all: np.ndarray, submitted_only: bool, k: int) -> Responses:
    """Respondents who answered anything (and submitted, with `submitted_only`); nobody when fewer than k."""
    keep = answered_all > 0
    if submitted_only:
        keep &= np.array([r.submitted for r in responses.respondents], dtype=bool)
    if keep.sum() < k:
        keep[:] = False
    return responses.rows(keep) if not keep.all() else responses


def _statistics(resp: Responses, bank: QuestionBank, k: int, gate: Gate) -> tuple[_Matrix, RoleGroups]:
    """Item and dimension statistics, with the gate asked first for the whole group's figures (the whole group's
    answers, each statement's ratings), then for the role groups' scores."""
    n_item, mean_item, var_item = col_stats(resp.ratings)
    rated = ~np.isnan(resp.ratings)
    gate.show(MEMBERS, np.ones(len(resp.respondents), dtype=bool))
    item_shown = np.array(
        [bool(n_item[c] >= k) and gate.show(item_quantity(i), rated[:, c]) for c, i in enumerate(resp.item_ids)],
        dtype=bool,
    )
    x = individual_scores(resp, bank)
    m = _Matrix(
        resp=resp,
        x=x,
        n_item=n_item,
        item_shown=item_shown,
        mean_item=np.where(item_shown, mean_item, np.nan),
        var_item=np.where(item_shown, var_item, np.nan),
        dk_item=resp.dont_know.sum(axis=0),
        k=k,
        gate=gate,
    )
    return m, role_groups_of(resp.respondents, x, k)


def _gate_for(resp: Responses, k: int, ledger: Ledger | None) -> Gate:
    return Gate(ledger if ledger is not None else Ledger(k), [r.member for r in resp.respondents])


def dimension_statistics(
    responses: Responses,
    bank: QuestionBank | None = None,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    consensus: Mapping[str, ConsensusScore] | None = None,
) -> dict[str, DimensionAggregate]:
    """The dimensions' part of the summary (mean, SD, range, r_wg, role split) over the respondents who answered
    anything, as `summarise` computes it: for checking against an independent implementation, and timing."""
    bank = bank or default_bank()
    k = clamp_k(min_group)
    resp = _kept(responses, responses.answered.sum(axis=1), False, k)
    m, groups = _statistics(resp, bank, k, _gate_for(resp, k, None))
    return _dimension_aggregates(m, bank, groups, dict(consensus or {}))[0]


def _dimension_aggregates(
    m: _Matrix, bank: QuestionBank, groups: RoleGroups, consensus: Mapping[str, ConsensusScore]
) -> tuple[dict[str, DimensionAggregate], RoleGroups]:
    """The dimensions' figures, and the role groups with the gate's decisions on their scores (asked for after
    every whole-group score, so that a role's score gives way to the group's when both cannot be shown)."""
    n_people = len(m.resp.respondents)
    n_dim, mean_dim, var_dim = col_stats(m.x)
    usable = ~np.isnan(m.x)
    # no dimension score that describes fewer than k people, or differs by fewer than k from one shown before
    shown = np.array(
        [
            bool(n_dim[j] >= m.k) and m.gate.show(dimension_quantity(d), usable[:, j])
            for j, d in enumerate(DIMENSION_IDS)
        ],
        dtype=bool,
    )
    groups = groups.with_gate(m.gate, m.x)
    sufficient = shown & is_sufficient(n_dim, n_people)
    lay = answer_layout(bank, m.resp.item_ids)
    dk_dim = m.dk_item @ lay.membership
    rated_dim = (~np.isnan(m.resp.ratings)).sum(axis=0) @ lay.membership
    out: dict[str, DimensionAggregate] = {}
    for j, dim_id in enumerate(DIMENSION_IDS):
        dim = bank.dimension_by_id[dim_id]
        ok = bool(shown[j])
        mean = round_or_none(mean_dim[j]) if ok else None
        r_dim, r_j = rwg_dimension(m.var_item[lay.dim_of_item == j])
        suff = bool(sufficient[j])
        agreed = consensus.get(dim_id)
        out[dim_id] = DimensionAggregate(
            dimension=dim_id,
            label=dim.label,
            group=dim.group,
            higher_is=dim.higher_is,
            mean=mean,
            sd=round_or_none(np.sqrt(var_dim[j])) if ok else None,
            n=int(n_dim[j]),
            respondents=n_people,
            items_asked=int(lay.asked_per_dim[j]),
            ratings=int(rated_dim[j]),
            dont_know=int(dk_dim[j]),
            sufficient=suff,
            status=status_for(mean, suff, dim.higher_is),
            rwg=round_or_none(r_dim, 3),
            rwg_j=round_or_none(r_j, 3),
            agreement=agreement_for(r_dim),
            by_role={
                g: GroupScore(mean=round_or_none(groups.mean_dim[c, j]), n=int(groups.n_dim[c, j]))
                for c, g in enumerate(groups.names)
                if groups.is_shown(c, j)
            },
            consensus=agreed.score if agreed else None,
            consensus_note=agreed.note if agreed else "",
            final=agreed.score if agreed else (mean if suff else None),
        )
    return out, groups


def _group_result(
    dimensions: Mapping[str, DimensionAggregate], ctx: Context, facts: Mapping[str, PlanAnswer | None],
    bank: QuestionBank,
    scores: Mapping[str, float | None],
) -> Result:  # fmt: skip
    """The profile result with the group's real coverage: items answered out of items asked, over everyone."""
    result = profile_result(scores, ctx, facts, bank)
    updated = {}
    for dim_id, s in result.scores.items():
        d = dimensions[dim_id]
        asked = d.items_asked * d.respondents
        updated[dim_id] = s.model_copy(
            update={
                "answered": d.ratings,
                "dont_know": d.dont_know,
                "asked": asked,
                "coverage": round(d.ratings / asked, 3) if asked else 0.0,
            }
        )
    return result.model_copy(update={"scores": updated})


def summarise(
    responses: Responses,
    context: Context,
    *,
    bank: QuestionBank | None = None,
    mode: Mode = "full",
    title: str = "",
    consensus: Mapping[str, ConsensusScore] | None = None,
    submitted_only: bool = False,
    agenda_size: int = AGENDA_SIZE,
    min_group: int = DEFAULT_MIN_GROUP,
    ledger: Ledger | None = None,
) -> WorkshopSummary:
    """The workshop's group result, spread, agreement, role and department views and discussion agenda.

    `context` is the workshop's innovation context; `consensus` maps dimension ids to agreed scores.
    With `submitted_only`, respondents who have not submitted are left out of every figure except participation.
    `min_group` is the anonymity threshold k: no figure describes fewer than k people. Every group figure is
    asked of the disclosure gate (`assessment.disclosure`); `ledger` holds what earlier releases of this workshop
    published (None: nothing was, as for a set of answer files). Outputs reach this through
    `assessment.disclosure`, never directly.
    """
    bank = bank or default_bank()
    k = clamp_k(min_group)
    consensus = dict(consensus or {})
    answered_all = responses.answered.sum(axis=1)
    participation = _participation(responses, answered_all, k)
    resp = _kept(responses, answered_all, submitted_only, k)
    people = resp.respondents
    n_people = len(people)
    ctx = innovation_context(context)
    gate = _gate_for(resp, k, ledger)
    m, groups = _statistics(resp, bank, k, gate)
    dimensions, groups = _dimension_aggregates(m, bank, groups, consensus)
    group_scores = {d: (a.mean if a.sufficient else None) for d, a in dimensions.items()}

    votes = plan_votes(people)
    facts = {f: v.majority for f, v in votes.items()}
    group_ctx = ctx.model_copy(update={"respondent_name": f"{n_people} workshop participants"})
    group_result = _group_result(dimensions, group_ctx, facts, bank, group_scores)
    if consensus:
        final_scores = {**group_scores, **{d: c.score for d, c in consensus.items()}}
        result = _group_result(dimensions, group_ctx, facts, bank, final_scores)
    else:
        result = group_result
    group_strategy = group_result.recommendation.strategy
    by_role = role_group_results(groups, people, ctx, bank, group_strategy, k)
    agenda = build_agenda(resp, bank, ctx, groups, m.n_item, m.mean_item, m.var_item, m.dk_item, agenda_size, gate)
    gaps = find_perception_gaps(m.x, np.array([p.role for p in people], dtype=object), groups.of_row, bank, gate)
    consensus_dims = [d for d in DIMENSION_IDS if d in consensus]
    return WorkshopSummary(
        title=title,
        bank_version=bank.bank_version,
        mode=mode,
        submitted_only=submitted_only,
        min_group=k,
        too_few=int((answered_all > 0).sum()) > 0 and n_people == 0,
        has_answers=n_people > 0,
        participation=participation,
        dimensions=dimensions,
        group_result=group_result,
        result=result,
        consensus_used=bool(consensus),
        consensus_dimensions=consensus_dims,
        averaged_dimensions=[d for d in DIMENSION_IDS if d not in consensus and group_scores[d] is not None],
        consensus_changed_strategy=result.recommendation.strategy != group_strategy,
        role_groups=by_role,
        agenda=agenda,
        role_disagreement=find_role_disagreement(groups, k, group_scores.get("heterogeneity")),
        perception_gaps=gaps,
        perception_gap_flagged=any(g.flagged for g in gaps),
        department_pockets=find_department_pockets(m.x, people, gate),
        plan_facts=votes,
        items_shown=[i for i, shown in zip(resp.item_ids, m.item_shown, strict=True) if shown],
        item_spread=item_spreads(
            resp.item_ids, resp.ratings, m.item_shown, m.n_item, m.mean_item, m.var_item, m.dk_item
        ),
    )


def summarise_answer_sets(
    answer_sets: Sequence[AnswerSet],
    bank: QuestionBank | None = None,
    *,
    context: Context | None = None,
    title: str = "",
    consensus: Mapping[str, ConsensusScore] | Iterable[ConsensusScore] | None = None,
    submitted: Sequence[bool] | None = None,
    submitted_only: bool = False,
    min_group: int = DEFAULT_MIN_GROUP,
) -> WorkshopSummary:
    """Convenience: summarise a list of answer sets (role, department and plan facts from each context).

    The innovation context defaults to the first answer set's, without its respondent fields.
    """
    bank = bank or default_bank()
    responses = Responses.from_answer_sets(answer_sets, bank, submitted=submitted)
    modes = {a.mode for a in answer_sets}
    mode: Mode = next(iter(modes)) if len(modes) == 1 else "full"
    ctx = context or (answer_sets[0].context if answer_sets else Context())
    if consensus is not None and not isinstance(consensus, Mapping):
        consensus = {c.dimension: c for c in consensus}
    return summarise(
        responses,
        ctx,
        bank=bank,
        mode=mode,
        title=title,
        consensus=consensus,
        submitted_only=submitted_only,
        min_group=min_group,
    )
