"""Page geometry, colours, paragraph and table styles, and the escaping helpers every section uses.

Every piece of text that did not come from this package (names, titles, comments, and also bank and rule
texts, which may contain '&' or '<') goes through `esc()` before it reaches a Paragraph, so markup in it is
printed as written instead of being interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from ..chart_data import PALETTE, STATUS_LABELS
from .fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#C8C8C8")
SHADE = colors.HexColor("#F1F4F8")
PRIMARY = colors.HexColor(PALETTE["primary"])
WEIGHT = colors.HexColor(PALETTE["weight"])
WARN = colors.HexColor(PALETTE["weak"])
WARN_SHADE = colors.HexColor("#FBEFF0")

STATUS_COLOURS: dict[str, colors.Color] = {
    k: colors.HexColor(v) for k, v in PALETTE.items() if k in STATUS_LABELS
}
# A symbol per status so that the status reads without colour (printed in greyscale, or colour-blind readers).
STATUS_SYMBOLS: dict[str, str] = {
    "strong": "▲",
    "developing": "■",
    "weak": "▼",
    "insufficient_evidence": "?",
}
# Text on a status-coloured cell: white on the dark colours, black on the light ones.
STATUS_TEXT: dict[str, colors.Color] = {
    "strong": colors.white,
    "developing": INK,
    "weak": colors.white,
    "insufficient_evidence": INK,
}


def status_text(status: str) -> str:
    return f"{STATUS_SYMBOLS.get(status, '')} {STATUS_LABELS.get(status, status)}".strip()


def hexcol(colour: colors.Color) -> str:
    """'#rrggbb' for a reportlab colour, for use in <font color=...> markup."""
    return "#" + colour.hexval()[2:]


def esc(text: object) -> str:
    """Escape text for a Paragraph: markup prints as written, line breaks are kept."""
    if text is None:
        return ""
    return escape(str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_muted: ParagraphStyle
    small: ParagraphStyle
    cite: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_center: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    big: ParagraphStyle
    callout_title: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=9.5, leading=13.2, textColor=INK, spaceAfter=5, alignment=TA_LEFT,
        splitLongWords=1,
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        body=base,
        body_muted=derive("body_muted", textColor=MUTED),
        small=derive("small", fontSize=8, leading=10.5, spaceAfter=3),
        cite=derive("cite", fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=4),
        cell=derive("cell", fontSize=8.2, leading=10.4, spaceAfter=0),
        cell_bold=derive("cell_bold", fontName=BOLD, fontSize=8.2, leading=10.4, spaceAfter=0),
        cell_head=derive("cell_head", fontName=BOLD, fontSize=8.2, leading=10.4, spaceAfter=0, textColor=colors.white),
        cell_center=derive("cell_center", fontSize=8.2, leading=10.4, spaceAfter=0, alignment=TA_CENTER),
        bullet=derive("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3),
        title=derive("title", fontName=BOLD, fontSize=26, leading=31, textColor=PRIMARY, spaceAfter=10),
        subtitle=derive("subtitle", fontName=BOLD, fontSize=15, leading=19, spaceAfter=6),
        h1=derive("h1", fontName=BOLD, fontSize=16, leading=20, textColor=PRIMARY, spaceBefore=0, spaceAfter=8),
        h2=derive("h2", fontName=BOLD, fontSize=11.5, leading=14.5, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        h3=derive("h3", fontName=BOLD, fontSize=9.8, leading=12.5, spaceBefore=5, spaceAfter=3, keepWithNext=1),
        big=derive("big", fontName=BOLD, fontSize=17, leading=21, textColor=PRIMARY, spaceAfter=4),
        callout_title=derive("callout_title", fontName=BOLD, fontSize=9.5, leading=12.5, spaceAfter=2),
    )


STYLES = make_styles()


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain text (escaped)."""
    return Paragraph(esc(text), style or STYLES.body)


def markup(xml: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of markup built by this package; every interpolated value must already be escaped."""
    return Paragraph(xml, style or STYLES.body)


def grid_table(
    rows: list[list[object]],
    col_widths: list[float],
    header_rows: int = 1,
    extra: list[tuple[object, ...]] | None = None,
    zebra: bool = True,
) -> Table:
    """A table with a dark header row that repeats across pages, thin rules and optional zebra shading."""
    cmds: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), PRIMARY),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
        ]
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), SHADE))
    cmds += extra or []
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(cmds))
    return table


def callout(
    content: list[object], border: colors.Color = PRIMARY, background: colors.Color = SHADE, width: float = FRAME_WIDTH
) -> Table:
    """A shaded box with a thick coloured bar on its left, holding a list of flowables."""
    table = Table([[content]], colWidths=[width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("LINEBEFORE", (0, 0), (0, -1), 3.5, border),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table
