"""The facilitator's dashboard driven over Streamlit's websocket as a browser does (bench/loadgen.py), against one
`assessment serve` process on SQLite: a double click on *Open the second round* (or on *Close the second round*)
does it once and says so once.

Streamlit keeps a button's callback after the button has left the page, so the second press of a double click
reached the callback after the first had opened the round (the panel then draws *Close the second round*), and the
dashboard said "A second round has already been opened in this workshop."

What Streamlit does with such a press, as measured here: a press of a button that the last run did not draw at all
runs its callback; a press of a button that the last run drew disabled is ignored. So *Exclude* and *Reopen*, drawn
disabled once their choice is cleared, were never at risk (a protocol test of their double clicks passed on the code
before this fix too, and is not kept).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import pytest
from conftest import ROOT
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(ROOT / "bench"))

import cluster
import loadgen

from assessment.store import Store
from assessment.ui.second_round import pick_key

ROLES = ["doctor", "doctor", "doctor", "executive", "executive", "executive"]
LOW, HIGH = [1, 2, 1], [5, 4, 5]  # the first two statements split the roles: they make the agenda


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    folder = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    store = Store(url)
    with cluster.apps(url, 1, folder) as (started,):
        yield started.url, store


def _seed(store: Store) -> tuple[str, str, list[str]]:
    created = store.create_workshop("Double click", None, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    items = [i.id for i in store.bank.items_for("quick")]
    for n, role in enumerate(ROLES):
        token = store.join_workshop(code, role, client_key=f"d{n}").participant_token
        value = LOW[n] if n < 3 else HIGH[n - 3]
        store.save_answers(token, {**{i: (3, "") for i in items}, **{i: (value, "") for i in items[:2]}})
        store.submit(token)
    return code, key, [a.item_id for a in store.summary(code, key).agenda]


def test_a_double_click_on_a_round_button_acts_once_and_says_so_once(app: tuple[str, Store]) -> None:
    base_url, store = app
    code, key, agenda = _seed(store)

    async def session() -> None:
        cookies = await asyncio.to_thread(loadgen.page_cookies, base_url, f"/?facilitate={code}")
        async with loadgen.open_page(base_url, f"facilitate={code}", cookies) as page:
            await page.run()
            typed = WidgetState(id=page.find("-wdw_key"), string_value=key)
            await page.run([typed, WidgetState(id=page.find("-wd_open"), trigger_value=True)])
            ticks = [WidgetState(id=page.find(f"-{pick_key(item)}"), bool_value=True) for item in agenda]
            await page.run([typed, *ticks])  # ticked: the button is drawn enabled
            press = WidgetState(id=page.find("-wd_open_round"), trigger_value=True)
            await page.run([typed, *ticks, press])
            assert [a for a in page.alerts if "Second round open" in a], page.alerts
            await page.run([typed, *ticks, press])  # the second press of the double click
            assert not [a for a in page.alerts if "already" in a], page.alerts
            close = WidgetState(id=page.find("-wd_close_round"), trigger_value=True)
            await page.run([typed, close])
            assert [a for a in page.alerts if "Second round closed" in a], page.alerts
            await page.run([typed, close])
            assert not [a for a in page.alerts if "already" in a], page.alerts

    loadgen.run_sync(session())
    opened = store.open_workshop(code, key).second_round
    assert opened is not None and opened.items == agenda and opened.closed_at is not None
