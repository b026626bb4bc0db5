"""The page layer: document template, running header and footer, page numbers, bookmarks and the contents.

Everything happens in a single layout pass. Page totals and the page numbers in the contents list are
PDF form XObjects that pages refer to by name; the forms are written once the last page is known, just before
the file is saved. That keeps the report as fast as a plain document of the same length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.paragraph import ParagraphStyle

from .. import __version__
from .fonts import BOLD, REGULAR, register_fonts
from .styles import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    INK,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PRIMARY,
    RULE,
    Para,
    esc,
)

TOTAL_FORM = "rpt_total_pages"


def page_form(key: str) -> str:
    return f"rpt_page_{key}"


class Heading(Para):
    """A heading that becomes a PDF bookmark (outline entry) and, at level 0, sets the running header."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int = 0) -> None:
        super().__init__(esc(text), style)
        self.plain = text
        self.key = key
        self.level = level


class ContentsList(Flowable):
    """The contents list on the cover: titles, dotted leaders and page numbers that are filled in later."""

    def __init__(self, entries: list[tuple[str, str]], width: float = FRAME_WIDTH) -> None:
        super().__init__()
        self.entries = entries
        self.width = width
        self.line = 17.0
        self.height = self.line * len(entries) + 22

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(BOLD, 11)
        c.setFillColor(PRIMARY)
        y = self.height - 12
        c.drawString(0, y, "Contents")
        y -= 20
        for key, title in self.entries:
            c.setFont(REGULAR, 9.5)
            c.setFillColor(INK)
            c.drawString(0, y, title)
            start = stringWidth(title, REGULAR, 9.5) + 6
            c.setFillColor(MUTED)
            dots = "." * max(0, int((self.width - 30 - start) / stringWidth(".", REGULAR, 9.5)))
            c.drawString(start, y, dots)
            c.saveState()
            c.translate(self.width, y)
            c.doForm(page_form(key))
            c.restoreState()
            c.linkRect("", key, (0, y - 3, self.width, y + 11), relative=1, thickness=0)
            y -= self.line


class ReportCanvas(Canvas):
    """A canvas that writes the page-number forms just before saving, when the page total is known."""

    def __init__(self, *args: Any, before_save: Callable[[Canvas], None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before_save = before_save

    def save(self) -> None:
        if self._code:  # close the last page first, as Canvas.save would
            self.showPage()
        if self._before_save is not None:
            self._before_save(self)
        super().save()


def _number_form(c: Canvas, name: str, text: str, size: float, right: bool = True, colour: Any = INK) -> None:
    """A tiny form holding one number, drawn right- or left-aligned at the form's origin."""
    c.beginForm(name, lowerx=-200, lowery=-20, upperx=200, uppery=40)
    c.setFont(REGULAR, size)
    c.setFillColor(colour)
    if right:
        c.drawRightString(0, 0, text)
    else:
        c.drawString(0, 0, text)
    c.endForm()


class ReportDocument(BaseDocTemplate):
    def __init__(self, filename: Any, header_left: str, footer_left: str, **kw: Any) -> None:
        register_fonts()
        super().__init__(
            filename,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            initialFontName=REGULAR,
            initialFontSize=9.5,
            lang="en-GB",
            creator=f"Innovation-readiness self-assessment {__version__}",
            **kw,
        )
        self.header_left = header_left
        self.footer_left = footer_left
        self.section = ""
        self.section_pages: dict[str, int] = {}
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPageEnd=self._cover_decor),
                PageTemplate(id="body", frames=[frame], onPageEnd=self._page_decor),
            ]
        )

    # ----- bookmarks and the running header -----
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            c = self.canv
            c.bookmarkPage(flowable.key, fit="XYZ", top=c._pagesize[1])
            c.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level, closed=flowable.level > 0)
            self.section_pages.setdefault(flowable.key, self.page)
            if flowable.level == 0:
                self.section = flowable.plain

    def _footer(self, c: Canvas) -> None:
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 8
        c.line(MARGIN_LEFT, y, PAGE_WIDTH - MARGIN_RIGHT, y)
        c.setFont(REGULAR, 7.5)
        c.setFillColor(MUTED)
        c.drawString(MARGIN_LEFT, y - 11, _fit(self.footer_left, REGULAR, 7.5, FRAME_WIDTH - 90))
        right = PAGE_WIDTH - MARGIN_RIGHT
        label = f"Page {self.page} of "
        x = right - stringWidth(label + "99", REGULAR, 7.5)
        c.drawString(x, y - 11, label)
        c.translate(x + stringWidth(label, REGULAR, 7.5), y - 11)
        c.doForm(TOTAL_FORM)
        c.restoreState()

    def _cover_decor(self, c: Canvas, doc: BaseDocTemplate) -> None:
        self._footer(c)

    def _page_decor(self, c: Canvas, doc: BaseDocTemplate) -> None:
        c.saveState()
        y = PAGE_HEIGHT - MARGIN_TOP + 10
        c.setFont(REGULAR, 7.5)
        c.setFillColor(MUTED)
        half = FRAME_WIDTH / 2 - 8
        c.drawString(MARGIN_LEFT, y, _fit(self.header_left, REGULAR, 7.5, half))
        c.setFont(BOLD, 7.5)
        c.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, y, _fit(self.section, BOLD, 7.5, half))
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(MARGIN_LEFT, y - 4, PAGE_WIDTH - MARGIN_RIGHT, y - 4)
        c.restoreState()
        self._footer(c)

    def write_forms(self, c: Canvas, keys: list[str]) -> None:
        """Called by the canvas before saving: the page total and each section's first page."""
        total = self.page
        _number_form(c, TOTAL_FORM, str(total), 7.5, right=False, colour=MUTED)
        for key in keys:
            page = self.section_pages.get(key)
            _number_form(c, page_form(key), str(page) if page else "–", 9.5)

    def render(self, story: list[Flowable], keys: list[str]) -> None:
        def canvasmaker(*args: Any, **kwargs: Any) -> ReportCanvas:
            return ReportCanvas(*args, before_save=lambda c: self.write_forms(c, keys), **kwargs)

        self.build([NextPageTemplate("body"), *story], canvasmaker=canvasmaker)


@contextmanager
def production_settings() -> Iterator[None]:
    """Two reportlab settings for the length of one report, restored afterwards.

    - Compressed streams are written as binary rather than ASCII85 text. ASCII85 (reportlab's default) keeps
      a PDF 7-bit clean, which no modern transport needs; in pure Python it took a fifth of the build time.
    - Attribute checking on chart shapes is off. It validates every attribute set on every shape while the
      charts are built and drawn, a third of the charts' cost; the tests build the charts with it on.

    Both settings are global in reportlab; a build running at the same moment in another thread may see them
    too, which changes nothing in its output but its stream encoding.
    """
    previous = rl_config.useA85, rl_config.shapeChecking
    rl_config.useA85, rl_config.shapeChecking = 0, 0
    try:
        yield
    finally:
        rl_config.useA85, rl_config.shapeChecking = previous


@lru_cache(maxsize=256)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so that it fits the given width on one line (binary search, cached)."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


__all__ = ["ContentsList", "Heading", "ReportCanvas", "ReportDocument", "colors"]
