"""A protocol-level load generator: simulated workshop participants that talk to the app the way a participant's
browser does, over Streamlit's websocket (`/_stcore/stream`) with its protobuf messages, without a browser each.

Each participant, like a browser on a join link:

1. loads the page (`GET /?join=CODE`: behind the proxy this is where the sticky-session cookie is set) and opens
   the websocket with the cookies a browser would send (the route cookie, and a device id in the app's device
   cookie, as the join page stores it);
2. asks for a script run of the join link (`BackMsg.rerun_script` with the query string), then submits the join
   form as the browser does (the role chosen in the select box, the form's submit button triggered); the app
   answers with the personal link in the query string (`?resume=TOKEN`), which identifies the participant;
3. answers one statement every `min_gap`-`max_gap` seconds (drawn from a seeded random generator, like the
   rating chosen): the rating is the radio's new value in the widget states of a script run, with every answer
   given before it, as the browser sends them. When the section shown has no unanswered statement left, it
   presses "Next section" first.

A widget drawn inside a fragment (`st.fragment`: its deltas carry the fragment's id) asks for a run of that
fragment only, as the browser does (`rerun_script.fragment_id`); the run then redraws the widgets of the fragments
it reran (its messages name them: the one asked for, or those the widget's callback chose) and leaves the others
as they were.

An answer's latency is the time from sending its script run until the server reports the run finished
(`ForwardMsg.script_finished`, FINISHED_SUCCESSFULLY, or FINISHED_FRAGMENT_RUN_SUCCESSFULLY for a fragment's run):
everything the page shows after the click has then been sent. Every answer sent is kept (`ParticipantRun.sent`),
so that `lost_answers` can check each against the store afterwards.

Used by bench/bench_capacity.py (participants at a human pace, one app process or several behind the proxy) and
tests/test_proxy.py (a few participants through nginx), tests/test_answer_fragment.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import secrets
import time
import urllib.request
from collections.abc import AsyncIterator, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, TypeVar
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from assessment.store import Store

# The answer options in the order the statements' radios offer them (assessment/ui/sections.SCALE_VALUES);
# the radio's value on the wire is the option's label, read from the page.
SCALE_VALUES: tuple[int | str, ...] = (1, 2, 3, 4, 5, "dont_know")
ITEM_WIDGET = "-wkw_item_"  # a statement's radio: widget id "$$ID-<hash>-wkw_item_<item id>"
ROLE_WIDGET = "-wkw_role"
JOIN_BUTTON = "-wk_join"
NEXT_BUTTON = "-wk_next"
DEVICE_COOKIE = "assessment_device"  # the app's device cookie (ui/workshop_state.DEVICE_COOKIE)
FRAGMENT_FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FINISHED = (ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY, FRAGMENT_FINISHED)
RUN_TIMEOUT_S = 60.0
T = TypeVar("T")


class ProtocolError(RuntimeError):
    """The app did not answer as a participant's page expects (no join form, no personal link, ...)."""


@dataclass(frozen=True)
class LoadPlan:
    participants: int
    answers_each: int
    min_gap: float = 6.0  # seconds between one participant's answers (uniform in [min_gap, max_gap])
    max_gap: float = 10.0
    ramp: float = 10.0  # the participants join spread over this many seconds
    seed: int = 1
    role: str = "Nurse"  # the role's label in the join form


@dataclass
class ParticipantRun:
    index: int
    device: str
    token: str | None = None
    join_s: float | None = None
    sent: dict[str, int | str] = field(default_factory=dict)  # item id -> the value answered
    latencies: list[float] = field(default_factory=list)  # seconds per answer
    error: str | None = None


@dataclass(frozen=True)
class Widget:
    kind: str  # the element's type: "radio", "button", ...
    proto: Any  # the element's message (its id, label, options)
    fragment: str = ""  # the id of the fragment that drew it ("": the page's own run)


