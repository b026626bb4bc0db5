"""The group result of a workshop: participation, dimension aggregates, role groups and the recommendation.

Nothing here touches the database or Streamlit; `assessment.store` persists workshops and calls
`summarise` on what it loads. Everything is computed on a respondents x items matrix (numpy), so a
workshop of 1,000 respondents on the full bank is summarised in a few milliseconds.

How the group result is computed (also in `METHOD`, which the summary carries for the UI and report):

1. Each respondent's dimension scores are computed exactly as for a single respondent (the mean of their
   rated items with reverse items flipped; "don't know" is not a score), and count only when that respondent
   rated at least half of the dimension's items (`MIN_COVERAGE`).
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
4. The group recommendation is `assess_profile` on the sufficient group scores, with each plan fact set by a
   strict majority of the participants who answered it (a tie counts as not answered).
5. Consensus scores recorded by the facilitator replace the computed group score of their dimension in the
   final result; the other dimensions keep the computed score (`consensus_used` says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

import numpy as np

from ..answers import AnswerSet, Context
from ..bank import QuestionBank, default_bank
from ..engine import Profile, assess_profile
from ..results import Result
from ..scoring import status_for
from ..vocabulary import (
    DIMENSION_IDS,
    MIN_COVERAGE,
    ROLE_LABELS,
    SCORE_MAX,
    SCORE_MIN,
)
from .findings import _agenda, _department_pockets, _perception_gaps, _role_disagreement
from .models import (
    AGENDA_SIZE,
    MIN_ROLE_GROUP,
    PLAN_FACTS,
    ROLES,
    RWG_NULL_VARIANCE,
    ConsensusScore,
    DimensionAggregate,
    GroupScore,
    Mode,
    Participation,
    PlanFactVote,
    RoleCount,
    RoleGroupResult,
    WorkshopSummary,
)
from .responses import Respondent, Responses, _layout, individual_scores
from .stats import _col_extremes, _col_stats, _group_means, _r, agreement_for
from .validation import innovation_context


def _profile_result(
    scores: Mapping[str, float | None], context: Context, facts: Mapping[str, bool | None], bank: QuestionBank
) -> Result:
    usable = {d: float(np.clip(v, SCORE_MIN, SCORE_MAX)) for d, v in scores.items() if v is not None}
    ctx = context.model_copy(update=dict(facts))
    return assess_profile(Profile(scores=usable, context=ctx), bank)


def _plan_votes(respondents: Sequence[Respondent]) -> dict[str, PlanFactVote]:
    out: dict[str, PlanFactVote] = {}
    for fact in PLAN_FACTS:
        values = [getattr(r, fact) for r in respondents]
        yes = sum(1 for v in values if v is True)
        no = sum(1 for v in values if v is False)
        majority = True if yes > no else False if no > yes else None
        out[fact] = PlanFactVote(fact=fact, yes=yes, no=no, unanswered=len(values) - yes - no, majority=majority)
    return out


def _participation(responses: Responses, answered_counts: np.ndarray) -> Participation:
    n_items = len(responses.item_ids) or 1
    completion = answered_counts / n_items
    by_role: list[RoleCount] = []
    roles = np.array([r.role for r in responses.respondents], dtype=object)
    submitted = np.array([r.submitted for r in responses.respondents], dtype=bool)
    for role in ROLES:
        m = roles == role
        if not m.any():
            continue
        by_role.append(
            RoleCount(
                role=role,
                label=ROLE_LABELS[role],
                joined=int(m.sum()),
                started=int((answered_counts[m] > 0).sum()),
                submitted=int(submitted[m].sum()),
                mean_completion=round(float(completion[m].mean()), 3),
            )
        )
    joined = len(responses.respondents)
    return Participation(
        joined=joined,
        started=int((answered_counts > 0).sum()),
        submitted=int(submitted.sum()),
        all_submitted=joined > 0 and bool(submitted.all()),
        mean_completion=round(float(completion.mean()), 3) if joined else 0.0,
        by_role=by_role,
    )




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
) -> WorkshopSummary:
    """The workshop's group result, spread, agreement, role and department views and discussion agenda.

    `context` is the workshop's innovation context; `consensus` maps dimension ids to agreed scores.
    With `submitted_only`, respondents who have not submitted are left out of every figure except participation.
    """
    bank = bank or default_bank()
    consensus = dict(consensus or {})
    answered_all = responses.answered.sum(axis=1)
    participation = _participation(responses, answered_all)
    keep = answered_all > 0
    if submitted_only:
        keep &= np.array([r.submitted for r in responses.respondents], dtype=bool)
    resp = responses.rows(keep) if not keep.all() else responses
    people = resp.respondents
    n_people = len(people)
    ctx = innovation_context(context)

    x = individual_scores(resp, bank)  # (P, D)
    n_dim, mean_dim, var_dim = _col_stats(x)
    min_dim, max_dim = _col_extremes(x)
    sufficient = (n_dim > 0) & (n_dim >= MIN_COVERAGE * max(n_people, 1))

    lay = _layout(bank, resp.item_ids)
    n_item, mean_item, var_item = _col_stats(resp.ratings)
    dk_item = resp.dont_know.sum(axis=0)
    dk_dim = dk_item @ lay.membership

    # role groups
    roles = np.array([p.role for p in people], dtype=object)
    present_roles = [r for r in ROLES if (roles == r).any()]
    onehot = np.stack([(roles == r) for r in present_roles], axis=1).astype(float) if present_roles else None
    if onehot is not None:
        role_n_dim, role_mean_dim = _group_means(x, onehot)
        role_people = onehot.sum(axis=0).astype(int)
    else:
        role_n_dim = np.zeros((0, len(DIMENSION_IDS)), dtype=int)
        role_mean_dim = np.zeros((0, len(DIMENSION_IDS)))
        role_people = np.zeros(0, dtype=int)

    group_scores: dict[str, float | None] = {}
    dimensions: dict[str, DimensionAggregate] = {}
    for j, dim_id in enumerate(DIMENSION_IDS):
        dim = bank.dimension_by_id[dim_id]
        mean = _r(mean_dim[j])
        sd = _r(np.sqrt(var_dim[j]))
        cols = lay.dim_of_item == j
        item_vars = var_item[cols]
        item_vars = item_vars[~np.isnan(item_vars)]
        r_dim = r_j = None
        if item_vars.size:
            ratio = min(float(item_vars.mean()) / RWG_NULL_VARIANCE, 1.0)
            r_dim = 1.0 - ratio
            n_items = int(cols.sum())
            r_j = n_items * r_dim / (n_items * r_dim + ratio) if ratio > 0 else 1.0
        suff = bool(sufficient[j])
        group_scores[dim_id] = mean if suff else None
        agreed = consensus.get(dim_id)
        dimensions[dim_id] = DimensionAggregate(
            dimension=dim_id,
            label=dim.label,
            group=dim.group,
            higher_is=dim.higher_is,
            mean=mean,
            sd=sd,
            min=_r(min_dim[j]),
            max=_r(max_dim[j]),
            n=int(n_dim[j]),
            respondents=n_people,
            dont_know=int(dk_dim[j]),
            sufficient=suff,
            status=status_for(mean, suff, dim.higher_is),
            rwg=_r(r_dim, 3),
            rwg_j=_r(r_j, 3),
            agreement=agreement_for(r_dim),
            by_role={
                role: GroupScore(mean=_r(role_mean_dim[k, j]), n=int(role_n_dim[k, j]))
                for k, role in enumerate(present_roles)
            },
            consensus=agreed.score if agreed else None,
            consensus_note=agreed.note if agreed else "",
            final=agreed.score if agreed else (mean if suff else None),
        )

    votes = _plan_votes(people)
    facts = {f: v.majority for f, v in votes.items()}
    group_ctx = ctx.model_copy(update={"respondent_name": f"{n_people} workshop participants"})
    group_result = _profile_result(group_scores, group_ctx, facts, bank)
    if consensus:
        final_scores = {**group_scores, **{d: c.score for d, c in consensus.items()}}
        result = _profile_result(final_scores, group_ctx, facts, bank)
    else:
        result = group_result
    group_strategy = group_result.recommendation.strategy

    # recommendation per role group
    role_groups: list[RoleGroupResult] = []
    for k, role in enumerate(present_roles):
        size = int(role_people[k])
        enough_dim = (role_n_dim[k] > 0) & (role_n_dim[k] >= MIN_COVERAGE * size)
        scores = {d: (_r(role_mean_dim[k, j]) if enough_dim[j] else None) for j, d in enumerate(DIMENSION_IDS)}
        rg = RoleGroupResult(
            role=role, label=ROLE_LABELS[role], respondents=size, enough=size >= MIN_ROLE_GROUP, scores=scores
        )
        if rg.enough:
            role_ctx = ctx.model_copy(update={"respondent_role": role, "respondent_name": f"{size} {role} respondents"})
            role_facts = {f: v.majority for f, v in _plan_votes([p for p in people if p.role == role]).items()}
            rr = _profile_result(scores, role_ctx, role_facts, bank)
            rg.strategy = rr.recommendation.strategy
            rg.strategy_label = rr.recommendation.strategy_label
            rg.readiness = rr.readiness.value
            rg.differs_from_group = rr.recommendation.strategy != group_strategy
        role_groups.append(rg)

    agenda = _agenda(resp, bank, ctx, present_roles, onehot, n_item, mean_item, var_item, dk_item, agenda_size)
    disagreement = _role_disagreement(present_roles, role_n_dim, role_mean_dim, group_scores.get("heterogeneity"))
    gaps = _perception_gaps(x, roles, bank)
    pockets = _department_pockets(x, people)

    return WorkshopSummary(
        title=title,
        bank_version=bank.bank_version,
        mode=mode,
        submitted_only=submitted_only,
        has_answers=n_people > 0,
        participation=participation,
        dimensions=dimensions,
        group_result=group_result,
        result=result,
        consensus_used=bool(consensus),
        consensus_dimensions=[d for d in DIMENSION_IDS if d in consensus],
        consensus_changed_strategy=result.recommendation.strategy != group_strategy,
        role_groups=role_groups,
        agenda=agenda,
        role_disagreement=disagreement,
        perception_gaps=gaps,
        perception_gap_flagged=any(g.flagged for g in gaps),
        department_pockets=pockets,
        plan_facts=votes,
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
) -> WorkshopSummary:
    """Convenience: summarise a list of answer sets (role, department and plan facts from each context).

    The innovation context defaults to the first answer set's, without its respondent fields.
    """
    bank = bank or default_bank()
    responses = Responses.from_answer_sets(answer_sets, bank, submitted=submitted)
    modes = {a.mode for a in answer_sets}
    mode: Mode = cast(Mode, next(iter(modes))) if len(modes) == 1 else "full"
    ctx = context or (answer_sets[0].context if answer_sets else Context())
    if consensus is not None and not isinstance(consensus, Mapping):
        consensus = {c.dimension: c for c in consensus}
    return summarise(
        responses, ctx, bank=bank, mode=mode, title=title, consensus=consensus, submitted_only=submitted_only
    )

