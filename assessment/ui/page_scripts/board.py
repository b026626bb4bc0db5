"""Board view: one 16:9 screen to screenshot for a board paper (see `assessment.ui.board`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from assessment.bank import default_bank
from assessment.engine import assess
from assessment.ui import routes, state
from assessment.ui.board import TITLE, render_board
from assessment.ui.sections import overall_progress
from assessment.ui.widgets import guarded
from assessment.vocabulary import STAGE_LABELS, long_date


def render() -> None:
    bank = default_bank()
    progress = overall_progress(bank, state.mode(), state.answers(), state.plan())  # type: ignore[arg-type]
    if progress.done == 0:
        st.title(TITLE)
        st.info("Answer the questionnaire first; the board summary is drawn from your answers.", icon=":material/info:")
        st.page_link(routes.QUESTIONNAIRE, label="Go to the questionnaire", icon=":material/checklist:")
        return
    result = assess(state.current_answer_set(bank), bank)
    stage = STAGE_LABELS.get(result.readiness.stage, result.readiness.stage)
    kind = "quick scan" if result.mode == "quick" else "full assessment"
    facts = [long_date(date.today()), f"{stage} stage", kind]
    if not progress.complete:
        facts.append(f"{progress.done} of {progress.total} questions answered")
    st.sidebar.caption(
        "For a clean 16:9 screenshot, collapse this sidebar and use a browser window of about 1600 × 900."
    )
    render_board(result, bank, facts=facts)


guarded(render)
