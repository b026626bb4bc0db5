"""Join a workshop and answer: opened from `?join=CODE` (code filled in), by typing a code, or from a personal
resume link `?resume=TOKEN`. Every answer is saved to the store as it is given (see `workshop_state`); the
answering part, once joined, is `assessment.ui.answering`."""

from __future__ import annotations

import logging

import streamlit as st

from assessment.answers import MAX_NAME
from assessment.bank import QuestionBank, default_bank
from assessment.errors import AssessmentError
from assessment.store import get_store
from assessment.ui import routes, state
from assessment.ui import workshop_state as ws
from assessment.ui.answering import answering
from assessment.ui.labels import RESEARCH_USE_BEFORE_JOINING, anonymity_rule
from assessment.ui.preload import preload_widgets
from assessment.ui.widgets import esc, guarded
from assessment.vocabulary import ROLE_LABELS
from assessment.workshop import MalformedJoinCode, TooManyAttempts, WorkshopError, normalise_join_code

ROLE_WIDGET = "wkw_role"
NAME_WIDGET = "wkw_name"
DEPARTMENT_WIDGET = "wkw_department"
_JOIN_PROBLEM = "wkw_join_problem"  # why the last press of the join button did not join: (message, icon)
# A one-shot button (`state.take_press`): a second press arriving after a join (a double click) would otherwise join
# again, or leave a "choose your role" nobody asked for.
JOIN_BUTTON = "wk_join"
LOG = logging.getLogger(__name__)


def _same_code(typed: str, code: str) -> bool:
    """Whether a join link's code is the code of the workshop this session takes part in (a session resumed from
    a personal link does not know its code, which is stored only as a keyed hash: the store compares them)."""
    try:
        if code:
            return normalise_join_code(typed) == code
        return get_store().is_code_of(ws.token() or "", typed)
    except (MalformedJoinCode, WorkshopError):
        return False


def _follow_resume_link(bank: QuestionBank) -> str | None:
    """Restore the participant named by `?resume=TOKEN` from the store; a message when the link does not work."""
    wanted = st.query_params.get(routes.RESUME_PARAM)
    if not wanted or wanted == ws.token():
        return None
    try:
        resume = get_store().resume(wanted)
    except WorkshopError as exc:
        return exc.one_line()
    ws.load(resume, wanted, bank)
    return None


# ----- joining ---------------------------------------------------------------------------------------------


def _join(bank: QuestionBank) -> None:
    """The join button's callback, with the form's values: join, or keep the reason it failed for the form's run
    (`_JOIN_PROBLEM`). A callback runs before the script, so a join draws the answering page at once, not the
    form first and then, after a rerun, the page. Outside the script's `guarded`, so it catches what it raises."""
    if not state.take_press(JOIN_BUTTON):
        return  # a press left over from a form no longer drawn: the participant has joined meanwhile
    try:
        _join_drawn_form(bank)
    except TooManyAttempts as exc:
        st.session_state[_JOIN_PROBLEM] = (exc.one_line(), ":material/timer:")
    except AssessmentError as exc:  # a wrong code, a closed workshop ...: as `guarded` shows it
        st.session_state[_JOIN_PROBLEM] = (exc.one_line(), ":material/error:")
    except Exception:
        LOG.exception("joining failed")
        st.session_state[_JOIN_PROBLEM] = (ws.UNEXPECTED, ":material/error:")


def _join_drawn_form(bank: QuestionBank) -> None:
    code = st.session_state.get(ws.CODE_WIDGET) or ""
    role = st.session_state.get(ROLE_WIDGET)
    if not role:
        st.session_state[_JOIN_PROBLEM] = (
            "Choose your role: the dashboard compares how the different roles see the innovation.",
            None,
        )
        return
    store = get_store()
    joined = store.join_workshop(
        code,
        role,
        name=st.session_state.get(NAME_WIDGET) or "",
        department=st.session_state.get(DEPARTMENT_WIDGET) or "",
        client_key=ws.client_key(),
        network_key=ws.network_key(),
    )
    resume = store.resume(joined.participant_token)
    # the code typed is known here (the store keeps only its keyed hash, so a resume does not return it)
    resume = resume.model_copy(update={"workshop": joined.workshop})
    ws.load(resume, joined.participant_token, bank)
    st.session_state[state.SCROLL_TOP] = True  # the join button may have been far down: start at the top
    st.query_params.from_dict({routes.RESUME_PARAM: joined.participant_token})


def _join_form(bank: QuestionBank) -> None:
    preload_widgets()  # hidden: the statements come next, and are then drawn at their place at once (see preload)
    st.title("Join a workshop")
    st.markdown(
        "Your facilitator has given you a workshop code (it looks like **ABCD-EFGH**) or a link. You answer the "
        "same statements as everyone else, on your own; the facilitator then shows the group where you agree "
        "and where you see things differently."
    )
    linked = st.query_params.get(routes.JOIN_PARAM)
    if linked:
        state.seed(ws.CODE_WIDGET, linked)
    if token := ws.token():
        current = ws.info()
        st.info(
            f"On this device you are already taking part in the workshop {esc(current.title)}"
            + (f" ({current.join_code})" if current.join_code else "")
            + f". Your personal link brings you back to it: {esc(ws.resume_link(token))}",
            icon=":material/info:",
        )
    with st.form("wk_join_form", enter_to_submit=True):
        st.text_input("Workshop code", key=ws.CODE_WIDGET, max_chars=40, placeholder="ABCD-EFGH")
        st.selectbox(
            "Your role",
            list(ROLE_LABELS),
            index=None,
            format_func=ROLE_LABELS.__getitem__,
            placeholder="Choose the role closest to yours",
            key=ROLE_WIDGET,
        )
        st.text_input(
            "Your name (optional)",
            key=NAME_WIDGET,
            max_chars=MAX_NAME,
            placeholder="Leave empty to take part anonymously",
        )
        st.text_input(
            "Department or team (optional)",
            key=DEPARTMENT_WIDGET,
            max_chars=MAX_NAME,
            placeholder="e.g. Acute medicine",
            help="Lets the facilitator see whether some departments are keener than others.",
        )
        st.caption(
            "Your name is optional. The facilitator's participant list shows it; the exported answers do not. "
            + anonymity_rule(None)
            + " "
            + RESEARCH_USE_BEFORE_JOINING
        )
        st.form_submit_button(
            "Join the workshop", type="primary", icon=":material/login:", key=JOIN_BUTTON, on_click=_join, args=(bank,)
        )
    ws.keep_device_cookie()  # a reload counts wrong codes against the same device, and re-joins show
    state.mark_drawn(JOIN_BUTTON)
    problem = st.session_state.pop(_JOIN_PROBLEM, None)
    if problem:
        message, icon = problem
        st.error(esc(message), icon=icon)


def render() -> None:
    bank = default_bank()
    problem = _follow_resume_link(bank)
    if problem:
        st.error(esc(problem), icon=":material/link_off:")
    linked = st.query_params.get(routes.JOIN_PARAM)
    if ws.token() and not problem and not (linked and not _same_code(linked, ws.info().join_code)):
        state.forget_drawn(JOIN_BUTTON)
        st.session_state.pop(_JOIN_PROBLEM, None)
        answering(bank)
    else:
        _join_form(bank)


guarded(render, ws.UNEXPECTED)
