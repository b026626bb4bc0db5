"""A statement's spread, and the second round: agreement before and after the room discussed the agenda.

The second round follows the modified Delphi and nominal group techniques that consensus workshops use: the
facilitator reveals the disagreement agenda to the room one statement at a time, the room discusses it, and the
participants re-rate those statements on their phones. A re-rating is a resubmission, so it reaches the figures
only through a release (`assessment.disclosure.releases`: at least k people's changed answers together); the "before"
figures are the release the room discussed, replayed exactly as they were shown then.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..bank import QuestionBank
from ..vocabulary import AGREEMENT_LABELS
from .models import WorkshopSummary
from .round_models import (
    DimensionChange,
    ItemSpread,
    RoundComparison,
    RoundProgress,
    SecondRoundInfo,
    Spread,
    StatementChange,
)
from .stats import agreement_for, round_or_none, rwg_from_variance


def item_spreads(
    item_ids: Sequence[str],
    ratings: np.ndarray,
    shown: np.ndarray,
    n_item: np.ndarray,
    mean_item: np.ndarray,
    var_item: np.ndarray,
    dk_item: np.ndarray,
) -> dict[str, ItemSpread]:
    """Each published statement's spread (`shown`: the gate published the whole group's figures on it; the
    counts are sums over the same people, so they need nothing more)."""
    out: dict[str, ItemSpread] = {}
    for c in (int(x) for x in np.flatnonzero(shown)):
        col = ratings[:, c]
        given = col[~np.isnan(col)].astype(int)
        n = int(n_item[c])
        var = float(var_item[c])
        out[item_ids[c]] = ItemSpread(
            item_id=item_ids[c],
            n=n,
            dont_know=int(dk_item[c]),
            counts=[int(x) for x in np.bincount(given, minlength=6)[1:6]],
            mean=round_or_none(mean_item[c]),
            sd=round_or_none(np.sqrt(var)) if n >= 2 and var == var else None,
            rwg=round(rwg_from_variance(var), 2) if n >= 2 and var == var else None,
        )
    return out


def _item(spread: ItemSpread | None) -> Spread | None:
    if spread is None:
        return None
    return Spread(n=spread.n, mean=spread.mean, sd=spread.sd, rwg=spread.rwg)


def compare_rounds(
    info: SecondRoundInfo,
    before: WorkshopSummary,
    after: WorkshopSummary,
    bank: QuestionBank,
    innovation: str,
    progress: RoundProgress,
    in_result: int,
) -> RoundComparison:
    """Agreement on the re-rated statements and their dimensions, in the baseline release and the latest."""
    statements = []
    dims: list[str] = []
    for item_id in info.items:
        item = bank.item_by_id.get(item_id)
        if item is None:
            continue
        if item.dimension not in dims:
            dims.append(item.dimension)
        statements.append(
            StatementChange(
                item_id=item_id,
                text=item.render(innovation),
                dimension_label=bank.dimension_by_id[item.dimension].label,
                before=_item(before.item_spread.get(item_id)),
                after=_item(after.item_spread.get(item_id)),
            )
        )
    dimensions = []
    for d in dims:
        spreads = []
        for summary in (before, after):
            agg = summary.dimensions.get(d)
            spreads.append(
                Spread(n=agg.n, mean=agg.mean, sd=agg.sd, rwg=agg.rwg_j) if agg is not None and agg.sufficient else None
            )
        dimensions.append(
            DimensionChange(dimension=d, label=bank.dimension_by_id[d].label, before=spreads[0], after=spreads[1])
        )
    after_no = after.release.number if after.release else 0
    return RoundComparison(
        info=info,
        before_release=info.baseline,
        after_release=after_no,
        progress=progress,
        in_result=in_result,
        used=in_result > 0,
        statements=statements,
        dimensions=dimensions,
    )


def agreement_words(rwg: float | None) -> str:
    """r_wg in words (the conventional bands), with the figure: "strong agreement (0.78)"."""
    if rwg is None:
        return "not enough ratings to judge agreement"
    return f"{AGREEMENT_LABELS[agreement_for(rwg)].lower()} ({rwg:.2f})"


def spread_text(spread: Spread | ItemSpread | None) -> str:
    """Agreement on a statement or dimension in words, with r_wg and the SD: "moderate agreement (0.52), SD 1.00"."""
    if spread is None:
        return "not shown"
    return agreement_words(spread.rwg) + (f", SD {spread.sd:.2f}" if spread.sd is not None else "")


def second_round_sentence(comparison: RoundComparison | None, k: int) -> str:
    """What every output says about the second round: how many re-rated, and whether the group result uses it."""
    if comparison is None:
        return ""
    n = len(comparison.info.items)
    what = f"{n} statement{'s' if n != 1 else ''}"
    p = comparison.progress
    done = f"{p.rerated} of {p.asked} people {'re-rated' if comparison.info.closed_at else 'have re-rated'} {what}"
    if comparison.used and comparison.in_result >= p.rerated:
        return (
            f"Second round: after the discussion, {done}; the group result uses their second-round answers "
            f"(release {comparison.after_release}; the first round was release {comparison.before_release})."
        )
    if comparison.used:
        return (
            f"Second round: after the discussion, {done}; the group result uses the second-round answers of "
            f"{comparison.in_result} of them (release {comparison.after_release}). The others go in when they can be "
            "released together without showing anyone's change; closing the round releases them all."
        )
    if comparison.info.closed_at:
        return (
            f"Second round closed: {done}. The group result uses the first-round answers (release "
            f"{comparison.after_release}) until the next release, which takes in everyone's answers together."
        )
    return (
        f"Second round open: {done}. The group result still uses the first-round answers (release "
        f"{comparison.after_release}) until the re-ratings can be released together without showing anyone's "
        f"change: at least {k} of them, sometimes more; closing the round releases them all."
    )
