"""Plotly figures of the workshop dashboard, drawn from `WorkshopSummary` with the one PALETTE.

Only bank labels, role labels and numbers go into a figure (never participants' text), so nothing here needs
escaping. Like `figures`, every series differs in lightness and marker shape, so the charts read in greyscale.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from ..bank import QuestionBank
from ..chart_data import PALETTE
from ..plain import score_cell
from ..vocabulary import DIMENSION_IDS, SCORE_MAX, SCORE_MIN
from ..workshop import AGREEMENT_LABELS, AGREEMENT_SHORT, WorkshopSummary, group_label
from .figures import FONT, GRID

# Pale to the primary blue: the lowest score (1.0) is tinted, so only an empty cell (no answers) is white.
HEAT_SCALE = [[0.0, "#D6E2F0"], [0.5, "#7FA6D1"], [1.0, PALETTE["primary"]]]
AGREEMENT_X = SCORE_MAX + 0.25  # where the agreement column starts, right of the 1-5 axis


def dimension_label(bank: QuestionBank, dim_id: str) -> str:
    d = bank.dimension_by_id[dim_id]
    return f"{d.short_label} (higher = worse)" if d.higher_is == "worse" else d.short_label


def _num(x: float | None) -> float:
    return math.nan if x is None else float(x)


def spread_figure(summary: WorkshopSummary, bank: QuestionBank, *, height: int = 620) -> go.Figure:
    """Each dimension's group score (mean) with ± 1 SD error bars, the agreed score where one was recorded, and
    the r_wg agreement band written at the right. No lowest or highest score: each is one person's."""
    dims = [summary.dimensions[d] for d in DIMENSION_IDS]
    labels = [dimension_label(bank, d.dimension) for d in dims]
    means = [_num(d.mean) for d in dims]
    # mean ± SD, drawn within the 1-5 scale (with three people the SD can reach past the ends; the hover has it)
    sd_hi = [0.0 if d.sd is None or d.mean is None else min(d.sd, SCORE_MAX - d.mean) for d in dims]
    sd_lo = [0.0 if d.sd is None or d.mean is None else min(d.sd, d.mean - SCORE_MIN) for d in dims]
    hover = [
        f"{d.label}<br>group score {score_cell(d.mean)}"
        f" ± {'–' if d.sd is None else f'{d.sd:.2f}'} (SD), n = {d.n}"
        f"<br>r_wg {'–' if d.rwg is None else f'{d.rwg:.2f}'}: {AGREEMENT_LABELS[d.agreement].lower()}"
        + ("" if d.sufficient else "<br>insufficient evidence")
        for d in dims
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=means, y=labels, mode="markers", name="Group score (mean ± 1 SD)",
            marker=dict(
                size=12, color=[PALETTE["primary"] if d.sufficient else "white" for d in dims],
                symbol="circle", line=dict(color=PALETTE["primary"], width=2),
            ),
            error_x=dict(type="data", symmetric=False, array=sd_hi, arrayminus=sd_lo, color=PALETTE["primary"],
                         thickness=2.5, width=7),
            text=hover, hovertemplate="%{text}<extra></extra>",
        )
    )  # fmt: skip
    agreed = [d for d in dims if d.consensus is not None]
    if agreed:
        fig.add_trace(
            go.Scatter(
                x=[d.consensus for d in agreed], y=[labels[dims.index(d)] for d in agreed], mode="markers",
                name="Agreed score", marker=dict(size=14, symbol="diamond", color=PALETTE["secondary"],
                                                 line=dict(color="#1F2933", width=1)),
                customdata=[score_cell(d.consensus) for d in agreed],
                hovertemplate="agreed score %{customdata}<extra></extra>",
            )
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=[AGREEMENT_X] * len(dims), y=labels, mode="text", showlegend=False, textposition="middle right",
            text=[f"{'–' if d.rwg is None else f'{d.rwg:.2f}'} {AGREEMENT_SHORT[d.agreement]}" for d in dims],
            textfont=dict(size=12, color="#52606D"), hoverinfo="skip",
        )
    )  # fmt: skip
    fig.update_layout(
        font=FONT, height=height, paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=10, r=10, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font=dict(size=13)),
        xaxis=dict(range=[SCORE_MIN - 0.3, SCORE_MAX + 1.75], tickvals=[1, 2, 3, 4, 5], gridcolor=GRID,
                   zeroline=False, title="Score (1-5); right: agreement r_wg (0-1) and its band"),
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=13)),
        hoverlabel=dict(font=dict(size=13)),
    )  # fmt: skip
    fig.add_vline(x=SCORE_MAX + 0.15, line=dict(color=GRID, width=1))
    return fig


def role_heatmap(summary: WorkshopSummary, bank: QuestionBank, *, height: int | None = None) -> go.Figure:
    """Role groups (rows) x dimensions (columns): each shown group's mean score, written in the cell (roles with
    fewer than the anonymity threshold are one merged row; a cell from fewer people stays empty)."""
    roles = [g.role for g in summary.role_groups]
    z: list[list[float]] = []
    text: list[list[str]] = []
    for role in roles:
        row, row_text = [], []
        for d in DIMENSION_IDS:
            g = summary.dimensions[d].by_role.get(role)
            mean = None if g is None or not g.n else g.mean
            row.append(_num(mean))
            row_text.append(score_cell(mean, ""))
        z.append(row)
        text.append(row_text)
    y = [f"{group_label(g.role)} (n = {g.respondents})" for g in summary.role_groups]
    x = [dimension_label(bank, d) for d in DIMENSION_IDS]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=x, y=y, text=text, texttemplate="%{text}", textfont=dict(size=13),
            zmin=SCORE_MIN, zmax=SCORE_MAX, colorscale=HEAT_SCALE, xgap=2, ygap=2,
            colorbar=dict(title=dict(text="Mean"), tickvals=[1, 2, 3, 4, 5], thickness=12),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>", hoverongaps=False,
        )
    )  # fmt: skip
    fig.update_layout(
        font=FONT, height=height or max(260, 150 + 44 * len(roles)), paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=10, r=10, t=20, b=10),
        xaxis=dict(side="bottom", tickangle=-40, automargin=True, tickfont=dict(size=12)),
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=13)),
    )  # fmt: skip
    return fig
