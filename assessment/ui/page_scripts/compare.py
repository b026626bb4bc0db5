"""Compare: an earlier saved assessment beside the current one, the change per dimension and in the
recommendation, and the two radars overlaid.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.bank import QuestionBank, default_bank
from assessment.chart_data import radar_data
from assessment.engine import assess
from assessment.export import comparison_csv, comparison_frame, recommendation_change
from assessment.plain import score_cell
from assessment.ui import state
from assessment.ui.figures import compare_radar_figure
from assessment.ui.sections import overall_progress
from assessment.ui.widgets import chart_name, esc, guarded, show_chart
from assessment.vocabulary import long_date

UPLOADER = "upload_earlier"
DIRECTION_LABELS = {
    "better": "▲ better",
    "worse": "▼ worse",
    "no change": "= no change",
    "not comparable": "– not comparable",
}


def _on_earlier_upload(key: str, bank: QuestionBank) -> None:
    got = state.uploaded_bytes(key)
    if got is None:
        return
    problem = state.load_earlier(*got, bank)
    if problem:
        state.flash("error", f"Could not read the earlier assessment: {problem}")
    else:
        state.bump_uploads()


def _uploader(bank: QuestionBank) -> None:
    key = state.uploader_key(UPLOADER)
    st.file_uploader(
        "Earlier assessment (a saved answers .json file)",
        type=["json"],
        key=key,
        on_change=_on_earlier_upload,
        args=(key, bank),
    )


def _org(result: object) -> str:
    return str(result.context.get("organisation_name") or "").strip()  # type: ignore[attr-defined]


def _name(result: object) -> str:
    """'Organisation · innovation' for a result, or a plain placeholder."""
    ctx = result.context  # type: ignore[attr-defined]
    parts = [str(ctx.get("organisation_name") or "").strip(), str(ctx.get("innovation_title") or "").strip()]
    return " · ".join(p for p in parts if p) or "an unnamed assessment"


def _clear() -> None:
    st.session_state.pop(state.EARLIER, None)
    st.session_state.pop(state.EARLIER_NAME, None)


def render() -> None:
    bank = default_bank()
    st.title("Compare with an earlier assessment")
    st.markdown(
        "Load the answers file from an earlier assessment of the same innovation to see what has changed "
        "since then, dimension by dimension, and whether the recommendation has moved."
    )
    earlier_set = st.session_state.get(state.EARLIER)
    if earlier_set is None:
        _uploader(bank)
        return
    if overall_progress(bank, state.mode(), state.answers(), state.plan()).done == 0:  # type: ignore[arg-type]
        st.info("The current assessment has no answers yet: answer the questionnaire or resume from a file first.")
    current, earlier = assess(state.current_answer_set(bank), bank), assess(earlier_set, bank)
    saved = f" (saved {long_date(earlier_set.saved_at)})" if earlier_set.saved_at else ""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"Earlier: **{esc(st.session_state.get(state.EARLIER_NAME) or 'uploaded file')}**{esc(saved)}")
        st.button("Load a different file", key="clear_earlier", on_click=_clear, icon=":material/swap_horiz:")

    names = [_name(r) for r in (earlier, current)]
    st.markdown(f"Comparing **{esc(names[0])}** (earlier) with **{esc(names[1])}** (current).")
    different = bool(_org(current) and _org(earlier) and _org(current).casefold() != _org(earlier).casefold())
    if different:
        st.warning(
            esc(
                f"These are two different organisations ({_org(earlier)} and {_org(current)}). The comparison "
                "shows how they differ, not a change over time."
            ),
            icon=":material/warning:",
        )
    change = recommendation_change(current, earlier)
    text = esc(change.describe(same_organisation=not different))
    if different:
        st.info(text, icon=":material/compare_arrows:")
    else:
        (st.warning if change.moved else st.success)(text, icon=":material/compare_arrows:")

    left, right = st.columns([1, 1], gap="large")
    frame = comparison_frame(current, earlier)
    with left:
        st.markdown("**Change per dimension**")
        short = {d.id: d.short_label for d in bank.dimensions}
        table = pd.DataFrame(
            {
                "Dimension": [short.get(d, d) for d in frame["dimension"]],
                # text, as every score is printed (`plain.score_text`); a score with too few answers reads "–"
                "Earlier": [score_cell(None if pd.isna(v) else float(v)) for v in frame["earlier"]],
                "Current": [score_cell(None if pd.isna(v) else float(v)) for v in frame["current"]],
                "Change": frame["change"],
                "Direction": [DIRECTION_LABELS[d] for d in frame["direction"]],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height="content",
            column_config={
                "Change": st.column_config.NumberColumn(format="%+.2f"),
            },
        )
        st.caption(
            "Better or worse takes each dimension's direction into account: less professional resistance "
            "is better. Scores with insufficient evidence are not compared."
        )
        st.download_button(
            "Download the comparison (CSV)",
            data=lambda: comparison_csv(current, earlier),
            file_name=f"{chart_name(current, 'comparison')}.csv",
            mime="text/csv",
            icon=":material/table:",
            key="download_comparison",
            on_click="ignore",
        )
    with right:
        st.markdown("**The eight ingredients, earlier and now**")
        show_chart(
            compare_radar_figure(radar_data(current, short), radar_data(earlier, short)),
            key="compare_radar",
            filename=chart_name(current, "comparison-radar"),
        )


guarded(render)
