"""Assemble the sections into one PDF."""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import Flowable, KeepTogether

from ..answers import AnswerSet
from ..bank import QuestionBank
from ..engine import assess
from ..results import Result
from .appendix import appendix
from .conditions import conditions
from .context import SECTIONS, ReportData, long_date
from .cover import cover
from .document import ReportDocument, production_settings
from .ingredients import ingredients
from .method import method
from .plan import plan
from .rationale import rationale
from .summary import summary
from .workshop_section import WorkshopSection


def story_for(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = []
    # Order matters: the method section lists the references cited by the sections before it.
    for section in (cover, summary, rationale, ingredients, conditions, plan, method, appendix):
        story += section(data)
    return keep_headings_with_blocks(story)


def keep_headings_with_blocks(story: list[Flowable]) -> list[Flowable]:
    """Move a heading into the KeepTogether block that follows it.

    reportlab keeps a keepWithNext heading with the next flowable, except when that flowable is itself a
    KeepTogether: then the heading can be left alone at the foot of a page."""
    out: list[Flowable] = []
    for f in story:
        prev = out[-1] if out else None
        if isinstance(f, KeepTogether) and prev is not None and prev.getKeepWithNext():
            out[-1] = KeepTogether([prev, *f._content])
        else:
            out.append(f)
    return out


def render_report(
    result: Result,
    bank: QuestionBank,
    answer_sets: list[AnswerSet],
    workshop: WorkshopSection | None = None,
) -> bytes:
    """The full report as PDF bytes."""
    data = ReportData(result=result, bank=bank, answer_sets=list(answer_sets), workshop=workshop)
    title = f"Innovation readiness report: {data.innovation}"
    buf = BytesIO()
    doc = ReportDocument(
        buf,
        header_left=f"Innovation readiness report · {data.innovation} · {data.organisation}",
        footer_left=f"{data.organisation} · {long_date(data.report_date)} · self-assessment, not a prediction",
        title=title,
        author=data.organisation if data.ctx("organisation_name") else "Innovation-readiness self-assessment",
        subject=f"Recommended strategy: {result.recommendation.strategy_label}; {data.respondent_summary}",
        keywords=["innovation readiness", "self-assessment", result.recommendation.strategy_label],
    )
    with production_settings():
        doc.render(story_for(data), [key for key, _ in SECTIONS])
    return buf.getvalue()


def build_report(answer_set: AnswerSet, bank: QuestionBank) -> bytes:
    """Score one respondent's answers and render their report."""
    return render_report(assess(answer_set, bank), bank, [answer_set])
