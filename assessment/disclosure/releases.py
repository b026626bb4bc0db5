"""When a workshop's results may change: the release rule.

Results are computed only from *releases*: frozen sets of submitted answers. A new release is cut only when, with
it, the people released so far still fall into atoms of at least k (see `ledger`): at least k people's submitted
answers are added (or changed, or withdrawn by an exclusion) together, never one at a time. Between releases the
live view shows progress (who has joined and submitted), which says nothing about anyone's answers.

A member is one person's answers at one submission: (participant id, version). Reopening and resubmitting gives a
new version; the released one stays in the results until a release can swap it together with k - 1 others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .gate import MEMBERS
from .ledger import Ledger

Member = tuple[int, str]


def atoms_ok(releases: Iterable[frozenset[Member]], k: int) -> bool:
    """Whether every release, published in order, keeps every atom of the released people at k or more."""
    ledger = Ledger(k)
    return all(ledger.publish(MEMBERS, members) for members in releases)


def next_release(
    history: Sequence[frozenset[Member]],
    current: frozenset[Member],
    k: int,
    acceptable: Callable[[frozenset[Member]], bool] | None = None,
) -> frozenset[Member] | None:
    """The next release, or None when the results may not change yet.

    `current` is everyone whose submitted answers could be counted now (submitted, not excluded, something
    answered). Tried in order: everyone as they are now (new people, resubmissions and exclusions together); then
    the last release with the new people and only the earliest of the changes (all but one, all but two, ... down
    to k of them), then with the new people alone. A candidate must keep every atom of the released people at k
    or more, and pass `acceptable` (the store's check that the group result stays publishable:
    `disclosure.summary.whole_group_kept`), so a release never trades the group's figures for one person's change.
    A candidate that withdraws excluded people skips that check: an exclusion must take effect, even when some
    figures are then held back (the dashboard counts them)."""
    last = history[-1] if history else frozenset()
    released_ids = {pid for members in history for pid, _ in members}
    added = frozenset(m for m in current if m[0] not in released_ids)
    now_by_pid = {m[0]: m for m in current}
    was_by_pid = {m[0]: m for m in last}
    changed = sorted(
        (pid for pid in was_by_pid if now_by_pid.get(pid) != was_by_pid[pid]),
        key=lambda pid: (now_by_pid[pid][1] if pid in now_by_pid else "", pid),
    )
    candidates = [current]
    for j in range(len(changed) - 1, k - 1, -1):
        swap = changed[:j]
        kept = frozenset(m for m in last if m[0] not in swap)
        candidates.append(kept | frozenset(now_by_pid[p] for p in swap if p in now_by_pid) | added)
    candidates.append(last | added)
    tried: set[frozenset[Member]] = set()
    for candidate in candidates:
        if candidate in tried or candidate == last or len(candidate) < k:
            continue
        tried.add(candidate)
        withdraws = any(m[0] not in now_by_pid for m in last - candidate)
        if atoms_ok([*history, candidate], k) and (acceptable is None or withdraws or acceptable(candidate)):
            return candidate
    return None


def waiting(history: Sequence[frozenset[Member]], current: frozenset[Member]) -> int:
    """How many people's submitted answers (new, changed or withdrawn) the latest release does not reflect."""
    last = history[-1] if history else frozenset()
    return len({pid for pid, _ in current ^ last})
