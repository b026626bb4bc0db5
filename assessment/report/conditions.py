"""Section 4: the affordances and conditions, as a bar chart from chart_data and a reading of each."""

from __future__ import annotations

from ..chart_data import conditions_bar_data
from ..plain import score_cell, score_text
from ..rules import load_rulebook
from ..rules.roles import ingredient_roles
from ..vocabulary import AFFORDANCES, CONDITIONS, CUT_POINTS, GROUP_LABELS, STRONG_FROM, WEAK_BELOW
from .blocks import SECTION_BREAK, Block, h, p, table
from .context import SECTION_TITLES, ReportData
from .ingredients import status_cell, status_text, weak_dimension_block

# What each status means for each kind of dimension, in plain words.
READINGS: dict[str, dict[str, str]] = {
    "affordance": {
        "strong": "A clear opening: this feature of the setting makes clinicians readier to accept new ways of "
        "working.",
        "developing": "A partial opening; it helps only if the change is designed to use it.",
        "weak": "Little opening here: established professional routines are likely to prevail.",
    },
    "resistance": {
        "strong": "Resistance is low: organised opposition to the change is unlikely.",
        "developing": "Some resistance: expect objections that need a hearing and an answer.",
        "weak": "Resistance is high: a visible push is likely to meet organised counter-moves.",
    },
    "condition": {
        "strong": "In place: the strategy can lean on it.",
        "developing": "Partly in place: strengthen it before relying on it.",
        "weak": "Missing: the strategy cannot rely on it yet.",
    },
}
UNKNOWN_READING = "Too few answers to judge; treat it as unknown rather than absent."


def reading(dim: str, status: str) -> str:
    if status == "insufficient_evidence":
        return UNKNOWN_READING
    kind = "affordance" if dim in AFFORDANCES else "resistance" if dim == "professional_resistance" else "condition"
    return READINGS[kind][status]


def bars_block(data: ReportData) -> Block:
    bars = conditions_bar_data(data.result, data.short_labels)
    groups: dict[str, list[dict[str, object]]] = {}
    alt: list[str] = []
    for i, _dim in enumerate(bars.dimensions):
        score, status = bars.scores[i], bars.statuses[i]
        label = bars.labels[i] + (" (higher = worse)" if bars.higher_is[i] == "worse" else "")
        value = f"{score_text(score)}  {status_text(status)}" if score is not None else status_text(status)
        groups.setdefault(bars.groups[i], []).append({"label": label, "score": score, "status": status, "value": value})
        alt.append(f"{label} {value.replace('  ', ' ')}")
    return {
        "k": "bars",
        "groups": [{"label": GROUP_LABELS.get(g, g), "rows": rows} for g, rows in groups.items()],
        "cuts": list(CUT_POINTS),
        "note": f"Dashed lines: {WEAK_BELOW:g} and {STRONG_FROM:g}, the cut points between weak, developing and "
        "strong.",
        "alt": "Bar chart of the affordances and conditions on a 1 to 5 scale: " + "; ".join(alt) + ".",
    }


def conditions(data: ReportData) -> list[Block]:
    res = data.result
    story: list[Block] = [h(SECTION_TITLES["conditions"])]
    story.append(
        p(
            "Affordances are features of the setting that loosen established professional habits and so make "
            "room for radical change: clinicians facing several competing expectations, a mix of groups and "
            "interests, or rules that no longer fit practice. The conditions are what a change can build on or "
            "must reckon with: resistance from the professions, early adopters, forums for learning and managers "
            "who can mediate between executives and clinicians. " + ingredient_roles(load_rulebook(), data.bank)
        )
    )
    story.append(
        p(
            "Professional resistance is the one dimension where a higher score is worse: its bar shows the level "
            "of resistance, and its status reads the other way round (high resistance shows as weak).",
            "lead",
        )
    )
    story.append(bars_block(data))
    rows = []
    for dim in AFFORDANCES + CONDITIONS:
        s = res.scores[dim]
        label = s.label + (" (higher = worse)" if s.higher_is == "worse" else "")
        rows.append(
            [label, score_cell(s.mean if s.sufficient else None), status_cell(s.status), reading(dim, s.status)]
        )
    story.append(
        table(
            ["Dimension", "Score", "Status", "What it means here"],
            rows,
            [150, 40, 96, "1fr"],
            zebra=True,
            align=["left", "center"],
        )
    )
    weak = [w for w in data.plan.weak_dimensions if w.dimension in AFFORDANCES + CONDITIONS]
    if weak:
        story.append(h("What the weak ones mean", 2))
        story += [weak_dimension_block(w, data) for w in weak]
    story.append(SECTION_BREAK)
    return story
