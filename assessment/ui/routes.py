"""The app's pages, as absolute paths: st.Page, st.switch_page and AppTest join a page path to the main script's
folder, and an absolute path stays itself, so the same routes serve `app.py` in a checkout and the installed
package's `assessment/ui/main.py` (`assessment serve`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "page_scripts"

START = str(PAGES / "start.py")
QUESTIONNAIRE = str(PAGES / "questionnaire.py")
RESULTS = str(PAGES / "results.py")
BOARD = str(PAGES / "board.py")
COMPARE = str(PAGES / "compare.py")
GLOSSARY = str(PAGES / "glossary.py")
WORKSHOP_NEW = str(PAGES / "workshop_new.py")
WORKSHOP_JOIN = str(PAGES / "workshop_join.py")
WORKSHOP_DASHBOARD = str(PAGES / "workshop_dashboard.py")
WORKSHOP_ROOM = str(PAGES / "workshop_room.py")
INSTRUMENT = str(PAGES / "instrument.py")
INSTRUMENT_PATH = "instrument"

# url paths of the workshop pages (also used to find the app's root URL from the page's URL)
WORKSHOP_NEW_PATH = "workshop"
WORKSHOP_JOIN_PATH = "join"
WORKSHOP_DASHBOARD_PATH = "facilitate"  # not "dashboard": st.context.url trims any page path that ends it ("board")
WORKSHOP_ROOM_PATH = "room"  # the room screen: opened from the dashboard, not listed in the menu
WORKSHOP_PATHS = (WORKSHOP_NEW_PATH, WORKSHOP_JOIN_PATH, WORKSHOP_DASHBOARD_PATH, WORKSHOP_ROOM_PATH)
UNLISTED_PATHS = (WORKSHOP_ROOM_PATH,)

# Query parameters of the links the workshop pages hand out: ?join=CODE, ?resume=TOKEN, ?facilitate=CODE.
JOIN_PARAM = "join"
RESUME_PARAM = "resume"
FACILITATE_PARAM = "facilitate"
LINK_TARGETS = {JOIN_PARAM: WORKSHOP_JOIN, RESUME_PARAM: WORKSHOP_JOIN, FACILITATE_PARAM: WORKSHOP_DASHBOARD}


def pages() -> dict[str, list[st.Page]]:
    return {
        "Self-assessment": [
            st.Page(START, title="Start", icon=":material/home:", default=True),
            st.Page(QUESTIONNAIRE, title="Questionnaire", icon=":material/checklist:"),
            st.Page(RESULTS, title="Results", icon=":material/insights:"),
            st.Page(BOARD, title="Board view", icon=":material/co_present:"),
            st.Page(COMPARE, title="Compare", icon=":material/compare_arrows:"),
            st.Page(GLOSSARY, title="Glossary", icon=":material/menu_book:"),
        ],
        "Group workshop": [
            st.Page(WORKSHOP_NEW, title="Run a workshop", icon=":material/groups:", url_path=WORKSHOP_NEW_PATH),
            st.Page(WORKSHOP_JOIN, title="Join a workshop", icon=":material/login:", url_path=WORKSHOP_JOIN_PATH),
            st.Page(
                WORKSHOP_DASHBOARD,
                title="Workshop dashboard",
                icon=":material/dashboard:",
                url_path=WORKSHOP_DASHBOARD_PATH,
            ),
            st.Page(WORKSHOP_ROOM, title="Room screen", icon=":material/co_present:", url_path=WORKSHOP_ROOM_PATH),
        ],
        "Question bank": [
            st.Page(INSTRUMENT, title="Instrument quality", icon=":material/analytics:", url_path=INSTRUMENT_PATH),
        ],
    }


def is_workshop_page(page: st.Page) -> bool:
    return page.url_path in WORKSHOP_PATHS


def leads_to_results(page: st.Page) -> bool:
    """The pages a respondent reads before Results: they load Results' chart and table code ahead (prefetch.py)."""
    return page.url_path in ("", "questionnaire")  # Start is the default page: its path is ""


def is_room_screen(page: st.Page) -> bool:
    """The room screen fills the window: no menu, no footer."""
    return page.url_path == WORKSHOP_ROOM_PATH


def shows_respondent_sidebar(page: st.Page) -> bool:
    """The single respondent's sidebar belongs to the self-assessment pages only."""
    return not is_workshop_page(page) and page.url_path != INSTRUMENT_PATH


def follow_link(page: st.Page) -> None:
    """Open the page a workshop link is for: `?join=` and `?resume=` the join page, `?facilitate=` the dashboard.

    Links point at the app's root (the default page), so only the default page redirects; the query
    parameters go along. Call from the entry point, after st.navigation.
    """
    if page.url_path != "":  # the default page has the root URL
        return
    params = st.query_params.to_dict()
    for name, target in LINK_TARGETS.items():
        if params.get(name):
            st.switch_page(target, query_params={name: params[name]})
