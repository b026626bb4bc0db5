"""The first request a fresh `assessment serve` process gets opens the page its URL names, without Streamlit's
"Page not found" dialog over it: a folder named `pages/` beside the served script (`assessment/ui/main.py`) made
Streamlit run its old file-based pages on a process's first run, where the app's own paths (such as /facilitate,
a facilitator's bookmark after a restart) did not exist.

Driven over Streamlit's websocket as the browser does on a page's URL (`rerun_script.page_name`, bench/loadgen.py).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from conftest import ROOT
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(ROOT / "bench"))

import cluster
import loadgen

from assessment.ui import APP_PATH, routes


async def _first_run(base_url: str, page_name: str) -> list[ForwardMsg]:
    """The messages of the script run a browser asks for when it opens `base_url/page_name`."""
    async with loadgen.open_page(base_url, "", {}) as page:
        msg = BackMsg()
        msg.rerun_script.page_name = page_name
        await page.ws.send(msg.SerializeToString())
        received: list[ForwardMsg] = []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(page.ws.recv(), loadgen.RUN_TIMEOUT_S))
            received.append(fm)
            if fm.WhichOneof("type") == "script_finished":
                return received


def test_a_fresh_process_opens_a_page_link_without_page_not_found(tmp_path: Path) -> None:
    assert not (APP_PATH.parent / "pages").exists()  # the cause, named: see assessment/ui/__init__.py
    with cluster.apps(f"sqlite:///{tmp_path / 'app.sqlite'}", 1, tmp_path) as (app,):
        received = loadgen.run_sync(_first_run(app.url, routes.WORKSHOP_DASHBOARD_PATH))
    kinds = [fm.WhichOneof("type") for fm in received]
    assert "page_not_found" not in kinds
    navigation = next(fm.navigation for fm in received if fm.WhichOneof("type") == "navigation")
    shown = {p.page_script_hash: p.url_pathname for p in navigation.app_pages}
    assert shown[navigation.page_script_hash] == routes.WORKSHOP_DASHBOARD_PATH
    assert received[-1].script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
