"""Section 6: how the scores and the recommendation are computed, the limits of a self-assessment, and the
full references of every source the report cites."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..rules import (
    FACT_LABELS,
    AllCond,
    AlwaysCond,
    AnyCond,
    Condition,
    FactCond,
    ItemCond,
    MaxOfCond,
    MinOfCond,
    Rule,
    ScoreCond,
    load_rulebook,
)
from ..scoring import load_stage_weights
from ..sources import load_sources
from ..vocabulary import INGREDIENTS, MIN_COVERAGE, STAGE_LABELS, STAGES, STRATEGY_LABELS
from .context import SECTION_TITLES, ReportData
from .document import Heading
from .fonts import BOLD
from .styles import FRAME_WIDTH, MUTED, STYLES, TextBlock, esc, grid_table, markup, para, run

OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def describe(cond: Condition, labels: dict[str, str]) -> str:
    """A rule condition in words, e.g. 'professional resistance ≥ 3.5 and highest of ... < 2.5'."""
    if isinstance(cond, AllCond):
        return " and ".join(_group(c, labels) for c in cond.all)
    if isinstance(cond, AnyCond):
        return "either " + " or ".join(_group(c, labels) for c in cond.any)
    if isinstance(cond, AlwaysCond):
        return "none of the rules above holds (fallback)"
    if isinstance(cond, FactCond):
        value = cond.is_
        shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return f"{FACT_LABELS.get(cond.fact, cond.fact).lower()}: {shown}"
    if isinstance(cond, ItemCond):
        return f"item {cond.item} rated {OPS[cond.op]} {cond.value:g}"
    if isinstance(cond, ScoreCond):
        return f"{labels.get(cond.score, cond.score).lower()} {OPS[cond.op]} {cond.value:g}"
    if isinstance(cond, MaxOfCond | MinOfCond):
        dims = cond.max_of if isinstance(cond, MaxOfCond) else cond.min_of
        which = "highest" if isinstance(cond, MaxOfCond) else "lowest"
        names = ", ".join(labels.get(d, d).lower() for d in dims)
        return f"{which} of ({names}) {OPS[cond.op]} {cond.value:g}"
    return str(cond)  # pragma: no cover - the grammar is closed


def _group(cond: Condition, labels: dict[str, str]) -> str:
    text = describe(cond, labels)
    return f"({text})" if isinstance(cond, AllCond | AnyCond) else text


def _effect(rule: Rule) -> str:
    if rule.kind == "strategy" and rule.strategy is not None:
        return STRATEGY_LABELS.get(rule.strategy, rule.strategy)
    return f"Warning ({rule.severity})"


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
            "The strategy rules below are tried from the top; the first whose condition holds decides, and the "
            "last always holds, so every assessment gets exactly one strategy. A score with insufficient evidence, "
            "an unanswered question or a “don't know” never satisfies a condition, so a rule that needs it does "
            "not apply. Warning rules are all checked, whatever the strategy. Confidence falls when few cases "
            "support the deciding rule, when one score sits close to a threshold, or when key dimensions lack "
            "evidence.",
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
                str(n) if rule.kind == "strategy" else "–",
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
