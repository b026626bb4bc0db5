"""Section 0: the cover, with what was assessed, by whom, and the contents list."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table, TableStyle

from ..vocabulary import STRATEGY_LABELS
from .context import SECTIONS, ReportData, long_date
from .document import ContentsList
from .fonts import BOLD
from .styles import FRAME_HEIGHT, FRAME_WIDTH, MUTED, PRIMARY, RULE, STYLES, TextBlock, esc, hexcol, markup, para, run

DESCRIPTION_LIMIT = 500


def cover(data: ReportData) -> list[Flowable]:
    ctx = data.ctx
    rows: list[tuple[str, str]] = [
        ("Organisation", data.organisation),
        ("Type of organisation", data.organisation_type),
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
    table = Table(
        [[TextBlock(run(k, strong=True)), TextBlock(run(v))] for k, v in rows],
        colWidths=[45 * mm, FRAME_WIDTH - 45 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), BOLD),
            ]
        )
    )
    rec = data.result.recommendation
    top: list[Flowable] = [
        Spacer(1, 14 * mm),
        markup(f'<font color="{hexcol(MUTED)}">Innovation-readiness self-assessment</font>', STYLES.h3),
        para("Innovation readiness report", STYLES.title),
        para(data.innovation, STYLES.subtitle),
        para(data.organisation, STYLES.body_muted),
        Spacer(1, 6 * mm),
        markup(
            f'Recommended strategy: <font color="{hexcol(PRIMARY)}"><b>'
            f"{esc(STRATEGY_LABELS.get(rec.strategy, rec.strategy_label))}</b></font>",
            STYLES.h2,
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    if data.workshop is not None and data.workshop.consensus_used:
        top += [
            Spacer(1, 3 * mm),
            para(data.workshop.score_basis({d.id: d.label for d in data.bank.dimensions}), STYLES.small),
        ]
    contents = ContentsList(list(SECTIONS))
    note = para(
        "A self-assessment to structure the leadership team's discussion, not a validated prediction. "
        "Section 6 explains how the scores and the recommendation are worked out.",
        STYLES.cite,
    )
    # The cover keeps to one page: very long names or descriptions shrink the top part, never the contents.
    room = FRAME_HEIGHT - contents.height - 12 * mm - 2 * 11
    return [KeepInFrame(FRAME_WIDTH, room, top, mode="shrink"), Spacer(1, 8 * mm), contents, Spacer(1, 4 * mm), note,
            PageBreak()]
