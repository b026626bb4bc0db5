"""Section 1: the executive summary, kept to one page (it shrinks to fit rather than spill over)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table, TableStyle

from ..chart_data import key_messages, radar_data
from .charts import radar_drawing
from .context import SECTION_TITLES, ReportData
from .document import Heading
from .fonts import REGULAR
from .styles import (
    FRAME_WIDTH,
    MUTED,
    PRIMARY,
    STYLES,
    WARN,
    WARN_SHADE,
    callout,
    esc,
    hexcol,
    markup,
    para,
)

CONFIDENCE_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "none": "None: no strategy given"}


def recommendation_box(data: ReportData) -> Flowable:
    rec = data.result.recommendation
    parts: list[Flowable] = [
        markup(f'<font color="{hexcol(MUTED)}">Recommended strategy</font>', STYLES.small),
        para(rec.strategy_label, STYLES.big),
        para(rec.headline, STYLES.callout_title),
        markup(f"<b>Why:</b> {esc(rec.reason)}", STYLES.body),
    ]
    if rec.current_step:
        which = (
            "step one (early adopters lead technical and cultural work)"
            if rec.current_step == 1
            else "step two (rules, structures and resources)"
        )
        parts.append(markup(f"<b>Where you are:</b> your answers place you in {which}.", STYLES.body))
    return callout(parts)


def warning_boxes(data: ReportData, compact: bool = True) -> list[Flowable]:
    out: list[Flowable] = []
    for w in data.result.recommendation.warnings:
        body = [
            markup(f'<font color="{hexcol(WARN)}">⚠ Warning:</font> {esc(w.title)}', STYLES.callout_title),
            para(" ".join(w.message.split()), STYLES.small),
            para(data.cite(w.citation), STYLES.cite),
        ]
        out += [callout(body, border=WARN, background=WARN_SHADE), Spacer(1, 2.5 * mm)]
    return out


def side_panel(data: ReportData) -> list[Flowable]:
    ri = data.result.readiness
    rec = data.result.recommendation
    used = len(ri.ingredients_used)
    index = (
        f"{ri.value:.2f} / 5 ({ri.percent:.0f} %)" if ri.value is not None else "not available (too few answers)"
    )
    out: list[Flowable] = [
        para("Readiness index", STYLES.h3),
        para(index, STYLES.callout_title),
        para(
            f"Stage-weighted mean of {used} of 8 ingredients, using the weights for the {data.stage_label.lower()} "
            "stage.",
            STYLES.small,
        ),
        para("Confidence in the recommendation", STYLES.h3),
        para(CONFIDENCE_WORDS[rec.confidence.level], STYLES.callout_title),
        para(rec.confidence.statement, STYLES.small),
    ]
    if rec.decisive_unknown_details:
        out.append(para("Answering these would decide it", STYLES.h3))
        out += [para(d.description, STYLES.small) for d in rec.answer_first]
        if rec.also_open:
            out.append(para("Also still open: " + ", ".join(d.label.lower() for d in rec.also_open) + ".",
                            STYLES.small))
    return out


def board_messages(data: ReportData, limit: int = 3) -> list[str]:
    """chart_data's key messages: exactly what the app's board view shows."""
    return key_messages(data.result, limit)


def summary(data: ReportData) -> list[Flowable]:
    rd = radar_data(data.result, data.short_labels)
    radar = radar_drawing(rd, width=296, height=285)
    two_col = Table([[radar, side_panel(data)]], colWidths=[300, FRAME_WIDTH - 300], hAlign="LEFT")
    two_col.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    messages = board_messages(data)
    body: list[Flowable] = [recommendation_box(data), Spacer(1, 3 * mm), *warning_boxes(data)]
    body += [
        para("The eight ingredients of innovation success", STYLES.h2),
        two_col,
        para("Key messages", STYLES.h2),
    ]
    body += [
        markup(f'<font color="{hexcol(PRIMARY)}"><b>{i}.</b></font> {esc(m)}', STYLES.bullet)
        for i, m in enumerate(messages, 1)
    ]
    if data.workshop is not None:
        w = data.workshop
        basis = w.score_basis({d.id: d.label for d in data.bank.dimensions})
        body.append(
            para(
                f"This summary rests on the answers of {w.respondents} respondents. {basis} See the appendix for "
                "where they disagreed.",
                STYLES.small,
            )
        )
    body.append(para(data.result.recommendation.disclaimer, STYLES.cite))
    return [
        Heading(SECTION_TITLES["summary"], STYLES.h1, "summary"),
        KeepInFrame(0, 0, body, mode="shrink"),
        PageBreak(),
    ]
