"""The workshop's dimension statistics equal an independent pandas implementation on random workshops.

`dimension_statistics` is the dimensions' part of `summarise` (means, SD, range, r_wg, r_wg(J), role split);
bench/pandas_stats.py computes the same figures from the long table of answers with plain pandas.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from pandas_stats import item_table, long_answers, pandas_dimension_stats

from assessment import Context, default_bank
from assessment.workshop import Respondent, Responses, dimension_statistics, summarise
from assessment.workshop.models import ROLES

BANK = default_bank()


def random_workshop(seed: int, people: int, mode: str, dk: float, skip: float, roles: int) -> Responses:
    rng = np.random.default_rng(seed)
    item_ids = tuple(i.id for i in BANK.items_for(mode))  # type: ignore[arg-type]
    shape = (people, len(item_ids))
    lean = rng.integers(-1, 2, size=(people, 1))
    ratings = np.clip(np.rint(rng.normal(3 + lean, 1.1, size=shape)), 1, 5)
    dont_know = rng.random(shape) < dk
    unanswered = rng.random(shape) < skip
    ratings[dont_know | unanswered] = np.nan
    dont_know &= ~unanswered
    pool = list(ROLES)[:roles]
    respondents = tuple(
        Respondent(participant_id=100 + p, role=pool[int(rng.integers(len(pool)))]) for p in range(people)
    )
    return Responses(item_ids=item_ids, respondents=respondents, ratings=ratings, dont_know=dont_know)


def close(ours: float | None, theirs: float, places: int) -> bool:
    if ours is None:
        return bool(math.isnan(theirs))
    return not math.isnan(theirs) and abs(ours - theirs) <= 0.5 * 10**-places + 1e-9


def assert_same(responses: Responses, k: int) -> None:
    ours = dimension_statistics(responses, BANK, min_group=k)
    theirs = pandas_dimension_stats(long_answers(responses), item_table(BANK, responses.item_ids), k)
    for dim, row in theirs.dimensions.iterrows():
        d = ours[str(dim)]
        assert d.n == int(row["n"]), dim
        for field, places in (("mean", 2), ("sd", 2), ("rwg", 3), ("rwg_j", 3)):
            assert close(getattr(d, field), float(row[field]), places), (dim, field, getattr(d, field), row[field])
    # a role's cell may be held back by the disclosure gate (complementary suppression: tests/test_disclosure*),
    # never invented: every cell shown is pandas' figure for that group
    groups = {g for g, _ in theirs.by_role.index}
    assert all(set(d.by_role) <= groups for d in ours.values())
    for (group, dim), row in theirs.by_role.iterrows():
        cell = ours[str(dim)].by_role.get(str(group))
        if cell is not None:
            assert cell.n == int(row["n"]) and close(cell.mean, float(row["mean"]), 2), (group, dim, cell, row)


@pytest.mark.parametrize(
    ("seed", "people", "mode", "dk", "skip", "roles", "k"),
    [
        (1, 1000, "full", 0.08, 0.0, 7, 3),  # the benchmark's size
        (2, 40, "full", 0.2, 0.3, 7, 3),  # many gaps: dimensions below coverage, items below k
        (3, 12, "quick", 0.1, 0.1, 7, 5),  # small roles pooled into "other roles"
        (4, 6, "quick", 0.5, 0.4, 2, 2),
    ],
)
def test_our_dimension_statistics_equal_pandas(
    seed: int, people: int, mode: str, dk: float, skip: float, roles: int, k: int
) -> None:
    assert_same(random_workshop(seed, people, mode, dk, skip, roles), k)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    people=st.integers(3, 60),
    mode=st.sampled_from(["quick", "full"]),
    dk=st.floats(0, 0.6),
    skip=st.floats(0, 0.6),
    roles=st.integers(1, len(ROLES)),
    k=st.integers(2, 6),
)
def test_our_dimension_statistics_equal_pandas_on_any_workshop(
    seed: int, people: int, mode: str, dk: float, skip: float, roles: int, k: int
) -> None:
    responses = random_workshop(seed, people, mode, dk, skip, roles)
    if int(responses.answered.any(axis=1).sum()) < k:  # nobody's figures are computed then (see _kept)
        return
    assert_same(responses, k)


def test_summarise_reports_the_same_dimension_statistics() -> None:
    responses = random_workshop(5, 200, "full", 0.1, 0.05, 7)
    summary = summarise(responses, Context(), bank=BANK, min_group=3)
    assert summary.dimensions == dimension_statistics(responses, BANK, min_group=3)
