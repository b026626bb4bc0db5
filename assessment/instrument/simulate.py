"""Respondents generated from a known model, for the tests, the benchmark and demonstration stores.

Each dimension has one normal factor; an item's latent response is loading * factor + noise (unit variance), cut
at fixed thresholds into ratings 1-5. A reverse-worded item is answered the other way round (6 minus the rating),
so scoring it as the assessment does (6 - rating) restores its direction, unless it is listed in
`misworded`: those items are marked reverse in the bank but answered as if they were not, which is what a
wrongly set `reverse` flag looks like in the data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal, norm

from ..bank import QuestionBank
from .responses import ItemResponses

if TYPE_CHECKING:
    from ..answers import DontKnow
    from ..store import Store

THRESHOLDS = (-1.5, -0.5, 0.5, 1.5)  # latent cut points between ratings 1|2, 2|3, 3|4, 4|5


def loadings_for(bank: QuestionBank, seed: int = 7, low: float = 0.45, high: float = 0.85) -> dict[str, float]:
    """A fixed, varied loading for every item (the same for a given seed)."""
    rng = np.random.default_rng(seed)
    return {i.id: round(float(rng.uniform(low, high)), 2) for i in bank.items}


def one_factor_responses(
    bank: QuestionBank,
    n: int,
    loadings: Mapping[str, float],
    *,
    seed: int = 1,
    dont_know: float = 0.0,
    misworded: Collection[str] = (),
    random_answers: bool = False,
) -> ItemResponses:
    """`n` respondents answering every item; a share `dont_know` of answers (at random) is "don't know"."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    for dim in bank.dimensions:
        factor = rng.standard_normal(n)
        for item in bank.items_by_dimension[dim.id]:
            lam = 0.0 if random_answers else loadings[item.id]
            latent = lam * factor + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            rating = 1 + np.searchsorted(np.asarray(THRESHOLDS), latent).astype(float)
            if item.reverse and item.id not in misworded:
                rating = 6 - rating
            cols[item.id] = rating
    ratings = pd.DataFrame(cols, index=pd.RangeIndex(n, name="respondent"))
    dk = pd.DataFrame(rng.random(ratings.shape) < dont_know, index=ratings.index, columns=ratings.columns)
    return ItemResponses.from_frames(ratings.mask(dk), dk, bank)


# ----- population values of the rated items (for tests with known answers) -----


def rated_covariance(loadings: list[float]) -> np.ndarray:
    """The exact covariance matrix of the 1-5 ratings under the model (bivariate normal probabilities)."""
    tau = np.asarray(THRESHOLDS)
    k = len(loadings)
    cov = np.zeros((k, k))
    p = norm.sf(tau)  # P(latent > tau_s)
    for i in range(k):
        for j in range(i, k):
            rho = 1.0 if i == j else loadings[i] * loadings[j]
            total = 0.0
            for s in tau:
                for t in tau:
                    if i == j:
                        joint = norm.sf(max(s, t))
                    else:
                        joint = multivariate_normal.cdf([-s, -t], mean=[0, 0], cov=[[1, rho], [rho, 1]])
                    total += joint
            cov[i, j] = cov[j, i] = total - p.sum() ** 2
    return cov


def alpha_of(cov: np.ndarray) -> float:
    k = len(cov)
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


# ----- generated workshops in a store (tests, the benchmark's store variant and screenshots) -----

ROLES = ("executive", "middle_manager", "doctor", "nurse", "nurse", "allied_health", "commissioner", "other")


def seed_store(
    store: Store,
    bank: QuestionBank,
    sizes: Sequence[int],
    *,
    research_use: Sequence[bool] | None = None,
    seed: int = 1,
    dont_know: float = 0.05,
    unsubmitted: int = 1,
    misworded: Collection[str] = (),
) -> list[tuple[str, str]]:
    """Create one full-bank workshop per entry of `sizes`, each with that many respondents who answer from the
    one-factor model and submit, plus `unsubmitted` who answer but do not submit. Every respondent gives a name,
    a department and a comment (so tests can check that none of them leaks). Returns (join code, key) pairs."""
    from ..answers import Context

    loadings = loadings_for(bank)
    out = []
    for w, size in enumerate(sizes):
        allowed = bool(research_use[w]) if research_use is not None else False
        created = store.create_workshop(
            f"Generated workshop {w + 1}",
            Context(innovation_title="Remote monitoring", organisation_name="Riverside (fictional)"),
            "full",
            research_use=allowed,
        )
        code = created.workshop.join_code
        answers = one_factor_responses(
            bank, size + unsubmitted, loadings, seed=seed + w, dont_know=dont_know, misworded=misworded
        )
        for k in range(size + unsubmitted):
            joined = store.join_workshop(
                code,
                ROLES[k % len(ROLES)],
                name=f"Person {w}-{k}",
                department=f"Ward {k % 3} of workshop {w}",
                client_key=f"seed-{w}-{k}",
            )
            row_r, row_dk = answers.ratings.iloc[k], answers.dont_know.iloc[k]
            given: dict[str, tuple[int | DontKnow, str]] = {}
            for item_id in row_r.index:
                value: int | DontKnow = "dont_know" if row_dk[item_id] else int(row_r[item_id])
                given[item_id] = (value, f"Comment by person {w}-{k}" if item_id == row_r.index[0] else "")
            store.save_answers(joined.participant_token, given)
            if k < size:
                store.submit(joined.participant_token)
        out.append((code, created.facilitator_key))
    return out
