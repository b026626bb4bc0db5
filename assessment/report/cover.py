"""Section 0: the cover, with what was assessed, by whom; the template adds the contents list."""

from __future__ import annotations

from typing import Any

from .context import ReportData, long_date

DESCRIPTION_LIMIT = 500


def cover(data: ReportData) -> dict[str, Any]:
    ctx = data.ctx
    rows: list[tuple[str, str]] = [
        ("Organisation", data.organisation),
        ("Type of organisation", data.organisation_type or "Not given"),
    ]
    if ctx("department"):
        rows.append(("Department or service", ctx("department")))
    rows += [
        ("Innovation", data.innovation),
        ("Stage of the innovation", data.stage_label),
        ("Radical or incremental", ctx("radicalness", "radical").capitalize()),
        ("Assessment", data.mode_label),
    ]
    if data.workshop is not None:
        rows.append(("Workshop", data.workshop.title or "Untitled workshop"))
    rows += [
        ("Respondents", data.respondent_summary),
        ("Date", long_date(data.report_date)),
        ("Question bank version", data.result.bank_version),
    ]
    description = ctx("innovation_description")
    if description:
        short = description if len(description) <= DESCRIPTION_LIMIT else description[:DESCRIPTION_LIMIT].rstrip() + "…"
        rows.append(("About the innovation", short))
    notes = []
    if data.workshop is not None and data.workshop.consensus_used:
        notes.append(data.workshop.score_basis({d.id: d.label for d in data.bank.dimensions}))
    if data.workshop is not None and data.workshop.second_round is not None:
        notes.append(data.workshop.second_round.sentence)
    return {
        "innovation": data.innovation,
        "organisation": data.organisation,
        "strategy_intro": data.outcome_intro,
        "strategy": data.outcome_label,
        "rows": rows,
        "notes": notes,
        "disclaimer": "A self-assessment to structure the leadership team's discussion, not a validated prediction. "
        "Section 6 explains how the scores and the recommendation are worked out; the glossary at the end explains "
        "the terms.",
    }
