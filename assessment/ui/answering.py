"""The workshop participant's answering part, once joined (the join page, `page_scripts/workshop_join.py`, draws
it): the header, the saved count, the section's questions, the check and the submit step, and the fragments that
rerun only what an answer changes (see `_answers` and `_after_statement`).

Every answer is saved to the store as it is given: each run first saves what the answer widgets hold beyond the
store's copy (`workshop_state.save_widget_answers`), a whole page's run in `main`, a fragment's own run here.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..bank import QuestionBank
from ..rules import load_rulebook
from ..rules.roles import not_sure_line
from ..store import get_store
from ..vocabulary import ROLE_LABELS, long_date
from ..workshop import ParticipantStatus, WorkshopError, submission_minimum
from . import participant, routes, second_round, state
from . import workshop_state as ws
from .labels import MODE_LABELS, RESEARCH_USE_OFF, RESEARCH_USE_ON, anonymity_rule
from .participant import whole_page
from .questions import Flow, plan_questions, section_buttons, section_picker, statements
from .sections import SECTION_BY_ID, SECTION_IDS, all_progress
from .widgets import esc, flash_messages, guarded, scroll_to_top

LOG = logging.getLogger(__name__)


def _header(me: ParticipantStatus) -> None:
    """The title, one line about the workshop, and everything else folded into one line (an expander), so that the
    first statement is on a phone's first screen."""
    info = ws.info()
    st.title(esc(info.title))
    ctx = info.context
    what = " · ".join(x for x in (ctx.organisation_name, ctx.innovation_title) if x) or "The innovation"
    who = f"{ROLE_LABELS.get(me.role, me.role)}, " + (me.name or "anonymous")
    if me.department:
        who += f", {me.department}"
    st.caption(esc(f"{what} · you take part as {who}"))
    with st.expander(":material/bookmark: Your personal link. Who sees your answers"):
        if ctx.innovation_description:
            st.markdown(esc(ctx.innovation_description))
        st.markdown(
            "Every answer is saved as you give it. Keep this link (copy it, or bookmark this page): it brings you "
            "back to your answers on any device. Keep it to yourself, as anyone who has it can change your answers."
        )
        st.code(ws.resume_link(ws.token() or ""), language=None, wrap_lines=True)
        st.caption(
            esc(
                (f"Workshop {info.join_code} · " if info.join_code else "")
                + f"{MODE_LABELS[info.mode]}, {me.asked} statements · open until {long_date(info.expires_at)}"
            )
        )
        st.caption(anonymity_rule(info.min_group_size))
        st.caption(RESEARCH_USE_ON if info.research_use else RESEARCH_USE_OFF)


def _review(me: ParticipantStatus, still_open: list[participant.Open]) -> None:
    """The submit step, on the last section only: check your answers (what is unanswered, with links to it), the
    minimum, then a confirmation."""
    with st.container(border=True):
        st.markdown("**Check your answers**")
        participant.check_answers(still_open)
        needed = submission_minimum(me.asked)
        if (me.answered or 0) < needed:
            st.warning(
                f"Your answers saved so far: {me.answered} of {me.asked} statements. Answer at least {needed} (half; "
                '"don\'t know" counts) before you submit.',
                icon=":material/rule:",
            )
            return
        st.caption("After you submit, your answers are read-only (your facilitator can reopen them).")
        if not st.session_state.get(ws.CONFIRMING):
            st.button("Submit my answers…", key="wk_submit", type="primary", icon=":material/send:",
                      on_click=whole_page(ws.ask_to_submit))  # fmt: skip
            return
        st.info(
            f"Submit {me.answered} of {me.asked} statements now?"
            + (" Unanswered statements count as not answered." if still_open else ""),
            icon=":material/help:",
        )
        with st.container(horizontal=True):
            st.button("Yes, submit my answers", key="wk_submit_confirm", type="primary", icon=":material/send:",
                      on_click=whole_page(ws.submit))  # fmt: skip
            st.button("Not yet", key="wk_submit_cancel", on_click=whole_page(ws.cancel_submit))


