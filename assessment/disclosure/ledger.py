"""The release ledger: which sets of people each published figure was computed over, and whether one more figure
may be published without letting anyone subtract their way to fewer than k people.

The attacker this guards against holds every figure ever released about a workshop (every group, every release,
every file) and combines them by adding and subtracting. A figure about a *quantity* (one statement's ratings, one
dimension's scores, or the count-type answers: "don't know", plan answers, who answered at all) is a sum over the
set of people it describes. Adding and subtracting such sums can isolate exactly the *atoms* of those sets: the
classes of people who belong to the same published sets. So a figure is published only when, with it, every atom
of that quantity's published sets holds at least k people (or none). Then any combination of released figures is
a combination of sums over groups of at least k people, and no one person's value is in the span of what was
released (checked by exact rational elimination in tests/test_disclosure_attacker.py).

The atoms are kept by partition refinement: each published set splits the classes it cuts; the check of a new set
looks at how it would split each class it touches, without changing anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Member = Hashable  # one person's released answers: (participant id, version)
Quantity = tuple[str, ...]  # ("item", item_id), ("dim", dimension_id), ("members",)


@dataclass
class _Partition:
    class_of: dict[Member, int] = field(default_factory=dict)
    size: Counter[int] = field(default_factory=Counter)
    next_id: int = 0

    def splits(self, members: frozenset[Member]) -> list[int]:
        """The sizes of the non-empty classes the partition would have after adding `members` as a set."""
        inside: Counter[int] = Counter()
        new = 0
        for m in members:
            c = self.class_of.get(m)
            if c is None:
                new += 1
            else:
                inside[c] += 1
        out = [n for n in (new,) if n]
        for c, n in inside.items():
            out.append(n)
            if self.size[c] - n:
                out.append(self.size[c] - n)
        return out

    def add(self, members: frozenset[Member]) -> None:
        moved: dict[int, int] = {}
        fresh = self.next_id
        self.next_id += 1
        for m in members:
            c = self.class_of.get(m)
            if c is None:
                self.class_of[m] = fresh
                self.size[fresh] += 1
                continue
            if c not in moved:
                moved[c] = self.next_id
                self.next_id += 1
            self.class_of[m] = moved[c]
            self.size[c] -= 1
            self.size[moved[c]] += 1
        for c in [c for c, n in self.size.items() if n == 0]:
            del self.size[c]

    def atoms(self) -> list[int]:
        return sorted(self.size.values())


@dataclass
class Ledger:
    """Every set published so far, per quantity, as a partition into atoms; k is the smallest atom allowed."""

    k: int
    _parts: dict[Quantity, _Partition] = field(default_factory=dict)
    published: int = 0
    refused: int = 0

    def allows(self, quantity: Quantity, members: Iterable[Member]) -> bool:
        """Whether a figure about `quantity` over `members` may be published (nothing is recorded)."""
        group = frozenset(members)
        if len(group) < self.k:
            return False
        part = self._parts.get(quantity)
        if part is None:
            return True
        return all(n >= self.k for n in part.splits(group))

    def publish(self, quantity: Quantity, members: Iterable[Member]) -> bool:
        """Record the figure and return True when it may be published; otherwise record nothing, return False."""
        group = frozenset(members)
        if not self.allows(quantity, group):
            self.refused += 1
            return False
        self._parts.setdefault(quantity, _Partition()).add(group)
        self.published += 1
        return True

    def atoms(self, quantity: Quantity) -> list[int]:
        """The sizes of the atoms of `quantity` (for tests and the audit of a release)."""
        part = self._parts.get(quantity)
        return part.atoms() if part else []
