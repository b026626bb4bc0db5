"""What the group discusses: the disagreement agenda, role disagreement, perception gaps and department pockets."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from ..answers import Context
from ..bank import QuestionBank
from ..disclosure.gate import Gate, dimension_quantity, item_quantity
from ..disclosure.policy import OTHER_DEPARTMENTS, OTHER_ROLES, department_key, pool_small_groups
from ..plain import score_cell
from ..vocabulary import (
    CLINICAL_ROLES,
    DIMENSION_IDS,
    MANAGERIAL_ROLES,
    band_of,
)
from .groups import RoleGroups
from .models import (
    MAX_AGENDA_COMMENTS,
    MIN_ROLE_COMPARE,
    PERCEPTION_GAP_DIMENSIONS,
    PERCEPTION_GAP_POINTS,
    POCKET_DIMENSIONS,
    AgendaItem,
    DepartmentPockets,
    DepartmentScore,
    GroupScore,
    PerceptionGap,
    RoleDisagreement,
    RoleGap,
)
from .responses import Respondent, Responses
from .stats import col_extremes, round_or_none, rwg_from_variance


def build_agenda(
    resp: Responses,
    bank: QuestionBank,
    ctx: Context,
    groups: RoleGroups,
    n_item: np.ndarray,
    mean_item: np.ndarray,
    var_item: np.ndarray,
    dk_item: np.ndarray,
    size: int,
    gate: Gate,
) -> list[AgendaItem]:
    """Items ranked by spread across respondents (SD, then range, then bank order); at least k (and 2) ratings,
    SD > 0, and the whole group's figures on the item published by the gate (`var_item` is NaN otherwise); a
    role's mean only from k or more of its ratings, when the gate publishes it. The range orders ties but is not
    shown: its ends are single people's ratings."""
    k = gate.k
    r = resp.ratings
    lo, hi = col_extremes(r)
    sd = np.sqrt(var_item)
    rng = hi - lo
    # no spread, nothing to discuss
    candidates = np.flatnonzero((n_item >= max(2, k)) & (np.nan_to_num(var_item) > 1e-12))
    # SD rounded so that equal spreads computed in different orders tie, and the range decides
    order = sorted(candidates, key=lambda c: (-round(float(sd[c]), 9), -rng[c], c))[:size]
    if not order:
        return []
    role_n, role_mean = groups.means(r[:, order])
    comments_by_col: dict[int, list[str]] = {}
    for (_, col), text in resp.comments.items():
        comments_by_col.setdefault(col, []).append(text)
    out: list[AgendaItem] = []
    for rank, c in enumerate(order, start=1):
        item = bank.item_by_id[resp.item_ids[c]]
        col = rank - 1
        out.append(
            AgendaItem(
                rank=rank,
                item_id=item.id,
                dimension=item.dimension,
                dimension_label=bank.dimension_by_id[item.dimension].label,
                text=item.render(ctx.innovation_label),
                reverse=item.reverse,
                n=int(n_item[c]),
                dont_know=int(dk_item[c]),
                mean=round_or_none(mean_item[c]),
                sd=round_or_none(sd[c]),
                rwg=round_or_none(rwg_from_variance(var_item[c]), 3),
                by_role={
                    role: GroupScore(mean=round_or_none(role_mean[g, col]), n=int(role_n[g, col]))
                    for g, role in enumerate(groups.names)
                    if role_n[g, col] >= k
                    and gate.show(item_quantity(item.id), (groups.of_row == role) & ~np.isnan(r[:, c]))
                },
                comments=comments_by_col.get(int(c), [])[:MAX_AGENDA_COMMENTS],
            )
        )
    return out


