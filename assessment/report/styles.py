"""Page geometry, colours, paragraph and table styles, and the escaping helpers every section uses.

Every piece of text that did not come from this package (names, titles, comments, and also bank and rule
texts, which may contain '&' or '<') goes through `esc()` before it reaches a Paragraph, so markup in it is
printed as written instead of being interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.paraparser import ParaFrag, ParaParser

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


class Para(Paragraph):
    """A Paragraph that remembers its last layout: tables ask each cell for its size two or three times at the
    same width, and breaking the lines again each time was the largest single cost of the report."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at == availWidth and "blPara" in self.__dict__:  # split() drops blPara to force a wrap
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


_PROTOTYPES: dict[int, tuple[ParagraphStyle, ParaFrag]] = {}


def _prototype(style: ParagraphStyle) -> ParaFrag:
    """The single fragment the parser makes for a plain word in this style (computed once per style)."""
    cached = _PROTOTYPES.get(id(style))
    if cached is None or cached[0] is not style:
        _, frags, _ = ParaParser().parse("x", style)
        cached = _PROTOTYPES[id(style)] = (style, frags[0])
    return cached[1]


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain text, printed exactly as written (markup in it is not interpreted).

    Text without line breaks skips reportlab's markup parser: it becomes one fragment in the style's font,
    which is what the parser would make of it, at a fraction of the cost."""
    style = style or STYLES.body
    plain = "" if text is None else str(text)
    if "\n" in plain or "\r" in plain or not plain.strip():
        return Para(esc(plain), style)
    frag = _prototype(style).clone(text=" ".join(plain.split()), link=[], us_lines=[])
    return Para(esc(plain), style, frags=[frag])


def table_heading(text: object, room: float = 45 * mm) -> list[Flowable]:
    """A small heading over a table that may split: it starts a new page only when less than `room` is left,
    instead of dragging the whole table to the next page as keep-with-next would."""
    heading = para(text, STYLES.h3)
    heading.keepWithNext = 0
    return [CondPageBreak(room), heading]


def markup(xml: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of markup built by this package; every interpolated value must already be escaped."""
    return Para(xml, style or STYLES.body)


class CellText(str):
    """Plain text for a table cell: drawn as is (no markup, so nothing to escape) and wrapped by grid_table.

    Plain cells cost far less than Paragraphs; use them for numbers, labels and other short text."""

    bold: bool = False
    colour: colors.Color | None = None


def bold(text: object) -> CellText:
    cell = CellText(text)
    cell.bold = True
    return cell


def muted(text: object) -> CellText:
    cell = CellText(text)
    cell.colour = MUTED
    return cell