class Page:
    """One browser tab's side of the protocol: script runs with widget states, the widgets last drawn."""

    def __init__(self, ws: Any, query: str) -> None:
        self.ws = ws
        self.query = query
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.alerts: list[str] = []  # the messages (st.error, st.info, ...) the last run drew
        self.progress = ""  # the text of the last progress bar the last run drew
        self.tracebacks: list[str] = []  # the exceptions (st.exception, an uncaught error) the last run drew
        self.toasts: list[str] = []  # the toasts the last run showed
        self.drawn_by: set[str] = set()  # the fragments whose elements the last run sent ("": the page's own)
        # the fragments the last run reran (none: the whole page), as its end says (`metadata.run`): the one asked
        # for, or those a widget's callback chose instead (`st.rerun(<fragment key>)`: the run asked for then ends
        # at once, unfinished, and the chosen fragments run)
        self.reran: set[str] = set()
        self.states: dict[str, WidgetState] = {}  # what the page's widgets hold, sent with every run

    async def run(self, triggers: Sequence[WidgetState] = (), fragment: str = "") -> float:
        """Ask for a script run with the widgets' states (and one-shot triggers), of the whole page or of one
        fragment; the seconds until it finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.fragment_id = fragment
        msg.rerun_script.widget_states.widgets.extend([*self.states.values(), *triggers])
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        drawn: dict[str, Widget] = {}
        alerts: list[str] = []
        self.drawn_by, self.progress, self.tracebacks, self.toasts = set(), "", [], []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S))
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                etype = element.WhichOneof("type")
                if etype is None:
                    continue
                proto = getattr(element, etype)
                self.drawn_by.add(fm.delta.fragment_id)
                if etype == "progress":
                    self.progress = proto.text
                wid = getattr(proto, "id", "")
                if wid:
                    drawn[wid] = Widget(etype, proto, fm.delta.fragment_id)
                elif etype == "alert":
                    alerts.append(proto.body)
                elif etype == "exception":
                    self.tracebacks.append(f"{proto.type}: {proto.message}")
                elif etype == "toast":
                    self.toasts.append(proto.body)
            elif kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "script_finished" and fm.script_finished in FINISHED:
                self.reran = set(fm.metadata.run.fragment_ids)
                if fm.script_finished == FRAGMENT_FINISHED:  # the widgets outside the fragments stay as drawn
                    drawn = {**{k: w for k, w in self.widgets.items() if w.fragment not in self.reran}, **drawn}
                self.widgets, self.alerts = drawn, alerts
                return time.perf_counter() - t0

    async def press(self, widget_id: str) -> float:
        """Press a button, in its fragment's run when it has one."""
        trigger = WidgetState(id=widget_id, trigger_value=True)
        return await self.run([trigger], self.widgets[widget_id].fragment)

    def find(self, suffix: str) -> str:
        for wid in self.widgets:
            if wid.endswith(suffix):
                return wid
        raise ProtocolError(f"the page has no widget {suffix.strip('-')}")


def item_of(widget_id: str) -> str:
    return widget_id.split(ITEM_WIDGET, 1)[1]


def page_cookies(base_url: str, path: str, sent: dict[str, str] | None = None) -> dict[str, str]:
    """GET the page as a browser does first (with the cookies it holds); the cookies it holds after (the proxy
    sets its route cookie here)."""
    jar = dict(sent or {})
    request = urllib.request.Request(base_url + path, headers=_cookie_header(jar))
    with urllib.request.urlopen(request, timeout=RUN_TIMEOUT_S) as response:
        given: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            given.load(header)
        response.read()
    return {**jar, **{name: morsel.value for name, morsel in given.items()}}


def _cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


@contextlib.asynccontextmanager
async def open_page(base_url: str, query: str, cookies: dict[str, str]) -> AsyncIterator[Page]:
    """The app's websocket, opened as a browser tab on `base_url/?query` opens it (with its cookies)."""
    parts = urlsplit(base_url)
    async with websockets.connect(
        f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        origin=websockets.Origin(f"{parts.scheme}://{parts.netloc}"),
        additional_headers=_cookie_header(cookies),
        max_size=None,
        open_timeout=RUN_TIMEOUT_S,
    ) as ws:
        yield Page(ws, query)


@contextlib.asynccontextmanager
async def join_link_page(base_url: str, code: str, device: str) -> AsyncIterator[Page]:
    """A tab opened on the join link `base_url/?join=CODE` by a browser whose device id is `device`: the page loaded
    (the cookies it sets, with the device cookie) and its websocket open."""
    cookies = await asyncio.to_thread(page_cookies, base_url, f"/?join={code}", {DEVICE_COOKIE: device})
    async with open_page(base_url, f"join={code}", cookies) as page:
        yield page


