"""What the group discusses: the disagreement agenda, role disagreement, perception gaps and department pockets."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from ..answers import Context
from ..bank import QuestionBank
from ..vocabulary import (
    CLINICAL_ROLES,
    DIMENSION_IDS,
    MANAGERIAL_ROLES,
)
from .models import (
    MAX_AGENDA_COMMENTS,
    MIN_ROLE_COMPARE,
    PERCEPTION_GAP_DIMENSIONS,
    PERCEPTION_GAP_POINTS,
    POCKET_CITATION,
    POCKET_DIMENSIONS,
    POCKET_HIGH,
    POCKET_LOW,
    RWG_NULL_VARIANCE,
    AgendaItem,
    DepartmentPockets,
    DepartmentScore,
    GroupScore,
    PerceptionGap,
    RoleDisagreement,
    RoleGap,
)
from .responses import Respondent, Responses
from .stats import _col_extremes, _group_means, _r


def _department_key(name: str) -> str:
    return " ".join(name.split()).casefold()

def _agenda(
    resp: Responses,
    bank: QuestionBank,
    ctx: Context,
    present_roles: list[str],
    onehot: np.ndarray | None,
    n_item: np.ndarray,
    mean_item: np.ndarray,
    var_item: np.ndarray,
    dk_item: np.ndarray,
    size: int,
) -> list[AgendaItem]:
    """Items ranked by spread across respondents (SD, then range, then bank order); n >= 2 ratings, SD > 0."""
    r = resp.ratings
    lo, hi = _col_extremes(r)
    sd = np.sqrt(var_item)
    rng = hi - lo
    candidates = np.flatnonzero((n_item >= 2) & (np.nan_to_num(var_item) > 1e-12))  # no spread, nothing to discuss
    # SD rounded so that equal spreads computed in different orders tie, and the range decides
    order = sorted(candidates, key=lambda c: (-round(float(sd[c]), 9), -rng[c], c))[:size]
    if not order:
        return []
    if onehot is not None:
        role_n, role_mean = _group_means(r[:, order], onehot)
    comments_by_col: dict[int, list[str]] = {}
    for (_, col), text in resp.comments.items():
        comments_by_col.setdefault(col, []).append(text)
    out: list[AgendaItem] = []
    for rank, c in enumerate(order, start=1):
        item = bank.item_by_id[resp.item_ids[c]]
        k = rank - 1
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
                mean=_r(mean_item[c]),
                sd=_r(sd[c]),
                range=_r(rng[c]),
                min=_r(lo[c]),
                max=_r(hi[c]),
                rwg=_r(max(0.0, 1.0 - var_item[c] / RWG_NULL_VARIANCE), 3),
                by_role=(
                    {
                        role: GroupScore(mean=_r(role_mean[g, k]), n=int(role_n[g, k]))
                        for g, role in enumerate(present_roles)
                        if role_n[g, k] > 0
                    }
                    if onehot is not None
                    else {}
                ),
                comments=comments_by_col.get(c, [])[:MAX_AGENDA_COMMENTS],
            )
        )
    return out


def _role_disagreement(
    present_roles: list[str], role_n: np.ndarray, role_mean: np.ndarray, heterogeneity: float | None
) -> RoleDisagreement:
    per_dim: dict[str, float | None] = {}
    gaps: list[RoleGap] = []
    compared: set[str] = set()
    for j, dim_id in enumerate(DIMENSION_IDS):
        groups = [
            (role, float(role_mean[k, j])) for k, role in enumerate(present_roles) if role_n[k, j] >= MIN_ROLE_COMPARE
        ]
        if len(groups) < 2:
            per_dim[dim_id] = None
            continue
        diffs = []
        for (ra, ma), (rb, mb) in combinations(groups, 2):
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
        compared.update(role for role, _ in groups)
        per_dim[dim_id] = round(float(np.mean(diffs)), 2)
    known = [v for v in per_dim.values() if v is not None]
    index = round(float(np.mean(known)), 2) if known else None
    gaps.sort(key=lambda g: (-g.difference, DIMENSION_IDS.index(g.dimension)))
    if index is None:
        explanation = (
            f"Role groups cannot be compared yet: at least two roles need {MIN_ROLE_COMPARE} or more respondents "
            "with usable scores on the same dimension."
        )
    else:
        het = "not enough answers" if heterogeneity is None else f"{heterogeneity:.1f}"
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


def _group_score(values: np.ndarray) -> GroupScore:
    n = int(values.size)
    return GroupScore(mean=_r(values.mean()) if n else None, n=n, sd=_r(values.std(ddof=1)) if n > 1 else None)


def _perception_gaps(x: np.ndarray, roles: np.ndarray, bank: QuestionBank) -> list[PerceptionGap]:
    managers = np.isin(roles, MANAGERIAL_ROLES)
    clinicians = np.isin(roles, CLINICAL_ROLES)
    out: list[PerceptionGap] = []
    for dim_id, why in PERCEPTION_GAP_DIMENSIONS.items():
        j = DIMENSION_IDS.index(dim_id)
        col = x[:, j]
        m, c = col[managers], col[clinicians]
        m, c = m[~np.isnan(m)], c[~np.isnan(c)]
        gm, gc = _group_score(m), _group_score(c)
        gap = _r(m.mean() - c.mean()) if m.size and c.size else None
        flagged = gap is not None and gap >= PERCEPTION_GAP_POINTS
        label = bank.dimension_by_id[dim_id].label
        if gap is None:
            text = f"{label}: needs answers from both managers and clinicians to compare."
        elif flagged:
            text = (
                f"Perception gap on {label.lower()}: executives and managers rate it {gap:.1f} points higher than "
                f"clinicians do. {why}"
            )
        else:
            text = f"{label}: managers and clinicians differ by {gap:+.1f} points (a gap of 1.0 or more is flagged)."
        out.append(
            PerceptionGap(
                dimension=dim_id, label=label, managers=gm, clinicians=gc, gap=gap, flagged=flagged, explanation=text
            )
        )
    return out


def _department_pockets(x: np.ndarray, people: Sequence[Respondent]) -> DepartmentPockets:
    keys: dict[str, str] = {}
    dept_of_row: list[str | None] = []
    for p in people:
        k = _department_key(p.department)
        if k:
            keys.setdefault(k, " ".join(p.department.split()))
            dept_of_row.append(k)
        else:
            dept_of_row.append(None)
    departments: list[DepartmentScore] = []
    high: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    low: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    rows_of = np.array([k or "" for k in dept_of_row], dtype=object)
    for k, shown in sorted(keys.items(), key=lambda kv: kv[1].casefold()):
        mask = rows_of == k
        scores: dict[str, GroupScore] = {}
        for dim_id in POCKET_DIMENSIONS:
            col = x[mask, DIMENSION_IDS.index(dim_id)]
            col = col[~np.isnan(col)]
            mean = _r(col.mean()) if col.size else None
            scores[dim_id] = GroupScore(mean=mean, n=int(col.size))
            if mean is not None and mean >= POCKET_HIGH:
                high[dim_id].append(shown)
            elif mean is not None and mean < POCKET_LOW:
                low[dim_id].append(shown)
        departments.append(DepartmentScore(department=shown, respondents=int(mask.sum()), scores=scores))
    flagged_dims = [d for d in POCKET_DIMENSIONS if high[d] and low[d]]
    if len(departments) < 2:
        explanation = "Department pockets need answers from at least two departments (the department tag is optional)."
    elif flagged_dims:
        parts = [
            f"{d.replace('_', ' ')} is high in {', '.join(high[d])} but low in {', '.join(low[d])}"
            for d in flagged_dims
        ]
        explanation = (
            "Pockets of converts: " + "; ".join(parts) + ". Engagement concentrated in already-enthusiastic "
            "departments can leave cynicism elsewhere; do not count these pockets as evidence that experiments have "
            f"spread ({POCKET_CITATION})."
        )
    else:
        explanation = (
            "No department pockets: early adopters and clinician engagement are not split between high and low "
            "departments."
        )
    return DepartmentPockets(
        dimensions=list(POCKET_DIMENSIONS),
        departments=departments,
        high=high,
        low=low,
        flagged=bool(flagged_dims) and len(departments) >= 2,
        explanation=explanation,
    )

