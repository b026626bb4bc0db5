"""Disclosure control: every figure about a workshop's answers that leaves the store (dashboard, board, slide,
JSON, CSV, group PDF, instrument page, validation export, command line) is released through this package.

- `policy`: k, its bounds, the merge rule for small groups and the sentence that promises it;
- `ledger`: the sets of people each released figure was computed over, and the check that no combination of
  released figures isolates fewer than k people (partition refinement into atoms);
- `gate`: the per-release gate `summarise` asks before it shows any group figure;
- `releases`: when a new release may be cut (at least k people's submitted answers added or changed together);
- `summary`: the released summary of a workshop: the latest release, replayed through the ledger after every
  earlier one.

What is protected, and against whom, is in the README under "Nobody is exposed".
"""

from __future__ import annotations

from .gate import Gate
from .ledger import Ledger
from .policy import (
    DEFAULT_MIN_GROUP,
    HIGHEST_MIN_GROUP,
    LOWEST_MIN_GROUP,
    OTHER_DEPARTMENTS,
    OTHER_ROLES,
    clamp_k,
    group_label,
    merge_rule,
    pool_small_groups,
    promise,
)

__all__ = [
    "DEFAULT_MIN_GROUP",
    "HIGHEST_MIN_GROUP",
    "LOWEST_MIN_GROUP",
    "OTHER_DEPARTMENTS",
    "OTHER_ROLES",
    "Gate",
    "Ledger",
    "clamp_k",
    "group_label",
    "merge_rule",
    "pool_small_groups",
    "promise",
]
