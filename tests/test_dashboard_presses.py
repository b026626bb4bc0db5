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

from conftest import ROOT
from helpers import seed_split_workshop
from streamlit.proto.WidgetStates_pb2 import WidgetState
from test_answer_fragment import app  # noqa: F401  (one `assessment serve` process on SQLite, for this module)

sys.path.insert(0, str(ROOT / "bench"))

import loadgen

from assessment.store import Store
from assessment.ui.second_round import pick_key


def test_a_double_click_on_a_round_button_acts_once_and_says_so_once(app: tuple[str, Store]) -> None:  # noqa: F811
    base_url, store = app
    code, key, agenda = seed_split_workshop(store, "Double click")

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
