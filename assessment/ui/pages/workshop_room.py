"""The room screen ("Show to the room"), opened from the facilitator's dashboard in the same browser session: the
facilitator key stays in the session and never goes into this page's URL (a new session is pointed to the dashboard).

Full window, no app chrome: the title, the join code, a QR code of the join link, the link and the live counts of
people who joined and submitted (refreshing every few seconds). No names, departments or roles (see `ui.room`).
"""

from __future__ import annotations

import streamlit as st

from assessment.store import get_store
from assessment.ui import room, routes
from assessment.ui import workshop_state as ws
from assessment.ui.widgets import esc, guarded
from assessment.workshop import WorkshopError

REFRESH_SECONDS = 5


def _screen(code: str, key: str) -> None:
    store = get_store()
    info = store.open_workshop(code, key)
    counts = room.room_counts(store.participants(code, key))
    st.html(room.room_markup(info.title, code, ws.join_link(code), counts))


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
    if st.button("Back to the dashboard", key=room.BACK_KEY, icon=":material/arrow_back:"):
        _back()

    @st.fragment(run_every=f"{REFRESH_SECONDS}s")
    def live() -> None:
        guarded(lambda: _screen(code, key), ws.UNEXPECTED_FACILITATOR)

    live()


guarded(render, ws.UNEXPECTED_FACILITATOR)