def find_role_disagreement(groups: RoleGroups, k: int, heterogeneity: float | None) -> RoleDisagreement:
    present_roles, role_n, role_mean = groups.names, groups.n_dim, groups.mean_dim
    least = max(MIN_ROLE_COMPARE, k)
    per_dim: dict[str, float | None] = {}
    gaps: list[RoleGap] = []
    compared: set[str] = set()
    for j, dim_id in enumerate(DIMENSION_IDS):
        rated = [
            (role, float(role_mean[g, j]))
            for g, role in enumerate(present_roles)
            if role_n[g, j] >= least and groups.is_shown(g, j)
        ]
        if len(rated) < 2:
            per_dim[dim_id] = None
            continue
        diffs = []
        for (ra, ma), (rb, mb) in combinations(rated, 2):
            diffs.append(abs(ma - mb))
            gaps.append(
                RoleGap(
                    dimension=dim_id,
                    role_a=ra,
                    role_b=rb,
                    mean_a=round(ma, 2),
                    mean_b=round(mb, 2),
                    difference=round(abs(ma - mb), 2),
                )
            )
        compared.update(role for role, _ in rated)
        per_dim[dim_id] = round(float(np.mean(diffs)), 2)
    known = [v for v in per_dim.values() if v is not None]
    index = round(float(np.mean(known)), 2) if known else None
    gaps.sort(key=lambda g: (-g.difference, DIMENSION_IDS.index(g.dimension)))
    if index is None:
        explanation = (
            f"Role groups cannot be compared yet: at least two roles need {least} or more respondents "
            "with usable scores on the same dimension."
        )
    else:
        het = score_cell(heterogeneity, "not enough answers")
        explanation = (
            f"On average, two role groups' scores for the same dimension differ by {index:.2f} points on the 1-5 "
            f"scale (0 = every role sees it the same way; 1 or more = a large difference). This is the "
            f"heterogeneity the workshop shows, beside the heterogeneity respondents described in their answers "
            f"({het})."
        )
    return RoleDisagreement(
        index=index,
        roles_compared=[r for r in present_roles if r in compared],
        per_dimension=per_dim,
        largest=gaps[:5],
        heterogeneity_score=heterogeneity,
        explanation=explanation,
    )


def _group_score(values: np.ndarray, k: int, shown: bool) -> GroupScore:
    n = int(values.size)
    shown = shown and n >= k
    return GroupScore(
        mean=round_or_none(values.mean()) if shown else None,
        n=n,
        sd=round_or_none(values.std(ddof=1)) if shown else None,
    )


def _side(roles: np.ndarray, shown: np.ndarray, side: tuple[str, ...], k: int) -> np.ndarray:
    """The rows of one side of the perception gap, or no rows when showing it would let someone subtract their
    way to fewer than k people: the side's members hidden in "other roles", and the rest of "other roles",
    must each be empty or at least k (the roles shown on their own already are)."""
    members = np.isin(roles, side)
    other = shown == OTHER_ROLES
    hidden = int((members & other).sum())
    rest = int((other & ~members).sum())
    if 0 < hidden < k or 0 < rest < k:
        return np.zeros_like(members)
    return members


def find_perception_gaps(
    x: np.ndarray, roles: np.ndarray, shown: np.ndarray, bank: QuestionBank, gate: Gate
) -> list[PerceptionGap]:
    """Managers' against clinicians' mean, each side from at least k people (see `_side`) and published by the
    disclosure gate (a side is a new group beside the roles: the gate holds it back when it and the role groups
    together would isolate fewer than k people)."""
    k = gate.k
    managers = _side(roles, shown, MANAGERIAL_ROLES, k)
    clinicians = _side(roles, shown, CLINICAL_ROLES, k)
    out: list[PerceptionGap] = []
    for dim_id, why in PERCEPTION_GAP_DIMENSIONS.items():
        j = DIMENSION_IDS.index(dim_id)
        col = x[:, j]
        usable = ~np.isnan(col)
        m_ok = bool((managers & usable).sum() >= k) and gate.show(dimension_quantity(dim_id), managers & usable)
        c_ok = bool((clinicians & usable).sum() >= k) and gate.show(dimension_quantity(dim_id), clinicians & usable)
        m, c = col[managers & usable], col[clinicians & usable]
        gm, gc = _group_score(m, k, m_ok), _group_score(c, k, c_ok)
        gap = round_or_none(m.mean() - c.mean()) if m_ok and c_ok else None
        flagged = gap is not None and gap >= PERCEPTION_GAP_POINTS
        label = bank.dimension_by_id[dim_id].label
        if gap is None:
            text = f"{label}: needs answers from at least {k} managers and {k} clinicians to compare."
        elif flagged:
            text = (
                f"Perception gap on {label.lower()}: executives and managers rate it {gap:.1f} points higher than "
                f"clinicians do. {why}"
            )
        else:
            text = (
                f"{label}: managers and clinicians differ by {gap:+.1f} points (a gap of {PERCEPTION_GAP_POINTS:.1f} "
                "or more is flagged)."
            )
        out.append(
            PerceptionGap(
                dimension=dim_id, label=label, managers=gm, clinicians=gc, gap=gap, flagged=flagged, explanation=text
            )
        )
    return out


