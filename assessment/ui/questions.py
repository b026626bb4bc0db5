"""The questionnaire's widgets, shared by the single-respondent questionnaire and the workshop participant page.

Each caller passes its own widget keys, its own canonical value and its own on_change callbacks, so the two
flows never share state: the widget is seeded from the caller's canonical copy (see `state`). The workshop page
passes no callbacks that apply an answer: it saves what the widgets hold at the top of each run
(`workshop_state.save_widget_answers`); its statements' one callback only chooses what reruns (`Flow.rerun_after`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from ..answers import MAX_COMMENT
from ..bank import Item, QuestionBank
from ..vocabulary import PLAN_ANSWER_LABELS, PLAN_ANSWERS
from . import keyboard, state
from .sections import (
    DONT_KNOW_LABEL,
    PLAN_QUESTIONS,
    SCALE_VALUES,
    SECTION_BY_ID,
    SECTION_IDS,
    Mode,
    PlanQuestion,
    Progress,
    Section,
    items_by_dimension,
    section_items,
    sections_summary,
)
from .widgets import esc

Callback = Callable[..., None]


@dataclass(frozen=True)
class Flow:
    """One questionnaire flow's widget keys and on_change callbacks (each flow passes its own, see above; None:
    no callback)."""

    item_key: Callable[[str], str]
    comment_key: Callable[[str], str]
    plan_key: Callable[[str], str]
    on_item: Callback | None = None
    on_comment: Callback | None = None
    on_plan: Callback | None = None
    # called after a statement's answer or comment changed, by a flow whose answers need no callback (on_item and
    # on_comment None): it chooses what reruns (the workshop page: its saved count, not the statements). Never
    # called to apply an answer, so it is not caught up (`_catch_up`)
    rerun_after: Callback | None = None
    horizontal: bool = True  # the answer options side by side (False: one per line, as on the workshop phone page)


def _catch_up(key: str, differs: bool, on_change: Callback | None, arg: str) -> None:
    """Apply an answer the widget holds but the canonical state lacks, as its callback would have.

    When answers are clicked quickly, Streamlit can stop a callback half-way: every session-state access is a
    point where a rerun request that arrived meanwhile (the next click) is raised as an exception, which
    Streamlit then takes for the callback's own st.rerun(), and it treats the widget's change as handled. The
    widget shows an answer the canonical state lacks. Checking before the widget is drawn closes that gap (the
    single-respondent flow, whose canonical state is this session; the workshop page has no callbacks).
    """
    if on_change is not None and key in st.session_state and differs:
        on_change(arg)


def catch_up(
    items: Iterable[Item],
    answers: Mapping[str, Mapping[str, Any]],
    *,
    key: Callable[[str], str],
    comment_key: Callable[[str], str],
    on_value: Callback | None,
    on_comment: Callback | None,
) -> None:
    """Run `_catch_up` for a section's statements before anything counts the answers (progress bars)."""
    for item in items:
        entry = answers.get(item.id) or {}
        k, ck = key(item.id), comment_key(item.id)
        _catch_up(k, st.session_state.get(k) != entry.get("value"), on_value, item.id)
        _catch_up(ck, (st.session_state.get(ck) or "").strip() != (entry.get("comment") or ""), on_comment, item.id)


def catch_up_plan(
    facts: Iterable[PlanQuestion],
    plan: Mapping[str, str | None],
    *,
    key: Callable[[str], str],
    on_change: Callback | None,
) -> None:
    for fact in facts:
        k = key(fact.field)
        _catch_up(k, st.session_state.get(k) != plan.get(fact.field), on_change, fact.field)