def _footer(section_id: str, me: ParticipantStatus, still_open: list[participant.Open]) -> None:
    with st.container(key=participant.FOOT_KEY):
        with st.container(horizontal=True):
            section_buttons(section_id, go_to=whole_page(ws.go_to_section), prev_key="wk_prev", next_key="wk_next")
        if me.submitted:
            return
        participant.back_to_check(section_id)
        if section_id == SECTION_IDS[-1]:
            _review(me, still_open)
        else:
            st.caption(
                f"You submit from the last section ({SECTION_BY_ID[SECTION_IDS[-1]].title}), after checking what is "
                "still unanswered. Every answer is already saved as you give it."
            )


def answering(bank: QuestionBank) -> None:
    """The answering part of the join page, for the participant this session takes part as."""
    if st.query_params.get(routes.RESUME_PARAM) != ws.token():
        st.query_params.from_dict({routes.RESUME_PARAM: ws.token() or ""})  # a reload comes back here
    try:
        # what the widgets hold was saved before this page ran (main: ws.save_widget_answers), so the store's count
        # is the count of what the page shows answered
        me = ws.refresh_status()
    except WorkshopError as exc:  # expired, or gone: say so, and let them leave
        st.error(esc(exc.one_line()), icon=":material/event_busy:")
        st.button("Leave this workshop on this device", key="wk_leave_gone", icon=":material/logout:",
                  on_click=ws.forget_participant)  # fmt: skip
        return
    participant.style()
    with st.container(key=participant.CONTAINER_KEY):
        _header(me)
        st.session_state[_PAGE_RUN] = True  # the fragment below uses the status just read
        _answers(bank)
        with st.expander("Not you, or taking part in another workshop?"):
            st.markdown(
                "Leave this workshop on this device. Your answers stay saved; your personal link still opens them."
            )
            # a callback, so that it counts when a statement's change reaches the server in the same request (see
            # `participant.whole_page`): returning, it asks for its default, the whole page's run
            st.button("Leave this workshop on this device", key="wk_leave", icon=":material/logout:",
                      on_click=ws.forget_participant)  # fmt: skip


_PAGE_RUN = "wk_page_run"  # set by the page's own run just before it draws `_answers`
_PARENT_RUN = "wk_parent_run"  # set by `_answers` just before it draws `_saved_count`
# The answering part's fragments by key: a callback's `st.rerun(<key>)` reruns that fragment only.
SAVED_COUNT = "wk_saved_count"  # the saved count and the section switcher with its counts, at the top
FOLLOW_ON = "wk_follow_on"  # the move to the next question after an answer (narrow screens), at the foot


def _after_statement() -> None:
    """A statement's callback (its answer or its comment changed): rerun the saved count, which saves it, and the
    move to the next question; not the statements, which the browser already shows as answered (about half the
    server's work per answer). The plan questions, on the last section, have none: the check of unanswered
    questions and the submit step below them change with each of their answers, so the whole part reruns."""
    try:
        st.rerun([SAVED_COUNT, FOLLOW_ON])
    except StreamlitAPIException:  # not drawn yet (cannot happen while statements are shown): the whole part reruns
        LOG.warning("the saved count was not drawn; the answering part reruns instead")


FLOW = Flow(ws.item_key, ws.comment_key, ws.plan_key, rerun_after=_after_statement, horizontal=False)


def _save_first(bank: QuestionBank, *, statements_drawn: bool) -> None:
    """A fragment's own run (the page's run saves in `main`): save what the widgets hold, then read the status the
    save returned. A workshop gone meanwhile redraws the whole page, which says so; so does a failed save when
    this run does not draw the statements, whose widgets the failure put back (`ws.save_widget_answers`)."""
    ws.save_widget_answers(bank)
    if not statements_drawn and state.flash_waiting():
        st.rerun()  # the page says why, at its top, and shows each statement as the store holds it
    try:
        ws.refresh_status()
    except WorkshopError:
        st.rerun()  # the whole page says so, and why the last answer was not saved (its message still waits)
    except Exception:
        flash_messages()  # why the last answer was not saved, above the plain message `guarded` shows
        raise
    flash_messages()


