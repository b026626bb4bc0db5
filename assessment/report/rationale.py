"""Section 2: why this recommendation: the rules that fired, the answers behind them, what would change it,
the evidence base and its limits."""

from __future__ import annotations

from ..bank import QuestionBank
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


ITEM_CHANGES_SHOWN = 10


def answer_words(bank: QuestionBank, item_id: str, value: int | str | None) -> str:
    """An answer as the respondent gave it: '2 (Disagree)', 'Don't know' or 'No answer'."""
    if isinstance(value, int) and item_id in bank.item_by_id:
        anchor = bank.scales[bank.item_by_id[item_id].scale].anchors.get(value, "")
        return f"{value} ({anchor})" if anchor else str(value)
    return "Don't know" if value == "dont_know" else "No answer"


def item_changes(data: ReportData) -> list[Block]:
    """The single answers that, changed on their own, would change the result (`Result.item_changes`, nearest
    first), as the results page lists them: the statement, the answer now and the answer that would change it."""
    changes = data.result.item_changes
    if not changes:
        return []
    intro: list[Block] = [
        h("Single answers that would change it", 3),
        p(
            "Each statement below, answered differently on its own with every other answer left as it is, would "
            "lead to a different result. The nearest changes come first."
        ),
    ]
    rows = [
        [
            c.statement,
            answer_words(data.bank, c.item, c.current),
            answer_words(data.bank, c.item, c.target),
            cell([b(strategy_label(c.new_strategy))]),
        ]
        for c in changes[:ITEM_CHANGES_SHOWN]
    ]
    table_block = table(["Statement", "Answer now", "Would need", "Result would become"], rows, ["1fr", 80, 80, 110])
    # the heading and its explanation move with the list (at most ITEM_CHANGES_SHOWN rows: less than a page)
    story: list[Block] = [keep([*intro, table_block])]
    if len(changes) > ITEM_CHANGES_SHOWN:
        more = len(changes) - ITEM_CHANGES_SHOWN
        story.append(
            p(f"And {more} more {'answer' if more == 1 else 'answers'}, each further from the one given.", "small")
        )
    return story


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
                fmt_value(s.target),
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
    story += item_changes(data)
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
