"""Section 3: the eight ingredients, as a table with status colours that also read in greyscale, and a short
paragraph on each weak one."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from ..advice import DimensionPlan
from ..vocabulary import INGREDIENTS
from .charts import status_swatch_legend
from .context import SECTION_TITLES, ReportData, fmt_score
from .document import Heading
from .styles import FRAME_WIDTH, STATUS_COLOURS, STATUS_TEXT, STYLES, esc, grid_table, markup, para, status_text


def status_cell_commands(col: int, statuses: list[str], first_row: int = 1) -> list[tuple[object, ...]]:
    cmds: list[tuple[object, ...]] = []
    for r, status in enumerate(statuses, first_row):
        cmds.append(("BACKGROUND", (col, r), (col, r), STATUS_COLOURS[status]))
        cmds.append(("TEXTCOLOR", (col, r), (col, r), STATUS_TEXT[status]))
    return cmds


def weak_dimension_block(w: DimensionPlan, data: ReportData) -> Flowable:
    """A weak dimension's name and score, what a weak score here means, and its source, kept together."""
    return KeepTogether(
        [
            para(f"{w.label} ({fmt_score(w.score)})", STYLES.h3),
            para(w.summary),
            para(data.cite(w.citation), STYLES.cite),
        ]
    )


def ingredients(data: ReportData) -> list[Flowable]:
    res = data.result
    weights = res.readiness.weights
    story: list[Flowable] = [Heading(SECTION_TITLES["ingredients"], STYLES.h1, "ingredients")]
    story.append(
        para(
            "Eight ingredients make an innovation more likely to succeed in a health system. Each score is the "
            "mean of your answers on a 1–5 scale; 3.5 or more counts as strong and below 2.5 as weak. Coverage "
            "is the share of the questions asked that received a rating; below 50 % there is not enough evidence "
            f"to score the ingredient. The stage weight is how much the ingredient counts at the "
            f"{data.stage_label.lower()} stage in the readiness index.",
        )
    )
    head = ["Ingredient", "Score (1–5)", "Score (%)", "Coverage", "Stage weight", "Status"]
    rows: list[list[object]] = [list(head)]
    statuses: list[str] = []
    for dim in INGREDIENTS:
        s = res.scores[dim]
        statuses.append(s.status)
        answered = f"{s.coverage:.0%} ({s.answered} of {s.asked})"
        rows.append(
            [
                s.label,
                fmt_score(s.mean if s.sufficient else None),
                "–" if s.percent is None or not s.sufficient else f"{s.percent:.0f} %",
                answered,
                f"{weights.get(dim, 0.0):.0%}",
                status_text(s.status),
            ]
        )
    widths = [FRAME_WIDTH - 350, 58, 52, 82, 68, 90]
    centred: list[tuple[object, ...]] = [("ALIGN", (1, 1), (2, -1), "CENTER"), ("ALIGN", (4, 1), (4, -1), "CENTER")]
    table = grid_table(rows, widths, extra=status_cell_commands(5, statuses) + centred, zebra=True)
    story += [table, Spacer(1, 2 * mm), status_swatch_legend(FRAME_WIDTH), Spacer(1, 2 * mm)]
    ri = res.readiness
    if ri.value is not None:
        missing = ", ".join(res.scores[d].label for d in ri.ingredients_missing)
        text = (
            f"<b>Readiness index:</b> {ri.value:.2f} out of 5 ({ri.percent:.0f} %), the weighted mean of the "
            f"{len(ri.ingredients_used)} ingredients with enough evidence."
        )
        if missing:
            text += f" Left out for lack of answers: {esc(missing)}."
        story.append(markup(text, STYLES.body))
    else:
        story.append(para("No readiness index: no ingredient has enough answers to be scored."))
    story.append(para(data.cite(ri.citation), STYLES.cite))

    weak = [w for w in data.plan.weak_dimensions if w.dimension in INGREDIENTS]
    story.append(CondPageBreak(40 * mm))
    story.append(Heading("The weak ingredients", STYLES.h2, "ingredients-weak", level=1))
    if not weak:
        story.append(para("No ingredient scored weak. Section 5 still lists the next steps for the strategy."))
    for w in weak:
        story.append(weak_dimension_block(w, data))
    unknown = [res.scores[d].label for d in INGREDIENTS if not res.scores[d].sufficient]
    if unknown:
        story.append(para("Not enough evidence", STYLES.h3))
        story.append(
            para(
                "Too few questions were rated to score: " + "; ".join(unknown) + ". Answering them (or finding "
                "someone who can) would firm up the picture; until then treat these ingredients as unknown, not "
                "as absent.",
            )
        )
    story.append(PageBreak())
    return story
