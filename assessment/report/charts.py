"""Vector charts for the report, drawn from `assessment.chart_data` and nothing else, so that the PDF shows
exactly the numbers the app's Plotly charts show.

Both charts read in greyscale: the radar separates scores (filled, solid line, markers) from stage weights
(dashed, no fill); the bars carry their value and status as text and weak bars are hatched.
"""

from __future__ import annotations

from math import cos, pi, sin

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..chart_data import PALETTE, BarData, RadarData
from ..vocabulary import GROUP_LABELS, SCORE_MAX, SCORE_MIN, STAGE_LABELS
from .fonts import BOLD, REGULAR, register_fonts
from .styles import INK, MUTED, RULE, STATUS_COLOURS, STATUS_SYMBOLS, status_text

PRIMARY = colors.HexColor(PALETTE["primary"])
WEIGHT = colors.HexColor(PALETTE["weight"])


class FixedScaleSpider(SpiderChart):
    """A SpiderChart whose radius always means SCORE_MAX, instead of the largest value in the data."""

    def normalizeData(self, outer: float = 0.0) -> list[list[float]]:
        self._norm = SCORE_MAX
        return [[max(0.0, min(e, SCORE_MAX)) / SCORE_MAX for e in row] for row in self.data]


def new_drawing(width: float, height: float) -> Drawing:
    """A Drawing whose initial font is DejaVu, so that not even an empty text block selects Helvetica."""
    register_fonts()
    d = Drawing(width, height)
    d.initialFontName = REGULAR
    d.initialFontSize = 8
    return d


