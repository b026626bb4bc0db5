"""Section 2: why this recommendation: the rules that fired, the answers behind them, what would change it,
the evidence base and its limits."""

from __future__ import annotations

from ..explanation import HEADERS, ExplanationRow, explanation_rows
from ..results import DrivingInput
from .blocks import SECTION_BREAK, Block, b, bullets, callout, cell, h, keep, p, run, space, table
from .context import (
    SECTION_TITLES,
    ReportData,
    confidence_statement,
    decisive_unknowns,
    fmt_value,
    role_label,
    strategy_label,
)

MET_MARKS = {True: "✓ ", False: "✗ ", None: ""}


def met_cell(row: ExplanationRow) -> object:
    text = MET_MARKS[row.met] + row.met_text
    return cell([b(text)]) if row.met else text


def inputs_table(data: ReportData, inputs: list[DrivingInput]) -> Block:
    """A fired rule's inputs, from the same records the results page shows (`explanation.explanation_rows`)."""
    innovation = data.ctx("innovation_title", "the innovation")
    rows = [[r.label, r.value, r.needs, met_cell(r)] for r in explanation_rows(inputs, data.bank, innovation)]
    return table(list(HEADERS), rows, ["1fr", 100, 90, 62])


def rationale(data: ReportData) -> list[Block]:
    rec = data.result.recommendation
    story: list[Block] = [h(SECTION_TITLES["why"])]
    story.append(
        p(
            "The recommendation comes from a short table of rules, tried in a fixed order of priority; the first "
            "rule whose conditions hold chooses the strategy. Warning rules are checked separately and can apply "
            "whatever the strategy. This section shows which rules applied and which of your answers made them apply."
        )
    )
    deciding = next((f for f in rec.fired_rules if f.kind == "strategy"), None)
    if deciding is not None:
        story.append(h("The deciding rule", 2))
        story.append(p([b(deciding.title), run(f" → {data.outcome_label}")]))
        story.append(p(rec.reason))
        story.append(p([b("Why the evidence points this way: "), run(deciding.rationale)]))
        story.append(p(data.cite(deciding.citation), "cite"))
        if deciding.inputs:
            story.append(inputs_table(data, deciding.inputs))
        else:
            story.append(
                p(
                    "This is the fallback rule: it applies when none of the rules above it holds, so no single "
                    "answer triggered it.",
                    "small",
                )
            )
    unknowns = decisive_unknowns(data.result)
    if unknowns:
        story.append(h("Answering these would decide it", 2))
        if deciding is None:
            story.append(p(rec.reason))
        story.append(bullets(unknowns))
        if not rec.determined and deciding is not None:
            story.append(
                p("The rule above is the one that could apply, depending on the questions still open.", "small")
            )
    warnings = [f for f in rec.fired_rules if f.kind == "warning"]
    if warnings:
        story.append(h("Warnings that apply", 2))
        messages = {w.id: w for w in rec.warnings}
        for fired in warnings:
            w = messages.get(fired.id)
            block: list[Block] = [p([run("⚠ ", colour="warn"), b(fired.title)])]
            if w is not None:
                block.append(p(" ".join(w.message.split()), "small"))
            block.append(p(data.cite(fired.citation), "cite"))
            story.append(keep(block))
            if fired.inputs:
                story.append(inputs_table(data, fired.inputs))
            story.append(space(2))
    story.append(h("What would change it", 2))
    if rec.sensitivity:
        story.append(
            p(
                "The smallest single change to each score the rules use that would lead to a different strategy, "
                "with every other answer left as it is. Scores close to a threshold make the recommendation fragile."
            )
        )
        rows = [
            [
                s.label,
                fmt_value(s.current),
                f"{s.target:.2f}" if isinstance(s.target, float) else fmt_value(s.target),
                cell([b(strategy_label(s.new_strategy))]),
            ]
            for s in rec.sensitivity
        ]
        story.append(table(["Input", "Now", "Would need", "Recommendation would become"], rows, ["1fr", 62, 72, 150]))
    else:
        story.append(
            p(
                "No change to a single score within the scale, and no change to the radicalness of the innovation, "
                "would alter the recommendation on its own."
            )
        )
    story.append(h("Confidence and evidence base", 2))
    story.append(p([b("Confidence: "), run(confidence_statement(data.result))]))
    eb = rec.evidence_base
    contrast = ", ".join(eb.contrast_cases)
    contrast = f" Cases that did otherwise and fared worse: {contrast}." if contrast else ""
    judgement = f" Our judgement: {eb.judgement}" if eb.judgement else ""
    story.append(
        keep(
            [
                p(
                    [
                        b("Evidence: "),
                        run(f"{eb.strength}.{contrast}{judgement} {eb.note}"),
                    ]
                ),
                p(data.cite(eb.source), "cite"),
            ]
        )
    )
    if rec.caveats:
        story.append(h("Caveats", 3))
        for c in rec.caveats:
            story += [p("• " + " ".join(c.text.split())), p(data.cite(c.citation), "cite")]
    if data.workshop is not None and data.workshop.role_recommendations:
        story.append(h("Where the roles would differ", 2))
        story.append(
            p(
                "Taken on their own, the answers of these roles would lead to a different strategy. The difference "
                "is worth discussing before the team commits."
            )
        )
        rows = [
            [role_label(r.role), str(r.n), cell([b(strategy_label(r.strategy))]), r.note]
            for r in data.workshop.role_recommendations
        ]
        story.append(
            table(["Role", "Respondents", "Their answers alone point to", "Note"], rows, [120, 75, 150, "1fr"])
        )
    story += [space(4), callout([p(rec.disclaimer, "small")], title="Read this with care"), SECTION_BREAK]
    return story
