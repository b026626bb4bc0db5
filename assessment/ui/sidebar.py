"""The sidebar on every page: progress, save the answers as JSON, resume from a saved file."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from ..bank import QuestionBank
from . import routes, state
from .sections import overall_progress
from .widgets import esc, slug

RESUME_UPLOADER = "upload_resume_sidebar"


def answers_json(bank: QuestionBank, snap: dict[str, Any]) -> str:
    """The saved-answers file for a snapshot of the state; built only when the user clicks 'Save'."""
    return state.current_answer_set(bank, snap).to_json()


def _resume_then_questionnaire() -> None:
    state.request_page(routes.QUESTIONNAIRE)


def resume_uploader(bank: QuestionBank, base_key: str) -> None:
    """A file uploader that resumes from a saved answers file (used in the sidebar and on the start page)."""
    key = state.uploader_key(base_key)
    problem = st.session_state.get(state.RESUME_ERROR)
    if problem:
        st.error(esc(problem), icon=":material/error:")
    st.file_uploader(
        "Resume from a saved answers file (.json)",
        type=["json"],
        key=key,
        on_change=state.on_resume_upload,
        args=(key, bank, _resume_then_questionnaire),
        help="Upload a file saved with 'Save answers'. Your answers, comments, context and place are restored.",
    )


def navigation(pages: dict[str, list[st.Page]]) -> None:
    """The app's menu as plain links, one group under its heading (no list markup, so screen readers and axe
    meet valid structure). Pages opened from another page (the room screen) are not listed."""
    with st.sidebar:
        for group, entries in pages.items():
            st.markdown(f"**{group}**")
            for entry in entries:
                if entry.url_path not in routes.UNLISTED_PATHS:
                    st.page_link(entry)


def render(bank: QuestionBank) -> None:
    with st.sidebar:
        progress = overall_progress(bank, state.mode(), state.answers(), state.plan())  # type: ignore[arg-type]
        label = "Quick scan" if state.mode() == "quick" else "Full assessment"
        st.progress(progress.fraction, text=f"{label}: {progress.text()}")
        name = slug(state.innovation_title(), "innovation-readiness")
        st.download_button(
            "Save answers (JSON)",
            data=partial(answers_json, bank, state.snapshot()),
            file_name=f"{name}-answers.json",
            mime="application/json",
            icon=":material/download:",
            key="save_answers",
            on_click="ignore",
            help="Download your answers to resume later or to compare with a later assessment.",
            width="stretch",
        )
        with st.expander("Resume from a file", icon=":material/upload_file:"):
            resume_uploader(bank, RESUME_UPLOADER)