def wrap_label(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap for chart labels (Drawing strings do not wrap by themselves)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


def radar_drawing(data: RadarData, width: float = 300, height: float = 262) -> Drawing:
    """Radar of the eight ingredient scores (1-5) with the stage weights, rescaled to the same axis, overlaid."""
    d = new_drawing(width, height)
    legend_h = 30
    label_w = 64
    size = min(width - 2 * label_w, height - legend_h - 44)
    cx, cy = width / 2, legend_h + (height - legend_h) / 2
    radius = size / 2
    n = len(data.dimensions)

    # Rings at each scale level, drawn underneath, with their values along the north spoke.
    for level in range(1, int(SCORE_MAX) + 1):
        r = radius * level / SCORE_MAX
        pts: list[float] = []
        for i in range(n):
            a = pi / 2 - 2 * pi * i / n
            pts += [cx + r * cos(a), cy + r * sin(a)]
        d.add(Polygon(pts, fillColor=None, strokeColor=RULE, strokeWidth=0.5))
        d.add(String(cx + 2.5, cy + r - 7, str(level), fontName=REGULAR, fontSize=6, fillColor=MUTED))

    sp = FixedScaleSpider()
    sp.x, sp.y = cx - radius, cy - radius
    sp.width = sp.height = 2 * radius
    sp.data = [data.plotted, data.weights_scaled]
    sp.labels = None  # the spoke labels are drawn below, wrapped
    sp.startAngle = 90
    sp.direction = "clockwise"
    sp.spokes.strokeColor = RULE
    sp.spokes.strokeWidth = 0.5
    sp.strands[0].fillColor = colors.Color(PRIMARY.red, PRIMARY.green, PRIMARY.blue, alpha=0.22)
    sp.strands[0].strokeColor = PRIMARY
    sp.strands[0].strokeWidth = 1.6
    sp.strands[1].fillColor = None
    sp.strands[1].strokeColor = WEIGHT
    sp.strands[1].strokeWidth = 1.2
    sp.strands[1].strokeDashArray = (3, 2)
    d.add(sp)

    # Score markers, hollow where the evidence is insufficient (drawn at the centre).
    for i, (score, plotted) in enumerate(zip(data.scores, data.plotted, strict=True)):
        a = pi / 2 - 2 * pi * i / n
        r = radius * plotted / SCORE_MAX
        if score is not None:
            d.add(Circle(cx + r * cos(a), cy + r * sin(a), 2.2, fillColor=PRIMARY, strokeColor=colors.white,
                         strokeWidth=0.5))

    # Spoke labels, wrapped, anchored away from the centre; a trailing '*' marks insufficient evidence.
    for i, label in enumerate(data.labels):
        a = pi / 2 - 2 * pi * i / n
        score = data.scores[i]
        text = label + (" *" if score is None else f" ({score:.1f})")
        lines = wrap_label(text, REGULAR, 7, label_w + 4)
        lx, ly = cx + (radius + 8) * cos(a), cy + (radius + 8) * sin(a)
        ca = cos(a)
        anchor = "middle" if abs(ca) < 0.3 else ("start" if ca > 0 else "end")
        block = 8.2 * len(lines)
        sa = sin(a)
        top = ly + (block if sa > 0.3 else block / 2 if sa > -0.3 else 0) - 6.5
        for k, line in enumerate(lines):
            d.add(String(lx, top - 8.2 * k, line, fontName=REGULAR, fontSize=7, fillColor=INK, textAnchor=anchor))

    # Legend.
    y = 12
    d.add(Rect(6, y, 14, 8, fillColor=sp.strands[0].fillColor, strokeColor=PRIMARY, strokeWidth=1.2))
    d.add(String(24, y + 1, "Your scores (1–5)", fontName=REGULAR, fontSize=7, fillColor=INK))
    x2 = 110
    d.add(Line(x2, y + 4, x2 + 16, y + 4, strokeColor=WEIGHT, strokeWidth=1.2, strokeDashArray=(3, 2)))
    stage = STAGE_LABELS.get(data.stage, data.stage).lower()
    d.add(String(x2 + 20, y + 1, f"Weight at the {stage} stage (heaviest = 5)", fontName=REGULAR, fontSize=7,
                 fillColor=INK))
    if data.insufficient:
        d.add(String(6, 1, "* Insufficient evidence: not scored, shown at the centre.", fontName=REGULAR,
                     fontSize=6.5, fillColor=MUTED))
    return d


def _hatch(x: float, y: float, w: float, h: float, step: float = 4.0) -> Group:
    """White diagonal lines clipped to a bar, so weak bars differ from strong ones in greyscale."""
    g = Group()
    k = -h
    while k < w:
        x0, y0 = x + max(k, 0), y + max(-k, 0)
        x1 = x + min(k + h, w)
        y1 = y + (x1 - x - k)
        if x1 > x0:
            g.add(Line(x0, y0, x1, y1, strokeColor=colors.white, strokeWidth=0.8))
        k += step
    return g


def conditions_drawing(data: BarData, width: float = 490) -> Drawing:
    """Horizontal bars (1-5) for the affordances and conditions, grouped, with value and status printed."""
    register_fonts()
    row_h, bar_h, head_h = 26.0, 12.0, 18.0
    label_w, text_w = 160.0, 110.0
    plot_x = label_w + 8
    plot_w = width - plot_x - text_w
    groups = list(dict.fromkeys(data.groups))
    height = 20 + len(data.dimensions) * row_h + len(groups) * head_h + 30
    d = new_drawing(width, height)

    def xpos(v: float) -> float:
        return plot_x + (v - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * plot_w

    y = height - 4
    for group in groups:
        y -= head_h
        d.add(String(0, y + 5, GROUP_LABELS.get(group, group), fontName=BOLD, fontSize=8.5, fillColor=INK))
        for i, dim in enumerate(data.dimensions):
            if data.groups[i] != group:
                continue
            y -= row_h
            worse = data.higher_is[i] == "worse"
            lines = wrap_label(data.labels[i], REGULAR, 7.8, label_w - 4)
            if worse:
                lines.append("(higher = worse)")
            ty = y + row_h / 2 - 2.8 + (len(lines) - 1) * 4.5
            for k, line in enumerate(lines):
                bold_note = worse and k == len(lines) - 1
                d.add(String(label_w, ty - 9 * k, line, fontName=BOLD if bold_note else REGULAR, fontSize=7.8,
                             fillColor=INK, textAnchor="end"))
            d.add(Rect(plot_x, y + (row_h - bar_h) / 2, plot_w, bar_h, fillColor=colors.HexColor("#F4F4F4"),
                       strokeColor=None))
            score, status = data.scores[i], data.statuses[i]
            by = y + (row_h - bar_h) / 2
            if score is not None:
                bw = max(xpos(score) - plot_x, 1.5)
                d.add(Rect(plot_x, by, bw, bar_h, fillColor=colors.HexColor(data.colors[i]), strokeColor=INK,
                           strokeWidth=0.4))
                if status == "weak":
                    d.add(_hatch(plot_x, by, bw, bar_h))
                value = f"{score:.1f}  {status_text(status)}"
            else:
                value = f"{STATUS_SYMBOLS['insufficient_evidence']} Insufficient evidence"
            d.add(String(plot_x + plot_w + 6, by + 3, value, fontName=REGULAR, fontSize=7.8, fillColor=INK))
            _ = dim
    # Axis: ticks, thresholds at 2.5 and 3.5 (the weak and strong cut points).
    top = height - 4 - head_h
    d.add(Line(plot_x, 22, plot_x + plot_w, 22, strokeColor=MUTED, strokeWidth=0.5))
    for v in range(int(SCORE_MIN), int(SCORE_MAX) + 1):
        d.add(Line(xpos(v), 19, xpos(v), 22, strokeColor=MUTED, strokeWidth=0.5))
        d.add(String(xpos(v), 10, str(v), fontName=REGULAR, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    for cut in (2.5, 3.5):
        d.add(Line(xpos(cut), 22, xpos(cut), top, strokeColor=MUTED, strokeWidth=0.5, strokeDashArray=(2, 2)))
    d.add(String(plot_x, 0, "Dashed lines: 2.5 and 3.5, the cut points between weak, developing and strong.",
                 fontName=REGULAR, fontSize=6.5, fillColor=MUTED))
    return d


def status_swatch_legend(width: float = 490) -> Drawing:
    """A one-line key to the status colours and symbols."""
    d = new_drawing(width, 14)
    x = 0.0
    for status, colour in STATUS_COLOURS.items():
        d.add(Rect(x, 2, 11, 9, fillColor=colour, strokeColor=INK, strokeWidth=0.4))
        label = status_text(status)
        d.add(String(x + 15, 3.5, label, fontName=REGULAR, fontSize=7.5, fillColor=INK))
        x += 15 + stringWidth(label, REGULAR, 7.5) + 16
    return d