def catch_up_section(
    bank: QuestionBank,
    mode: Mode,
    section_id: str,
    answers: Mapping[str, Mapping[str, Any]],
    plan: Mapping[str, str | None],
    flow: Flow,
) -> None:
    """`catch_up` for the statements of the section shown, and `catch_up_plan` for the plan questions."""
    catch_up(
        section_items(bank, mode, section_id),
        answers,
        key=flow.item_key,
        comment_key=flow.comment_key,
        on_value=flow.on_item,
        on_comment=flow.on_comment,
    )
    catch_up_plan(PLAN_QUESTIONS, plan, key=flow.plan_key, on_change=flow.on_plan)


def section_picker(
    progress: Mapping[str, Progress], current: str, *, key: str, on_change: Callback, compact: bool = False
) -> Section:
    """The section switcher with every section's count, then the current section's title, intro and progress.

    Compact (the workshop's phone-first page): the counts are in the switcher's short labels, and the title with its
    intro behind a help icon takes one line, so that the first statement is on a phone's first screen."""
    state.seed(key, current)
    st.segmented_control(
        "Section",
        SECTION_IDS,
        format_func=(
            (lambda sid: f"{SECTION_BY_ID[sid].short} {progress[sid].done}/{progress[sid].total}")
            if compact
            else (lambda sid: SECTION_BY_ID[sid].title)
        ),
        key=key,
        on_change=keyboard.then_focus,
        args=(on_change,),
        required=True,
        label_visibility="collapsed" if compact else "visible",
    )
    section = SECTION_BY_ID[current]
    here = progress[section.id]
    if compact:
        st.subheader(section.title, help=section.intro)
        return section
    st.caption(sections_summary(progress))
    st.header(section.title, divider="gray")
    st.markdown(section.intro)
    st.progress(here.fraction, text=f"This section: {here.text()}")
    return section


def section_buttons(section_id: str, *, go_to: Callback, prev_key: str, next_key: str) -> None:
    """'Previous section' and 'Next section' (where there is one); the caller lays them out."""
    i = SECTION_IDS.index(section_id)
    if i > 0:
        st.button(
            "Previous section",
            key=prev_key,
            icon=":material/arrow_back:",
            on_click=keyboard.then_focus,
            args=(go_to, SECTION_IDS[i - 1]),
        )
    if i < len(SECTION_IDS) - 1:
        st.button(
            "Next section",
            key=next_key,
            type="primary",
            icon=":material/arrow_forward:",
            on_click=keyboard.then_focus,
            args=(go_to, SECTION_IDS[i + 1]),
        )


def statements(
    bank: QuestionBank,
    mode: Mode,
    section_id: str,
    innovation: str,
    answers: Mapping[str, Mapping[str, Any]],
    flow: Flow,
    *,
    disabled: bool = False,
) -> None:
    """A section's statements under their dimension headings, numbered from 1; then the focus slot (a section
    change puts the keyboard focus on the first statement, see `keyboard`)."""
    number = 0
    first: str | None = None
    for dim, items in items_by_dimension(bank, mode, section_id):
        if not items:
            continue
        dimension = bank.dimension_by_id[dim]
        if flow.horizontal:
            st.subheader(dimension.label)
            st.caption(dimension.description)
        else:  # one line on a phone: the label, and its description on demand
            st.markdown(f"**{esc(dimension.label)}**", help=esc(dimension.description))
        for item in items:
            number += 1
            first = first or flow.item_key(item.id)
            entry = answers.get(item.id) or {}
            statement(
                bank,
                item,
                number,
                innovation,
                value=entry.get("value"),
                comment=entry.get("comment") or "",
                key=flow.item_key(item.id),
                comment_key=flow.comment_key(item.id),
                on_value=flow.on_item,
                on_comment=flow.on_comment,
                rerun_after=flow.rerun_after,
                disabled=disabled,
                horizontal=flow.horizontal,
            )
    if first is not None:
        keyboard.focus_slot(first)


