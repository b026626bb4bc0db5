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
from .fit import fit_lines
from .fonts import describe, unprintable
from .render import compile_template
from .summary import radar_block

if TYPE_CHECKING:  # the workshop domain pulls in numpy and pandas; import it only when it is used
    from ..workshop import WorkshopSummary

TITLE = "Innovation readiness: board summary"
SLIDE_PPI = 288  # 960 pt x 540 pt at 288 ppi = 3840 x 2160 px
MAX_MESSAGES = 3
MAX_UNKNOWNS = 2

# The slide's geometry in points (templates/board.typ reads these): 960 x 540 with fixed column widths.
LAYOUT: dict[str, float] = {
    "margin_x": 34,
    "left_width": 470,
    "gutter": 24,
    "card_inset": 12,
    "title": 24,
    "who": 15,
    "facts": 12,
    "card_label": 12,
    "strategy": 20,
    "headline": 13,
    "confidence": 12,
    "unknown": 11,
    "messages_heading": 14,
    "message": 12,
    "note": 10.5,
    "agreement": 11,
    "disclaimer": 9.5,
}
FULL_WIDTH = 960 - 2 * LAYOUT["margin_x"]
CARD_TEXT = LAYOUT["left_width"] - 4 - 2 * LAYOUT["card_inset"]  # the card's text: less its stroke and insets
LIST_TEXT = CARD_TEXT - 18  # a bullet and its indent
ENUM_TEXT = LAYOUT["left_width"] - 30  # a number ("3.") and its indent
RIGHT_WIDTH = FULL_WIDTH - LAYOUT["left_width"] - LAYOUT["gutter"]

# Each block's size, width and most lines: the slide holds every combination (tests/test_board_slide.py).
Budget = tuple[str, float, int, bool]  # (size key, width, lines, bold)
BUDGETS: dict[str, Budget] = {
    "title": ("title", FULL_WIDTH, 1, True),
    "who": ("who", FULL_WIDTH, 1, True),
    "facts": ("facts", FULL_WIDTH, 1, False),
    "strategy": ("strategy", CARD_TEXT, 2, True),
    "headline": ("headline", CARD_TEXT, 2, True),
    "confidence": ("confidence", CARD_TEXT, 3, False),
    "unknown": ("unknown", LIST_TEXT, 2, False),
    "message": ("message", ENUM_TEXT, 3, False),
    "note": ("note", RIGHT_WIDTH, 1, False),
    "agreement": ("agreement", RIGHT_WIDTH, 2, True),
    "disclaimer": ("disclaimer", FULL_WIDTH, 2, False),
}


def budget(kind: str, text: str) -> str:
    """`text` within its block's lines: whole, or cut with an ellipsis (the report holds the full text)."""
    size, width, lines, bold = BUDGETS[kind]
    return fit_lines(text, width, LAYOUT[size], lines, bold)


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


def slide_unprintable(result: Result, facts: Sequence[str] = (), notes: Sequence[str] = ()) -> list[str]:
    """The characters of the slide's own text (names, facts, notes) that no font here covers."""
    return unprintable([who_and_what(result), list(facts), list(notes)])


STEP_WORDS = {1: "one", 2: "two"}


def card_label(current_step: int | None) -> str:
    """The card's label, naming the step of two-step work the answers place the organisation in (one line)."""
    if current_step in STEP_WORDS:
        return f"Recommended strategy · you are in step {STEP_WORDS[current_step]} of two"
    return "Recommended strategy"


def slide_data(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str] = (),
    notes: Sequence[str] = (),
    title: str = TITLE,
    group: GroupAgreement | None = None,
) -> dict[str, Any]:
    """What the slide prints, every text within its block's budget of lines (`BUDGETS`); the full texts are in the
    report and the app. `notes` are joined into one block."""
    rec = result.recommendation
    short = {d.id: d.short_label for d in bank.dimensions}
    no_strategy = rec.strategy == "insufficient_evidence"
    unknowns = decisive_unknowns(result)
    if len(unknowns) > MAX_UNKNOWNS:  # the first, and a line saying how many more the report lists
        unknowns = [unknowns[0], f"And {len(unknowns) - 1} more open questions, listed in the report."]
    who = who_and_what(result)
    missing = slide_unprintable(result, facts, notes)
    missing_line = f"No font here for {describe(missing, limit=3)}: printed as \ufffd." if missing else ""
    note = " ".join(n.strip() for n in [missing_line, *notes] if n.strip())
    return {
        "document": {
            "title": f"{title}: {who}",
            "author": str(result.context.get("organisation_name") or "Innovation-readiness self-assessment"),
        },
        "title": budget("title", title),
        "who": budget("who", who),
        "facts": budget("facts", " · ".join(facts)),
        "card_label": "Outcome" if no_strategy else card_label(rec.current_step),
        "strategy": budget("strategy", outcome_label(result)),
        "headline": budget("headline", rec.headline),
        "confidence": budget("confidence", confidence_statement(result)),
        "unknowns": [budget("unknown", u) for u in unknowns],
        "messages": [budget("message", m) for m in board_messages(result, group)],
        "notes": [budget("note", note)] if note else [],
        "radar_title": "The eight ingredients of innovation success (scores 1-5)",
        "radar": radar_block(radar_data(result, short), result.readiness.weights, group.bands if group else None),
        "agreement": budget("agreement", group.line) if group else "",
        "disclaimer": budget(
            "disclaimer",
            rec.disclaimer + " The report's glossary explains the terms.",
        ),
        "layout": LAYOUT,
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
