"""The released summary of a workshop: the latest release's figures, after every earlier release has been replayed
through the same ledger, so that nothing shown now differs from anything shown before by fewer than k people.

This is the only way an output gets a workshop's figures (`tests/test_disclosure_layer.py` checks that no output
module calls `summarise` itself). Replays are deterministic: the same releases ask the gate the same questions in
the same order, so every output of one release shows the same figures.
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import numpy as np

from ..answers import Context
from ..bank import QuestionBank
from ..vocabulary import DIMENSION_IDS
from ..workshop.aggregate import summarise
from ..workshop.models import ConsensusScore, Mode, Participation, ReleaseStatus, WorkshopSummary
from ..workshop.responses import Responses, individual_scores
from .gate import MEMBERS, dimension_quantity, item_quantity
from .ledger import Ledger
from .policy import clamp_k

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_CACHE_SIZE = 64


class _Bounded(Generic[K, V]):
    """A per-process cache of the last `size` entries, safe across the server's threads."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_ledgers: _Bounded[tuple[Hashable, int, int], Ledger] = _Bounded()


def clear_caches() -> None:
    """Forget every replayed ledger and summary (a benchmark's cold start; tests)."""
    for cache in (_ledgers, _summaries, _kept_cache):
        cache.clear()


def _prefixes(releases: Sequence[Responses]) -> list[int]:
    """A fingerprint of each prefix of the releases (the first n releases' members), n = 0 .. len."""
    out = [0]
    for rel in releases:
        out.append(hash((out[-1], tuple(r.member for r in rel.respondents))))
    return out


def _replayed(releases: Sequence[Responses], prints: Sequence[int], key: Hashable | None, args: ReplayArgs) -> Ledger:
    """The ledger after every release but the last (cached per process by workshop and release prefix; `prints`
    are the releases' `_prefixes`)."""
    upto, k = len(releases) - 1, args.k
    start, ledger = 0, Ledger(k)
    if key is not None:
        for n in range(upto, 0, -1):
            hit = _ledgers.get((key, n, prints[n]))
            if hit is not None and hit.k == k:
                start, ledger = n, copy.deepcopy(hit)
                break
    for n in range(start, upto):
        args.run(releases[n], ledger)
        if key is not None:
            _ledgers.put((key, n + 1, prints[n + 1]), copy.deepcopy(ledger))
    return ledger


@dataclass(frozen=True)
class ReplayArgs:
    """What every release of one workshop is summarised with (the same for the replays and the last)."""

    context: Context
    bank: QuestionBank
    mode: Mode
    title: str
    consensus: Mapping[str, ConsensusScore]
    k: int

    def run(self, responses: Responses, ledger: Ledger) -> WorkshopSummary:
        return summarise(
            responses,
            self.context,
            bank=self.bank,
            mode=self.mode,
            title=self.title,
            consensus=self.consensus,
            min_group=self.k,
            ledger=ledger,
        )


_summaries: _Bounded[tuple[Hashable, ...], tuple[WorkshopSummary, int]] = _Bounded()


def _last(releases: Sequence[Responses], key: Hashable | None, args: ReplayArgs) -> tuple[WorkshopSummary, int]:
    """The latest release's summary and how many of its figures were held back (cached per process: the same
    releases summarised with the same workshop settings give the same figures)."""
    whole: tuple[Hashable, ...] | None = None
    prints = _prefixes(releases)
    if key is not None:
        settings = json.dumps(
            [args.context.model_dump(mode="json"), args.mode, args.title, args.bank.bank_version,
             {d: c.model_dump(mode="json") for d, c in sorted(args.consensus.items())}],
            sort_keys=True,
        )  # fmt: skip
        whole = (key, args.k, prints[-1], settings)
        hit = _summaries.get(whole)
        if hit is not None:
            return hit
    ledger = _replayed(releases, prints, key, args)
    before = ledger.refused
    out = (args.run(releases[-1], ledger), ledger.refused - before)
    if whole is not None:
        _summaries.put(whole, out)
    return out


_kept_cache: _Bounded[tuple[Hashable, ...], bool] = _Bounded()


def whole_group_kept(
    releases: Sequence[Responses], candidate: Responses, args: ReplayArgs, key: Hashable | None = None
) -> bool:
    """Whether a candidate release could still show every whole-group figure: each statement's ratings, each
    dimension's scores and the count-type answers, over everyone in it who gave them, after everything released
    before. A release that would hold back the group result (say three re-ratings, one from each role, after the
    roles' own figures were shown: each role's change would be one person's) waits instead, until more changes
    can go together (`store.releases.pending`). Cached per process by workshop, releases and candidate."""
    seq = [*releases, candidate]
    prints = _prefixes(seq)
    whole = None if key is None else (key, args.k, prints[-1], args.bank.bank_version)
    if whole is not None:
        hit = _kept_cache.get(whole)
        if hit is not None:
            return hit
    ledger = _replayed(seq, prints, key, args)  # everything released before the candidate
    answered = np.asarray(candidate.answered.any(axis=1), dtype=bool)
    resp = candidate.rows(answered) if not answered.all() else candidate
    members = [r.member for r in resp.respondents]
    rated = ~np.isnan(resp.ratings)
    scored = ~np.isnan(individual_scores(resp, args.bank))
    checks = [(MEMBERS, np.ones(len(members), dtype=bool))]
    checks += [(item_quantity(i), rated[:, c]) for c, i in enumerate(resp.item_ids)]
    checks += [(dimension_quantity(d), scored[:, j]) for j, d in enumerate(DIMENSION_IDS)]
    kept = all(
        ledger.allows(q, [members[i] for i in np.flatnonzero(mask)]) for q, mask in checks if int(mask.sum()) >= args.k
    )
    if whole is not None:
        _kept_cache.put(whole, kept)
    return kept


def released_summary(
    releases: Sequence[Responses],
    context: Context,
    *,
    bank: QuestionBank,
    mode: Mode,
    title: str,
    consensus: Mapping[str, ConsensusScore],
    min_group: int,
    participation: Participation,
    released_at: datetime | None,
    waiting: int,
    cache_key: Hashable | None = None,
) -> WorkshopSummary:
    """The figures of the latest release (none before the first), with live participation and the release's
    status. `releases` are oldest first; `cache_key` names the workshop for the per-process replay cache."""
    k = clamp_k(min_group)
    args = ReplayArgs(context, bank, mode, title, consensus, k)
    if not releases:
        empty = Responses(item_ids=(), respondents=(), ratings=np.zeros((0, 0)), dont_know=np.zeros((0, 0), bool))
        summary = args.run(empty, Ledger(k))
        status = ReleaseStatus(number=0, people=0, waiting=waiting, k=k)
    else:
        summary, held_back = _last(releases, cache_key, args)
        status = ReleaseStatus(
            number=len(releases),
            people=len(releases[-1].respondents),
            at=released_at,
            waiting=waiting,
            held_back=held_back,
            k=k,
        )
    return summary.model_copy(update={"participation": participation, "release": status})