def plan_questions(innovation: str, plan: Mapping[str, str | None], flow: Flow, *, disabled: bool = False) -> None:
    """The plan questions, numbered from 1; then the focus slot (see `statements`)."""
    for number, fact in enumerate(PLAN_QUESTIONS, start=1):
        plan_question(
            fact,
            number,
            innovation,
            value=plan.get(fact.field),
            key=flow.plan_key(fact.field),
            on_change=flow.on_plan,
            disabled=disabled,
            horizontal=flow.horizontal,
        )
    keyboard.focus_slot(flow.plan_key(PLAN_QUESTIONS[0].field))


# A question's number and text are drawn as Markdown above its options, and the options' group is named with the
# same words as plain text (its own label collapsed). Streamlit names a radio group with its label string as given,
# so a Markdown label reached screen readers as "**1.** Commissioners ... settled\\." (issue 19, finding 2).
LABEL_GAP: Literal["xxsmall"] = "xxsmall"  # between the question and its options, as close as a widget's own label


def question_key(widget_key: str) -> str:
    """The key of the block holding a question's text and its options (CSS class `st-key-<it>`): what the phone
    page brings into view, so that the question is read with its options."""
    return f"{widget_key}_q"


def accessible_name(number: int, text: str) -> str:
    """What a screen reader announces for a question's options: its number and text, no Markdown."""
    return f"{number}. {text}"


def question_label(number: int, text: str, help_text: str | None) -> None:
    """The question as the eye reads it: the number in bold, the text escaped (user text shows as typed)."""
    st.markdown(f"**{number}.** {esc(text)}", help=help_text)


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
    on_value: Callback | None,
    on_comment: Callback | None,
    rerun_after: Callback | None = None,
    disabled: bool = False,
    horizontal: bool = True,
) -> None:
    """One statement: its 1-5 scale with the anchors and "don't know", and an optional comment. `rerun_after`:
    the widgets' callback when `on_value` and `on_comment` are None (see `Flow.rerun_after`)."""
    anchors = bank.scales[item.scale].anchors
    _catch_up(key, st.session_state.get(key) != value, on_value, item.id)
    _catch_up(comment_key, (st.session_state.get(comment_key) or "").strip() != comment, on_comment, item.id)
    state.seed(key, value)
    text = item.render(innovation)
    help_text = esc(item.help.replace("{innovation}", innovation or "this innovation")) if item.help else None
    with st.container(gap=LABEL_GAP, key=question_key(key)):
        question_label(number, text, help_text)
        st.radio(
            accessible_name(number, text),
            SCALE_VALUES,
            index=None,
            format_func=lambda v: anchors.get(v, DONT_KNOW_LABEL),
            key=key,
            horizontal=horizontal,
            on_change=on_value or rerun_after,
            args=(item.id,) if on_value else None,
            disabled=disabled,
            label_visibility="collapsed",
        )
    state.seed(comment_key, comment)
    st.text_input(
        f"Comment on statement {number} (optional)",
        key=comment_key,
        max_chars=MAX_COMMENT,
        on_change=on_comment or rerun_after,
        args=(item.id,) if on_comment else None,
        placeholder="Optional comment",
        label_visibility="collapsed",
        disabled=disabled,
    )


def plan_question(
    fact: PlanQuestion,
    number: int,
    innovation: str,
    *,
    value: str | None,
    key: str,
    on_change: Callback | None,
    disabled: bool = False,
    horizontal: bool = True,
) -> None:
    """One plan question: yes, no or not sure."""
    _catch_up(key, st.session_state.get(key) != value, on_change, fact.field)
    state.seed(key, value)
    text = fact.render(innovation)
    with st.container(gap=LABEL_GAP, key=question_key(key)):
        question_label(number, text, esc(fact.help))
        st.radio(
            accessible_name(number, text),
            PLAN_ANSWERS,
            index=None,
            format_func=PLAN_ANSWER_LABELS.__getitem__,
            key=key,
            horizontal=horizontal,
            on_change=on_change,
            args=(fact.field,) if on_change else None,
            disabled=disabled,
            label_visibility="collapsed",
        )
