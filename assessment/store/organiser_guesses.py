"""The limit on wrong organiser keys: the same budgets as wrong join codes (`limits`), counted separately.

Per device (the browser session), per network address and for the whole server, `join_max_failures` wrong keys
within `join_window` (the network and server budgets NETWORK_FACTOR and GLOBAL_FACTOR times more), then the key
is not checked, right or wrong, until the window has passed. The budgets' keys carry an `organiser:` prefix, so
wrong organiser keys and wrong join codes never spend each other's budget. This module only calls `limits`.
"""

from __future__ import annotations

import math

from ..workshop import TooManyAttempts
from . import limits
from .base import StoreBase
from .keys import Keyring


def _budgets(keys: Keyring, client_key: str, network_key: str | None, max_failures: int) -> limits.Budgets:
    """The device, network and server budgets of this request, all under `organiser:` keys, so wrong organiser
    keys and wrong join codes never spend each other's budget."""
    network = f"organiser:{network_key}" if network_key else None
    b = limits.budgets(keys, f"organiser:{client_key}", network, max_failures)
    server = limits.Budget(
        keys.hexdigest("budget-server", "organiser:" + limits.GLOBAL_KEY), b.server.limit, b.server.kind
    )
    return limits.Budgets(device=b.device, network=b.network, server=server)


class OrganiserKeyOps(StoreBase):
    """Counting wrong organiser keys."""

    def organiser_key_attempt(self, right: bool, *, client_key: str, network_key: str | None = None) -> None:
        """Count one try of the organiser key: raise TooManyAttempts (for a right key too) while this device's or
        this network's budget is spent, or, for a device or network that failed before, the server's; record a
        wrong key."""
        budgets = _budgets(self.keys, client_key, network_key, self.join_max_failures)
        own, server = budgets.own, budgets.server
        window = self.join_window
        try:
            with self._writing() as s:
                now = self._now()
                limits.lock(s, [b.key for b in own])
                failed_before = False
                for budget in own:
                    times = limits.failures(s, budget, now, window)
                    limits.refuse_if_spent(times, budget, now, window)
                    failed_before = failed_before or bool(times)
                if failed_before or not right:
                    limits.lock(s, [server.key])
                    limits.refuse_if_spent(limits.failures(s, server, now, window), server, now, window)
                if not right:
                    limits.record(s, [b.key for b in (*own, server)], now, window)
        except TooManyAttempts as exc:
            minutes = max(1, math.ceil(exc.retry_after / 60))
            raise TooManyAttempts(
                "Too many wrong organiser keys have been tried recently, so the key is not being checked for now. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                retry_after=exc.retry_after,
            ) from None
