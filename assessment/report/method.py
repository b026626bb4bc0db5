"""Section 6: how the scores and the recommendation are computed, the limits of a self-assessment, and the
full references of every source the report cites."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..rules import StrategyRule, describe, load_rulebook
from ..scoring import load_stage_weights
from ..sources import load_sources
from ..vocabulary import INGREDIENTS, MIN_COVERAGE, STAGE_LABELS, STAGES, STRATEGY_LABELS
from .context import SECTION_TITLES, ReportData
from .document import Heading
from .fonts import BOLD
from .styles import FRAME_WIDTH, MUTED, STYLES, TextBlock, esc, grid_table, markup, para, run


def _effect(rule: object) -> str:
    if isinstance(rule, StrategyRule):
        return STRATEGY_LABELS.get(rule.strategy, rule.strategy)
    return f"Warning ({getattr(rule, 'severity', 'medium')})"


def method(data: ReportData) -> list[Flowable]:
    labels = {d.id: d.label for d in data.bank.dimensions}
    story: list[Flowable] = [Heading(SECTION_TITLES["method"], STYLES.h1, "method")]

    story.append(Heading("How the scores are worked out", STYLES.h2, "method-scores", level=1))
    bullets = [
        "Each question is a statement rated from 1 to 5 on its scale (agreement or maturity).",
        "Some statements are worded negatively. Their ratings are reversed (a 5 counts as 1, a 4 as 2) so that a "
        "higher number always means more of what the dimension describes.",
        "“Don't know” is recorded but never counted as a score; an unanswered question is treated the same way.",
        "A dimension's score is the plain mean of its rated questions, shown on the 1–5 scale and as a "
        "percentage (1 = 0 %, 5 = 100 %).",
        f"Coverage is the share of the questions asked that received a rating. Below {MIN_COVERAGE:.0%} the "
        "dimension is marked as insufficient evidence: it is not scored, not drawn on the radar (shown at the "
        "centre) and not used by the rules.",
        "A score of 3.5 or more is strong, below 2.5 weak and in between developing. For professional "
        "resistance, where higher is worse, the status is read the other way round.",
    ]
    story += [markup(f"• {esc(b)}", STYLES.bullet) for b in bullets]
    if data.mode == "quick":
        story.append(
            para(
                "This was a quick scan: only the core questions (one or two per dimension) were asked, so a single "
                "answer can move a score a long way. A full assessment gives steadier scores.",
                STYLES.small,
            )
        )

    story.append(Heading("The stage-weighted readiness index", STYLES.h2, "method-index", level=1))
    sw = load_stage_weights()
    story.append(
        para(
            "The readiness index is a weighted mean of the eight ingredient scores. How much each ingredient counts "
            "depends on the stage the innovation has reached, because the evidence links some ingredients more "
            "closely to some stages. Ingredients without enough evidence are left out and the remaining weights "
            "rescaled. The weights below are normalised so that each stage's column adds up to 100 %; "
            f"the column for this assessment ({data.stage_label.lower()}) is highlighted.",
        )
    )
    head = ["Ingredient", *[STAGE_LABELS[s] for s in STAGES]]
    rows: list[list[object]] = [list(head)]
    for ing in INGREDIENTS:
        rows.append([labels[ing], *[f"{sw.normalised(s)[ing]:.0%}" for s in STAGES]])
    col = STAGES.index(data.stage) + 1 if data.stage in STAGES else None
    extra: list[tuple[object, ...]] = [("ALIGN", (1, 1), (-1, -1), "CENTER")]
    if col is not None:
        extra += [
            ("BACKGROUND", (col, 1), (col, -1), colors.HexColor("#DCE6F2")),
            ("FONTNAME", (col, 1), (col, -1), BOLD),
            ("BOX", (col, 0), (col, -1), 1.2, colors.HexColor("#0B4F8A")),
        ]
    stage_widths = [66, 66, 66, 82, 72]  # wide enough for "Implementation" and "Sustainability" in bold
    story.append(grid_table(rows, [FRAME_WIDTH - sum(stage_widths), *stage_widths], extra=extra, zebra=False))
    story.append(para(f"Weighting scheme: {sw.scheme}.", STYLES.small))
    story.append(para(data.cite(sw.citation), STYLES.cite))

    story.append(Heading("How the recommendation is reached", STYLES.h2, "method-rules", level=1))
    book = load_rulebook()
    story.append(
        para(
            "The strategy rules below are tried from the top; the first whose condition holds decides, and together "
            "they cover every combination of answers. Scores are compared only at two cut points (below 2.5 low, "
            "3.5 or higher high), which are our judgement, not the studies'. When a score the rules read has too "
            "few answers, every band is tried for it: a strategy is given only if it is at least as cautious as "
            "every possibility, and none is given when holding back is possible but not certain. Warning rules are "
            "all checked, whatever the strategy. Confidence is capped by the cases behind the rule, by warnings "
            "that undermine the answers or the plan, by open questions and by a score close to a cut point.",
        )
    )
    head = ["#", "Rule", "Leads to", "Applies when"]
    rows = [list(head)]
    fired = {r.id for r in data.result.recommendation.fired_rules}
    highlight: list[tuple[object, ...]] = []
    ordered = book.strategy_rules + book.warning_rules
    for n, rule in enumerate(ordered, 1):
        mark = " ✓ applied here" if rule.id in fired else ""
        rows.append(
            [
                str(n) if isinstance(rule, StrategyRule) else "–",
                TextBlock(run(rule.title + mark, strong=True), run(data.cite(rule.citation), size=7, colour=MUTED)),
                _effect(rule),
                describe(rule.when, labels),
            ]
        )
        if rule.id in fired:
            highlight.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#DCE6F2")))
    story.append(grid_table(rows, [20, 180, 80, FRAME_WIDTH - 280], extra=highlight, zebra=False))

    story.append(Heading("The limits of a self-assessment", STYLES.h2, "method-limits", level=1))
    limits = [
        "The answers are perceptions. People in different roles see the organisation differently, and a single "
        "respondent sees only part of it; a workshop with several roles gives a fuller picture.",
        "Ratings drift towards the answer that looks good. Comments and concrete examples help the team test "
        "whether a high score is earned.",
        "The rules condense a small number of published case studies. They describe what happened in those "
        "organisations and do not guarantee the same outcome elsewhere.",
        "Thresholds such as 2.5 and 3.5 are cut points on a rating scale, not measured tipping points; a score of "
        "3.4 and one of 3.6 are not very different.",
        "The report supports a decision by the leadership team; it does not replace their knowledge of the "
        "people, history and politics of their own organisation.",
    ]
    story += [markup(f"• {esc(b)}", STYLES.bullet) for b in limits]

    story.append(Heading("References", STYLES.h2, "method-references", level=1))
    cited = data.citations
    sources = [s for s in load_sources() if s.short_name in cited] or list(load_sources())
    story.append(
        para(
            "Citations in this report give the short name of the source and the lines or table it rests on. "
            "The sources:",
            STYLES.small,
        )
    )
    for s in sources:
        story.append(markup(f"<b>{esc(s.short_name)}.</b> {esc(s.reference)}", STYLES.body))
        story.append(para(f"Kind of evidence: {s.evidence}", STYLES.cite))
    story += [Spacer(1, 2 * mm), PageBreak()]
    return story
