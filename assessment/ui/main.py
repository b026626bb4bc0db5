"""The app's entry script: page set-up, settings, logging, navigation and the footer.

`streamlit run assessment/ui/main.py` (what `assessment serve` does) and the checkout's `app.py` both run `main()`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assessment import __version__
from assessment.bank import default_bank
from assessment.errors import AssessmentError
from assessment.logs import configure_logging
from assessment.settings import get_settings
from assessment.ui import freeze_loaded_objects, keyboard, prefetch, routes, sidebar, state
from assessment.ui import workshop_state as ws
from assessment.ui.widgets import flash_messages, guarded

FOOTER = "Innovation readiness self-assessment, version {version}"

# With the app's modules loaded (Streamlit, pydantic, SQLAlchemy, Plotly, pandas, Typst) a full garbage collection
# walks about 180,000 objects: 40-110 ms of CPU, during which the server sends nothing. Streamlit ran one after
# every script run (runner.postScriptGC, now off in .streamlit/config.toml: it also walked every open session's
# objects); Python's own collector still runs full collections now and then. Those objects live as long as the
# server, so they are moved out of the collector's sight once per process (`freeze_loaded_objects`); the garbage
# each run makes is still collected. Answer latency: bench/bench_answer_latency.py; capacity: bench/bench_capacity.py.
freeze_loaded_objects()


FAVICON = Path(__file__).with_name("favicon.png")


def main() -> None:
    st.set_page_config(
        page_title="Innovation readiness self-assessment",
        page_icon=FAVICON,  # served by the app (a Material icon is fetched from Google, which the CSP blocks)
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on phones, so the sidebar never covers a form
    )
    try:
        settings = get_settings()
    except AssessmentError as exc:  # a deployment mistake: say which setting, in one line
        st.error(f"The app is not configured correctly: {exc.one_line()}")
        st.stop()
    configure_logging(settings.log_level)  # once per process; later reruns only set the level
    state.init_state()
    # a workshop participant's answers that the widgets hold and the store lacks are saved first, on every page
    # (see ws.save_widget_answers: no answer depends on a callback)
    guarded(lambda: ws.save_widget_answers(default_bank()), ws.UNEXPECTED)
    pages = routes.pages()
    # Streamlit's own sidebar menu nests its links in invalid list markup (axe: list, listitem), so the menu is
    # drawn with st.page_link instead (sidebar.navigation), on every page.
    page = st.navigation(pages, position="hidden")
    routes.follow_link(page)
    state.follow_request()
    sidebar.navigation(pages)  # after any redirect: a page switch then starts from a clean run
    keyboard.install()  # focus rings, icons hidden from screen readers (every page)
    if routes.shows_respondent_sidebar(page):  # the workshop pages keep their own state
        guarded(lambda: sidebar.render(default_bank()))
    flash_messages()
    page.run()
    if routes.leads_to_results(page):
        prefetch.results_code()
    if not routes.is_room_screen(page):  # the room screen fills the window
        st.caption(FOOTER.format(version=__version__))


if __name__ == "__main__":
    main()