def find_department_pockets(x: np.ndarray, people: Sequence[Respondent], gate: Gate) -> DepartmentPockets:
    """Departments' means on the pocket dimensions. Departments of fewer than k respondents are merged into
    "Other departments" (people who gave no department count as one more group, never shown on its own, so
    the merged group cannot be worked out from the total); a mean needs at least k usable scores and the
    disclosure gate's consent (asked for last, after the roles and the perception gap's sides)."""
    k = gate.k
    names: dict[str, str] = {}
    key_of_row: list[str] = []
    for p in people:
        key = department_key(p.department)
        if key:
            names.setdefault(key, " ".join(p.department.split()))
        key_of_row.append(key)
    sizes = {key: key_of_row.count(key) for key in {*key_of_row}}
    shown_as = pool_small_groups(sizes, k, OTHER_DEPARTMENTS)
    rows_of = np.array([shown_as.get(key, key) for key in key_of_row], dtype=object)
    order = sorted((key for key in names if shown_as[key] == key), key=lambda key: names[key].casefold())
    if OTHER_DEPARTMENTS in set(rows_of.tolist()):
        order.append(OTHER_DEPARTMENTS)
    departments: list[DepartmentScore] = []
    high: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    low: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    for key in order:
        shown = names.get(key, key)
        mask = rows_of == key
        scores: dict[str, GroupScore] = {}
        for dim_id in POCKET_DIMENSIONS:
            whole = x[:, DIMENSION_IDS.index(dim_id)]
            rows = mask & ~np.isnan(whole)
            col = whole[rows]
            ok = col.size >= k and gate.show(dimension_quantity(dim_id), rows)
            mean = round_or_none(col.mean()) if ok else None
            scores[dim_id] = GroupScore(mean=mean, n=int(col.size))
            band = band_of(mean) if mean is not None else None
            if band == "high":
                high[dim_id].append(shown)
            elif band == "low":
                low[dim_id].append(shown)
        departments.append(DepartmentScore(department=shown, respondents=int(mask.sum()), scores=scores))
    flagged_dims = [d for d in POCKET_DIMENSIONS if high[d] and low[d]]
    explanation = pockets_explanation(len(names), departments, high, low, k)
    return DepartmentPockets(
        dimensions=list(POCKET_DIMENSIONS),
        departments=departments,
        high=high,
        low=low,
        flagged=bool(flagged_dims) and len(departments) >= 2,
        explanation=explanation,
    )


def pockets_explanation(
    named: int, departments: Sequence[DepartmentScore], high: dict[str, list[str]], low: dict[str, list[str]], k: int
) -> str:
    """The pockets finding in words: pockets only between departments whose figures are shown; fewer than two
    departments named, and departments merged or held back so that nobody can be worked out, said apart."""
    flagged_dims = [d for d in POCKET_DIMENSIONS if high[d] and low[d]]
    shown = [d for d in departments if any(s.mean is not None for s in d.scores.values())]
    if named < 2:
        return (
            f"Department pockets need at least two departments: {'no department was' if not named else 'one was'} "
            "named (the department tag is optional)."
        )
    if len(departments) < 2 or len(shown) < 2:
        return (
            f"Department pockets cannot be shown yet: {named} departments were named, but departments with fewer "
            f"than {k} respondents are merged into 'Other departments' and figures are held back, so that nobody "
            f"can be worked out. They need at least two departments whose figures can be shown ({k} or more "
            "respondents each)."
        )
    if flagged_dims:
        parts = [
            f"{d.replace('_', ' ')} is high in {', '.join(high[d])} but low in {', '.join(low[d])}"
            for d in flagged_dims
        ]
        return (
            "Pockets of converts: " + "; ".join(parts) + ". Engagement concentrated in already-enthusiastic "
            "departments can leave cynicism elsewhere; do not count these pockets as evidence that experiments have "
            "spread (Movement for improvement (2017))."
        )
    return (
        "No department pockets among the departments shown: early adopters and clinician engagement are not split "
        "between high and low departments."
    )
