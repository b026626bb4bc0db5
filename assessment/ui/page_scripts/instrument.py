"""Instrument quality: how well each dimension's items hang together in the answers submitted so far.

Everyone sees the per-dimension summary (the figures the results page reads out). The statements' figures, the
structure check and the downloads (the validation-study file holds item-level answers) are for the question
bank's maintainers: behind the organiser sign-in, and off while none is configured (`assessment.organisers`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.instrument.models import DimensionQuality, InstrumentReport, Interval
from assessment.instrument.present import STATUS_LABELS
from assessment.instrument.thresholds import (
    ACCEPTABLE_ALPHA,
    ALPHA_GAIN_MARGIN,
    DONT_KNOW_SHARE,
    MIN_ITEM_TOTAL_R,
    MIN_RESPONDENTS,
    NO_VARIANCE_SHARE,
)
from assessment.store import database_url, get_store
from assessment.ui.instrument_data import instrument_report, structure
from assessment.ui.organiser_gate import sign_in
from assessment.ui.widgets import esc, guarded

STATUS_ICONS = {
    "acceptable": ":material/check_circle:",
    "below_acceptable": ":material/warning:",
    "not_enough_data": ":material/hourglass_empty:",
}
INTRO = (
    "How well the statements of each dimension agree with one another in the answers people have submitted in "
    "this tool's workshops. Use it to find statements to reword, and to see how far each score can be trusted."
)
MEANING = f"""
- **Alpha** (Cronbach's) and **omega** (McDonald's) estimate how much of the spread in a dimension's score is
  shared by its statements rather than noise, from 0 to 1. {ACCEPTABLE_ALPHA:.2f} or more is the usual bar for
  comparing groups; omega allows statements to differ in how strongly they reflect the dimension.
- A dimension shows figures once **{MIN_RESPONDENTS} respondents** have rated all of its statements; below that the
  95 % interval is too wide to tell a good dimension from a poor one.
- **Item-total r** is how closely a statement follows the rest of its dimension (below {MIN_ITEM_TOTAL_R:.2f} it
  probably measures something else; below 0 it runs the other way, often a reverse-scoring mistake).
  **Alpha if dropped** above alpha (by more than {ALPHA_GAIN_MARGIN:.2f}) means the statement lowers reliability.
- A statement is also flagged when {NO_VARIANCE_SHARE:.0%} or more give it the same rating, or
  {DONT_KNOW_SHARE:.0%} or more answer "don't know".
- **Reliability is not validity.** These figures say whether the statements hang together, not whether a score
  predicts a successful innovation: no study has validated that yet.
