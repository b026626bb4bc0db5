"""Section 1: the executive summary: the recommendation, warnings, the ingredients radar, the key messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chart_data import RadarData, key_messages, radar_data
from ..plain import score_cell
from ..vocabulary import AGREEMENT_LABELS, INGREDIENTS, Agreement
from .blocks import PAGEBREAK, Block, b, bullets, callout, h, p, run, space
from .context import SECTION_TITLES, ReportData, confidence_statement, decisive_unknowns


def recommendation_box(data: ReportData) -> Block:
    rec = data.result.recommendation
    body: list[Block]
    if data.no_strategy:
        body = [p(rec.reason)]
        unknowns = decisive_unknowns(data.result)
        if unknowns:
            body += [p([b("Answering these would decide it:")]), bullets(unknowns, "small")]
        return callout(body, title=data.outcome_label)
    body = [p(rec.strategy_label, "lead"), p([b(rec.headline)])]
    if not any(rec.reason in m for m in key_messages(data.result)):  # the first key message gives it otherwise
        body.append(p([b("Why: "), run(rec.reason)]))
    if rec.current_step:
        which = (
            "step one (early adopters lead technical and cultural work)"
            if rec.current_step == 1
            else "step two (rules, structures and resources)"
        )
        body.append(p([b("Where you are: "), run(f"your answers place you in {which}.")]))
    unknowns = decisive_unknowns(data.result)
    if unknowns:
        body += [p([b("Answering these would decide it:")]), bullets(unknowns, "small")]
    return callout(body, title=[run("Recommended strategy", colour="muted")])


def warnings_box(data: ReportData) -> list[Block]:
    """One box naming every warning that applies, with its source; section 2 gives each in full."""
    warnings = data.result.recommendation.warnings
    if not warnings:
        return []
    items = [[b(w.title), run(f" ({data.cite(w.citation)})", colour="muted")] for w in warnings]
    title = "⚠ Warning that applies" if len(warnings) == 1 else f"⚠ {len(warnings)} warnings that apply"
    body = [bullets(items, "small"), p("Section 2 sets out what the evidence behind each shows.", "small")]
    return [callout(body, title=[run(title, colour="warn")], kind="warn")]


def radar_block(rd: RadarData, weights: dict[str, float], agreement: Mapping[str, Agreement] | None = None) -> Block:
    """The radar's data; `agreement` (a group's band per ingredient, in words) is printed under each spoke's
    name, in the warning colour where the group did not agree strongly."""
    spoke = []
    for dim, label, score in zip(rd.dimensions, rd.labels, rd.scores, strict=True):
        shown = score_cell(score, "not scored")
        runs = [
            run(label + " "),
            run(shown, bold=True),
            run(f"\nweight {weights.get(dim, 0):.0%}", colour="muted", size=9),
        ]
        if agreement and dim in agreement:
            shared = agreement[dim] in ("strong", "very_strong")
            words = AGREEMENT_LABELS[agreement[dim]].lower()
            runs.append(run(f"\n{words}", bold=not shared, colour="muted" if shared else "warn"))
        spoke.append(runs)
    alt = (
        "Radar chart of the eight ingredient scores on a 1 to 5 scale: "
        + "; ".join(
            f"{label} {score_cell(s, 'not scored')}"
            + (f" ({AGREEMENT_LABELS[agreement[d]].lower()})" if agreement and d in agreement else "")
            for d, label, s in zip(rd.dimensions, rd.labels, rd.scores, strict=True)
        )
        + "."
    )
    return {
        "k": "radar",
        "room": 124 if agreement else 96,  # points above and below the rings for the spokes' labels
        "labels": rd.labels,
        "spoke_labels": spoke,
        "scores": rd.scores,
        "plotted": rd.plotted,
        "alt": alt,
    }


def side_panel(data: ReportData) -> list[Block]:
    ri = data.result.readiness
    used = len(ri.ingredients_used)
    if ri.value is None:
        index = "not available (too few answers)"
    elif used < len(INGREDIENTS):  # a partial mean: one decimal, and how much of it is scored
        index = f"about {ri.value:.1f} out of 5, from {used} of {len(INGREDIENTS)} ingredients"
    else:
        index = f"{ri.value:.2f} out of 5"
    return [
        p("Readiness index", "lead"),
        p([b(index)]),
        p(
            f"Stage-weighted mean of the {used} of {len(INGREDIENTS)} ingredients scored, with the weights for the "
            f"{data.stage_label.lower()} stage (printed under each name on the chart)."
            + ("" if used == len(INGREDIENTS) else " The others are not scored, so the index may still move."),
            "small",
        ),
        p("Confidence", "lead"),
        p(confidence_statement(data.result), "small"),
    ]


def group_bands(data: ReportData) -> dict[str, Agreement] | None:
    """A workshop's agreement band per ingredient (the r_wg bands the dashboard and the slide use), or None."""
    if data.workshop is None:
        return None
    from ..workshop.stats import agreement_for  # numpy: only loaded for workshops

    spread = data.workshop.spread
    return {d: agreement_for(spread[d].r_wg) for d in INGREDIENTS if d in spread}


SEE_THE_REPORT = "See the report for what the evidence shows."


def report_messages(data: ReportData) -> list[str]:
    """The board's key messages as the report prints them: a pointer to 'the report' names its section."""
    return [m.replace(SEE_THE_REPORT, "Section 2 sets out what the evidence shows.") for m in key_messages(data.result)]


def summary(data: ReportData) -> list[Block]:
    """The recommendation, the key messages, the warnings by name and the radar, at the body text's size: no
    scaling (section 2 holds each warning in full)."""
    rd = radar_data(data.result, data.short_labels)
    chart: dict[str, Any] = radar_block(rd, data.result.readiness.weights, group_bands(data))
    body: list[Block] = [
        h(SECTION_TITLES["summary"]),
        recommendation_box(data),
        h("Key messages", 2, outlined=False),
        {"k": "numbered", "items": report_messages(data)},
        *warnings_box(data),
        h("The eight ingredients of innovation success", 2, outlined=False),
        {"k": "cols", "widths": [330, "1fr"], "left": [chart], "right": side_panel(data)},
    ]
    if data.workshop is not None:
        w = data.workshop
        basis = w.score_basis({d.id: d.label for d in data.bank.dimensions})
        body.append(
            p(
                f"This summary rests on the answers of {w.respondents} respondents. {basis} The workshop section "
                "lists where they disagreed.",
                "small",
            )
        )
    body += [space(2), p(data.result.recommendation.disclaimer, "cite")]
    return [*body, PAGEBREAK]
