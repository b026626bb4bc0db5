"""The app's pages. Paths are relative to app.py (st.Page, st.switch_page and AppTest all resolve them so)."""

from __future__ import annotations

import streamlit as st

START = "assessment/ui/pages/start.py"
QUESTIONNAIRE = "assessment/ui/pages/questionnaire.py"
RESULTS = "assessment/ui/pages/results.py"
BOARD = "assessment/ui/pages/board.py"
COMPARE = "assessment/ui/pages/compare.py"


def pages() -> list[st.Page]:
    return [
        st.Page(START, title="Start", icon=":material/home:", default=True),
        st.Page(QUESTIONNAIRE, title="Questionnaire", icon=":material/checklist:"),
        st.Page(RESULTS, title="Results", icon=":material/insights:"),
        st.Page(BOARD, title="Board view", icon=":material/co_present:"),
        st.Page(COMPARE, title="Compare", icon=":material/compare_arrows:"),
    ]
