"""The two context questions that decide the strategy, asked the same way on the Start page and the workshop form:
nothing preselected, each with a one-line explanation."""

from __future__ import annotations

from typing import Any

import streamlit as st

from .labels import RADICALNESS_LABELS, STAGE_CHOICES

DECIDING = ("radicalness", "stage")
RADICALNESS_QUESTION = "How big a change is it?"
RADICALNESS_WHY = (
    "It decides the strategy: only a radical change can call for two-step work (building support first, then "
    "spreading the change)."
)
STAGE_QUESTION = "Stage the innovation has reached"
STAGE_WHY = "It decides which advice and warnings apply: what to do before adoption differs from keeping it going."
NOT_ASKED = "Answer *How big a change is it?* and *Stage the innovation has reached* first: both decide the strategy."


def _unset(key: str) -> dict[str, Any]:
    """No preselection: index None unless the widget already holds a value (a chosen one, kept across pages)."""
    return {} if key in st.session_state else {"index": None}


def ask_radicalness(key: str, **kwargs: Any) -> str | None:
    chosen = st.radio(
        RADICALNESS_QUESTION, list(RADICALNESS_LABELS), format_func=RADICALNESS_LABELS.__getitem__, key=key,
        **_unset(key), **kwargs,
    )  # fmt: skip
    st.caption(RADICALNESS_WHY)
    return chosen


def ask_stage(key: str, **kwargs: Any) -> str | None:
    chosen = st.selectbox(
        STAGE_QUESTION, list(STAGE_CHOICES), format_func=STAGE_CHOICES.__getitem__, key=key,
        placeholder="Choose the stage", **_unset(key), **kwargs,
    )  # fmt: skip
    st.caption(STAGE_WHY)
    return chosen
