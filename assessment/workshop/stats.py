"""Column statistics on the response matrix, and the agreement index r_wg (written once, here)."""

from __future__ import annotations

import numpy as np

from ..vocabulary import AGREEMENT_ABOVE
from .models import RWG_NULL_VARIANCE, Agreement


def round_or_none(x: float | np.floating | None, nd: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def agreement_for(rwg: float | None) -> Agreement:
    """The agreement band of an r_wg (vocabulary.AGREEMENT_ABOVE, the conventional bands)."""
    if rwg is None:
        return "unknown"
    return next((band for lower, band in AGREEMENT_ABOVE if rwg > lower), "none")


def rwg_from_variance(variance: float | np.floating) -> float:
    """r_wg = 1 - s^2 / sigma_EU^2 for a 5-point item (sigma_EU^2 = 2, the uniform null), clipped to [0, 1]
    (James, Demaree and Wolf 1984). The one place the formula is written."""
    return float(np.clip(1.0 - float(variance) / RWG_NULL_VARIANCE, 0.0, 1.0))


def rwg(values: np.ndarray) -> float | None:
    """Single-item r_wg of some ratings; None when fewer than 2 are given."""
    v = values[~np.isnan(values)]
    if v.size < 2:
        return None
    return rwg_from_variance(v.var(ddof=1))


def rwg_dimension(item_variances: np.ndarray) -> tuple[float | None, float | None]:
    """r_wg of a dimension from the variance of each of its items' ratings (NaN: not enough ratings), and the
    multi-item r_wg(J) built on the same mean item variance; (None, None) when no item has a variance."""
    known = item_variances[~np.isnan(item_variances)]
    if not known.size:
        return None, None
    r = rwg_from_variance(known.mean())
    ratio = 1.0 - r
    n_items = int(item_variances.size)
    return r, (n_items * r / (n_items * r + ratio) if ratio > 0 else 1.0)


def col_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column: n, mean and sample variance (NaN where n < 1 or n < 2), ignoring NaN."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=0)
    filled = np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(ok, x - mean, 0.0)
        var = (dev * dev).sum(axis=0) / (n - 1)
    mean = np.where(n > 0, mean, np.nan)
    var = np.where(n > 1, var, np.nan)
    return n, mean, var


def col_extremes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column: min and max ignoring NaN (NaN where a column has no value, also for zero rows)."""
    ok = ~np.isnan(x)
    if x.shape[0] == 0:
        empty = np.full(x.shape[1], np.nan)
        return empty, empty.copy()
    lo = np.where(ok, x, np.inf).min(axis=0)
    hi = np.where(ok, x, -np.inf).max(axis=0)
    none = ~ok.any(axis=0)
    lo[none] = np.nan
    hi[none] = np.nan
    return lo, hi


def group_means(x: np.ndarray, onehot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(G, C) counts and means of the columns of x within each group (rows of onehot.T)."""
    ok = ~np.isnan(x)
    counts = onehot.T @ ok.astype(float)
    sums = onehot.T @ np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    return counts.astype(int), means
