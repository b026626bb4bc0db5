"""The response matrix: respondents x items, built from store rows or answer sets, and individual scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import cast

import numpy as np
import numpy.typing as npt

from ..answers import AnswerSet
from ..bank import QuestionBank, default_bank
from ..scoring import is_sufficient
from ..vocabulary import (
    DIMENSION_IDS,
    PlanAnswer,
)
from .errors import InvalidInput
from .models import Mode

# ----- the response matrix ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """A row of the response matrix: who answered (the name is "" when anonymous)."""

    participant_id: int
    role: str
    name: str = ""
    department: str = ""
    submitted: bool = False
    political_work_first: PlanAnswer | None = None
    step_one_evidence: PlanAnswer | None = None
    version: str = ""  # which submission of theirs this row holds (a release keeps the one it released)

    @property
    def member(self) -> tuple[int, str]:
        """The key the disclosure ledger knows this row by: the same person with other answers is another."""
        return (self.participant_id, self.version)


@dataclass(frozen=True, eq=False)
class Responses:
    """All answers of a workshop as a respondents x items matrix.

    `ratings` holds the 1-5 rating as answered (reverse items not yet flipped), NaN when not rated;
    `dont_know` marks "don't know" answers; `comments` maps (row, column) to a non-empty comment.
    Columns are the items asked in the workshop's mode, in bank order.
    """

    item_ids: tuple[str, ...]
    respondents: tuple[Respondent, ...]
    ratings: np.ndarray
    dont_know: np.ndarray
    comments: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shape = (len(self.respondents), len(self.item_ids))
        if self.ratings.shape != shape or self.dont_know.shape != shape:
            raise ValueError(f"response matrix shape {self.ratings.shape} does not match {shape}")

    @property
    def answered(self) -> np.ndarray:
        """(P, I) bool: rated 1-5 or "don't know"."""
        return ~np.isnan(self.ratings) | self.dont_know

    def rows(self, mask: np.ndarray) -> Responses:
        """The same workshop restricted to the respondents where `mask` is true."""
        idx = np.flatnonzero(mask)
        remap = {int(old): new for new, old in enumerate(idx)}
        return Responses(
            item_ids=self.item_ids,
            respondents=tuple(self.respondents[i] for i in idx),
            ratings=self.ratings[idx],
            dont_know=self.dont_know[idx],
            comments={(remap[r], c): t for (r, c), t in self.comments.items() if r in remap},
        )

    @classmethod
    def from_long(
        cls,
        item_ids: Sequence[str],
        respondents: Sequence[Respondent],
        participant_col: Sequence[int],
        item_col: Sequence[str],
        rating_col: Sequence[float | None] | npt.NDArray[np.float64],
        dont_know_col: Sequence[bool],
        comment_col: Sequence[str | None] | None = None,
        *,
        comment_rows: Iterable[tuple[int, str, str]] = (),
    ) -> Responses:
        """Build the matrix from one row per answer (as the store reads them), vectorised.

        Comments come either aligned with the other columns (`comment_col`) or as separate
        (participant id, item id, comment) rows. Answers to items outside `item_ids` (not asked in this mode)
        or from unknown participants are ignored.
        """
        n_p, n_i = len(respondents), len(item_ids)
        ratings = np.full((n_p, n_i), np.nan)
        dk = np.zeros((n_p, n_i), dtype=bool)
        comments: dict[tuple[int, int], str] = {}
        n = len(item_col)
        if n:
            row_of = {r.participant_id: k for k, r in enumerate(respondents)}
            col_of = {item: k for k, item in enumerate(item_ids)}
            rows = np.fromiter(map(row_of.get, participant_col, repeat(-1, n)), dtype=np.intp, count=n)
            cols = np.fromiter(map(col_of.get, item_col, repeat(-1, n)), dtype=np.intp, count=n)
            ok = (rows >= 0) & (cols >= 0)
            vals = np.array(rating_col, dtype=float)  # None -> NaN
            dks = np.array(dont_know_col, dtype=bool)
            r, c = rows[ok], cols[ok]
            ratings[r, c] = vals[ok]
            dk[r, c] = dks[ok] & np.isnan(vals[ok])
            if comment_col is not None:
                for k in [k for k, text in enumerate(comment_col) if text]:
                    if ok[k]:
                        comments[(int(rows[k]), int(cols[k]))] = cast(str, comment_col[k])
        row_of_id = {r.participant_id: k for k, r in enumerate(respondents)}
        col_of_id = {item: k for k, item in enumerate(item_ids)}
        for pid, item_id, text in comment_rows:
            r_k, c_k = row_of_id.get(pid), col_of_id.get(item_id)
            if text and r_k is not None and c_k is not None:
                comments[(r_k, c_k)] = text
        return cls(tuple(item_ids), tuple(respondents), ratings, dk, comments)

    @classmethod
    def from_answer_sets(
        cls,
        answer_sets: Sequence[AnswerSet],
        bank: QuestionBank | None = None,
        *,
        mode: Mode | None = None,
        participant_ids: Sequence[int] | None = None,
        submitted: Sequence[bool] | None = None,
    ) -> Responses:
        """Build the matrix from answer sets; role, name, department and plan facts come from each context."""
        bank = bank or default_bank()
        modes = {a.mode for a in answer_sets}
        if mode is None:
            if len(modes) > 1:
                raise InvalidInput("These answer sets mix quick scans and full assessments; pass the mode to use.")
            mode = modes.pop() if modes else "full"
        item_ids = [i.id for i in bank.items_for(mode)]
        ids = list(participant_ids) if participant_ids is not None else list(range(1, len(answer_sets) + 1))
        subs = list(submitted) if submitted is not None else [False] * len(answer_sets)
        respondents = []
        p_col: list[int] = []
        i_col: list[str] = []
        r_col: list[int | None] = []
        d_col: list[bool] = []
        c_col: list[str] = []
        for pid, sub, a in zip(ids, subs, answer_sets, strict=True):
            unknown = sorted(set(a.answers) - set(bank.item_by_id))
            if unknown:
                raise InvalidInput(f"Answers to items this question bank does not have: {', '.join(unknown[:5])}.")
            c = a.context
            respondents.append(
                Respondent(
                    participant_id=pid,
                    role=c.respondent_role,
                    name=c.respondent_name,
                    department=c.department,
                    submitted=sub,
                    political_work_first=c.political_work_first,
                    step_one_evidence=c.step_one_evidence,
                )
            )
            for item_id, ans in a.answers.items():
                p_col.append(pid)
                i_col.append(item_id)
                r_col.append(ans.rating)
                d_col.append(ans.value == "dont_know")
                c_col.append(ans.comment)
        return cls.from_long(item_ids, respondents, p_col, i_col, r_col, d_col, c_col)


@dataclass(frozen=True)
class _Layout:
    """Per workshop mode: which dimension each asked item belongs to, and which are reversed."""

    membership: np.ndarray  # (I, D) 0/1
    reverse: np.ndarray  # (I,) bool
    asked_per_dim: np.ndarray  # (D,)
    dim_of_item: np.ndarray  # (I,) index into DIMENSION_IDS


# Keyed by the bank object's id; the bank is kept in the entry so that the id cannot be reused while cached.
_LAYOUTS: dict[tuple[int, tuple[str, ...]], tuple[QuestionBank, _Layout]] = {}


def answer_layout(bank: QuestionBank, item_ids: tuple[str, ...]) -> _Layout:
    key = (id(bank), item_ids)
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is bank:
        return hit[1]
    items = [bank.item_by_id[i] for i in item_ids]
    dim_of_item = np.array([DIMENSION_IDS.index(i.dimension) for i in items], dtype=int)
    m = np.zeros((len(items), len(DIMENSION_IDS)))
    m[np.arange(len(items)), dim_of_item] = 1.0
    m[[k for k, i in enumerate(items) if i.step_two_signal], :] = 0.0  # asked, not scored (as in scoring.tally)
    layout = _Layout(m, np.array([i.reverse for i in items], dtype=bool), m.sum(axis=0), dim_of_item)
    if len(_LAYOUTS) >= 16:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (bank, layout)
    return layout


def individual_scores(responses: Responses, bank: QuestionBank) -> np.ndarray:
    """(P, D) each respondent's dimension scores as the single-respondent engine computes them; NaN where
    the respondent rated fewer than half of the dimension's items."""
    lay = answer_layout(bank, responses.item_ids)
    r = responses.ratings
    rated = ~np.isnan(r)
    scored = np.where(lay.reverse, 6.0 - r, r)
    sums = np.where(rated, scored, 0.0) @ lay.membership
    counts = rated.astype(float) @ lay.membership
    with np.errstate(invalid="ignore", divide="ignore"):
        x = sums / counts
    return np.where(is_sufficient(counts, lay.asked_per_dim), x, np.nan)
