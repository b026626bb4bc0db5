"""The board view: one 16:9 screen to screenshot for a board paper. Title, a line of who, what and when, the
recommendation, the ingredients radar and at most three key messages. Drawn by the board page for a single
respondent and by the workshop dashboard for a group result.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ..bank import QuestionBank
from ..chart_data import key_messages, radar_data
from ..results import Result
from .figures import radar_figure
from .widgets import chart_name, esc, recommendation_card, show_chart, who_and_what

TITLE = "Innovation readiness: board summary"
MAX_MESSAGES = 3


def render_board(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str],
    notes: Sequence[str] = (),
    key: str = "board_radar",
    title: str = TITLE,
) -> None:
    """The board view of a result. `facts` are plain phrases for the line under the title (date, stage, kind),
    `notes` plain sentences shown under the key messages (e.g. that agreed scores were used); both escaped."""
    st.title(title)
    st.markdown(f"**{who_and_what(result)}**  \n:small[{esc(' · '.join(facts))}]")
    left, right = st.columns([5, 6], gap="large", vertical_alignment="top")
    with left:
        recommendation_card(result, compact=True)
        st.markdown("#### Key messages")
        messages = key_messages(result, limit=MAX_MESSAGES)[:MAX_MESSAGES]
        st.markdown("\n".join(f"{n}. {esc(m)}" for n, m in enumerate(messages, start=1)))
        for note in notes:
            st.caption(esc(note))
    with right:
        short = {d.id: d.short_label for d in bank.dimensions}
        st.markdown("**The eight ingredients of innovation success (scores 1-5)**", text_alignment="center")
        figure = radar_figure(radar_data(result, short), height=500)
        show_chart(figure, key=key, filename=chart_name(result, "board-radar"))
        st.caption(esc(result.recommendation.disclaimer))
