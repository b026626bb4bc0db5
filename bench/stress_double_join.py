"""Stress: a double click on *Join the workshop*. Each trial opens a join link over Streamlit's websocket
(bench/loadgen.py), then sends the join press twice, the second `--gap` milliseconds after the first, as a browser
does when the button is clicked twice; the store must then hold one participant for that device, not two.

Run:  .venv/bin/python bench/stress_double_join.py [--trials 20] [--gaps 0 5 10 50] [--baseline REF]

With --baseline, the same trials run against that commit's tree too (the two app processes on one SQLite file), so
that a change can be compared with what was there before. Exit status 1 if this tree made two participants in any
trial. At eb2dce7 (the join handled in the form's script run, then `st.rerun()`), gaps of 5 and 10 ms made two
participants in 4 and 11 trials of 20; with the join as a callback that ignores a press once the form is gone, 0.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import cluster  # noqa: E402
import loadgen  # noqa: E402
import per_answer  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from assessment.store import Store  # noqa: E402

QUIET_S = 1.5  # the server has answered both presses when nothing more comes for this long


async def _double_press(base_url: str, code: str, gap_s: float) -> None:
    async with loadgen.join_link_page(base_url, code, secrets.token_urlsafe(16)) as page:
        await page.run()
        role = WidgetState(id=page.find(loadgen.ROLE_WIDGET), string_value="Nurse")
        press = WidgetState(id=page.find(loadgen.JOIN_BUTTON), trigger_value=True)
        msg = BackMsg()
        msg.rerun_script.query_string = page.query
        msg.rerun_script.page_script_hash = page.page_hash
        msg.rerun_script.widget_states.widgets.extend([*page.states.values(), role, press])
        await page.ws.send(msg.SerializeToString())
        await asyncio.sleep(gap_s)
        await page.ws.send(msg.SerializeToString())
        while True:  # let both presses be handled
            try:
                await asyncio.wait_for(page.ws.recv(), QUIET_S)
            except TimeoutError:
                return


def _doubles(label: str, app: cluster.App, store: Store, gap_ms: float, trials: int) -> int:
    made_two = 0
    for k in range(trials):
        created = store.create_workshop(f"Double join {label} {gap_ms} {k}", None, "quick")
        loadgen.run_sync(_double_press(app.url, created.workshop.join_code, gap_ms / 1000))
        made_two += len(store.participants(created.workshop.join_code, created.facilitator_key)) > 1
    print(f"  {label:<6} gap {gap_ms:4.0f} ms: {made_two} of {trials} trials made two participants", flush=True)
    return made_two


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--gaps", type=float, nargs="+", default=[0, 5, 10, 50], help="milliseconds between presses")
    parser.add_argument("--baseline", default="", help="a commit to run the same trials against first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = f"sqlite:///{tmp / 'double.sqlite'}"
        store = Store(url)
        (tmp / "logs").mkdir()
        if args.baseline:
            root, _sha = per_answer.baseline_root(tmp, args.baseline)
            with cluster.apps(url, 1, tmp / "logs", root=root) as (before,):
                for gap in args.gaps:
                    _doubles("before", before, store, gap, args.trials)
        with cluster.apps(url, 1, tmp / "logs") as (after,):
            lost = sum(_doubles("after", after, store, gap, args.trials) for gap in args.gaps)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
