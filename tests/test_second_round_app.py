"""The facilitator's second-round panel in the app (AppTest): the round opens on the statements chosen when
**Open the second round** is pressed, even when the press reaches the server together with the last pick (a quick
click before the rerun that follows it; the browser test met this on a busy machine)."""

from __future__ import annotations

from helpers import APP, plain, seed_split_workshop
from streamlit.testing.v1 import AppTest
from test_workshop_app import store  # noqa: F401  (the app's database for each test)

from assessment.store import Store
from assessment.ui import routes
from assessment.ui.second_round import pick_key


def test_the_round_opens_on_every_statement_chosen_when_the_button_is_pressed(store: Store) -> None:  # noqa: F811
    code, key, agenda = seed_split_workshop(store, "Frailty pathway")
    assert len(agenda) == 2
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params[routes.FACILITATE_PARAM] = code
    at.run()
    at.text_input(key="wdw_key").set_value(key)
    at.button(key="wd_open").click().run()
    assert not at.exception and not at.error
    assert at.button(key="wd_open_round").disabled  # nothing is ticked for the facilitator
    at.checkbox(key=pick_key(agenda[0])).check().run()  # the button is drawn with one statement ticked
    assert not at.button(key="wd_open_round").disabled
    # the second tick and the press arrive in one request
    at.checkbox(key=pick_key(agenda[1])).check()
    at.button(key="wd_open_round").click().run()
    assert not at.exception and not at.error
    rc = store.summary(code, key).second_round
    assert rc is not None and list(rc.info.items) == agenda
    assert any("Second round open: 0 of 6 people have re-rated 2 statements" in plain(m.value) for m in at.markdown)
