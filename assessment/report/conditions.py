"""Section 4: the affordances and conditions, as a bar chart from chart_data and a reading of each."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..chart_data import conditions_bar_data
from ..vocabulary import AFFORDANCES, CONDITIONS
from .charts import conditions_drawing
from .context import SECTION_TITLES, ReportData, fmt_score
from .document import Heading
from .ingredients import status_cell_commands, weak_dimension_block
from .styles import FRAME_WIDTH, STYLES, grid_table, para, status_text

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


def conditions(data: ReportData) -> list[Flowable]:
    res = data.result
    bars = conditions_bar_data(res, data.short_labels)
    story: list[Flowable] = [Heading(SECTION_TITLES["conditions"], STYLES.h1, "conditions")]
    story.append(
        para(
            "Affordances are features of the setting that loosen established professional habits and so make "
            "room for radical change: clinicians facing several competing expectations, a mix of groups and "
            "interests, or rules that no longer fit practice. The conditions are what a change can build on or "
            "must reckon with: resistance from the professions, early adopters, forums for learning and managers "
            "who can mediate between executives and clinicians. The rules weigh these more heavily than the "
            "ingredients when they choose the strategy.",
        )
    )
    story.append(
        para(
            "Professional resistance is the one dimension where a higher score is worse: its bar shows the level "
            "of resistance, and its status reads the other way round (high resistance shows as weak).",
            STYLES.callout_title,
        )
    )
    story += [Spacer(1, 2 * mm), conditions_drawing(bars, FRAME_WIDTH), Spacer(1, 3 * mm)]
    head = ["Dimension", "Score", "Status", "What it means here"]
    rows: list[list[object]] = [list(head)]
    statuses: list[str] = []
    for dim in AFFORDANCES + CONDITIONS:
        s = res.scores[dim]
        statuses.append(s.status)
        label = s.label + (" (higher = worse)" if s.higher_is == "worse" else "")
        rows.append(
            [
                label,
                fmt_score(s.mean if s.sufficient else None),
                status_text(s.status),
                reading(dim, s.status),
            ]
        )
    extra = [*status_cell_commands(2, statuses), ("ALIGN", (1, 1), (1, -1), "CENTER")]
    story.append(grid_table(rows, [150, 40, 92, FRAME_WIDTH - 282], extra=extra, zebra=True))
    weak = [w for w in data.plan.weak_dimensions if w.dimension in AFFORDANCES + CONDITIONS]
    if weak:
        story.append(Heading("What the weak ones mean", STYLES.h2, "conditions-weak", level=1))
        for w in weak:
            story.append(weak_dimension_block(w, data))
    story.append(PageBreak())
    return story
