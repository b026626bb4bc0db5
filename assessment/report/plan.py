"""Section 5: the action plan: next steps for the recommended strategy (for two-step work, the two steps, who
leads each and the signal to move on) and for each weak ingredient or condition, with owners and stages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from ..advice import PlannedStep
from ..vocabulary import STAGE_LABELS, STAGES
from .context import SECTION_TITLES, ReportData, fmt_score, role_label, roles_label
from .document import Heading
from .styles import FRAME_WIDTH, STYLES, callout, esc, grid_table, markup, para, table_heading

NOW = "● "


def steps_table(data: ReportData, steps: list[PlannedStep]) -> Flowable:
    head = ["#", "Step", "Owner", "Stages"]
    rows: list[list[object]] = [list(head)]
    for n, s in enumerate(steps, 1):
        stages = sorted(s.stages, key=STAGES.index)
        parts = [f"{NOW}{STAGE_LABELS[st]} (now)" if st == data.stage else STAGE_LABELS[st] for st in stages]
        rows.append([str(n), s.text, role_label(s.owner), "\n".join(parts)])
    return grid_table(rows, [16, FRAME_WIDTH - 216, 100, 100])


def plan(data: ReportData) -> list[Flowable]:
    ap = data.plan
    rec = data.result.recommendation
    story: list[Flowable] = [Heading(SECTION_TITLES["plan"], STYLES.h1, "plan")]
    story.append(
        para(
            f"Steps that matter at the current stage ({data.stage_label.lower()}) come first and are marked "
            f"{NOW.strip()}. Each step names the role best placed to own it; the owner need not do all the work, "
            "but answers for it.",
        )
    )
    story.append(Heading(f"Next steps: {rec.strategy_label}", STYLES.h2, "plan-strategy", level=1))
    story.append(para(ap.headline, STYLES.callout_title))
    story.append(para(ap.summary))
    story.append(para(data.cite(ap.citation), STYLES.cite))
    if ap.phases:
        for number, phase in enumerate(ap.phases, 1):
            here = " (your answers place you here)" if ap.current_step == number else ""
            block: list[Flowable] = [
                para(phase.title + here, STYLES.h3),
                markup(
                    f"<b>Led by:</b> {esc(roles_label(phase.led_by))}. "
                    f"<b>Supported by:</b> {esc(roles_label(phase.supported_by))}.",
                    STYLES.body,
                ),
                para(" ".join(phase.summary.split())),
                para(data.cite(phase.citation), STYLES.cite),
            ]
            story.append(KeepTogether(block))
            story.append(steps_table(data, phase.steps))
            story.append(Spacer(1, 3 * mm))
            if number == 1 and ap.move_on_signal is not None:
                sig = ap.move_on_signal
                story.append(
                    callout(
                        [
                            para("The signal to move from step one to step two", STYLES.callout_title),
                            para(" ".join(sig.text.split()), STYLES.small),
                            para(data.cite(sig.citation), STYLES.cite),
                        ]
                    )
                )
                story.append(Spacer(1, 3 * mm))
    if ap.steps:
        story.append(steps_table(data, ap.steps))
    if not ap.phases and not ap.steps:
        story.append(para("The advice file has no steps for this strategy."))

    story.append(CondPageBreak(60 * mm))
    story.append(Heading("Strengthening the weak ingredients and conditions", STYLES.h2, "plan-weak", level=1))
    if not ap.weak_dimensions:
        story.append(para("Nothing scored weak, so there are no remedial steps to add."))
    else:
        story.append(
            para(
                "Ingredients come first, heaviest stage weight first; then affordances and conditions, weakest "
                "first.",
                STYLES.small,
            )
        )
    for w in ap.weak_dimensions:
        story += table_heading(f"{w.label} (score {fmt_score(w.score)})")
        story.append(steps_table(data, w.steps))
        story.append(Spacer(1, 2 * mm))
    story.append(PageBreak())
    return story
