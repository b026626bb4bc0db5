"""The workshop's dimension statistics written independently in plain pandas, from the long table of answers.

Used twice: bench/bench_workshop.py times it as the fair baseline for `assessment.workshop.dimension_statistics`
(the same figures from the same answers, in the same run), and tests/test_workshop_pandas.py checks that both
give the same numbers on random workshops. It follows the method in `assessment/workshop/aggregate.py`:

- a respondent's dimension score is the mean of their rated, scored items (reverse items flipped as 6 - rating;
  step-two signal items are asked but not scored), usable when they rated at least MIN_COVERAGE of the
  dimension's scored items;
- per dimension: n, mean and sample SD of the usable scores, shown only from at least k people (no min or max:
  each is one person's score);
- r_wg = clip(1 - s^2 / 2, 0, 1), s^2 the mean over the dimension's items (all of them) of each item's sample
  variance of ratings, an item counting only when at least k people rated it; r_wg(J) = J r / (J r + 1 - r);
- the role split: roles smaller than k pooled into "other roles" (the rule `pool_small_groups`, reused as the
  rule, not a computation), then each group's n and mean of usable scores, the mean shown from at least k.

The people are those with at least one answer (a rating or "don't know"): the long table's participants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.bank import QuestionBank
from assessment.disclosure.policy import OTHER_ROLES, pool_small_groups
from assessment.vocabulary import DIMENSION_IDS, MIN_COVERAGE
from assessment.workshop.models import ROLES, RWG_NULL_VARIANCE


@dataclass(frozen=True)
class PandasStats:
    dimensions: pd.DataFrame  # index dimension: n, mean, sd, rwg, rwg_j (NaN where not shown)
    by_role: pd.DataFrame  # index (group, dimension): n, mean (NaN where fewer than k)


def item_table(bank: QuestionBank, item_ids: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The asked items: dimension, reverse, scored."""
    items = [bank.item_by_id[i] for i in item_ids]
    return pd.DataFrame(
        {
            "dimension": [i.dimension for i in items],
            "reverse": [i.reverse for i in items],
            "scored": [not i.step_two_signal for i in items],
        },
        index=pd.Index(list(item_ids), name="item_id"),
    )


def pandas_dimension_stats(long: pd.DataFrame, items: pd.DataFrame, k: int) -> PandasStats:
    """`long`: one row per answer (participant, role, item_id, rating; rating NaN for "don't know")."""
    rated = long[long["rating"].notna()]
    item_rows = items.loc[rated["item_id"]]
    dims = pd.Index(DIMENSION_IDS, name="dimension")

    # r_wg from each item's variance of ratings (items rated by fewer than k people do not count)
    per_item = rated.groupby("item_id")["rating"].agg(["count", "var"]).reindex(items.index)
    item_var = per_item["var"].where(per_item["count"] >= k)
    s2 = item_var.groupby(items["dimension"]).mean().reindex(dims)
    rwg = (1 - s2 / RWG_NULL_VARIANCE).clip(0, 1)
    j = items.groupby("dimension").size().reindex(dims)
    rwg_j = (j * rwg / (j * rwg + (1 - rwg))).where(rwg < 1, 1.0).where(rwg.notna())

    # individual dimension scores
    scored = item_rows["scored"].to_numpy()
    values = rated["rating"].where(~item_rows["reverse"].to_numpy(), 6 - rated["rating"])[scored]
    keys = [rated["participant"][scored], item_rows["dimension"][scored].rename("dimension").to_numpy()]
    per_person = values.groupby(keys).agg(["mean", "count"])
    asked = items[items["scored"]].groupby("dimension").size()
    coverage = per_person["count"] / asked.reindex(per_person.index.get_level_values(1)).to_numpy()
    x = per_person["mean"].where(coverage >= MIN_COVERAGE).unstack().reindex(columns=dims)
    people = long.drop_duplicates("participant").set_index("participant")["role"]
    x = x.reindex(people.index)

    n = x.count()
    shown = n >= k
    dimensions = pd.DataFrame(
        {
            "n": n,
            "mean": x.mean().where(shown),
            "sd": x.std(ddof=1).where(shown),
            "rwg": rwg,
            "rwg_j": rwg_j,
        }
    )

    # the role split
    group_of = pool_small_groups(people.value_counts().reindex(ROLES, fill_value=0).to_dict(), k, OTHER_ROLES)
    by_group = x.groupby(people.map(group_of).rename("group")).agg(["count", "mean"])
    by_role = by_group.stack(level=0, future_stack=True).rename(columns={"count": "n"})
    by_role.index = by_role.index.set_names(["group", "dimension"])
    by_role["mean"] = by_role["mean"].where(by_role["n"] >= k)
    return PandasStats(dimensions, by_role[["n", "mean"]])


def long_answers(responses: object) -> pd.DataFrame:
    """The long table a pandas user starts from: one row per rating or "don't know" of the respondents."""
    from assessment.workshop import Responses

    assert isinstance(responses, Responses)
    answered = responses.answered
    rows, cols = np.nonzero(answered)
    roles = np.array([r.role for r in responses.respondents], dtype=object)
    pids = np.array([r.participant_id for r in responses.respondents], dtype=int)
    return pd.DataFrame(
        {
            "participant": pids[rows],
            "role": roles[rows],
            "item_id": np.array(responses.item_ids, dtype=object)[cols],
            "rating": responses.ratings[rows, cols],
        }
    )
