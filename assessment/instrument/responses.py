"""The report's input: item-level answers as a respondents x items table, checked, and reverse-scored.

`ratings` holds the rating as answered (1-5, reverse items not yet flipped) or NaN; `dont_know` is a parallel
boolean table marking "don't know". A blank (NaN and not "don't know") means the item was not answered or not
asked (a quick scan asks only the core items).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Item, QuestionBank
from ..errors import AssessmentError
from ..vocabulary import SCORE_MAX, SCORE_MIN

DONT_KNOW = "dont_know"


def scale_items(bank: QuestionBank, dimension: str) -> list[Item]:
    """The items averaged into a dimension's score, as in `assessment.scoring` (a step-two signal item is asked
    but not scored, so it is no part of the scale whose reliability is measured)."""
    return [i for i in bank.items_by_dimension[dimension] if not i.step_two_signal]


class InstrumentDataError(AssessmentError):
    """Item-level answers that cannot be analysed as they are (unknown items, ratings out of range...)."""


def _error(problems: list[str]) -> InstrumentDataError:
    if len(problems) == 1:
        return InstrumentDataError(f"cannot analyse these answers: {problems[0]}")
    return InstrumentDataError(f"cannot analyse these answers ({len(problems)} problems)", problems)


@dataclass(frozen=True, eq=False)
class ItemResponses:
    ratings: pd.DataFrame
    dont_know: pd.DataFrame

    @classmethod
    def from_frames(cls, ratings: pd.DataFrame, dont_know: pd.DataFrame | None, bank: QuestionBank) -> ItemResponses:
        """Check the two tables against the bank; raise InstrumentDataError naming every problem found."""
        problems: list[str] = []
        unknown = [str(c) for c in ratings.columns if c not in bank.item_by_id]
        if unknown:
            problems.append(
                f"{len(unknown)} column(s) are not items of question bank {bank.bank_version}: {', '.join(unknown[:5])}"
            )
        if ratings.columns.duplicated().any():
            problems.append("an item appears in more than one column")
        try:
            values = ratings.apply(pd.to_numeric).astype(float)
        except (TypeError, ValueError):
            raise InstrumentDataError("ratings must be numbers from 1 to 5 or blank") from None
        arr = values.to_numpy()
        bad = ~np.isnan(arr) & ~np.isin(arr, np.arange(SCORE_MIN, SCORE_MAX + 1))
        for r, c in list(zip(*np.nonzero(bad), strict=True))[:5]:
            problems.append(
                f"item '{values.columns[c]}', respondent {values.index[r]!s}: rating {arr[r, c]:g} is not 1 to 5"
            )
        if dont_know is None:
            dk = pd.DataFrame(False, index=values.index, columns=values.columns)
        else:
            if list(dont_know.columns) != list(values.columns) or not dont_know.index.equals(values.index):
                problems.append('the "don\'t know" table must have the same rows and columns as the ratings')
                dk = pd.DataFrame(False, index=values.index, columns=values.columns)
            else:
                dk = dont_know.fillna(False).astype(bool)
                both = dk.to_numpy() & ~np.isnan(arr)
                if both.any():
                    r, c = np.argwhere(both)[0]
                    problems.append(
                        f"item '{values.columns[c]}', respondent {values.index[r]!s}: both a rating and \"don't know\""
                    )
        if problems:
            raise _error(problems)
        return cls(values, dk)

    @classmethod
    def from_long(
        cls,
        rows: Iterable[tuple[object, str, int | str | None]],
        bank: QuestionBank,
        *,
        respondents: Sequence[object] | None = None,
    ) -> ItemResponses:
        """One (respondent, item id, value) row per answer; value is 1-5, "dont_know" or None (blank).

        `respondents` fixes the row order and keeps people who answered nothing; by default rows appear in order
        of first answer.
        """
        records = list(rows)
        who = list(respondents) if respondents is not None else list(dict.fromkeys(r[0] for r in records))
        items = [i.id for i in bank.items]
        ratings = pd.DataFrame(np.nan, index=pd.Index(who, name="respondent"), columns=items)
        dk = pd.DataFrame(False, index=ratings.index, columns=items)
        row_of = {w: k for k, w in enumerate(who)}
        col_of = {c: k for k, c in enumerate(items)}
        r_arr, d_arr = ratings.to_numpy(copy=True), dk.to_numpy(copy=True)
        problems: list[str] = []
        for person, item_id, value in records:
            r, c = row_of.get(person), col_of.get(item_id)
            if c is None:
                problems.append(f"'{str(item_id)[:40]}' is not an item of question bank {bank.bank_version}")
            elif r is None:
                problems.append(f"respondent {str(person)[:40]} is not in the list of respondents")
            elif value == DONT_KNOW:
                d_arr[r, c] = True
            elif isinstance(value, int | float) and not isinstance(value, bool):
                r_arr[r, c] = value  # the range is checked in from_frames
            elif value is not None:
                problems.append(f"item '{item_id}': {str(value)[:20]!r} is not a rating from 1 to 5 or \"don't know\"")
        if problems:
            raise _error(problems[:20])
        ratings = pd.DataFrame(r_arr, index=ratings.index, columns=items)
        return cls.from_frames(ratings, pd.DataFrame(d_arr, index=ratings.index, columns=items), bank)

    @property
    def n(self) -> int:
        return len(self.ratings)

    def scored(self, bank: QuestionBank, item_ids: Sequence[str]) -> pd.DataFrame:
        """The ratings of `item_ids` as item scores: reverse items flipped as in `assessment.scoring` (6 - rating)."""
        cols = {}
        for item_id in item_ids:
            x = self.ratings[item_id] if item_id in self.ratings else pd.Series(np.nan, index=self.ratings.index)
            cols[item_id] = SCORE_MAX + SCORE_MIN - x if bank.item_by_id[item_id].reverse else x
        return pd.DataFrame(cols, index=self.ratings.index)

    def dont_know_of(self, item_id: str) -> pd.Series:
        if item_id in self.dont_know:
            return self.dont_know[item_id]
        return pd.Series(False, index=self.ratings.index)
