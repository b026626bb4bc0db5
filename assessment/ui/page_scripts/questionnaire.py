"""Questionnaire: one section per dimension group plus the plan facts, each statement with its scale anchors."""

from __future__ import annotations

import streamlit as st

from assessment.bank import default_bank
from assessment.rules import load_rulebook
from assessment.rules.roles import not_sure_line
from assessment.ui import routes, state
from assessment.ui.questions import Flow, catch_up_section, plan_questions, section_buttons, section_picker, statements
from assessment.ui.sections import SECTION_IDS, all_progress
from assessment.ui.widgets import guarded, scroll_to_top

MODE_NOTE = {
    "quick": "Quick scan: the core statements only. You can switch to the full assessment on the Start page.",
    "full": "Full assessment: every statement in the bank.",
}
FLOW = Flow(state.item_key, state.comment_key, state.plan_key, state.on_item, state.on_comment, state.on_plan)


def _footer(section_id: str) -> None:
    with st.container(horizontal=True):
        section_buttons(section_id, go_to=state.go_to_section, prev_key="prev_section", next_key="next_section")
        last = section_id == SECTION_IDS[-1]
        if st.button(
            "See the results", key="to_results", type="primary" if last else "secondary", icon=":material/insights:"
        ):
            st.switch_page(routes.RESULTS)


def render() -> None:
    bank = default_bank()
    mode = state.mode()
    answers, plan = state.answers(), state.plan()
    innovation = state.innovation_title()
    scroll_to_top(state.take_scroll_request())  # on every run (see scroll_to_top)
    st.title("Questionnaire")
    st.caption(MODE_NOTE[mode])
    # before counting: answers whose callback Streamlit dropped (see questions._catch_up)
    catch_up_section(bank, mode, state.section(), answers, plan, FLOW)  # type: ignore[arg-type]
    progress = all_progress(bank, mode, answers, plan)  # type: ignore[arg-type]
    overall = progress["all"]
    st.progress(overall.fraction, text=f"Whole questionnaire: {overall.text()}")
    section = section_picker(progress, state.section(), key=state.SECTION_WIDGET, on_change=state.on_section)
    if section.id == "plan":
        plan_questions(innovation, state.plan(), FLOW)
        st.caption(not_sure_line(load_rulebook()))
    else:
        statements(bank, mode, section.id, innovation, state.answers(), FLOW)  # type: ignore[arg-type]
    st.divider()
    _footer(section.id)


guarded(render)
