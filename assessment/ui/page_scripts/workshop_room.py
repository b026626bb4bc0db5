"""The room screen ("Show to the room"), opened from the facilitator's dashboard in the same browser session: the
facilitator key stays in the session and never goes into this page's URL (a new session is pointed to the dashboard).

Full window, no app chrome. Two views, switched by small controls in the top right corner:
- *Join*: the title, the join code, a QR code of the join link, the link and the live counts of people who joined
  and submitted (refreshing every few seconds). No names, departments or roles (see `ui.room`).
- *Reveal*: the disagreement agenda, one statement at a time (Previous / Next), from the released results (see
  `ui.reveal`); once a second round is open, its statements, with its progress and agreement before and after.
"""

from __future__ import annotations

import streamlit as st

from assessment.bank import default_bank
from assessment.store import get_store
from assessment.ui import reveal, room, routes
from assessment.ui import workshop_state as ws
from assessment.ui.widgets import esc, guarded
from assessment.workshop import ResultsHidden, WorkshopError

REFRESH_SECONDS = 5
VIEW = "room_view"  # "join" or "reveal"
STEP = "room_step"  # the agenda statement shown, 0-based


def _screen(code: str, key: str) -> None:
    store = get_store()
    info = store.open_workshop(code, key)
    people = store.participants(code, key)
    if st.session_state.get(VIEW) != "reveal":
        st.html(room.room_markup(info.title, code, ws.join_link(code), room.room_counts(people)))
        return
    try:
        summary = store.summary(code, key)
    except ResultsHidden as exc:
        st.html(room.message_markup("Results are hidden for now", exc.one_line()))
        return
    progress = store.second_round_progress(code, key) if info.second_round is not None else None
    st.session_state[STEP] = max(0, min(st.session_state.get(STEP, 0), len(reveal.steps(summary)[1]) - 1))
    st.html(reveal.REVEAL_CSS + reveal.reveal_markup(summary, st.session_state[STEP], default_bank(), progress))


def _step(by: int) -> None:
    st.session_state[STEP] = max(0, st.session_state.get(STEP, 0) + by)


def _show(view: str) -> None:
    st.session_state[VIEW] = view


def _controls() -> None:
    with st.container(key=room.CONTROLS_KEY, horizontal=True):
        if st.button("Dashboard", key=room.BACK_KEY, icon=":material/arrow_back:"):
            _back()
        if st.session_state.get(VIEW) == "reveal":
            st.button("Previous", key="room_prev", icon=":material/chevron_left:", on_click=_step, args=(-1,))
            st.button("Next", key="room_next", icon=":material/chevron_right:", on_click=_step, args=(1,))
            st.button("Join screen", key="room_join", icon=":material/qr_code_2:", on_click=_show, args=("join",))
        else:
            st.button("Reveal results", key="room_reveal", icon=":material/insights:", on_click=_show, args=("reveal",))


def _back() -> None:
    st.switch_page(routes.WORKSHOP_DASHBOARD)


def render() -> None:
    creds = ws.facilitator()
    if creds is None:
        st.title("Room screen")
        st.info(
            "The room screen opens from the workshop dashboard (**Show to the room**), in the browser session "
            "where you entered the facilitator key.",
            icon=":material/co_present:",
        )
        st.page_link(routes.WORKSHOP_DASHBOARD, label="Open the workshop dashboard", icon=":material/dashboard:")
        return
    code, key = creds
    try:
        get_store().open_workshop(code, key)
    except WorkshopError as exc:
        st.error(esc(exc.one_line()))
        st.page_link(routes.WORKSHOP_DASHBOARD, label="Back to the dashboard", icon=":material/dashboard:")
        return
    st.html(room.ROOM_CSS)
    _controls()

    @st.fragment(run_every=f"{REFRESH_SECONDS}s")
    def live() -> None:
        guarded(lambda: _screen(code, key), ws.UNEXPECTED_FACILITATOR)

    live()


guarded(render, ws.UNEXPECTED_FACILITATOR)
