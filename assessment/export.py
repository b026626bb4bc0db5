"""Tables for download and for re-assessment: a result as a CSV, and the change between two results.

Pure (pandas only): the app lays these tables out, and tests check them without Streamlit. No user-typed
text (titles, names, comments) goes into these tables, so a CSV opened in a spreadsheet cannot carry a
formula someone typed into the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .csvsafe import frame_to_csv
from .results import Result
from .vocabulary import DIMENSION_IDS, GROUP_LABELS, STRATEGY_LABELS

SCORE_COLUMNS: tuple[str, ...] = (
    "group",
    "dimension",
    "label",
    "higher_is",
    "mean",
    "percent",
    "answered",
    "dont_know",
    "asked",
    "coverage",
    "sufficient",
    "status",
    "stage_weight",
    "stage",
    "mode",
    "recommended_strategy",
)
COMPARISON_COLUMNS: tuple[str, ...] = (
    "group",
    "dimension",
    "label",
    "higher_is",
    "earlier",
    "current",
    "change",
    "direction",
)
NO_CHANGE = 0.05  # score differences smaller than this are shown as "no change"


def scores_frame(result: Result) -> pd.DataFrame:
    """One row per dimension, in vocabulary order, with its score, coverage and status."""
    rec = result.recommendation
    rows = []
    for dim in DIMENSION_IDS:
        s = result.scores[dim]
        rows.append(
            {
                "group": GROUP_LABELS.get(s.group, s.group),
                "dimension": dim,
                "label": s.label,
                "higher_is": s.higher_is,
                "mean": None if s.mean is None else round(s.mean, 2),
                "percent": None if s.percent is None else round(s.percent, 1),
                "answered": s.answered,
                "dont_know": s.dont_know,
                "asked": s.asked,
                "coverage": round(s.coverage, 3),
                "sufficient": s.sufficient,
                "status": s.status,
                "stage_weight": result.readiness.weights.get(dim),
                "stage": result.readiness.stage,
                "mode": result.mode,
                "recommended_strategy": rec.strategy,
            }
        )
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def results_csv(result: Result) -> bytes:
    """The dimension table as UTF-8 CSV (with a byte-order mark so spreadsheets read it as UTF-8)."""
    return frame_to_csv(scores_frame(result)).encode("utf-8-sig")


@dataclass(frozen=True)
class RecommendationChange:
    earlier: str
    current: str

    @property
    def moved(self) -> bool:
        return self.earlier != self.current

    @property
    def earlier_label(self) -> str:
        return STRATEGY_LABELS.get(self.earlier, self.earlier)

    @property
    def current_label(self) -> str:
        return STRATEGY_LABELS.get(self.current, self.current)

    def describe(self, *, same_organisation: bool = True) -> str:
        """The change in words; for two different organisations, the two recommendations side by side (nothing
        moved: they are two places, not one place over time)."""
        if not same_organisation:
            if self.moved:
                return (
                    f"The earlier file recommends {self.earlier_label}; the current one recommends "
                    f"{self.current_label}."
                )
            return f"Both recommend {self.current_label}."
        if self.moved:
            return f"The recommendation moved from {self.earlier_label} to {self.current_label}."
        return f"The recommendation is unchanged: {self.current_label}."


def recommendation_change(current: Result, earlier: Result) -> RecommendationChange:
    return RecommendationChange(earlier=earlier.recommendation.strategy, current=current.recommendation.strategy)


def _direction(change: float | None, higher_is: str) -> str:
    if change is None:
        return "not comparable"
    if abs(change) < NO_CHANGE:
        return "no change"
    better = change > 0 if higher_is == "better" else change < 0
    return "better" if better else "worse"


def comparison_frame(current: Result, earlier: Result) -> pd.DataFrame:
    """Per dimension: the earlier and current score, the change, and whether that is better or worse.

    Only scores with sufficient evidence are compared; otherwise the row says "not comparable".
    "Better" takes the direction of the dimension into account (more professional resistance is worse).
    """
    rows = []
    for dim in DIMENSION_IDS:
        now, before = current.scores[dim], earlier.scores[dim]
        a, b = before.usable, now.usable
        change = None if a is None or b is None else round(b - a, 2)
        rows.append(
            {
                "group": GROUP_LABELS.get(now.group, now.group),
                "dimension": dim,
                "label": now.label,
                "higher_is": now.higher_is,
                "earlier": None if a is None else round(a, 2),
                "current": None if b is None else round(b, 2),
                "change": change,
                "direction": _direction(change, now.higher_is),
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def comparison_csv(current: Result, earlier: Result) -> bytes:
    return frame_to_csv(comparison_frame(current, earlier)).encode("utf-8-sig")
