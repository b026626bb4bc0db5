"""Section 6: how the scores and the recommendation are computed, the limits of a self-assessment, and the
full references of every source the report cites. The only place where citations keep their line locators."""

from __future__ import annotations

from ..instrument.present import NO_FIGURES, method_lines
from ..rules import StrategyRule, describe, load_rulebook
from ..scoring import load_stage_weights
from ..sources import load_sources
from ..vocabulary import INGREDIENTS, MIN_COVERAGE, STAGE_LABELS, STAGES, STRONG_FROM, WEAK_BELOW
from .blocks import SECTION_BREAK, Block, b, bullets, cell, h, p, run, table
from .context import SECTION_TITLES, ReportData, strategy_label


def _effect(rule: object) -> str:
    if isinstance(rule, StrategyRule):
        return strategy_label(str(rule.strategy))
    return f"Warning ({getattr(rule, 'severity', 'medium')})"


def reliability(data: ReportData) -> list[Block]:
    """How well each dimension's questions agree in this tool's own use: the lines the caller passed in (from the
    store), or the plain statement that no figures are available yet. Each dimension's name is set in bold."""
    lines = data.reliability or method_lines(None)
    story: list[Block] = [h("How well the questions agree in use", 2), p(lines.intro)]
    if lines.lines:
        story.append(bullets([[b(f"{line.label}: "), run(line.text)] for line in lines.lines]))
    if lines.note or not lines.lines:
        story.append(p(lines.note or NO_FIGURES))
    return story


def method(data: ReportData) -> list[Block]:
    labels = {d.id: d.label for d in data.bank.dimensions}
    innovation = data.ctx("innovation_title", "the innovation")
    labels.update({i.id: i.render(innovation) for i in data.bank.items})
    story: list[Block] = [h(SECTION_TITLES["method"]), h("How the scores are worked out", 2)]
    story.append(
        bullets(
            [
                "Each question is a statement rated from 1 to 5 on its scale (agreement or maturity).",
                "Some statements are worded negatively. Their ratings are reversed (a 5 counts as 1, a 4 as 2) so "
                "that a higher number always means more of what the dimension describes.",
                "“Don't know” is recorded but never counted as a score; an unanswered question is treated "
                "the same way.",
                "A dimension's score is the plain mean of its rated questions, shown on the 1–5 scale and as a "
                "percentage (1 = 0 %, 5 = 100 %).",
                f"Coverage is the share of the questions asked that received a rating. Below {MIN_COVERAGE:.0%} the "
                "dimension is marked as insufficient evidence: it is not scored, not drawn on the radar (shown at the "
                "centre) and not used by the rules.",
                f"A score of {STRONG_FROM:g} or more is strong, below {WEAK_BELOW:g} weak and in between developing. "
                "For professional "
                "resistance, where higher is worse, the status is read the other way round.",
            ]
        )
    )
    if data.mode == "quick":
        story.append(
            p(
                "This was a quick scan: only the core questions (one or two per dimension) were asked, so a single "
                "answer can move a score a long way. A full assessment gives steadier scores.",
                "small",
            )
        )

    story.append(h("The stage-weighted readiness index", 2))
    sw = load_stage_weights()
    story.append(
        p(
            "The readiness index is a weighted mean of the eight ingredient scores. How much each ingredient counts "
            "depends on the stage the innovation has reached, because the evidence links some ingredients more "
            "closely to some stages. Ingredients without enough evidence are left out and the remaining weights "
            "rescaled. The weights below are normalised so that each stage's column adds up to 100 %; "
            f"the column for this assessment ({data.stage_label.lower()}) is highlighted."
        )
    )
    rows = []
    for ing in INGREDIENTS:
        rows.append([labels[ing], *[cell(f"{sw.normalised(s)[ing]:.0%}", highlight=s == data.stage) for s in STAGES]])
    story.append(
        table(
            ["Ingredient", *[STAGE_LABELS[s] for s in STAGES]],
            rows,
            ["1fr", 58, 58, 58, 84, 86],
            align=["left", "center", "center", "center", "center", "center"],
        )
    )
    story.append(p(f"Weighting scheme: {sw.scheme}.", "small"))
    story.append(p(f"Source: {sw.citation}", "cite"))

    story.append(h("How the recommendation is reached", 2))
    book = load_rulebook()
    story.append(
        p(
            "The strategy rules below are tried from the top; the first whose condition holds decides, and together "
            f"they cover every combination of answers. Scores are compared only at two cut points (below "
            f"{WEAK_BELOW:g} low, {STRONG_FROM:g} or higher high), which are our judgement, not the studies'. When a "
            "score the rules read has too "
            "few answers, every band is tried for it: a strategy is given only if it is at least as cautious as "
            "every possibility, and none is given when holding back is possible but not certain. Warning rules are "
            "all checked, whatever the strategy. Confidence is capped by the cases behind the rule, by warnings "
            "that undermine the answers or the plan, by open questions and by a score close to a cut point. Here "
            "the sources keep their line numbers, so that each rule can be checked against its text."
        )
    )
    fired = {r.id for r in data.result.recommendation.fired_rules}
    rows = []
    number = 0
    for rule in book.strategy_rules + book.warning_rules:
        if isinstance(rule, StrategyRule):
            number += 1
        data.cite(rule.citation)  # notes the source for the reference list
        mark = " ✓ applied here" if rule.id in fired else ""
        title = [b(rule.title + mark), run(f"\nSource: {rule.citation}", colour="muted", size=9)]
        rows.append(
            [
                str(number) if isinstance(rule, StrategyRule) else "–",
                cell(title, highlight=rule.id in fired),
                cell(_effect(rule), highlight=rule.id in fired),
                cell(describe(rule.when, labels), highlight=rule.id in fired),
            ]
        )
    story.append(table(["#", "Rule", "Leads to", "Applies when"], rows, [20, 170, 80, "1fr"]))

    story += reliability(data)

    story.append(h("The limits of a self-assessment", 2))
    story.append(
        bullets(
            [
                "The answers are perceptions. People in different roles see the organisation differently, and a single "
                "respondent sees only part of it; a workshop with several roles gives a fuller picture.",
                "Ratings drift towards the answer that looks good. Comments and concrete examples help the team test "
                "whether a high score is earned.",
                "The rules condense a small number of published case studies. They describe what happened in those "
                "organisations and do not guarantee the same outcome elsewhere.",
                f"Thresholds such as {WEAK_BELOW:g} and {STRONG_FROM:g} are cut points on a rating scale, not "
                f"measured tipping points; a score of {STRONG_FROM - 0.1:g} and one of {STRONG_FROM + 0.1:g} are not "
                "very different.",
                "The report supports a decision by the leadership team; it does not replace their knowledge of the "
                "people, history and politics of their own organisation.",
            ]
        )
    )

    story.append(h("References", 2))
    cited = data.citations
    sources = [s for s in load_sources() if s.short_name in cited] or list(load_sources())
    story.append(
        p(
            "Citations in the body of the report name the source; this section and the rule table give the "
            "line numbers or table each rests on. The sources:",
            "small",
        )
    )
    for s in sources:
        story += [p([b(f"{s.short_name}. "), run(s.reference)]), p(f"Kind of evidence: {s.evidence}", "cite")]
    story.append(SECTION_BREAK)
    return story
