"""Section 2: why this recommendation: the rules that fired, the answers behind them, what would change it,
the evidence base and its limits."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from ..results import DrivingInput
from ..rules.grammar import FACT_VALUE_WORDS, SYMBOLS
from ..vocabulary import STRATEGY_LABELS
from .context import SECTION_TITLES, ReportData, fmt_value, role_label
from .document import Heading
from .styles import FRAME_WIDTH, STYLES, WARN, bold, callout, esc, grid_table, hexcol, markup, para

MET = "✓ met"
NOT_MET = "✗ not met"


def _input_value(i: DrivingInput) -> str:
    if i.value is None:
        if i.kind == "score":
            return "insufficient evidence"
        if i.kind == "item":
            return "no rating (unanswered or don't know)"
        return "not answered"
    if i.kind == "fact":
        return FACT_VALUE_WORDS.get(i.value, str(i.value))
    return fmt_value(i.value)


def needs(i: DrivingInput) -> str:
    """What the rule looks for, in words: '≥ 3.5', 'yes', 'radical'."""
    if i.kind == "fact":
        return FACT_VALUE_WORDS.get(i.expected, str(i.expected))
    return f"{SYMBOLS.get(i.op or '', i.op)} {i.threshold:g}"


def met_text(met: bool | None) -> str:
    return MET if met else NOT_MET if met is False else "open: depends on a missing answer"


def inputs_table(inputs: list[DrivingInput]) -> Flowable:
    head = ["What the rule looked at", "Your value", "Rule needs", "Result"]
    rows: list[list[object]] = [list(head)]
    for i in inputs:
        rows.append(
            [
                i.label,
                _input_value(i),
                needs(i),
                bold(MET) if i.met else met_text(i.met),
            ]
        )
    return grid_table(rows, [FRAME_WIDTH - 250, 95, 85, 70])


def rationale(data: ReportData) -> list[Flowable]:
    rec = data.result.recommendation
    story: list[Flowable] = [Heading(SECTION_TITLES["why"], STYLES.h1, "why")]
    story.append(
        para(
            "The recommendation comes from a short table of rules, tried in a fixed order of priority; the first "
            "rule whose conditions hold chooses the strategy. Warning rules are checked separately and can apply "
            "whatever the strategy. This section shows which rules applied and which of your answers made them "
            "apply.",
        )
    )
    deciding = rec.fired_rules[0] if rec.fired_rules and rec.fired_rules[0].kind == "strategy" else None
    if rec.decisive_unknown_details:
        story.append(Heading("Answering these would decide it", STYLES.h2, "why-unknowns", level=1))
        story.append(para(rec.reason))
        story += [markup(f"• {esc(d.description)}", STYLES.bullet) for d in rec.decisive_unknown_details]
        if not rec.determined and deciding is not None:
            story.append(para("The rule below is the one that could apply, depending on the questions still open.",
                              STYLES.small))
    if deciding is not None:
        story.append(Heading("The deciding rule", STYLES.h2, "why-rule", level=1))
        story.append(markup(f"<b>{esc(deciding.title)}</b> → {esc(rec.strategy_label)}", STYLES.body))
        story.append(para(rec.reason))
        story.append(markup(f"<b>Why the evidence points this way:</b> {esc(deciding.rationale)}", STYLES.body))
        story.append(para(data.cite(deciding.citation), STYLES.cite))
        if deciding.inputs:
            story.append(inputs_table(deciding.inputs))
        else:
            story.append(
                para(
                    "This is the fallback rule: it applies when none of the rules above it holds, so no single "
                    "answer triggered it.",
                    STYLES.small,
                )
            )
    warnings = [r for r in rec.fired_rules if r.kind == "warning"]
    if warnings:
        story.append(Heading("Warnings that apply", STYLES.h2, "why-warnings", level=1))
        for fired, w in zip(warnings, rec.warnings, strict=False):
            block: list[Flowable] = [
                markup(f'<font color="{hexcol(WARN)}">⚠</font> <b>{esc(fired.title)}</b>', STYLES.body),
                para(" ".join(w.message.split()), STYLES.small),
                para(data.cite(fired.citation), STYLES.cite),
            ]
            if fired.inputs:
                block.append(inputs_table(fired.inputs))
            block.append(Spacer(1, 2 * mm))
            story.append(KeepTogether(block))
    story.append(Heading("What would change it", STYLES.h2, "why-sensitivity", level=1))
    if rec.sensitivity:
        story.append(
            para(
                "The smallest single change to each score the rules use that would lead to a different strategy, "
                "with every other answer left as it is. Scores close to a threshold make the recommendation "
                "fragile.",
            )
        )
        head = ["Input", "Now", "Would need", "Recommendation would become"]
        rows: list[list[object]] = [list(head)]
        for s in rec.sensitivity:
            rows.append(
                [
                    s.label,
                    fmt_value(s.current),
                    f"{s.target:.2f}" if isinstance(s.target, float) else fmt_value(s.target),
                    bold(STRATEGY_LABELS.get(s.new_strategy, s.new_strategy)),
                ]
            )
        story.append(grid_table(rows, [FRAME_WIDTH - 265, 55, 65, 145]))
    else:
        story.append(
            para(
                "No change to a single score within the scale, and no change to the radicalness of the innovation, "
                "would alter the recommendation on its own.",
            )
        )
    story.append(Heading("Confidence and evidence base", STYLES.h2, "why-evidence", level=1))
    conf = rec.confidence
    story.append(para(conf.statement))
    eb = rec.evidence_base
    contrast = ", ".join(eb.contrast_cases)
    contrast = f" Cases that did otherwise and fared worse: {contrast}." if contrast else ""
    judgement = f" Our judgement: {eb.judgement}" if eb.judgement else ""
    evidence = markup(
        f"<b>Evidence:</b> {esc(eb.strength)}.{esc(contrast)}{esc(judgement)} {esc(eb.note)}",
        STYLES.body,
    )
    story.append(KeepTogether([evidence, para(data.cite(eb.source), STYLES.cite)]))
    if rec.caveats:
        story.append(para("Caveats", STYLES.h3))
        for c in rec.caveats:
            story.append(markup(f"• {esc(' '.join(c.text.split()))}", STYLES.bullet))
            story.append(para(data.cite(c.citation), STYLES.cite))
    if data.workshop is not None and data.workshop.role_recommendations:
        story.append(Heading("Where the roles would differ", STYLES.h2, "why-roles", level=1))
        story.append(
            para(
                "Taken on their own, the answers of these roles would lead to a different strategy. The difference "
                "is worth discussing before the team commits.",
            )
        )
        head = ["Role", "Respondents", "Their answers alone point to", "Note"]
        rows = [list(head)]
        for r in data.workshop.role_recommendations:
            rows.append(
                [
                    role_label(r.role),
                    str(r.n),
                    bold(STRATEGY_LABELS.get(r.strategy, r.strategy)),
                    r.note,
                ]
            )
        story.append(grid_table(rows, [110, 75, 150, FRAME_WIDTH - 335]))
    story.append(Spacer(1, 4 * mm))
    story.append(callout([para("Read this with care", STYLES.callout_title), para(rec.disclaimer, STYLES.small)]))
    story.append(PageBreak())
    return story
