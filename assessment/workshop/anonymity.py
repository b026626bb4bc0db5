"""The anonymity threshold k: no figure that describes fewer than k people is shown, exported or printed.

Each workshop sets k when it is created (default 3, never below 2). The rule is applied once, here and in
`summarise`, so that the dashboard, the JSON export and the PDF all read figures that already respect it:

- the whole group: with fewer than k respondents, no score, spread or finding is computed at all;
- a dimension, an item or a cell (a role's or a department's score on a dimension) based on fewer than k
  people has no mean (shown as "fewer than k");
- role groups and departments smaller than k are merged into "other roles" / "other departments"; when that
  merged group would itself be smaller than k, the next smallest group joins it, so no group of 1 to k-1 people
  can be worked out by subtracting the groups that are shown from the total.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def fewer_than(k: int) -> str:
    return f"fewer than {k}"
