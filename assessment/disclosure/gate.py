"""The gate every group figure passes: a figure about a quantity over some respondents is shown only when the
release ledger publishes it (see `ledger`). One gate serves one release of one workshop; the ledger it writes to
holds everything released before, so a figure that would differ from an earlier one by fewer than k people is
held back (complementary suppression across groups and across time)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .ledger import Ledger, Member, Quantity

MEMBERS: Quantity = ("members",)  # count-type figures: "don't know", plan answers, who answered at all


def item_quantity(item_id: str) -> Quantity:
    return ("item", item_id)


def dimension_quantity(dimension_id: str) -> Quantity:
    return ("dim", dimension_id)


class Gate:
    """Publishes figures for the respondents of one release, in the order they are asked for (the whole group
    first, then roles, then the managers/clinicians sides, then departments: the earlier a figure is asked for,
    the likelier it is shown when two cannot both be)."""

    def __init__(self, ledger: Ledger, members: Sequence[Member]) -> None:
        self.ledger = ledger
        self.members = list(members)
        self._memo: dict[tuple[Quantity, frozenset[Member]], bool] = {}

    @property
    def k(self) -> int:
        return self.ledger.k

    def show(self, quantity: Quantity, rows: np.ndarray) -> bool:
        """Whether the figure about `quantity` over the rows where the boolean mask `rows` is true may be shown;
        the same figure asked for twice gets the same answer."""
        group = frozenset(self.members[int(i)] for i in np.flatnonzero(rows))
        key = (quantity, group)
        if key not in self._memo:
            self._memo[key] = self.ledger.publish(quantity, group)
        return self._memo[key]
