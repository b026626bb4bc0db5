"""Board view: one 16:9 screen to screenshot for a board paper. Title, date, who and what, the
recommendation, the ingredients radar and at most three key messages.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from assessment.bank import default_bank
from assessment.chart_data import key_messages, radar_data
from assessment.engine import assess
from assessment.ui import routes, state
from assessment.ui.figures import radar_figure
from assessment.ui.sections import overall_progress
from assessment.ui.widgets import chart_name, esc, guarded, recommendation_card, show_chart, who_and_what
from assessment.vocabulary import STAGE_LABELS

TITLE = "Innovation readiness: board summary"
MAX_MESSAGES = 3


def render() -> None:
    bank = default_bank()
    progress = overall_progress(bank, state.mode(), state.answers(), state.plan())  # type: ignore[arg-type]
    st.title(TITLE)
    if progress.done == 0:
        st.info("Answer the questionnaire first; the board summary is drawn from your answers.", icon=":material/info:")
        st.page_link(routes.QUESTIONNAIRE, label="Go to the questionnaire", icon=":material/checklist:")
        return
    result = assess(state.current_answer_set(bank), bank)
    stage = STAGE_LABELS.get(result.readiness.stage, result.readiness.stage)
    kind = "quick scan" if result.mode == "quick" else "full assessment"
    st.markdown(
        f"**{who_and_what(result)}**  \n"
        f":small[{date.today():%d %B %Y} · {esc(stage)} stage · {kind}"
        + ("" if progress.complete else f" · {progress.done} of {progress.total} questions answered")
        + "]"
    )
    st.sidebar.caption(
        "For a clean 16:9 screenshot, collapse this sidebar and use a browser window of about 1600 × 900."
    )
    left, right = st.columns([5, 6], gap="large", vertical_alignment="top")
    with left:
        recommendation_card(result, compact=True)
        st.markdown("#### Key messages")
        messages = key_messages(result, limit=MAX_MESSAGES)[:MAX_MESSAGES]
        st.markdown("\n".join(f"{n}. {esc(m)}" for n, m in enumerate(messages, start=1)))
    with right:
        short = {d.id: d.short_label for d in bank.dimensions}
        st.markdown("**The eight ingredients of innovation success (scores 1-5)**", text_alignment="center")
        show_chart(
            radar_figure(radar_data(result, short), height=500),
            key="board_radar",
            filename=chart_name(result, "board-radar"),
        )
        st.caption(esc(result.recommendation.disclaimer))


guarded(render)
