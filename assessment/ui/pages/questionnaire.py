"""Questionnaire: one section per dimension group plus the plan facts, each statement with its scale anchors."""

from __future__ import annotations

import streamlit as st

from assessment.bank import Item, QuestionBank, default_bank
from assessment.ui import routes, state
from assessment.ui.questions import catch_up, catch_up_plan, plan_question, statement
from assessment.ui.sections import (
    PLAN_FACTS,
    SECTION_BY_ID,
    SECTION_IDS,
    Progress,
    all_progress,
    items_by_dimension,
    section_items,
)
from assessment.ui.widgets import guarded, scroll_to_top

MODE_NOTE = {
    "quick": "Quick scan: the core statements only. You can switch to the full assessment on the Start page.",
    "full": "Full assessment: every statement in the bank.",
}


def _item(bank: QuestionBank, item: Item, number: int, innovation: str) -> None:
    entry = state.answers().get(item.id) or {}
    statement(
        bank,
        item,
        number,
        innovation,
        value=entry.get("value"),
        comment=entry.get("comment") or "",
        key=state.item_key(item.id),
        comment_key=state.comment_key(item.id),
        on_value=state.on_item,
        on_comment=state.on_comment,
    )


def _plan_facts(innovation: str) -> None:
    for number, fact in enumerate(PLAN_FACTS, start=1):
        plan_question(
            fact,
            number,
            innovation,
            value=state.plan().get(fact.field),
            key=state.plan_key(fact.field),
            on_change=state.on_plan,
        )
    st.caption("If you answer 'Not sure', the rules read it as 'No', and the results say so.")


def _footer(section_id: str) -> None:
    i = SECTION_IDS.index(section_id)
    with st.container(horizontal=True):
        if i > 0:
            st.button(
                "Previous section",
                key="prev_section",
                icon=":material/arrow_back:",
                on_click=state.go_to_section,
                args=(SECTION_IDS[i - 1],),
            )
        if i < len(SECTION_IDS) - 1:
            st.button(
                "Next section",
                key="next_section",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=state.go_to_section,
                args=(SECTION_IDS[i + 1],),
            )
        last = i == len(SECTION_IDS) - 1
        if st.button(
            "See the results", key="to_results", type="primary" if last else "secondary", icon=":material/insights:"
        ):
            st.switch_page(routes.RESULTS)


def _sections_summary(progress: dict[str, Progress]) -> str:
    return " · ".join(f"{SECTION_BY_ID[sid].short} {progress[sid].done}/{progress[sid].total}" for sid in SECTION_IDS)


def render() -> None:
    bank = default_bank()
    mode = state.mode()
    answers, plan = state.answers(), state.plan()
    innovation = state.innovation_title()
    if state.take_scroll_request():
        scroll_to_top()
    st.title("Questionnaire")
    st.caption(MODE_NOTE[mode])
    # before counting: answers whose callback Streamlit dropped (see questions._catch_up)
    catch_up(
        section_items(bank, mode, state.section()),  # type: ignore[arg-type]
        answers,
        key=state.item_key,
        comment_key=state.comment_key,
        on_value=state.on_item,
        on_comment=state.on_comment,
    )
    catch_up_plan(PLAN_FACTS, plan, key=state.plan_key, on_change=state.on_plan)
    progress = all_progress(bank, mode, answers, plan)  # type: ignore[arg-type]
    overall = progress["all"]
    st.progress(overall.fraction, text=f"Whole questionnaire: {overall.text()}")

    state.seed(state.SECTION_WIDGET, state.section())
    st.segmented_control(
        "Section",
        SECTION_IDS,
        format_func=lambda sid: SECTION_BY_ID[sid].title,
        key=state.SECTION_WIDGET,
        on_change=state.on_section,
        required=True,
    )
    st.caption(_sections_summary(progress))
    section = SECTION_BY_ID[state.section()]
    st.header(section.title, divider="gray")
    st.markdown(section.intro)
    here = progress[section.id]
    st.progress(here.fraction, text=f"This section: {here.text()}")

    if section.id == "plan":
        _plan_facts(innovation)
    else:
        number = 0
        for dim, items in items_by_dimension(bank, mode, section.id):  # type: ignore[arg-type]
            if not items:
                continue
            dimension = bank.dimension_by_id[dim]
            st.subheader(dimension.label)
            st.caption(dimension.description)
            for item in items:
                number += 1
                _item(bank, item, number, innovation)
    st.divider()
    _footer(section.id)


guarded(render)