"""


NOT_ESTIMATED = (
    "A dash (–) means not estimated yet: a dimension needs {n} respondents who rated all of its statements "
    "(and some spread in their ratings) before its alpha and omega are worked out."
)


def _interval(iv: Interval | None) -> str:
    return f"{iv.low:.2f} to {iv.high:.2f}" if iv else "–"


def _num(x: float | None) -> str:
    """A figure as text, so a missing one reads "–", never "None" or an empty cell."""
    return "–" if x is None else f"{x:.2f}"


def _share(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def _summary(report: InstrumentReport) -> None:
    rows = list(report.dimensions.values())
    st.dataframe(
        pd.DataFrame(
            {
                "Dimension": [q.label for q in rows],
                "Status": [STATUS_LABELS[q.status] for q in rows],
                "Respondents": [q.n for q in rows],
                "Alpha": [_num(q.alpha) for q in rows],
                "Alpha 95 %": [_interval(q.alpha_ci) for q in rows],
                "Omega": [_num(q.omega) for q in rows],
                "Omega 95 %": [_interval(q.omega_ci) for q in rows],
                "Flagged": [len(q.flagged_items) for q in rows],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Respondents": st.column_config.NumberColumn(help="Respondents who rated every statement of it"),
            "Flagged": st.column_config.NumberColumn(help="Statements flagged for revision"),
        },
        height="content",
        key="instrument_summary",
    )
    if any(q.alpha is None or q.omega is None for q in rows):
        st.caption(NOT_ESTIMATED.format(n=MIN_RESPONDENTS))


def _dimension(q: DimensionQuality) -> None:
    title = f"{STATUS_ICONS[q.status]} {esc(q.label)}: {esc(STATUS_LABELS[q.status].lower())}"
    with st.expander(title, expanded=bool(q.flagged_items)):
        st.markdown(esc(q.statement))
        if q.alpha is not None:
            st.caption(
                esc(
                    f"{q.n:,} respondents rated all {q.k} statements ({q.n_any:,} rated at least one). "
                    f"Alpha {q.alpha:.2f} (95 % {_interval(q.alpha_ci)}), omega "
                    + (f"{q.omega:.2f} (95 % {_interval(q.omega_ci)})." if q.omega is not None else "not estimable.")
                )
            )
        st.dataframe(
            pd.DataFrame(
                {
                    "Statement": [i.text for i in q.items],
                    "Reverse-worded": ["yes" if i.reverse else "" for i in q.items],
                    "Scored": ["yes" if i.scored else "no (step-two signal)" for i in q.items],
                    "Item-total r": [_num(i.item_total_r) for i in q.items],
                    "Alpha if dropped": [_num(i.alpha_if_dropped) for i in q.items],
                    "Don't know": [_share(i.dont_know_share) for i in q.items],
                    "Rated 1": [_share(i.floor_share) for i in q.items],
                    "Rated 5": [_share(i.ceiling_share) for i in q.items],
                    "Answers": [i.answered for i in q.items],
                }
            ),
            hide_index=True,
            width="stretch",
            height="content",
            column_config={
                "Rated 1": st.column_config.TextColumn(help="Floor: share of ratings at 1"),
                "Rated 5": st.column_config.TextColumn(help="Ceiling: share of ratings at 5"),
            },
            key=f"instrument_items_{q.dimension}",
        )
        for item in q.flagged_items:
            reasons = "".join(f"\n- {esc(f.reason)}" for f in item.flags)
            st.warning(f"**{esc(item.text)}**{reasons}", icon=":material/edit_note:")


def _structure(url: str, report: InstrumentReport) -> None:
    st.subheader("Structure check")
    st.markdown(
        "A confirmatory factor analysis asks whether each dimension behaves as one factor, with its statements "
        "belonging to it and to no other. It needs many more respondents than the reliability figures."
    )
    if not st.toggle("Run the structure check", key="instrument_run_cfa"):
        return
    check = structure(url)
    if check is None:
        return
    (st.info if check.status == "fitted" else st.warning)(esc(check.message))
    if check.indices:
        st.dataframe(
            pd.DataFrame(
                {
                    "Index": [i.name for i in check.indices],
                    "Value": [f"{i.value:g}" for i in check.indices],
                    "Reads as": [i.verdict for i in check.indices],
                    "What it means": [i.meaning for i in check.indices],
                }
            ),
            hide_index=True,
            width="stretch",
            key="instrument_fit",
        )


def _downloads(report: InstrumentReport) -> None:
    st.subheader("Downloads")
    with st.container(horizontal=True):
        st.download_button(
            "Download the figures (JSON)",
            data=report.model_dump_json(indent=2),
            file_name=f"instrument-quality-{report.bank_version}.json",
            mime="application/json",
            icon=":material/data_object:",
            key="instrument_json",
            on_click="ignore",
        )

        def export() -> str:
            from assessment.instrument.export import validation_csv

            return validation_csv(get_store())

        st.download_button(
            "Download the validation-study file (CSV)",
            data=export,
            file_name=f"validation-answers-{report.bank_version}.csv",
            mime="text/csv",
            icon=":material/table:",
            key="instrument_csv",
            on_click="ignore",
            help="Item-level answers from workshops whose facilitator allowed research use, with pseudonyms for "
            "respondents, workshops and departments; no names, comments or titles. Roles are kept.",
        )


def render() -> None:
    st.title("Instrument quality")
    st.markdown(INTRO)
    url = database_url()
    report = instrument_report(url)
    if report is None:
        st.info("No workshop has been run with this database yet, so there are no answers to check.")
        return
    for note in report.notes:
        st.caption(esc(note))
    with st.expander("What these figures mean, and what they do not"):
        st.markdown(MEANING)
    _summary(report)
    st.subheader("Dimensions and their statements")
    if not sign_in("instrument_page", "instrument"):
        st.caption(
            "Each statement's figures, the structure check and the downloads (the validation-study file holds "
            "item-level answers) are for the question bank's maintainers and need an organiser sign-in."
        )
        return
    for q in report.dimensions.values():
        _dimension(q)
    _structure(url, report)
    _downloads(report)


guarded(render)
