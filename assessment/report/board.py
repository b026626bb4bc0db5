"""The board slide from the same Typst source for every format: a 3840 x 2160 PNG, or a 16:9 vector PDF page.

png = render_slide(result, bank, facts=["20 March 2026", "Adoption stage"], fmt="png")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..bank import QuestionBank
from ..chart_data import key_messages, radar_data
from ..results import Result
from ..vocabulary import Agreement
from .context import confidence_statement, decisive_unknowns, outcome_label
from .render import compile_template
from .summary import radar_block

if TYPE_CHECKING:  # the workshop domain pulls in numpy and pandas; import it only when it is used
    from ..workshop import WorkshopSummary

TITLE = "Innovation readiness: board summary"
SLIDE_PPI = 288  # 960 pt x 540 pt at 288 ppi = 3840 x 2160 px
MAX_MESSAGES = 3


@dataclass(frozen=True)
class GroupAgreement:
    """What a group board adds so that no board sees a consensus the room did not have: each ingredient's agreement
    band (the summary's r_wg bands, in their short words), one line counting them, and the key message on roles
    whose own answers give another recommendation or none."""

    bands: dict[str, Agreement] = field(default_factory=dict)  # ingredient id -> the summary's band
    line: str = ""
    roles: str | None = None

    @classmethod
    def from_summary(cls, summary: WorkshopSummary) -> GroupAgreement:
        from ..workshop.wording import agreement_line, ingredient_agreement, role_board_message

        return cls(
            bands=ingredient_agreement(summary.dimensions),
            line=agreement_line(summary.dimensions),
            roles=role_board_message(summary.role_groups, summary.result.recommendation.strategy),
        )


def board_messages(result: Result, group: GroupAgreement | None = None) -> list[str]:
    """The board's key messages: the result's, with the roles' message second on a group board (never cut)."""
    messages = key_messages(result, limit=MAX_MESSAGES)[:MAX_MESSAGES]
    if group is not None and group.roles:
        messages = [*messages[:1], group.roles, *messages[1:]][:MAX_MESSAGES]
    return messages


def who_and_what(result: Result) -> str:
    ctx = result.context
    parts = [str(ctx.get("organisation_name") or "").strip(), str(ctx.get("innovation_title") or "").strip()]
    return " · ".join(p for p in parts if p) or "Unnamed assessment"


def slide_data(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str] = (),
    notes: Sequence[str] = (),
    title: str = TITLE,
    group: GroupAgreement | None = None,
) -> dict[str, Any]:
    rec = result.recommendation
    short = {d.id: d.short_label for d in bank.dimensions}
    no_strategy = rec.strategy == "insufficient_evidence"
    return {
        "title": title,
        "author": str(result.context.get("organisation_name") or "Innovation-readiness self-assessment"),
        "who": who_and_what(result),
        "facts": " · ".join(facts),
        "card_label": "Outcome" if no_strategy else "Recommended strategy",
        "strategy": outcome_label(result),
        "headline": rec.headline,
        "confidence": confidence_statement(result),
        "unknowns": decisive_unknowns(result)[:3],
        "messages": board_messages(result, group),
        "notes": list(notes),
        "radar_title": "The eight ingredients of innovation success (scores 1-5)",
        "radar": radar_block(radar_data(result, short), result.readiness.weights, group.bands if group else None),
        "agreement": group.line if group else "",
        "disclaimer": rec.disclaimer + " Terms such as two-step work and affordances are explained in the "
        "report's glossary.",
    }


def render_slide(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str] = (),
    notes: Sequence[str] = (),
    title: str = TITLE,
    fmt: Literal["png", "pdf", "svg"] = "png",
    group: GroupAgreement | None = None,
) -> bytes:
    """The board slide as PNG (3840 x 2160), PDF (one 16:9 vector page, tagged) or SVG."""
    data = slide_data(result, bank, facts=facts, notes=notes, title=title, group=group)
    return compile_template("board.typ", data, fmt=fmt, ppi=SLIDE_PPI if fmt == "png" else None)
