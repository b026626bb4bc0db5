"""Entry point: page set-up, shared state, navigation. Run with `make run` (streamlit run app.py)."""

import streamlit as st

from assessment.bank import default_bank
from assessment.ui import routes, sidebar, state
from assessment.ui.widgets import flash_messages, guarded

st.set_page_config(
    page_title="Innovation readiness self-assessment",
    page_icon=":material/health_and_safety:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on phones, so the sidebar never covers a form
)
state.init_state()
pages = routes.pages()
# Streamlit's own sidebar menu nests its links in invalid list markup (axe: list, listitem), so the menu is drawn
# with st.page_link instead (sidebar.navigation), on every page.
page = st.navigation(pages, position="hidden")
routes.follow_link(page)
state.follow_request()
sidebar.navigation(pages)  # after any redirect: a page switch then starts from a clean run
if routes.shows_respondent_sidebar(page):  # the workshop pages keep their own state
    guarded(lambda: sidebar.render(default_bank()))
flash_messages()
page.run()