@lru_cache(maxsize=8192)
def wrap_plain(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Greedy word wrap by measured width, each word measured once; words wider than a line are cut."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for raw in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in raw.split():
            w = stringWidth(word, font, size)
            while w > width and len(word) > 1:  # a word wider than a line: cut off what fits
                lo, hi = 1, len(word) - 1
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if stringWidth(word[:mid], font, size) <= width:
                        lo = mid
                    else:
                        hi = mid - 1
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                lines.append(word[:lo])
                word = word[lo:]
                w = stringWidth(word, font, size)
            if current and used + space + w > width:
                lines.append(" ".join(current))
                current, used = [word], w
            else:
                used = used + space + w if current else w
                current.append(word)
        lines.append(" ".join(current))
    return tuple(lines)


Run = tuple[str, str, float, colors.Color]


class TextBlock(Flowable):
    """Plain text in one or more runs, each with its own font, size and colour, wrapped to the available width.

    A light stand-in for a Paragraph in table cells: no markup is parsed (so user text needs no escaping and
    prints exactly as written) and the layout is computed once per width.
    """

    LEADING = 1.27

    def __init__(self, *runs: Run) -> None:
        super().__init__()
        self.runs = [r for r in runs if r[0]]
        self._at: float | None = None
        self._lines: list[tuple[str, str, float, colors.Color]] = []
        self._height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._at != availWidth:
            self._lines = [
                (line, font, size, colour)
                for text, font, size, colour in self.runs
                for line in wrap_plain(text, font, size, availWidth)
            ]
            self._height = sum(size * self.LEADING for _, _, size, _ in self._lines)
            self._at = availWidth
        return availWidth, self._height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw at (x, y) directly, without the save/translate/restore a Flowable normally wraps itself in.

        Text blocks only live in table cells, and a Table restores the graphics state after its cells."""
        self.canv = canvas
        self._origin = (x, y)
        self.draw()
        del self.canv

    def draw(self) -> None:
        # One text object for all the lines: far cheaper than a drawString (and its own text object) per line.
        x0, y0 = getattr(self, "_origin", (0.0, 0.0))
        text = self.canv.beginText(x0, y0)
        style: tuple[str, float, colors.Color] | None = None
        y = self._height
        baseline = 0.0
        for line, font, size, colour in self._lines:
            y -= size * self.LEADING
            if not line:
                continue
            if style != (font, size, colour):
                text.setFont(font, size)
                text.setFillColor(colour)
                style = (font, size, colour)
            text.moveCursor(0, baseline - (y + size * 0.3))  # relative to the previous line; down is positive
            baseline = y + size * 0.3
            text.textOut(line)
        self.canv.drawText(text)


def run(text: object, strong: bool = False, size: float = 8.2, colour: colors.Color = INK) -> Run:
    """One run of a TextBlock: text, font, size, colour."""
    return (str(text), BOLD if strong else REGULAR, size, colour)


class FastTable(Table):
    """A Table that draws each plain-text cell as one text object instead of one drawString per line, and sets
    the font and colour only when they change from the previous plain cell."""

    _text_state: object | None = None  # the fill colour last set by a plain cell

    def draw(self) -> None:
        self._text_state = None  # backgrounds are drawn first: the fill colour is unknown
        super().draw()

    def _drawCell(self, cellval: object, cellstyle: Any, pos: tuple[float, float], size: tuple[float, float]) -> None:
        if (
            not isinstance(cellval, str)
            or cellstyle.alignment != "LEFT"
            or cellstyle.valign != "TOP"
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.href
            or cellstyle.destination
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            self._text_state = None
            return
        if not cellval:
            return
        colpos, rowpos = pos
        top = rowpos + size[1] - cellstyle.topPadding - cellstyle.fontsize
        text = self.canv.beginText(colpos + cellstyle.leftPadding, top)
        # For TrueType fonts setFont only records the font; the text object emits Tf when it writes text.
        text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
        if self._text_state is None or cellstyle.color != self._text_state:
            text.setFillColor(cellstyle.color)
        self._text_state = cellstyle.color
        text.textLines(cellval, trim=0)
        self.canv.drawText(text)
        self._curcellstyle = None  # the canvas object does not know what the text objects set


CELL_SIZE = 8.2
CELL_LEADING = 10.4
CELL_PAD = 4


def grid_table(
    rows: list[list[object]],
    col_widths: list[float],
    header_rows: int = 1,
    extra: list[tuple[object, ...]] | None = None,
    zebra: bool = True,
) -> Table:
    """A table with a dark header row that repeats across pages, thin rules and optional zebra shading.

    String cells are wrapped here to their column width (bold in the header row, or when made with `bold()`);
    other cells (Paragraphs, drawings) are left as they are.
    """
    cmds: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), PRIMARY),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
        ]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, SHADE]))
    data: list[list[object]] = []
    for r, row in enumerate(rows):
        out: list[object] = []
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                is_bold = r < header_rows or getattr(cell, "bold", False)
                font = BOLD if is_bold else REGULAR
                width = col_widths[c] - 2 * CELL_PAD
                out.append("\n".join(wrap_plain(str(cell), font, CELL_SIZE, width)) if cell else "")
                if getattr(cell, "bold", False):
                    cmds.append(("FONTNAME", (c, r), (c, r), BOLD))
                colour = getattr(cell, "colour", None)
                if colour is not None:
                    cmds.append(("TEXTCOLOR", (c, r), (c, r), colour))
            else:
                out.append(cell)
        data.append(out)
    cmds += extra or []
    table = FastTable(data, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
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
