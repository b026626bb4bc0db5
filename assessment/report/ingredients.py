"""Section 3: the eight ingredients, as a table with status colours that also read in greyscale, and a short
paragraph on each weak one."""

from __future__ import annotations

from ..advice import DimensionPlan
from ..plain import score_cell
from ..vocabulary import INGREDIENTS, MIN_COVERAGE, STATUS_LABELS, STRONG_FROM, WEAK_BELOW
from .blocks import SECTION_BREAK, Block, b, cell, h, keep, p, run, table
from .context import SECTION_TITLES, ReportData

STATUS_SYMBOLS = {"strong": "▲", "developing": "■", "weak": "▼", "insufficient_evidence": "?"}


def status_text(status: str) -> str:
    return f"{STATUS_SYMBOLS.get(status, '')} {STATUS_LABELS.get(status, status)}".strip()


def status_cell(status: str) -> dict[str, object]:
    return cell(status_text(status), status=status)


def legend() -> Block:
    return {"k": "legend", "items": [{"status": s, "label": status_text(s)} for s in STATUS_LABELS]}


def weak_dimension_block(w: DimensionPlan, data: ReportData) -> Block:
    """A weak dimension's name and score, what a weak score here means, and its source, kept together."""
    return keep(
        [h(f"{w.label} ({score_cell(w.score)})", 3, outlined=False), p(w.summary), p(data.cite(w.citation), "cite")]
    )


def ingredients(data: ReportData) -> list[Block]:
    res = data.result
    weights = res.readiness.weights
    story: list[Block] = [h(SECTION_TITLES["ingredients"])]
    story.append(
        p(
            "Eight ingredients make an innovation more likely to succeed in a health system. Each score is the "
            f"mean of your answers on a 1–5 scale; {STRONG_FROM:g} or more counts as strong and below {WEAK_BELOW:g} "
            "as weak. Coverage is the share of the questions asked that received a rating; below "
            f"{MIN_COVERAGE * 100:g} % there is not enough evidence to score the ingredient. The stage weight is how "
            "much the ingredient counts at the "
            f"{data.stage_label.lower()} stage in the readiness index."
        )
    )
    rows = []
    for dim in INGREDIENTS:
        s = res.scores[dim]
        if res.mode == "profile" and data.workshop is None:
            coverage = "not recorded"
        else:
            coverage = f"{s.coverage:.0%} ({s.answered} of {s.asked})"
        rows.append(
            [
                s.label,
                score_cell(s.mean if s.sufficient else None),
                "–" if s.percent is None or not s.sufficient else f"{s.percent:.0f} %",
                coverage,
                f"{weights.get(dim, 0.0):.0%}",
                status_cell(s.status),
            ]
        )
    story.append(
        table(
            ["Ingredient", "Score (1–5)", "Score (%)", "Coverage", "Stage weight", "Status"],
            rows,
            ["1fr", 52, 50, 76, 52, 96],
            zebra=True,
            align=["left", "center", "center", "left", "center"],
        )
    )
    story.append(legend())
    ri = res.readiness
    if ri.value is not None:
        missing = ", ".join(res.scores[d].label for d in ri.ingredients_missing)
        text = [
            b("Readiness index: "),
            run(
                f"{ri.value:.2f} out of 5 ({ri.percent:.0f} %), the weighted mean of the "
                f"{len(ri.ingredients_used)} ingredients with enough evidence."
                + (f" Left out for lack of answers: {missing}." if missing else "")
            ),
        ]
        story.append(p(text))
    else:
        story.append(p("No readiness index: no ingredient has enough answers to be scored."))
    story.append(p(data.cite(ri.citation), "cite"))

    weak = [w for w in data.plan.weak_dimensions if w.dimension in INGREDIENTS]
    story.append(h("The weak ingredients", 2))
    if not weak:
        story.append(p("No ingredient scored weak. Section 5 still lists the next steps for the strategy."))
    story += [weak_dimension_block(w, data) for w in weak]
    unknown = [res.scores[d].label for d in INGREDIENTS if not res.scores[d].sufficient]
    if unknown:
        story.append(h("Not enough evidence", 3, outlined=False))
        story.append(
            p(
                "Too few questions were rated to score: " + "; ".join(unknown) + ". Answering them (or finding "
                "someone who can) would firm up the picture; until then treat these ingredients as unknown, "
                "not as absent."
            )
        )
    story.append(SECTION_BREAK)
    return story
