"""The instrument-quality report as text: the CLI's text format, and the short lines for results and the PDF.

`dimension_lines` is the one source of the per-dimension sentence, so the page, the CLI, the results page and
the report's method section say the same thing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .models import DimensionQuality, InstrumentReport, Interval
from .thresholds import ACCEPTABLE_ALPHA, MIN_RESPONDENTS

STATUS_LABELS = {
    "not_enough_data": "Not enough data",
    "acceptable": "Acceptable",
    "below_acceptable": "Below acceptable",
}
METHOD_INTRO = (
    "How well each dimension's items agree with one another, from the answers people have submitted in this "
    "tool's own workshops (Cronbach's alpha; {acceptable:.2f} or more is the usual bar). This is reliability: "
    "whether the items measure one thing consistently. It is not validity: it does not show that the score "
    "predicts a successful innovation."
)
NO_FIGURES = (
    "No reliability figures are available yet. They are worked out from the answers submitted in this tool's "
    "workshops, once enough people have answered."
)


def dimension_lines(report: InstrumentReport) -> dict[str, str]:
    """Dimension id -> its one line, e.g. "Items agree well in 1,240 responses (alpha 0.81)."."""
    return {d: q.statement for d, q in report.dimensions.items()}


class LabelledLine(BaseModel):
    """One dimension's reliability line: its name and its sentence, kept apart so that each output sets them
    its own way (never joined into "Label: text" and split again)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    text: str


class MethodLines(BaseModel):
    """The report's method-section text on how well the items agree in use: an introduction, then one
    `LabelledLine` per dimension, or only `note` (`NO_FIGURES`) when there are no figures."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    intro: str
    lines: tuple[LabelledLine, ...] = ()
    note: str | None = None


def method_lines(report: InstrumentReport | None) -> MethodLines:
    """For the report's method section: the introduction and a (label, text) pair per dimension, or the plain
    `NO_FIGURES` note when there is no report (no database yet, or it could not be read)."""
    intro = METHOD_INTRO.format(acceptable=ACCEPTABLE_ALPHA)
    if report is None:
        return MethodLines(intro=intro, note=NO_FIGURES)
    return MethodLines(
        intro=intro, lines=tuple(LabelledLine(label=q.label, text=q.statement) for q in report.dimensions.values())
    )


def _ci(interval: Interval | None) -> str:
    return f"[{interval.low:.2f}, {interval.high:.2f}]" if interval else ""


def _num(x: float | None, fmt: str = ".2f") -> str:
    return "--" if x is None else format(x, fmt)


def _dimension_text(q: DimensionQuality) -> list[str]:
    lines = [
        f"{q.label} ({q.k} items): {STATUS_LABELS[q.status]}",
        f"  {q.statement}",
    ]
    if q.alpha is not None:
        lines.append(
            f"  n {q.n:,} complete of {q.n_any:,}; alpha {q.alpha:.2f} {_ci(q.alpha_ci)}; "
            f"omega {_num(q.omega)} {_ci(q.omega_ci)}"
        )
    lines.append(f"  {'item':<34} {'r(it)':>6} {'a-drop':>7} {'DK':>5} {'floor':>6} {'ceil':>5}")
    for i in q.items:
        name = i.item_id + (" (R)" if i.reverse else "") + ("" if i.scored else " (S)")
        lines.append(
            f"  {name:<34} {_num(i.item_total_r):>6} {_num(i.alpha_if_dropped):>7} "
            f"{_num(i.dont_know_share, '.0%'):>5} {_num(i.floor_share, '.0%'):>6} {_num(i.ceiling_share, '.0%'):>5}"
        )
        lines.extend(f"    ! {f.reason}" for f in i.flags)
    return lines


def report_text(report: InstrumentReport) -> str:
    lines = [f"Instrument quality, question bank {report.bank_version}", *report.notes, ""]
    lines.append(
        f"Minimum {MIN_RESPONDENTS} complete responses per dimension; acceptable at alpha >= {ACCEPTABLE_ALPHA:.2f}. "
        "(R) = reverse-worded, scored 6 - rating; (S) = step-two signal, asked but not scored, so outside the "
        "scale. r(it) = corrected item-total correlation; a-drop = alpha if the "
        'item is dropped; DK = share of "don\'t know"; floor/ceil = share of ratings at 1 / at 5.'
    )
    for q in report.dimensions.values():
        lines.append("")
        lines.extend(_dimension_text(q))
    if report.structure is not None:
        s = report.structure
        lines += ["", "Structure check (confirmatory factor analysis)", f"  {s.message}"]
        for ix in s.indices:
            lines.append(f"  {ix.name}: {ix.value:g} ({ix.verdict}). {ix.meaning}")
    lines += [
        "",
        "Reliability is not validity: these figures say whether items hang together, not whether scores predict "
        "a successful innovation.",
    ]
    return "\n".join(lines)
