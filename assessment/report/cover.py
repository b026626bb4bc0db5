"""Section 0: the cover, with what was assessed, by whom; the template adds the contents list."""

from __future__ import annotations

from typing import Any

from ..vocabulary import long_date
from .context import ReportData
from .fit import fit_lines

# The cover keeps to one page for any input: each text has a budget of lines at its size and width (points, as in
# templates/report.typ: A4 less 18 mm margins = 493 pt; the value column = 493 - 50 mm = 351 pt); the full texts
# are in the document's properties, the running header and the appendix.
TEXT_WIDTH, VALUE_WIDTH = 493.0, 351.0
ROW_LINES, DESCRIPTION_LINES = 2, 5


def row(label: str, value: str, lines: int = ROW_LINES) -> tuple[str, str]:
    return label, fit_lines(value, VALUE_WIDTH, 10, lines)


def cover(data: ReportData) -> dict[str, Any]:
    ctx = data.ctx
    rows: list[tuple[str, str]] = [
        row("Organisation", data.organisation),
        ("Type of organisation", data.organisation_type or "Not given"),
    ]
    if ctx("department"):
        rows.append(row("Department or service", ctx("department")))
    rows += [
        row("Innovation", data.innovation),
        ("Stage of the innovation", data.stage_label),
        ("Radical or incremental", ctx("radicalness").capitalize() or "Not given"),
        ("Assessment", data.mode_label),
    ]
    if data.workshop is not None:
        rows.append(row("Workshop", data.workshop.title or "Untitled workshop"))
    rows += [
        row("Respondents", data.respondent_summary, 3),
        ("Date", long_date(data.report_date)),
        ("Question bank version", data.result.bank_version),
    ]
    description = ctx("innovation_description")
    if description:
        short = fit_lines(description, VALUE_WIDTH, 10, DESCRIPTION_LINES)
        if short != " ".join(description.split()):
            short += " (in full in the appendix)"
        rows.append(("About the innovation", short))
    notes = []
    if data.workshop is not None and data.workshop.consensus_used:
        notes.append(data.workshop.score_basis({d.id: d.label for d in data.bank.dimensions}))
    if data.workshop is not None and data.workshop.second_round is not None:
        notes.append(data.workshop.second_round.sentence)
    return {
        "innovation": fit_lines(data.innovation, TEXT_WIDTH, 15, 3, bold=True),
        "organisation": fit_lines(data.organisation, TEXT_WIDTH, 10.5, 2),
        "strategy_intro": data.outcome_intro,
        "strategy": data.outcome_label,
        "rows": rows,
        "notes": notes,
        "disclaimer": "A self-assessment to structure the leadership team's discussion, not a validated prediction. "
        "Section 6 explains how the scores and the recommendation are worked out; the glossary at the end explains "
        "the terms.",
    }
