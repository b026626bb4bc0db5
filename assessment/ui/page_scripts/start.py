"""Start: what the tool is for, the context of the assessment, quick scan or full, and resuming from a file."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assessment.answers import MAX_NAME, MAX_TEXT, ORGANISATION_TYPE_LABELS
from assessment.bank import default_bank
from assessment.ui import routes, state
from assessment.ui.context_choices import ask_radicalness, ask_stage
from assessment.ui.labels import MODE_LABELS
from assessment.ui.sections import question_counts
from assessment.ui.sidebar import resume_uploader
from assessment.ui.widgets import guarded
from assessment.vocabulary import ROLE_LABELS

START_UPLOADER = "upload_resume_start"


def _text(field: str, label: str, *, max_chars: int, area: bool = False, placeholder: str = "") -> None:
    key = state.context_key(field)
    state.seed(key, state.context().get(field, ""))
    widget = st.text_area if area else st.text_input
    widget(label, key=key, max_chars=max_chars, on_change=state.on_context, args=(field,), placeholder=placeholder)


def _deciding(field: str, ask: Callable[..., object]) -> None:
    """Radicalness or stage: asked with nothing preselected until chosen (then kept across pages)."""
    key = state.context_key(field)
    if field not in state.unchosen():
        state.seed(key, state.context().get(field))
    ask(key, on_change=state.on_context, args=(field,))


def _select(field: str, label: str, options: dict[str, str]) -> None:
    key = state.context_key(field)
    state.seed(key, state.context().get(field))
    st.selectbox(
        label, list(options), format_func=options.__getitem__, key=key, on_change=state.on_context, args=(field,)
    )


def render() -> None:
    bank = default_bank()
    st.title("Innovation readiness self-assessment")
    st.markdown(
        "This tool helps a leadership team judge whether their organisation is ready for a specific healthcare "
        "innovation, and how best to introduce it. You rate statements about leadership, clinical engagement and "
        "the professional setting, and the tool recommends a strategy, with its reasons and the published evidence "
        "behind them. It ends with a plan of who could do what next, to support your team's discussion rather "
        "than replace its judgement."
    )

    st.subheader("1. What are you assessing?")
    left, right = st.columns(2, gap="large")
    with left:
        _text("innovation_title", "Innovation title", max_chars=MAX_NAME, placeholder="e.g. Integrated frailty pathway")
        _text("innovation_description", "Short description (optional)", max_chars=MAX_TEXT, area=True)
        _text("organisation_name", "Organisation name", max_chars=MAX_NAME)
        _text("department", "Department or service (optional)", max_chars=MAX_NAME)
    with right:
        _select("organisation_type", "Organisation type", ORGANISATION_TYPE_LABELS)
        _select("respondent_role", "Your role", ROLE_LABELS)
        _deciding("stage", ask_stage)
        _deciding("radicalness", ask_radicalness)

    st.subheader("2. Quick scan or full assessment?")
    state.seed(state.MODE_WIDGET, state.mode())
    (quick, quick_all), (full, full_all) = question_counts(bank, "quick"), question_counts(bank, "full")
    st.radio(
        "Assessment type",
        ["quick", "full"],
        format_func=MODE_LABELS.__getitem__,
        captions=[
            f"{quick_all} questions ({quick} core statements and {quick_all - quick} about your plan), about 5 "
            "minutes. Good for a first look.",
            f"{full_all} questions (all {full} statements and {full_all - full} about your plan), about 20 minutes. "
            "Firmer scores and more specific advice.",
        ],
        key=state.MODE_WIDGET,
        on_change=state.on_mode,
        horizontal=True,
    )
    st.caption("You can switch later: answers you have already given are kept.")
    if st.button("Start the questionnaire", type="primary", icon=":material/arrow_forward:", key="start_questionnaire"):
        st.switch_page(routes.QUESTIONNAIRE)

    st.subheader("3. Or carry on from a saved file")
    st.markdown("If you saved your answers earlier, upload the file to continue exactly where you left off.")
    resume_uploader(bank, START_UPLOADER)


guarded(render)