@st.fragment
def _answers(bank: QuestionBank) -> None:
    """Everything an answer changes: the saved count, the section's questions, the check and the submit step.

    A fragment: a plan answer (or another widget without a callback) reruns this part only, not the page around
    it; a press of a button or a section change the whole page (`participant.whole_page`). A statement's answer
    reruns less still: the two small fragments inside it (`_after_statement`). On its own runs it saves first, as
    the page's run does in `main` before anything is drawn. Its own runs start here, outside the page's `guarded`,
    so it guards itself: a failure shows the page's plain message, never a traceback. So do the fragments inside
    it."""
    guarded(lambda: _answers_part(bank), ws.UNEXPECTED)


def _answers_part(bank: QuestionBank) -> None:
    if not st.session_state.pop(_PAGE_RUN, False):  # this fragment's own run
        _save_first(bank, statements_drawn=True)
    me = ws.status()
    if me.submitted:  # a second round first, then the thank-you; the read-only answers behind one line
        _saved_line(me)
        _submitted(bank, me)
        _moves(bank)
        return
    st.session_state[_PARENT_RUN] = True
    _saved_count(bank)
    _questions(bank, me)
    _follow_on(bank)


def _saved_line(me: ParticipantStatus) -> None:
    # the count the store holds (re-read above), not the page's own: what is shown as saved is what was saved;
    # always this one line, whatever is saved (a line appearing with the first answer moved every statement)
    st.progress(me.completion or 0.0, text=f"Your answers saved: {me.answered} of {me.asked} statements")


def _switcher(bank: QuestionBank) -> None:
    """The section switcher, with each section's count of answers, and the section's title."""
    progress = all_progress(bank, ws.info().mode, ws.answers(), ws.plan())
    section_picker(progress, ws.section(), key=ws.SECTION_WIDGET, on_change=whole_page(ws.on_section), compact=True)


@st.fragment(key=SAVED_COUNT)
def _saved_count(bank: QuestionBank) -> None:
    """The saved count and the section switcher: what a statement's answer changes at the top of the page. Its own
    run (after `_after_statement`) saves first."""
    guarded(lambda: _saved_count_part(bank), ws.UNEXPECTED)


def _saved_count_part(bank: QuestionBank) -> None:
    if not st.session_state.pop(_PARENT_RUN, False):
        _save_first(bank, statements_drawn=False)
    _saved_line(ws.status())
    _switcher(bank)


def _questions(bank: QuestionBank, me: ParticipantStatus) -> None:
    """The section's questions and its foot."""
    info = ws.info()
    section_id = ws.section()
    innovation = info.context.innovation_title
    if section_id == "plan":
        plan_questions(innovation, ws.plan(), FLOW, disabled=me.submitted)
        st.caption(not_sure_line(load_rulebook()))
    else:
        statements(bank, info.mode, section_id, innovation, ws.answers(), FLOW, disabled=me.submitted)
    _footer(section_id, me, _still_open(bank))


def _still_open(bank: QuestionBank) -> list[participant.Open]:
    info = ws.info()
    return participant.unanswered(bank, info.mode, info.context.innovation_title, ws.answers(), ws.plan())


def _submitted(bank: QuestionBank, me: ParticipantStatus) -> None:
    task = get_store().second_round_task(ws.token() or "")
    if task is not None:
        second_round.participant_card(ws.token() or "", task, bank, ws.info().context.innovation_title)
    else:
        second_round.poll_for_round(ws.token() or "")
    when = f" on {long_date(me.submitted_at)} at {me.submitted_at:%H:%M} UTC" if me.submitted_at else ""
    st.success(
        f"You submitted your answers{when}. Thank you! Your facilitator can now include them. They are "
        "read-only now; ask your facilitator to reopen them if you need to change something.",
        icon=":material/task_alt:",
    )
    with st.expander("See your submitted answers (read-only)"):
        _switcher(bank)
        _questions(bank, me)


@st.fragment(key=FOLLOW_ON)
def _follow_on(bank: QuestionBank) -> None:
    """At the foot, so that a script drawn on one run and not the next moves nothing above it: the move to the
    next unanswered question after an answer (its own run follows the saved count's, which saved it)."""
    guarded(lambda: _moves(bank), ws.UNEXPECTED)


def _moves(bank: QuestionBank) -> None:
    if state.take_scroll_request():
        scroll_to_top()
    participant.scroll_script(bank, ws.info().mode, ws.section(), _still_open(bank), ws.status().submitted)
