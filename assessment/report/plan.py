"""Section 5: the action plan: next steps for the recommended strategy (for two-step work, the two steps, who
leads each and the signal to move on) and for each weak ingredient or condition, with owners and stages."""

from __future__ import annotations

from ..advice import PlannedStep
from ..plain import score_cell
from ..vocabulary import STAGE_LABELS, STAGES
from .blocks import SECTION_BREAK, Block, b, callout, h, keep, p, run, space, table
from .context import SECTION_TITLES, ReportData, role_label, roles_label

NOW = "● "


def steps_table(data: ReportData, steps: list[PlannedStep]) -> Block:
    rows = []
    for n, s in enumerate(steps, 1):
        stages = sorted(s.stages, key=STAGES.index)
        parts = [f"{NOW}{STAGE_LABELS[st]} (now)" if st == data.stage else STAGE_LABELS[st] for st in stages]
        rows.append([str(n), s.text, role_label(s.owner), "\n".join(parts)])
    return table(["#", "Step", "Owner", "Stages"], rows, [20, "1fr", 100, 100])


def plan(data: ReportData) -> list[Block]:
    ap = data.plan
    story: list[Block] = [h(SECTION_TITLES["plan"])]
    story.append(
        p(
            f"Steps that matter at the current stage ({data.stage_label.lower()}) come first and are marked "
            f"{NOW.strip()}. Each step names the role best placed to own it; the owner need not do all the work, "
            "but answers for it."
        )
    )
    story.append(h(f"Next steps: {data.outcome_label}", 2))
    story += [p(ap.headline, "lead"), p(ap.summary), p(data.cite(ap.citation), "cite")]
    for number, phase in enumerate(ap.phases, 1):
        here = " (your answers place you here)" if ap.current_step == number else ""
        story.append(
            keep(
                [
                    h(phase.title + here, 3, outlined=False),
                    p(
                        [
                            b("Led by: "),
                            run(roles_label(phase.led_by) + ". "),
                            b("Supported by: "),
                            run(roles_label(phase.supported_by) + "."),
                        ]
                    ),
                    p(" ".join(phase.summary.split())),
                    p(data.cite(phase.citation), "cite"),
                ]
            )
        )
        story += [steps_table(data, phase.steps), space(2)]
        if number == 1 and ap.move_on_signal is not None:
            sig = ap.move_on_signal
            story.append(
                callout(
                    [p(" ".join(sig.text.split()), "small"), p(data.cite(sig.citation), "cite")],
                    title="The signal to move from step one to step two",
                )
            )
    if ap.steps:
        story.append(steps_table(data, ap.steps))
    if not ap.phases and not ap.steps:
        story.append(p("There are no strategy steps until the questions above are answered."))
    story.append(h("Strengthening the weak ingredients and conditions", 2))
    if not ap.weak_dimensions:
        story.append(p("Nothing scored weak, so there are no remedial steps to add."))
    else:
        story.append(
            p(
                "Ingredients come first, heaviest stage weight first; then affordances and conditions, weakest first.",
                "small",
            )
        )
    for w in ap.weak_dimensions:
        story += [h(f"{w.label} (score {score_cell(w.score)})", 3, outlined=False), steps_table(data, w.steps)]
    story.append(SECTION_BREAK)
    return story
