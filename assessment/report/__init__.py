"""The PDF report: `render_report` for any result (one respondent or a workshop), `build_report` for a
single answers file. Typst templates under templates/, compiled in-process by the `typst` package.

    pdf = build_report(answer_set, bank)                      # one respondent
    summary = workshop.summarise_answer_sets(sets, bank, title=...)
    pdf = render_report(summary.result, bank, sets, WorkshopSection.from_summary(summary))  # a workshop
"""

from __future__ import annotations

from .render import build_report, render_report
from .workshop_section import AgendaItem, DimensionSpread, RoleRecommendation, WorkshopSection

__all__ = ["AgendaItem", "DimensionSpread", "RoleRecommendation", "WorkshopSection", "build_report", "render_report"]
