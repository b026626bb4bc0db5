"""The instrument-quality report: reliability per dimension, item flags, and one plain line per dimension."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..bank import Item, QuestionBank
from .models import DimensionQuality, DimensionStatus, InstrumentReport, ItemFlag, ItemQuality, StructureCheck
from .responses import ItemResponses, scale_items
from .thresholds import (
    ACCEPTABLE_ALPHA,
    ALPHA_GAIN_MARGIN,
    DONT_KNOW_SHARE,
    GOOD_ALPHA,
    MIN_ITEM_TOTAL_R,
    MIN_RESPONDENTS,
    NO_VARIANCE_SHARE,
)

RATINGS = ("1", "2", "3", "4", "5")


def build_report(
    responses: ItemResponses,
    bank: QuestionBank,
    *,
    structure: StructureCheck | None = None,
    notes: Sequence[str] = (),
) -> InstrumentReport:
    """Reliability of every dimension of `bank` from `responses` (pure: no store, no I/O).

    Every matrix here is small (a few items wide), where a multi-threaded BLAS spends more time waking its
    threads than computing: one BLAS thread halves the CPU time on a 2-core machine.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        dims = {d.id: _dimension(responses, bank, d.id) for d in bank.dimensions}
    return InstrumentReport(
        bank_version=bank.bank_version,
        respondents=responses.n,
        dimensions=dims,
        structure=structure,
        notes=list(notes),
    )


def status_for(alpha: float | None, n: int) -> DimensionStatus:
    """Judged on alpha as shown (two decimals), so that "alpha 0.70" never reads as below 0.70."""
    if n < MIN_RESPONDENTS or alpha is None:
        return "not_enough_data"
    return "acceptable" if round(alpha, 2) >= ACCEPTABLE_ALPHA else "below_acceptable"


def statement(status: DimensionStatus, alpha: float | None, n: int) -> str:
    """One line for people: "Items agree well in 1,240 responses (alpha 0.81)."."""
    if status == "not_enough_data" or alpha is None:
        have = f"{n:,} complete response{'' if n == 1 else 's'}"
        return f"Not enough data yet to check how well the items agree ({have}; {MIN_RESPONDENTS} needed)."
    shown = round(alpha, 2)
    if shown >= GOOD_ALPHA:
        how = "Items agree well"
    elif shown >= ACCEPTABLE_ALPHA:
        how = "Items agree acceptably"
    else:
        how = "Items agree too little for the score to be read on its own"
    return f"{how} in {n:,} responses (alpha {alpha:.2f})."


def _dimension(responses: ItemResponses, bank: QuestionBank, dim_id: str) -> DimensionQuality:
    items = bank.items_by_dimension[dim_id]
    ids = [i.id for i in scale_items(bank, dim_id)]
    scored = responses.scored(bank, ids)
    complete = scored.dropna(how="any")
    n = len(complete)
    n_any = int(scored.notna().any(axis=1).sum())
    alpha, alpha_ci, omega, omega_ci, r_it, dropped = None, None, None, None, {}, {}
    if n >= MIN_RESPONDENTS:
        from . import reliability  # scipy loads only when there is something to compute

        alpha, alpha_ci = reliability.alpha(complete)
        if alpha is not None:
            omega = reliability.omega(complete)
            omega_ci = reliability.omega_interval(complete) if omega is not None else None
            r_it = reliability.item_total_r(complete)
            dropped = reliability.alpha_if_dropped(complete)
    alpha = _round(alpha)  # the one figure every view (page, CLI, results, PDF) formats, so they cannot differ
    status = status_for(alpha, n)
    return DimensionQuality(
        dimension=dim_id,
        label=bank.dimension_by_id[dim_id].label,
        n=n,
        n_any=n_any,
        k=len(ids),
        alpha=alpha,
        alpha_ci=alpha_ci,
        omega=_round(omega),
        omega_ci=omega_ci,
        status=status,
        statement=statement(status, alpha, n),
        items=[_item(responses, item, alpha, r_it.get(item.id), dropped.get(item.id)) for item in items],
    )


def _item(
    responses: ItemResponses, item: Item, alpha: float | None, r: float | None, if_dropped: float | None
) -> ItemQuality:
    raw = responses.ratings[item.id] if item.id in responses.ratings else pd.Series(dtype=float)
    rated_values = raw.dropna().to_numpy()
    rated = len(rated_values)
    dont_know = int(responses.dont_know_of(item.id).sum())
    answered = rated + dont_know
    shares: dict[str, float] | None = None
    dk_share: float | None = None
    if answered >= MIN_RESPONDENTS:
        dk_share = round(dont_know / answered, 3)
        if rated:
            counts = np.bincount(rated_values.astype(int), minlength=6)[1:6]
            shares = {k: round(float(c) / rated, 3) for k, c in zip(RATINGS, counts, strict=True)}
    flags = _flags(item, alpha, r, if_dropped, dk_share, shares, rated)
    return ItemQuality(
        item_id=item.id,
        text=_sentence(item.render("the innovation")),
        reverse=item.reverse,
        scored=not item.step_two_signal,
        answered=answered,
        rated=rated,
        dont_know_share=dk_share,
        rating_shares=shares,
        floor_share=shares["1"] if shares else None,
        ceiling_share=shares["5"] if shares else None,
        item_total_r=_round(r),
        alpha_if_dropped=_round(if_dropped),
        flags=flags,
    )


def _flags(
    item: Item,
    alpha: float | None,
    r: float | None,
    if_dropped: float | None,
    dk_share: float | None,
    shares: dict[str, float] | None,
    rated: int,
) -> list[ItemFlag]:
    out: list[ItemFlag] = []
    if r is not None and r < 0:
        scored = "reverse-scored (6 minus the rating)" if item.reverse else "scored as rated"
        out.append(
            ItemFlag(
                kind="opposite_direction",
                reason=(
                    f"Runs against the other items of its dimension (item-total r {r:.2f}). It is {scored}: check "
                    f"whether its wording points the other way, or whether it should be reverse-scored or not."
                ),
            )
        )
    elif r is not None and r < MIN_ITEM_TOTAL_R:
        out.append(
            ItemFlag(
                kind="weakly_related",
                reason=(
                    f"Barely related to the other items of its dimension (item-total r {r:.2f}, below "
                    f"{MIN_ITEM_TOTAL_R:.2f}): it may measure something else."
                ),
            )
        )
    if alpha is not None and if_dropped is not None and if_dropped > alpha + ALPHA_GAIN_MARGIN:
        out.append(
            ItemFlag(
                kind="lowers_reliability",
                reason=f"Lowers reliability: without it alpha would rise from {alpha:.2f} to {if_dropped:.2f}.",
            )
        )
    if shares is not None and rated >= MIN_RESPONDENTS:
        top, share = max(shares.items(), key=lambda kv: kv[1])
        if share >= NO_VARIANCE_SHARE:
            out.append(
                ItemFlag(
                    kind="never_varies",
                    reason=(f"Hardly varies: {share:.0%} of ratings are {top}, so it cannot tell organisations apart."),
                )
            )
    if dk_share is not None and dk_share >= DONT_KNOW_SHARE:
        out.append(
            ItemFlag(
                kind="many_dont_know",
                reason=(
                    f'Many cannot answer it: {dk_share:.0%} chose "don\'t know" (flagged from '
                    f"{DONT_KNOW_SHARE:.0%}). Reword it, or ask it of the roles that can judge it."
                ),
            )
        )
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _round(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(float(x), nd)
