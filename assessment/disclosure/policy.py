"""The disclosure policy, in one place: k (the smallest group any figure may describe), its bounds, the merge rule
for small groups, and the sentence that promises it to participants and facilitators.

Each workshop sets k when it is created (default 3, never below 2). The rule is applied once, here and in
`summarise`, so that the dashboard, the JSON export and the PDF all read figures that already respect it:

- the whole group: with fewer than k respondents, no score, spread or finding is computed at all;
- a dimension, an item or a cell (a role's or a department's score on a dimension) based on fewer than k
  people has no mean (shown as "fewer than k");
- role groups and departments smaller than k are merged into "other roles" / "other departments"; when that
  merged group would itself be smaller than k, the next smallest group joins it, so no group of 1 to k-1 people
  can be worked out by subtracting the groups that are shown from the total;
- no lowest score, highest score or range, whatever the group size: the lowest of 30 scores is still one
  person's answer, so the spread is the standard deviation (and r_wg), which describe everyone;
- the responses CSV (`export.anonymised_frame`): no names, respondent numbers drawn afresh per download, and roles,
  departments and roles within a department merged the same way (`shown_pairs`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import cast

from ..vocabulary import ROLE_LABELS

DEFAULT_MIN_GROUP = 3
LOWEST_MIN_GROUP = 2
HIGHEST_MIN_GROUP = 20
OTHER_ROLES = "other_roles"
OTHER_DEPARTMENTS = "Other departments"
GROUP_LABELS: dict[str, str] = {**ROLE_LABELS, OTHER_ROLES: "Other roles (merged)"}


def group_label(group: str) -> str:
    """A role's label, or the label of the merged group of small roles."""
    return GROUP_LABELS.get(group, group)


def pool_small_groups(sizes: Mapping[str, int], k: int, other: str) -> dict[str, str]:
    """Map each group to the group it is shown as: itself when it has at least k members, else `other`.

    Groups are merged smallest first until the merged group is empty or has at least k members (a merged group
    of 1 to k-1 could be worked out from the total), so every shown group, merged or not, has 0 or >= k members.
    """
    shown = {g: g for g, n in sizes.items() if n > 0}
    pooled = 0
    for g, n in sorted(((g, n) for g, n in sizes.items() if n > 0), key=lambda gn: (gn[1], gn[0])):
        if n >= k and (pooled == 0 or pooled >= k):
            break
        shown[g] = other
        pooled += n
    return shown


def department_key(name: str) -> str:
    """Departments typed with other spacing or capitals are one department."""
    return " ".join(name.split()).casefold()


def shown_rows(labels: Sequence[str], k: int, other: str) -> list[str]:
    """Each row's group as shown (`pool_small_groups` over the rows' own labels)."""
    shown = pool_small_groups(Counter(labels), k, other)
    return [shown[label] for label in labels]


def shown_pairs(roles: Sequence[str], departments: Sequence[str], k: int) -> list[tuple[str, str]]:
    """Each row's (role, department) as an export may show them: each pooled on its own, then every pair of fewer
    than k rows merged into ("other roles", "other departments") the same way, so that no role, no department and
    no role within a department describes 1 to k-1 people (a lone nurse in a ward of doctors included)."""
    pairs = list(zip(shown_rows(roles, k, OTHER_ROLES), shown_rows(departments, k, OTHER_DEPARTMENTS), strict=True))
    merged = (OTHER_ROLES, OTHER_DEPARTMENTS)
    shown = pool_small_groups(Counter(f"{r}\x00{d}" for r, d in pairs), k, "\x00".join(merged))
    return [cast(tuple[str, str], tuple(shown[f"{r}\x00{d}"].split("\x00"))) for r, d in pairs]


def clamp_k(k: int | None) -> int:
    """The threshold a workshop runs with: its own k, never below the lowest allowed."""
    return max(int(k if k is not None else DEFAULT_MIN_GROUP), LOWEST_MIN_GROUP)


def promise(k: int, *, size: str | None = None) -> str:
    """What participants and facilitators are told, the same on every screen and in every file. `size` words k
    when it is not known yet (the join page before a code is given)."""
    fewer = size or f"{k} people"
    more = "that many" if size else f"{k}"
    return (
        f"No figure describes fewer than {fewer}, and results change only when at least {more} more people's "
        "submitted answers can be added together, so nobody's answers can be worked out by comparing groups, "
        "files or moments."
    )


def merge_rule(k: int) -> str:
    """How small groups are shown, in one sentence."""
    return f"Roles and departments with fewer than {k} people are merged into 'other roles' and 'other departments'."
