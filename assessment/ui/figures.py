"""Plotly figures built from assessment.chart_data, so the app and the PDF show the same numbers.

Every series differs in lightness and also in line dash or marker shape, so the charts read in greyscale.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ..chart_data import PALETTE, STATUS_LABELS, BarData, RadarData
from ..plain import score_text
from ..vocabulary import GROUP_LABELS, SCORE_MAX, STAGE_LABELS, STRONG_FROM, WEAK_BELOW

FONT_SIZE = 14
# Streamlit's own font
FONT = dict(family="Source Sans, DejaVu Sans, Arial, sans-serif", size=FONT_SIZE, color="#1F2933")
GRID = "#D5DBE1"
RADIAL_AXIS_ANGLE = 112.5  # between the first and last spokes, so the 1-5 ticks do not sit on a data point
STATUS_PATTERNS = {"strong": "", "developing": "/", "weak": "x", "insufficient_evidence": "."}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _closed(values: list) -> list:
    return [*values, values[0]] if values else values


def _wrap(label: str, width: int = 14) -> str:
    """Break a long axis label over two lines so it is not cut off at the edge of a radar. A "<br>" stays a line
    break, and only plain spaces break (a no-break space, as in a spoke's note, keeps its words together)."""
    lines: list[str] = []
    for part in label.split("<br>"):
        line = ""
        for w in part.split(" "):
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip(" ")
        lines.append(line)
    return "<br>".join(lines)


LEGEND_ROW_PX = 26  # one horizontal legend row at 13 px, with Plotly's padding
FOOTNOTE_PX = 34  # a 12 px footnote of two lines
SPOKE_LINE_PX = 17  # one line of a spoke's name at 14 px
SPOKE_LINES = 3  # a name wraps to at most two lines of 14 characters, and its weight may take a third
# Room each side for a spoke's name (up to 14 characters a line at 14 px, after the tick): 90 cut "support (13%)" off
# on a phone
SPOKE_LABEL_PX = 100


def _polar_layout(fig: go.Figure, height: int, note_lines: int = 0, footnote: str | None = None) -> None:
    """The circle leaves room above and below for the top and bottom spokes' names (`note_lines` more lines each),
    and the legend gets a row per entry (on a phone they wrap), with `footnote` (two lines at most, so that it fits
    a phone's width) under it: measured in pixels, so that nothing is cut off or overlaps at any size (the names ran
    into the legend and under the board's title, and the footnote over the legend)."""
    legend_px = LEGEND_ROW_PX * len(fig.data)
    if footnote is not None:
        fig.add_annotation(
            text=footnote, x=0.5, y=0, yanchor="top", yshift=-legend_px, xref="paper", yref="paper",
            showarrow=False, font=dict(size=12, color="#3E4C59"),
        )  # fmt: skip
    top, bottom = 10, 10 + legend_px + (FOOTNOTE_PX if footnote is not None else 0)
    label = (SPOKE_LINES + note_lines) * SPOKE_LINE_PX + 12
    room = min(0.45, label / max(height - top - bottom, 1))
    fig.update_layout(
        font=FONT,
        height=height,
        margin=dict(l=SPOKE_LABEL_PX, r=SPOKE_LABEL_PX, t=top, b=bottom),
        paper_bgcolor="white",
        showlegend=True,
        legend=dict(
            orientation="h", yanchor="top", y=0.0, xanchor="center", x=0.5, bgcolor="rgba(0,0,0,0)",
            font=dict(size=13),
        ),
        polar=dict(
            bgcolor="white",
            domain=dict(x=[0, 1], y=[room, 1 - room]),
            radialaxis=dict(
                range=[0, SCORE_MAX],
                tickvals=[1, 2, 3, 4, 5],
                gridcolor=GRID,
                linecolor=GRID,
                tickfont=dict(size=11, color="#52606D"),
                angle=RADIAL_AXIS_ANGLE,
                tickangle=RADIAL_AXIS_ANGLE,
            ),
            angularaxis=dict(direction="clockwise", rotation=90, gridcolor=GRID, linecolor="#9AA5B1"),
        ),
    )  # fmt: skip


def _score_trace(
    data: RadarData, name: str, colour: str, *, dash: str, symbol: str, fill_alpha: float
) -> go.Scatterpolar:
    symbols = ["x-thin-open" if s is None else symbol for s in data.scores]
    hover = [
        f"{lab}: {'insufficient evidence' if s is None else f'{score_text(s)} / 5'}"
        for lab, s in zip(data.labels, data.scores, strict=True)
    ]
    return go.Scatterpolar(
        r=_closed(data.plotted),
        theta=_closed([_wrap(x) for x in data.labels]),
        name=name,
        mode="lines+markers",
        fill="toself",
        fillcolor=_rgba(colour, fill_alpha),
        line=dict(color=colour, width=3, dash=dash),
        marker=dict(color=colour, size=9, symbol=_closed(symbols), line=dict(color=colour, width=2)),
        text=_closed(hover),
        hovertemplate="%{text}<extra>" + name + "</extra>",
    )


def radar_figure(
    data: RadarData, *, height: int = 460, show_weights: bool = True, spoke_notes: Sequence[str] = ()
) -> go.Figure:
    """The eight ingredients (1-5). The current stage's weights are printed beside each name rather than drawn
    as a second line, which read like a target to reach. `spoke_notes` (e.g. a group's agreement per ingredient)
    go on a second line under each name."""
    labels = list(data.labels)
    if show_weights:
        labels = [f"{lab} ({w:.0%})" for lab, w in zip(labels, data.weights, strict=True)]
    if spoke_notes:
        nobreak = [note.replace(" ", "\u00a0") for note in spoke_notes]
        labels = [f"{lab}<br><b>{note}</b>" for lab, note in zip(labels, nobreak, strict=True)]
    data = data.model_copy(update={"labels": labels})
    fig = go.Figure()
    fig.add_trace(_score_trace(data, "Score (1-5)", PALETTE["primary"], dash="solid", symbol="circle", fill_alpha=0.22))
    if data.insufficient:
        fig.add_trace(_insufficient_key(PALETTE["primary"]))
    stage = STAGE_LABELS.get(data.stage, data.stage).lower()
    weights_note = f"In brackets: how much each ingredient<br>counts at the {stage} stage" if show_weights else None
    _polar_layout(fig, height, note_lines=1 if spoke_notes else 0, footnote=weights_note)
    return fig


def _insufficient_key(colour: str) -> go.Scatterpolar:
    """A legend entry only: the cross drawn at the centre for a score with insufficient evidence."""
    return go.Scatterpolar(
        r=[None], theta=[None], mode="markers", name="Insufficient evidence (at centre)",
        marker=dict(color=colour, size=9, symbol="x-thin-open", line=dict(color=colour, width=2)),
        hoverinfo="skip",
    )  # fmt: skip


def compare_radar_figure(current: RadarData, earlier: RadarData, *, height: int = 480) -> go.Figure:
    """Two assessments overlaid: current solid (primary colour), earlier dashed (secondary colour)."""
    fig = go.Figure()
    fig.add_trace(_score_trace(current, "Current", PALETTE["primary"], dash="solid", symbol="circle", fill_alpha=0.20))
    fig.add_trace(
        _score_trace(earlier, "Earlier", PALETTE["secondary"], dash="dash", symbol="square-open", fill_alpha=0.10)
    )
    if current.insufficient or earlier.insufficient:
        fig.add_trace(_insufficient_key("#52606D"))
    _polar_layout(fig, height)
    return fig


def conditions_bar_figure(data: BarData, *, height: int = 420) -> go.Figure:
    """Affordances and conditions as horizontal bars coloured (and patterned) by status."""
    labels = [
        f"{lab} (higher = worse)" if hi == "worse" else lab for lab, hi in zip(data.labels, data.higher_is, strict=True)
    ]
    groups = [GROUP_LABELS.get(g, g).split(" ")[-1].capitalize() for g in data.groups]
    x = [s if s is not None else 0.0 for s in data.scores]
    text = [
        f"{score_text(s)} · {STATUS_LABELS.get(st, st).lower()}" if s is not None else "insufficient evidence"
        for s, st in zip(data.scores, data.statuses, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[groups[::-1], labels[::-1]],
            x=x[::-1],
            marker=dict(
                color=data.colors[::-1],
                line=dict(color="#1F2933", width=1),
                pattern=dict(shape=[STATUS_PATTERNS.get(s, "") for s in data.statuses][::-1], fgcolor="white", size=7),
            ),
            text=text[::-1],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    for cut in (WEAK_BELOW, STRONG_FROM):
        fig.add_vline(x=cut, line=dict(color="#52606D", width=1, dash="dot"))
    fig.update_layout(
        font=FONT,
        height=height,
        # room on the right for the longest score text drawn past its bar (about 0.55 em a character), so that
        # it stays inside the figure, and inside a PNG downloaded from it, at any width
        margin=dict(l=10, r=int(12 + 0.55 * FONT_SIZE * max(map(len, text), default=0)), t=20, b=50),
        paper_bgcolor="white",
        plot_bgcolor="white",
        bargap=0.35,
        xaxis=dict(
            range=[0, SCORE_MAX + 0.2],
            tickvals=[1, 2, 3, 4, 5],
            gridcolor=GRID,
            title="Score (1-5) · dotted: status cut points",
            zeroline=False,
        ),
        yaxis=dict(automargin=True, tickfont=dict(size=13)),
    )
    return fig
