"""Role groups: which respondents are shown together (small roles merged, see `anonymity`), their scores on each
dimension, and each large enough group's own recommendation beside the group's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from ..answers import Context
from ..bank import QuestionBank
from ..disclosure.gate import MEMBERS, Gate, dimension_quantity
from ..disclosure.policy import OTHER_ROLES, group_label, pool_small_groups
from ..engine import Profile, assess_profile
from ..results import Result
from ..scoring import is_sufficient
from ..vocabulary import DIMENSION_IDS, PLAN_ANSWERS, SCORE_MAX, SCORE_MIN, PlanAnswer, Strategy
from .models import MIN_ROLE_GROUP, PLAN_FACTS, ROLES, PlanFactVote, RoleGroupResult
from .responses import Respondent
from .stats import group_means, round_or_none


@dataclass(frozen=True)
class RoleGroups:
    """Respondents' shown groups: roles with at least k respondents, and "other roles" for the rest."""

    names: list[str]  # shown groups, in role order, "other roles" last
    of_row: np.ndarray  # (P,) the shown group of each respondent
    onehot: np.ndarray  # (P, G) membership
    people: np.ndarray  # (G,) respondents per group
    n_dim: np.ndarray  # (G, D) respondents with a usable score
    mean_dim: np.ndarray  # (G, D) mean of their scores
    shown: np.ndarray | None = None  # (G, D) the disclosure gate published the group's score (see `with_gate`)
    members_shown: np.ndarray | None = None  # (G,) the gate published the group's count-type figures

    def with_gate(self, gate: Gate, x: np.ndarray) -> RoleGroups:
        """The same groups with the gate's decision for each group's score on each dimension, and for the group's
        plan answers (asked for in that order, after the whole group's figures)."""
        shown = np.zeros(self.n_dim.shape, dtype=bool)
        for j, dim_id in enumerate(DIMENSION_IDS):
            for c in range(len(self.names)):
                rows = (self.of_row == self.names[c]) & ~np.isnan(x[:, j])
                shown[c, j] = bool(self.n_dim[c, j] >= gate.k) and gate.show(dimension_quantity(dim_id), rows)
        members = np.array([gate.show(MEMBERS, self.of_row == g) for g in self.names], dtype=bool)
        return replace(self, shown=shown, members_shown=members)

    def is_shown(self, c: int, j: int) -> bool:
        return self.shown is not None and bool(self.shown[c, j])

    def means(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(G, C) counts and means of the columns of x within each shown group."""
        if not self.names:
            return np.zeros((0, x.shape[1]), dtype=int), np.zeros((0, x.shape[1]))
        return group_means(x, self.onehot)


def role_groups_of(people: Sequence[Respondent], x: np.ndarray, k: int) -> RoleGroups:
    roles = [p.role for p in people]
    shown = pool_small_groups({r: roles.count(r) for r in ROLES}, k, OTHER_ROLES)
    of_row = np.array([shown[r] for r in roles], dtype=object)
    names = [g for g in (*ROLES, OTHER_ROLES) if (of_row == g).any()]
    onehot = np.stack([(of_row == g) for g in names], axis=1).astype(float) if names else np.zeros((len(roles), 0))
    groups = RoleGroups(names, of_row, onehot, onehot.sum(axis=0).astype(int), np.zeros(0), np.zeros(0))
    n_dim, mean_dim = groups.means(x)
    return RoleGroups(names, of_row, onehot, groups.people, n_dim, mean_dim)


def profile_result(
    scores: Mapping[str, float | None],
    context: Context,
    facts: Mapping[str, PlanAnswer | None],
    bank: QuestionBank,
) -> Result:
    usable = {d: float(np.clip(v, SCORE_MIN, SCORE_MAX)) for d, v in scores.items() if v is not None}
    ctx = context.model_copy(update=dict(facts))
    return assess_profile(Profile(scores=usable, context=ctx), bank)


def plan_votes(respondents: Sequence[Respondent]) -> dict[str, PlanFactVote]:
    """Per plan question: how many answered yes, no and not sure, and the answer more gave than any other."""
    out: dict[str, PlanFactVote] = {}
    for fact in PLAN_FACTS:
        values = [getattr(r, fact) for r in respondents]
        counts = {a: values.count(a) for a in PLAN_ANSWERS}
        top = max(counts.values())
        leaders = [a for a, n in counts.items() if n == top and n > 0]
        out[fact] = PlanFactVote(
            fact=fact,
            yes=counts["yes"],
            no=counts["no"],
            not_sure=counts["not_sure"],
            unanswered=len(values) - sum(counts.values()),
            majority=cast(PlanAnswer, leaders[0]) if len(leaders) == 1 else None,
        )
    return out


def role_group_results(
    groups: RoleGroups,
    people: Sequence[Respondent],
    ctx: Context,
    bank: QuestionBank,
    group_strategy: Strategy | str | None,
    k: int,
) -> list[RoleGroupResult]:
    """Each shown group's scores (none from fewer than k people) and, for a single role with enough
    respondents, the recommendation its answers alone lead to."""
    out: list[RoleGroupResult] = []
    for c, name in enumerate(groups.names):
        size = int(groups.people[c])
        n = groups.n_dim[c]
        shown = groups.shown[c] if groups.shown is not None else np.zeros(len(DIMENSION_IDS), dtype=bool)
        enough_dim = shown & (n >= k) & is_sufficient(n, size)
        scores = {
            d: (round_or_none(groups.mean_dim[c, j]) if enough_dim[j] else None) for j, d in enumerate(DIMENSION_IDS)
        }
        rg = RoleGroupResult(
            role=name,
            label=group_label(name),
            respondents=size,
            enough=name != OTHER_ROLES
            and size >= max(MIN_ROLE_GROUP, k)
            and groups.members_shown is not None
            and bool(groups.members_shown[c]),
            scores=scores,
        )
        if rg.enough:
            members = [p for p, g in zip(people, groups.of_row, strict=True) if g == name]
            role_ctx = ctx.model_copy(update={"respondent_role": name, "respondent_name": f"{size} {name} respondents"})
            rr = profile_result(scores, role_ctx, {f: v.majority for f, v in plan_votes(members).items()}, bank)
            rg.strategy = rr.recommendation.strategy
            rg.strategy_label = rr.recommendation.strategy_label
            rg.readiness = rr.readiness.value
            rg.differs_from_group = rr.recommendation.strategy != group_strategy
        out.append(rg)
    return out
