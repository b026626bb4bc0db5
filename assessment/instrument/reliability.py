"""Reliability statistics of one dimension's item scores (pure numerics; no bank, no store).

Our own numpy code, no statistics package: Cronbach's alpha with Feldt's analytic 95 % interval (the formulas of
pingouin's `cronbach_alpha`, which this module used to call; scipy gives the F quantiles), and a one-factor
principal-axis fit (the iteration of statsmodels' `Factor(method="pa")`, vectorised) from which McDonald's omega
follows. No maintained library has omega itself, nor an interval for it, so `omega_interval` fits the same model
to many simulated covariance matrices at once. `tests/test_instrument_core.py` checks the results against the
values pingouin 0.7.0 and statsmodels 0.15.0 gave on the same data, and that the intervals cover the true values.

Every function takes complete cases only (respondents who rated every item given).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import f as f_distribution

from .models import Interval
from .thresholds import CONFIDENCE, SIMULATION_DRAWS, SIMULATION_SEED

PA_MAX_ITER = 50  # the principal-axis iteration's limits (statsmodels' defaults)
PA_TOL = 1e-8
SIMULATION_TOL = 1e-6  # moves omega by far less than the interval's rounding (0.001)
SIMULATION_MAX_ITER = 200  # power steps started at the sample's solution; unconverged draws are already close to it


def _varies(x: pd.DataFrame) -> bool:
    return bool((x.var(ddof=1) > 0).all()) and len(x) >= 3


def alpha(x: pd.DataFrame) -> tuple[float | None, Interval | None]:
    """Cronbach's alpha of the sum of the columns, with Feldt's 95 % interval; None when undefined.

    alpha = k/(k-1) * (1 - trace(C) / sum(C)) for the items' covariance matrix C; Feldt (1965): with n respondents,
    (1 - alpha) / (1 - true alpha) follows an F distribution with n-1 and (n-1)(k-1) degrees of freedom. The
    interval's ends are rounded to 3 decimals, as pingouin rounds them.
    """
    n, k = x.shape
    if k < 2 or n < 3 or not x.sum(axis=1).var(ddof=1) > 0:
        return None, None
    cov = x.cov().to_numpy()
    value = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    if not np.isfinite(value):
        return None, None
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - CONFIDENCE) / 2
    low = 1 - (1 - value) * f_distribution.isf(tail, df1, df2)
    high = 1 - (1 - value) * f_distribution.isf(1 - tail, df1, df2)
    return float(value), Interval(low=round(float(low), 3), high=round(float(high), 3), method="feldt")


def alpha_if_dropped(x: pd.DataFrame) -> dict[str, float | None]:
    """Alpha of the remaining items with each item left out in turn.

    `alpha`'s formula, k/(k-1) * (1 - trace(C) / sum(C)), applied to the sub-matrices of one covariance matrix
    (one `alpha` call per item would cost a covariance of all respondents each time; the test suite checks that
    both agree).
    """
    cov = x.cov().to_numpy()
    k = cov.shape[0]
    if k < 3:
        return {str(c): None for c in x.columns}
    row = cov.sum(axis=1)
    diag = np.diag(cov)
    rest_total = cov.sum() - 2 * row + diag  # variance of the sum without item i
    rest_trace = np.trace(cov) - diag
    with np.errstate(invalid="ignore", divide="ignore"):
        values = (k - 1) / (k - 2) * (1 - rest_trace / rest_total)
    usable = np.isfinite(values) & (rest_total > 0)
    return {str(c): float(v) if ok else None for c, v, ok in zip(x.columns, values, usable, strict=True)}


def item_total_r(x: pd.DataFrame) -> dict[str, float | None]:
    """Corrected item-total correlation: each item against the sum of the other items (from one covariance
    matrix; the test suite checks it against pandas' correlation of the item with the rest score)."""
    cov = x.cov().to_numpy()
    diag = np.diag(cov)
    rest_var = cov.sum() - 2 * cov.sum(axis=1) + diag
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (cov.sum(axis=1) - diag) / np.sqrt(diag * rest_var)
    usable = np.isfinite(r) & (diag > 0) & (rest_var > 0)
    return {str(c): float(v) if ok else None for c, v, ok in zip(x.columns, r, usable, strict=True)}


def omega(x: pd.DataFrame) -> float | None:
    """McDonald's omega (total) for the sum of the columns, from a one-factor principal-axis fit (`_pa_fit`).

    omega = (sum of loadings)^2 / ((sum of loadings)^2 + sum of unique variances), with loadings and unique
    variances on the items' own scale (the standardised fit rescaled by each item's standard deviation), so it is
    the share of the sum score's variance that the common factor explains.
    """
    if x.shape[1] < 2 or not _varies(x):
        return None
    try:
        load, comm, sd, ok = _pa_fit(np.cov(x.to_numpy(dtype=float), rowvar=False)[None])
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not ok[0]:
        return None
    return _omega(load[0] * sd[0], (1 - comm[0]) * sd[0] ** 2)


def _omega(loadings: np.ndarray, unique: np.ndarray) -> float | None:
    common = loadings.sum(axis=-1) ** 2
    total = common + np.clip(unique, 0.0, None).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = common / total
    return float(out) if np.ndim(out) == 0 and np.isfinite(out) else None


def _pa_fit(
    cov: np.ndarray, start: np.ndarray | None = None, tol: float = PA_TOL
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """statsmodels' one-factor principal-axis iteration on a stack of covariance matrices (B, k, k), vectorised.

    Returns standardised loadings and communalities (B, k), standard deviations (B, k) and which matrices could
    be fitted (B,). Communalities start from the squared multiple correlations, as in statsmodels, or `start`.
    """
    sd = np.sqrt(np.einsum("bii->bi", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / (sd[:, :, None] * sd[:, None, :])
        ok = np.isfinite(corr).all(axis=(1, 2))
        corr = np.where(ok[:, None, None], corr, np.eye(cov.shape[1]))
        if start is None:
            comm = 1 - 1 / np.einsum("bii->bi", np.linalg.pinv(corr, hermitian=True))
        else:
            comm = np.broadcast_to(start, sd.shape).copy()
    diag = np.arange(cov.shape[1])
    load = np.zeros_like(sd)
    done = np.zeros(len(cov), dtype=bool)
    for _ in range(PA_MAX_ITER):
        reduced = corr.copy()
        reduced[:, diag, diag] = comm
        vals, vecs = np.linalg.eigh(reduced)
        new_load = vecs[:, :, -1] * np.sqrt(np.clip(vals[:, -1], 0.0, None))[:, None]
        new_comm = new_load**2
        step = np.linalg.norm(new_comm - comm, axis=1)
        load = np.where(done[:, None], load, new_load)
        comm = np.where(done[:, None], comm, new_comm)
        done |= step < tol
        if done.all():
            break
    return load, comm, sd, ok


def _pa_refine(
    corr: np.ndarray, comm: np.ndarray, vec: np.ndarray, tol: float = SIMULATION_TOL
) -> tuple[np.ndarray, np.ndarray]:
    """The principal-axis fixed point again, for many nearby correlation matrices (B, k, k) at once.

    Each step replaces the eigen-decomposition by one power-iteration step from the current loading direction,
    which converges to the same fixed point (communalities = squared loadings of the top eigenvector of the
    reduced matrix) at a fraction of the cost when started next to it.
    """
    diag = np.arange(corr.shape[1])
    reduced = corr.copy()
    comm, vec = comm.copy(), vec.copy()
    active = np.arange(len(corr))  # matrices not yet converged
    for _ in range(SIMULATION_MAX_ITER):
        red = reduced[active]
        red[:, diag, diag] = comm[active]
        v = vec[active]
        w = np.matmul(red, v[:, :, None])[:, :, 0]
        value = (v * w).sum(axis=1)  # Rayleigh quotient: the top eigenvalue at the fixed point
        norm = np.linalg.norm(w, axis=1, keepdims=True)
        v = np.where(norm > 0, w / np.where(norm > 0, norm, 1.0), v)
        new_comm = v**2 * np.clip(value, 0.0, None)[:, None]
        moved = np.abs(new_comm - comm[active]).sum(axis=1)
        vec[active], comm[active] = v, new_comm
        active = active[moved >= tol]
        if not len(active):
            break
    load = vec * np.sqrt(comm.sum(axis=1) / np.maximum((vec**2).sum(axis=1), 1e-12))[:, None]
    return load, comm


def omega_interval(x: pd.DataFrame, draws: int = SIMULATION_DRAWS, seed: int = SIMULATION_SEED) -> Interval | None:
    """A 95 % interval for omega from the large-sample distribution of the covariance matrix, by simulation.

    The sample covariance matrix is approximately normal around the true one, with a covariance estimated from
    the respondents' own fourth moments (distribution-free: no assumption that ratings are normal; Browne, 1984).
    `draws` covariance matrices are drawn from that distribution, omega is computed for each, and the 2.5th and
    97.5th percentiles are the interval. This is the delta method without its linearisation, so the interval can
    be lopsided near 1; it costs the same for 50 or 10,000 respondents, which a resampling bootstrap does not.
    """
    n, k = x.shape
    if k < 2 or not _varies(x):
        return None
    arr = x.to_numpy(dtype=float)
    centred = arr - arr.mean(axis=0)
    rows, cols = np.triu_indices(k)
    products = centred[:, rows] * centred[:, cols]  # (n, m): the elements of each respondent's outer product
    vech = products.mean(axis=0) * n / (n - 1)
    gamma = np.cov(products, rowvar=False) / n
    rng = np.random.default_rng(seed)
    sims = rng.multivariate_normal(vech, gamma, size=draws, method="eigh")
    cov = np.zeros((draws, k, k))
    cov[:, rows, cols] = sims
    cov[:, cols, rows] = sims
    sd = np.sqrt(np.clip(np.einsum("bii->bi", cov), 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / (sd[:, :, None] * sd[:, None, :])
    usable = np.isfinite(corr).all(axis=(1, 2)) & (sd > 0).all(axis=1)
    if usable.sum() < draws * 0.9:
        return None
    corr, sd = corr[usable], sd[usable]
    load0, comm0, _, ok = _pa_fit(np.cov(arr, rowvar=False)[None])
    if not ok[0]:
        return None
    start = load0[0] / max(float(np.linalg.norm(load0[0])), 1e-12)
    load, comm = _pa_refine(corr, np.broadcast_to(comm0[0], sd.shape).copy(), np.broadcast_to(start, sd.shape).copy())
    lam, unique = load * sd, (1 - comm) * sd**2
    common = lam.sum(axis=1) ** 2
    values = common / (common + np.clip(unique, 0.0, None).sum(axis=1))
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(low=round(float(low), 3), high=round(float(min(high, 1.0)), 3), method="simulation")
