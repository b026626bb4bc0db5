"""The data behind every chart, computed once, so the app's Plotly charts and the PDF's vector charts
show exactly the same numbers. No plotting library is imported here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .plain import score_text
from .results import Result
from .vocabulary import AFFORDANCES, CONDITIONS, INGREDIENTS
from .vocabulary import STATUS_LABELS as STATUS_LABELS  # re-exported: the table lives in vocabulary

# One palette for every chart: distinguishable in colour and in greyscale (different lightness),
# from the Okabe-Ito colour-blind-safe set.
PALETTE = {
    "primary": "#0B4F8A",  # dark blue (current assessment)
    "secondary": "#E69F00",  # orange (comparison / earlier assessment)
    "weight": "#7A7A7A",  # mid grey (stage weights overlay)
    "strong": "#1B7F3B",
    "developing": "#E6B400",
    "weak": "#B2182B",
    "insufficient_evidence": "#BDBDBD",
}


class RadarData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dimensions: list[str]
    labels: list[str]
    scores: list[float | None]  # 1-5; None = insufficient evidence
    plotted: list[float]  # what is drawn: insufficient evidence drawn at 0 (the centre)
    stage: str
    weights: list[float]  # normalised stage weights
    insufficient: list[str]


class BarData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dimensions: list[str]
    labels: list[str]
    groups: list[str]
    scores: list[float | None]
    statuses: list[str]
    colors: list[str]
    higher_is: list[str]


def radar_data(result: Result, short_labels: dict[str, str] | None = None) -> RadarData:
    scores = [result.scores[d].mean if result.scores[d].sufficient else None for d in INGREDIENTS]
    weights = [result.readiness.weights[d] for d in INGREDIENTS]
    return RadarData(
        dimensions=list(INGREDIENTS),
        labels=[(short_labels or {}).get(d, result.scores[d].label) for d in INGREDIENTS],
        scores=scores,
        plotted=[s if s is not None else 0.0 for s in scores],
        stage=result.readiness.stage,
        weights=weights,
        insufficient=[d for d, s in zip(INGREDIENTS, scores, strict=True) if s is None],
    )


def conditions_bar_data(result: Result, short_labels: dict[str, str] | None = None) -> BarData:
    dims = list(AFFORDANCES + CONDITIONS)
    ss = [result.scores[d] for d in dims]
    return BarData(
        dimensions=dims,
        labels=[(short_labels or {}).get(d, s.label) for d, s in zip(dims, ss, strict=True)],
        groups=[s.group for s in ss],
        scores=[s.mean if s.sufficient else None for s in ss],
        statuses=[s.status for s in ss],
        colors=[PALETTE[s.status] for s in ss],
        higher_is=[s.higher_is for s in ss],
    )


def key_messages(result: Result, limit: int = 3) -> list[str]:
    """At most three plain sentences for a board, in order of importance: why this strategy; the main
    warning; the weakest ingredients (or the strongest to build on); then what would change it and the
    readiness index. The app's board view and the PDF summary both show exactly these."""
    rec = result.recommendation
    if rec.strategy == "insufficient_evidence":
        details = rec.decisive_unknown_details
        first = details[0].label.lower() if details else "the open questions"
        candidates = [f"Not enough answers to recommend a strategy: answer {first} first; launch nothing until then."]
    elif not rec.determined and rec.decisive_unknown_details:
        names = ", ".join(d.label.lower() for d in rec.decisive_unknown_details)
        candidates = [f"{rec.strategy_label}, as the cautious choice until {names} is answered."]
    else:
        candidates = [f"Why {rec.strategy_label.lower()}: {rec.reason}"]
    if rec.warnings:
        w = rec.warnings[0]
        candidates.append(f"Warning: {w.title.lower()}. See the report for what the evidence shows.")
    ingredients = [result.scores[d] for d in INGREDIENTS if result.scores[d].sufficient]
    weak = sorted((s for s in ingredients if s.status == "weak"), key=lambda s: s.mean or 0.0)
    strong = sorted((s for s in ingredients if s.status == "strong"), key=lambda s: -(s.mean or 0.0))
    if weak:
        names = ", ".join(f"{s.label.lower()} ({score_text(s.mean or 0.0)})" for s in weak[:2])
        candidates.append(f"Weakest ingredient{'s' if len(weak) > 1 else ''}: {names}.")
    elif strong:
        names = ", ".join(f"{s.label.lower()} ({score_text(s.mean or 0.0)})" for s in strong[:2])
        candidates.append(f"Strongest ingredient{'s' if len(strong) > 1 else ''} to build on: {names}.")
    if rec.sensitivity:
        candidates.append(rec.sensitivity[0].description)
    missing = [d for d in INGREDIENTS if not result.scores[d].sufficient]
    if missing:
        candidates.append(f"Insufficient evidence on {len(missing)} of the eight ingredients; answer more items.")
    ri = result.readiness
    if ri.value is not None:
        candidates.append(
            f"Readiness index {ri.value:.2f} out of 5 ({ri.percent:.0f} %) with the weights for the {ri.stage} stage."
        )
    return candidates[:limit]
