"""The questionnaire's widgets, shared by the single-respondent questionnaire and the workshop participant page.

Each caller passes its own widget keys, its own canonical value and its own on_change callback, so the two
flows never share state: the widget is seeded from the caller's canonical copy (see `state`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ..answers import MAX_COMMENT
from ..bank import Item, QuestionBank
from . import state
from .sections import DONT_KNOW_LABEL, PLAN_CHOICE_LABELS, PLAN_CHOICES, SCALE_VALUES, PlanFact
from .widgets import esc

Callback = Callable[..., None]


def statement(
    bank: QuestionBank,
    item: Item,
    number: int,
    innovation: str,
    *,
    value: Any,
    comment: str,
    key: str,
    comment_key: str,
    on_value: Callback,
    on_comment: Callback,
    disabled: bool = False,
) -> None:
    """One statement: its 1-5 scale with the anchors and "don't know", and an optional comment."""
    anchors = bank.scales[item.scale].anchors
    state.seed(key, value)
    st.radio(
        f"**{number}.** {esc(item.render(innovation))}",
        SCALE_VALUES,
        index=None,
        format_func=lambda v: anchors.get(v, DONT_KNOW_LABEL),
        key=key,
        horizontal=True,
        on_change=on_value,
        args=(item.id,),
        help=esc(item.help.replace("{innovation}", innovation or "this innovation")) if item.help else None,
        disabled=disabled,
    )
    state.seed(comment_key, comment)
    st.text_input(
        f"Comment on statement {number} (optional)",
        key=comment_key,
        max_chars=MAX_COMMENT,
        on_change=on_comment,
        args=(item.id,),
        placeholder="Optional comment",
        label_visibility="collapsed",
        disabled=disabled,
    )


def plan_question(
    fact: PlanFact,
    number: int,
    innovation: str,
    *,
    value: str | None,
    key: str,
    on_change: Callback,
    disabled: bool = False,
) -> None:
    """One plan question: yes, no or not sure."""
    state.seed(key, value)
    st.radio(
        f"**{number}.** {esc(fact.render(innovation))}",
        PLAN_CHOICES,
        index=None,
        format_func=PLAN_CHOICE_LABELS.__getitem__,
        key=key,
        horizontal=True,
        on_change=on_change,
        args=(fact.field,),
        help=fact.help,
        disabled=disabled,
    )
