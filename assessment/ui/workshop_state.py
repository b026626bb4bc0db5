"""Session state of the workshop pages, kept apart from the single respondent's (`state`).

A participant's canonical answers live under `wk_*` keys and their widgets under `wkw_*` keys, so a person can
fill in a self-assessment and take part in a workshop in the same browser without either touching the other
(`state.clear_widgets` drops only `w_*` keys). The canonical copy holds what the store has confirmed: every
run first saves what the answer widgets hold beyond it (`save_widget_answers`), so a closed tab loses nothing
and the resume link (`?resume=TOKEN`) brings everything back from the store.

The facilitator's join code and key live under `wf_*` keys for the browser session only: the key is never put
in a URL, so the dashboard asks for it again after a reload.

Wrong join codes are counted in the store (`store/limits.py`, `store/joining.py`). The client key is the
browser's device id, kept in a first-party cookie (`assessment_device`), so a reload or a new tab counts
against the same device: 10 wrong codes in 15 minutes pause that device, and an excluded participant's device
cannot join that workshop again. A browser that refuses or clears cookies gets a new id; a script can do the
same, which is why the server-wide budget, not the device's, bounds guessing. The network key is the client's
address (`network_key`): its budget is ten times higher and never stops a right code, since participants in
one room often share one hospital address.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, cast

import streamlit as st

from .. import netaddr
from ..bank import QuestionBank, default_bank
from ..settings import get_settings, server_forwarded_trust
from ..store import Resume, Store, get_store
from ..vocabulary import PlanAnswer
from ..workshop import AlreadySubmitted, NotEnoughAnswers, ParticipantStatus, WorkshopError, WorkshopInfo
from . import routes, state
from .sections import PLAN_FIELDS, SECTION_IDS, first_open_section
from .widgets import esc

LOG = logging.getLogger(__name__)

BASE_URL_ENV = "ASSESSMENT_BASE_URL"  # the app's public root URL, when links must not follow the browser's URL
DEFAULT_BASE_URL = "http://localhost:8501"

# participant (canonical)
TOKEN = "wk_token"
INFO = "wk_workshop"  # WorkshopInfo
STATUS = "wk_status"  # ParticipantStatus
STATUS_SAVED = "wk_status_saved"  # this run's save returned STATUS: the page needs not read it again
ANSWERS = "wk_answers"  # item id -> {"value": 1..5 | "dont_know" | None, "comment": str}
PLAN = "wk_plan"  # plan-fact field -> vocabulary.PlanAnswer | None
SECTION = "wk_section"
SAVED_AT = "wk_saved_at"  # when the last answer reached the store
CONFIRMING = "wk_confirming"  # the participant pressed "Submit my answers…" and is asked to confirm
JUST_SAVED = "wk_just_saved"  # the answer (item id or plan field) this run saved last: the phone page moves on
SCROLL_TO = "wk_scroll_to"  # the widget key a "check your answers" link asked to show
CLIENT = "wk_client"  # the device id of this browser (from the device cookie, or new)
CLIENT_SAVED = "wk_client_saved"  # the device cookie holds CLIENT
DEVICE_COOKIE = "assessment_device"
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
# participant (widgets)
WIDGET_PREFIX = "wkw_"
SECTION_WIDGET = "wkw_section"
CODE_WIDGET = "wkw_code"
# facilitator
F_CODE = "wf_code"
F_KEY = "wf_key"
CREATED = "wf_created"  # {"code", "key", "title"} of the workshop just created: the key is shown this once

UNEXPECTED = (
    "Something went wrong while drawing this page. Every answer given so far is saved in the workshop; reload the "
    "page (or open your personal link) to carry on."
)
UNEXPECTED_FACILITATOR = (
    "Something went wrong while drawing this page. Nothing recorded in the workshop is lost: reload the page, and "
    "enter the join code and facilitator key again if asked."
)
SAVE_FAILED = "Your last answer could not be saved just now. Please give it again in a moment."


def item_key(item_id: str) -> str:
    return f"{WIDGET_PREFIX}item_{item_id}"


def comment_key(item_id: str) -> str:
    return f"{WIDGET_PREFIX}comment_{item_id}"


def plan_key(field: str) -> str:
    return f"{WIDGET_PREFIX}plan_{field}"


# ----- links ---------------------------------------------------------------------------------------------


def app_root_url() -> str:
    """The app's root URL: `ASSESSMENT_BASE_URL` when set, else the browser's URL without the page path."""
    configured = get_settings().base_url
    if configured:
        return configured
    try:
        url = st.context.url
    except Exception:  # no browser context (bare scripts, some tests)
        url = None
    if not url:
        return DEFAULT_BASE_URL
    url = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    head, _, last = url.rpartition("/")
    if last in routes.WORKSHOP_PATHS and "://" in head:
        url = head
    return url


def join_link(code: str) -> str:
    return f"{app_root_url()}/?{routes.JOIN_PARAM}={code}"


def resume_link(token: str) -> str:
    return f"{app_root_url()}/?{routes.RESUME_PARAM}={token}"


def dashboard_link(code: str) -> str:
    return f"{app_root_url()}/?{routes.FACILITATE_PARAM}={code}"


def network_key() -> str | None:
    """The client's network address for the store's per-address budget of wrong join codes (see
    `assessment.netaddr`: the socket's real peer, and X-Forwarded-For only from ASSESSMENT_TRUSTED_PROXIES)."""
    try:
        reported = st.context.ip_address
        given = st.context.headers
        headers = {k: ", ".join(given.get_all(k)) for k in given}  # every X-Forwarded-For line, not the first
    except Exception:  # not in a browser session (bare mode)
        return None
    peer = netaddr.socket_peer(reported, headers, server_forwarded_trust())
    return netaddr.network_key(netaddr.client_address(peer, headers, get_settings().proxy_networks))


def _device_id(value: object) -> str | None:
    return value if isinstance(value, str) and DEVICE_ID.fullmatch(value) else None


def client_key() -> str:
    """This browser's device id for the store's budget of wrong join codes and for re-joins: from the device
    cookie when the browser sent one, else a new random id that `keep_device_cookie` stores in the cookie, so
    that a reload keeps counting against the same device (see the module docstring)."""
    ss = st.session_state
    if CLIENT not in ss:
        try:
            sent = _device_id(st.context.cookies.get(DEVICE_COOKIE))
        except Exception:  # no browser context
            sent = None
        ss[CLIENT] = sent or secrets.token_urlsafe(16)
        ss[CLIENT_SAVED] = sent is not None
    return f"device:{ss[CLIENT]}"


def keep_device_cookie() -> None:
    """Store this session's device id in a first-party cookie (a year; sent only to this site), once."""
    ss = st.session_state
    client_key()
    if ss.get(CLIENT_SAVED):
        return
    device = _device_id(ss[CLIENT])
    if device is None:  # pragma: no cover - ids are made above
        return
    st.html(
        "<script>document.cookie = '" + DEVICE_COOKIE + "=" + device + "; Max-Age=31536000; Path=/; "
        "SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
    ss[CLIENT_SAVED] = True


# ----- participant ----------------------------------------------------------------------------------------


def token() -> str | None:
    return st.session_state.get(TOKEN)


def info() -> WorkshopInfo:
    return st.session_state[INFO]


def status() -> ParticipantStatus:
    return st.session_state[STATUS]


def answers() -> dict[str, dict[str, Any]]:
    return st.session_state.setdefault(ANSWERS, {})


def plan() -> dict[str, str | None]:
    return st.session_state.setdefault(PLAN, dict.fromkeys(PLAN_FIELDS))


def section() -> str:
    current = st.session_state.get(SECTION)
    return current if current in SECTION_IDS else SECTION_IDS[0]


def clear_widgets() -> None:
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(WIDGET_PREFIX) and k != CODE_WIDGET]:
        del ss[key]


def load(resume: Resume, participant_token: str, bank: QuestionBank) -> None:
    """Make a participant's stored answers the canonical state of this session (after joining or resuming)."""
    ss = st.session_state
    given, plan_choices = state.canonical_answers(resume.answers)
    ss[TOKEN] = participant_token
    ss[INFO] = resume.workshop
    ss[STATUS] = resume.participant
    ss[ANSWERS] = given
    ss[PLAN] = plan_choices
    ss[SECTION] = first_open_section(bank, resume.workshop.mode, given, plan_choices)
    ss.pop(SAVED_AT, None)
    clear_widgets()


def forget_participant() -> None:
    """Leave the workshop on this device (the answers stay in the store, behind the resume link)."""
    ss = st.session_state
    for key in (TOKEN, INFO, STATUS, ANSWERS, PLAN, SECTION, SAVED_AT):
        ss.pop(key, None)
    clear_widgets()
    st.query_params.clear()


def refresh_status() -> ParticipantStatus:
    """The participant's status as the store holds it: as this run's save returned it, else read afresh (the
    facilitator may have reopened their answers)."""
    ss = st.session_state
    if ss.pop(STATUS_SAVED, False) and STATUS in ss:
        return ss[STATUS]
    current = get_store().participant_status(ss[TOKEN])
    ss[STATUS] = current
    return current


def _save(action: Callable[[Store, str], object], reraise: tuple[type[Exception], ...] = ()) -> bool:
    """Run one save against the store; on failure say why (flash and toast) and return False."""
    participant = token()
    if not participant:
        return False
    try:
        action(get_store(), participant)
    except reraise:
        raise
    except AlreadySubmitted as exc:
        _failed(exc.one_line())
        try:
            refresh_status()
        except Exception:
            LOG.exception("could not refresh a participant's status")
        return False
    except WorkshopError as exc:
        _failed(f"Not saved: {exc.one_line()}")
        return False
    except Exception:
        LOG.exception("saving a workshop answer failed")
        _failed(SAVE_FAILED)
        return False
    st.session_state[SAVED_AT] = datetime.now(UTC)
    return True


def _failed(message: str) -> None:
    state.flash("error", message)  # drawn with its toast by widgets.flash_messages (once: it had a second toast)


def _widget_answers(bank: QuestionBank, mode: str) -> tuple[dict[str, tuple[Any, str]], dict[str, str | None]]:
    """What the answer widgets hold that differs from the canonical copy (the answers the store confirmed)."""
    ss, given, choices = st.session_state, answers(), plan()
    items: dict[str, tuple[Any, str]] = {}
    for item in bank.items_for(mode):  # type: ignore[arg-type]
        key, ckey = item_key(item.id), comment_key(item.id)
        held = key in ss, ckey in ss
        if not any(held):
            continue
        entry = given.get(item.id) or {}
        value = ss[key] if held[0] else entry.get("value")
        comment = (ss[ckey] or "").strip() if held[1] else entry.get("comment") or ""
        if (value, comment) != (entry.get("value"), entry.get("comment") or ""):
            items[item.id] = (value, comment)
    facts = {f: ss[plan_key(f)] for f in PLAN_FIELDS if plan_key(f) in ss and ss[plan_key(f)] != choices.get(f)}
    return items, facts


def _save_plan(store: Store, participant: str, field: str, answer: PlanAnswer | None) -> None:
    store.save_plan_fact(participant, field, answer)


def save_widget_answers(bank: QuestionBank) -> bool:
    """Save every answer the page's widgets hold that the store has not confirmed yet; True if one was saved.

    Called at the top of every run, before anything is counted or drawn. No on_change callback saves an answer
    (a statement's callback only chooses which parts of the page rerun, and the run it chooses saves): Streamlit
    interrupts a callback at its next session-state access when another click arrives meanwhile, and then treats
    the widget's change as handled, so a one-shot callback can be lost half-way (the answer shown, never saved).
    Comparing what the widgets hold with what the store confirmed cannot be lost: an interrupted run leaves the
    difference in place, and the next run saves it. The canonical copy changes only after the store has the
    answer; a failed save puts the widgets back and says why.
    """
    st.session_state.pop(STATUS_SAVED, None)  # a status returned by an earlier run's save is stale now
    if not token() or INFO not in st.session_state:
        return False
    items, facts = _widget_answers(bank, info().mode)
    if not items and not facts:
        return False
    ok = not items or _save(lambda s, t: st.session_state.update({STATUS: s.save_answers(t, items), STATUS_SAVED: 1}))
    if ok:
        st.session_state[JUST_SAVED] = item_key(next(reversed(items))) if items else plan_key(next(reversed(facts)))
    given = answers()
    for item_id, (value, comment) in items.items():
        entry = given.setdefault(item_id, {"value": None, "comment": ""})
        if ok:
            entry["value"], entry["comment"] = value, comment
        else:
            st.session_state[item_key(item_id)] = entry["value"]
            st.session_state[comment_key(item_id)] = entry["comment"]
    choices = plan()
    for field, choice in facts.items():
        answer = cast("PlanAnswer | None", choice)  # the widget offers vocabulary.PLAN_ANSWERS; the store checks
        if ok and _save(partial(_save_plan, field=field, answer=answer)):
            choices[field] = choice
            st.session_state.pop(STATUS_SAVED, None)  # its time of the last save is older than this one
        else:
            st.session_state[plan_key(field)] = choices.get(field)
    return True


def on_section() -> None:
    state.take_section_choice(SECTION_WIDGET, SECTION)


def go_to_section(section_id: str) -> None:
    state.move_to_section(section_id, SECTION_WIDGET, SECTION)


def ask_to_submit() -> None:
    st.session_state[CONFIRMING] = True


def cancel_submit() -> None:
    st.session_state.pop(CONFIRMING, None)


def submit() -> None:
    """Submit after the confirmation; the store refuses a near-empty submission and says why."""
    st.session_state.pop(CONFIRMING, None)
    save_widget_answers(default_bank())  # an answer given just before the click is saved before submitting
    submitted: list[ParticipantStatus] = []
    try:
        ok = _save(lambda s, t: submitted.append(s.submit(t)), reraise=(NotEnoughAnswers,))
    except NotEnoughAnswers as exc:
        _failed(exc.one_line())
        return
    if ok:  # the page shows the thank-you at its top, and the page is shown from there
        st.session_state[STATUS] = submitted[0]
        st.session_state[state.SCROLL_TOP] = True


# ----- facilitator ----------------------------------------------------------------------------------------


def facilitator() -> tuple[str, str] | None:
    ss = st.session_state
    code, key = ss.get(F_CODE), ss.get(F_KEY)
    return (code, key) if code and key else None


def remember_facilitator(code: str, key: str) -> None:
    st.session_state[F_CODE] = code
    st.session_state[F_KEY] = key


def unlock_dashboard(code: str, key: str) -> str | None:
    """Check a join code and facilitator key typed on a page; remember them for this browser session and
    return the workshop's join code, or show why not (st.error) and return None."""
    if not key.strip():
        st.error("Enter the facilitator key: without it the dashboard cannot be opened.")
        return None
    try:
        info = get_store().open_workshop(code, key.strip())
    except WorkshopError as exc:
        st.error(esc(exc.one_line()))
        return None
    remember_facilitator(info.join_code, key.strip())
    return info.join_code


def forget_facilitator() -> None:
    for key in (F_CODE, F_KEY, CREATED):
        st.session_state.pop(key, None)
