"""The structure check: does each dimension behave as one factor, with its items loading only on it?

A confirmatory factor analysis with semopy (maximum likelihood): one factor per dimension, each item loading on
its own dimension's factor only, factors free to correlate. It is fitted to the pairwise covariance matrix of the
reverse-scored ratings (every respondent contributes to the pairs of items they rated; "don't know" and blanks are
left out), with the smallest pairwise count as the sample size, the cautious choice.

It needs many respondents: at least MIN_CFA_RESPONDENTS, and CFA_RESPONDENTS_PER_PARAMETER per free parameter
(about 1,250 respondents for the current bank; `respondents_needed` computes it). Below that the check says so.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..bank import QuestionBank
from .models import FitIndex, StructureCheck
from .responses import ItemResponses, scale_items
from .thresholds import CFA_RESPONDENTS_PER_PARAMETER, MIN_CFA_RESPONDENTS

# (name, meaning in one line, good at or beyond, poor beyond, higher is better)
INDICES = (
    ("CFI", "How much better the model fits than one where the items are unrelated (0 to 1).", 0.95, 0.90, True),
    ("TLI", "Like CFI, but it penalises a model for its number of parameters.", 0.95, 0.90, True),
    ("RMSEA", "Misfit per degree of freedom, in the population; 0 is a perfect fit.", 0.06, 0.10, False),
)
CHI2_MEANING = (
    "Tests exact fit: a small p says the model does not reproduce the data exactly, which with hundreds of "
    "respondents almost every model fails; read the indices above instead."
)


def parameters_needed(bank: QuestionBank) -> int:
    """Free parameters: loadings (one per factor fixed at 1), residual variances, factor variances and covariances."""
    k, d = sum(len(scale_items(bank, dim.id)) for dim in bank.dimensions), len(bank.dimensions)
    return (k - d) + k + d + d * (d - 1) // 2


def respondents_needed(bank: QuestionBank) -> int:
    return max(MIN_CFA_RESPONDENTS, CFA_RESPONDENTS_PER_PARAMETER * parameters_needed(bank))


def structure_check(responses: ItemResponses, bank: QuestionBank) -> StructureCheck:
    ids = [i.id for d in bank.dimensions for i in scale_items(bank, d.id)]
    scored = responses.scored(bank, ids)
    rated = scored.notna().astype(float).to_numpy()
    pair_counts = rated.T @ rated
    n = int(pair_counts.min()) if len(scored) else 0
    needed = respondents_needed(bank)
    if n < needed:
        return StructureCheck(
            status="not_enough_data",
            n=n,
            n_needed=needed,
            message=(
                f"Not enough data for the structure check yet: it needs every pair of items rated by at least "
                f"{needed:,} respondents ({CFA_RESPONDENTS_PER_PARAMETER} per free parameter of the model); the "
                f"least-answered pair has {n:,}."
            ),
        )
    try:
        import semopy  # imported here: the reliability report does not need it

        cov = scored.cov()
        if not np.isfinite(cov.to_numpy()).all() or (np.diag(cov.to_numpy()) <= 0).any():
            raise ValueError("an item never varies")
        spec = "\n".join(f"f_{d.id} =~ " + " + ".join(i.id for i in scale_items(bank, d.id)) for d in bank.dimensions)
        model = semopy.Model(spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(cov=cov, n_samples=n)
            stats = semopy.calc_stats(model).T.iloc[:, 0]
    except Exception as exc:  # any failure of the optimiser is reported, not raised
        return StructureCheck(
            status="failed",
            n=n,
            n_needed=needed,
            message=f"The structure check could not be fitted ({str(exc)[:120] or type(exc).__name__}).",
        )
    indices = []
    for name, meaning, good, poor, higher in INDICES:
        value = float(stats[name])
        if name == "CFI":
            value = min(max(value, 0.0), 1.0)  # CFI is bounded by definition; semopy does not clip it
        ok = value >= good if higher else value <= good
        bad = value < poor if higher else value > poor
        verdict = "good" if ok else ("poor" if bad else "acceptable")
        indices.append(FitIndex(name=name, value=round(value, 3), meaning=meaning, verdict=verdict))
    chi2, dof, p = float(stats["chi2"]), float(stats["DoF"]), float(stats["chi2 p-value"])
    indices.append(
        FitIndex(name=f"chi-square ({dof:.0f} df)", value=round(chi2, 1), meaning=CHI2_MEANING, verdict=f"p = {p:.3f}")
    )
    worst = [i for i in indices[:3] if i.verdict == "poor"]
    message = f"Fitted on {n:,} respondents: each dimension as one factor. " + (
        "The fit is poor on " + ", ".join(i.name for i in worst) + ": some items may belong to another dimension."
        if worst
        else "The indices do not contradict the dimensions as the bank defines them."
    )
    return StructureCheck(status="fitted", n=n, n_needed=needed, message=message, indices=indices)