async def join(page: Page, role: str) -> str | None:
    """Draw the join page of the page's join link and submit its form with a role; the participant's token from
    the personal link, or None when the app refused (`page.alerts` says why)."""
    await page.run()
    chosen = WidgetState(id=page.find(ROLE_WIDGET), string_value=role)
    await page.run([chosen, WidgetState(id=page.find(JOIN_BUTTON), trigger_value=True)])
    return page.query.split("=", 1)[1] if page.query.startswith("resume=") else None


async def joined(page: Page, run: ParticipantRun, role: str) -> None:
    """`join`, keeping the token in `run`; ProtocolError with the app's reason when it refused."""
    run.token = await join(page, role)
    if run.token is None:
        raise ProtocolError(f"joining gave no personal link: {' '.join(page.alerts)[:120]}")


async def participant(base_url: str, code: str, plan: LoadPlan, run: ParticipantRun, rng: random.Random) -> None:
    """One participant: join, then answer `plan.answers_each` statements at the plan's pace (see the docstring)."""
    async with join_link_page(base_url, code, run.device) as page:
        t0 = time.perf_counter()
        await joined(page, run, plan.role)
        run.join_s = time.perf_counter() - t0
        for _ in range(plan.answers_each):
            await asyncio.sleep(rng.uniform(plan.min_gap, plan.max_gap))
            if not await answer_next(page, run, rng):
                break


async def answer_next(page: Page, run: ParticipantRun, rng: random.Random) -> bool:
    """Answer the first unanswered statement shown (pressing "Next section" first when the section is done), with
    a rating drawn from `rng`; False when no statement is left to answer."""
    open_items = [w for w in page.widgets if ITEM_WIDGET in w and item_of(w) not in run.sent]
    if not open_items:  # this section is done: on to the next one, as a participant would
        await page.press(page.find(NEXT_BUTTON))
        open_items = [w for w in page.widgets if ITEM_WIDGET in w and item_of(w) not in run.sent]
        if not open_items:
            return False
    wid = open_items[0]
    choice = rng.randrange(len(SCALE_VALUES))
    options = list(page.widgets[wid].proto.options)
    page.states[wid] = WidgetState(id=wid, string_value=options[choice])
    run.sent[item_of(wid)] = SCALE_VALUES[choice]
    run.latencies.append(await page.run(fragment=page.widgets[wid].fragment))
    return True


async def _one(base_url: str, code: str, plan: LoadPlan, run: ParticipantRun, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, plan.ramp))
    try:
        await participant(base_url, code, plan, run, rng)
    except Exception as exc:  # one participant's failure is counted, not the end of the run
        run.error = f"{type(exc).__name__}: {exc}"[:200]


async def simulate(base_url: str, code: str, plan: LoadPlan) -> list[ParticipantRun]:
    master = random.Random(plan.seed)
    runs = [ParticipantRun(n, secrets.token_urlsafe(16)) for n in range(plan.participants)]
    rngs = [random.Random(master.getrandbits(64)) for _ in runs]
    await asyncio.gather(*(_one(base_url, code, plan, r, g) for r, g in zip(runs, rngs, strict=True)))
    return runs


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end in a thread of its own, so that it works where an event loop already runs
    (Playwright's sync API keeps one running in the thread that uses it)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


def run_load(base_url: str, code: str, plan: LoadPlan) -> list[ParticipantRun]:
    """Run the plan's participants against the app at `base_url` (http://host:port); their runs."""
    return run_sync(simulate(base_url.rstrip("/"), code, plan))


def lost_answers(store: Store, runs: Sequence[ParticipantRun]) -> list[str]:
    """Every answer sent that the store does not hold with the value sent (empty: nothing lost)."""
    lost = []
    for run in runs:
        if run.token is None:
            continue
        held = {item: answer.value for item, answer in store.load_participant(run.token).answers.items()}
        lost += [f"participant {run.index}: {item} sent {value}, stored {held.get(item)}"
                 for item, value in run.sent.items() if held.get(item) != value]  # fmt: skip
    return lost


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]
