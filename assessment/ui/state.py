"""Session state: the canonical answers, context, mode and section, kept apart from the widgets.

Streamlit forgets the value of a widget that is not drawn on the current page, so widgets never hold the
answers. The canonical copy lives in plain session-state dicts, is updated by on_change callbacks, and seeds
each widget's value whenever the widget is drawn again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from typing import Any

import streamlit as st
from streamlit.runtime.state import SessionStateProxy

from ..answers import AnswerSet, Context, ItemAnswer, parse_answers
from ..bank import QuestionBank
from ..errors import AssessmentError
from .sections import (
    PLAN_FIELDS,
    SECTION_IDS,
    first_open_section,
    plan_choices_from,
    plan_context,
)

LOG = logging.getLogger(__name__)

# canonical keys
ANSWERS = "answers"  # item id -> {"value": 1..5 | "dont_know" | None, "comment": str}
CONTEXT = "context"  # Context fields except the plan facts
CHOSEN = "context_chosen"  # the deciding context fields (radicalness, stage) someone actually chose
DECIDING = ("radicalness", "stage")
PLAN = "plan"  # plan-fact field -> vocabulary.PlanAnswer ("yes" | "no" | "not_sure") | None
MODE = "mode"  # "quick" | "full"
SECTION = "section"  # the questionnaire section the respondent is in
EARLIER = "earlier"  # an earlier AnswerSet loaded on the compare page
EARLIER_NAME = "earlier_name"
FLASH = "flash"  # list of (level, plain text) shown once at the top of the next page drawn
GOTO = "goto"  # a page path to switch to on the next run (set by callbacks, which cannot switch pages)
SCROLL_TOP = "scroll_to_top"  # set when a button moves to another section: show it from its top
UPLOADS = "upload_generation"  # bumped to give file uploaders a fresh key once a file has been used

# widget keys
SECTION_WIDGET = "w_section"
MODE_WIDGET = "w_mode"
_WIDGET_PREFIXES = ("w_",)


def item_key(item_id: str) -> str:
    return f"w_item_{item_id}"


def comment_key(item_id: str) -> str:
    return f"w_comment_{item_id}"


def context_key(field: str) -> str:
    return f"w_ctx_{field}"


def plan_key(field: str) -> str:
    return f"w_plan_{field}"


def _fresh_context() -> dict[str, Any]:
    """Context fields other than the plan answers, which live in PLAN."""
    return Context().model_dump(exclude=set(PLAN_FIELDS))


Store = MutableMapping[str, Any] | SessionStateProxy  # a plain dict in tests, else Streamlit's session state


def _ss(store: Store | None) -> Store:
    """The given store (tests pass a plain dict) or Streamlit's session state."""
    return st.session_state if store is None else store


def init_state(store: Store | None = None) -> None:
    ss = _ss(store)
    ss.setdefault(ANSWERS, {})
    ss.setdefault(CONTEXT, _fresh_context())
    ss.setdefault(CHOSEN, [])
    ss.setdefault(PLAN, dict.fromkeys(PLAN_FIELDS))
    ss.setdefault(MODE, "quick")
    ss.setdefault(SECTION, SECTION_IDS[0])
    ss.setdefault(FLASH, [])
    ss.setdefault(UPLOADS, 0)


def seed(key: str, value: object) -> None:
    """Give a widget its value from the canonical state, unless the widget already holds one."""
    if key not in st.session_state:
        st.session_state[key] = value


# One-shot buttons. Streamlit keeps a button's callback after the button has left the page, so the second press of a
# double click reaches the callback after the first press has changed the page (joined the workshop, opened the
# round). The run that draws such a button marks it; the callback takes the mark, so it acts only on a press of a
# button the last run drew, and once.


def _drawn_key(button_key: str) -> str:
    return f"drawn:{button_key}"


def mark_drawn(button_key: str) -> None:
    st.session_state[_drawn_key(button_key)] = True


def forget_drawn(*button_keys: str) -> None:
    """Drop the marks of buttons this run does not draw."""
    for key in button_keys:
        st.session_state.pop(_drawn_key(key), None)


def take_press(button_key: str) -> bool:
    """In a one-shot button's callback: whether the last run drew the button (the mark is taken)."""
    return bool(st.session_state.pop(_drawn_key(button_key), False))


def clear_widgets(store: Store | None = None) -> None:
    """Drop every widget value so that all widgets are seeded afresh from the canonical state."""
    ss = _ss(store)
    for key in [k for k in ss if isinstance(k, str) and k.startswith(_WIDGET_PREFIXES)]:
        del ss[key]


# ----- reading the canonical state ---------------------------------------------------------------


def answers() -> dict[str, dict[str, Any]]:
    return st.session_state[ANSWERS]


def context() -> dict[str, Any]:
    return st.session_state[CONTEXT]


def plan() -> dict[str, str | None]:
    return st.session_state[PLAN]


def mode() -> str:
    return st.session_state[MODE]


def section() -> str:
    current = st.session_state[SECTION]
    return current if current in SECTION_IDS else SECTION_IDS[0]


def innovation_title() -> str:
    return str(context().get("innovation_title") or "")


def snapshot(store: Store | None = None) -> dict[str, Any]:
    """A plain copy of the canonical state, safe to hand to code that runs after this rerun."""
    ss = _ss(store)
    return {
        ANSWERS: {k: dict(v) for k, v in ss[ANSWERS].items()},
        CONTEXT: dict(ss[CONTEXT]),
        PLAN: dict(ss[PLAN]),
        MODE: ss[MODE],
        SECTION: ss[SECTION],
    }


def current_answer_set(bank: QuestionBank, store: Store | None = None) -> AnswerSet:
    """The answers as the domain sees them (and as they are saved): validated, in bank order."""
    ss = _ss(store)
    ctx = dict(ss[CONTEXT])
    ctx.update(plan_context(ss[PLAN]))
    given = ss[ANSWERS]
    items = {}
    for item in bank.items:
        entry = given.get(item.id)
        if entry and (entry.get("value") is not None or entry.get("comment")):
            items[item.id] = ItemAnswer(value=entry.get("value"), comment=entry.get("comment") or "")
    section = ss[SECTION] if ss[SECTION] in SECTION_IDS else SECTION_IDS[0]
    return AnswerSet(
        bank_version=bank.bank_version,
        mode=ss[MODE],
        context=Context.model_validate(ctx),
        answers=items,
        section=section,
    )


# ----- callbacks (run before the page body, so they may change widget values) -------------------


def _entry(item_id: str) -> dict[str, Any]:
    return answers().setdefault(item_id, {"value": None, "comment": ""})


def on_item(item_id: str) -> None:
    _entry(item_id)["value"] = st.session_state.get(item_key(item_id))


def on_comment(item_id: str) -> None:
    _entry(item_id)["comment"] = (st.session_state.get(comment_key(item_id)) or "").strip()


def on_context(field: str) -> None:
    value = st.session_state.get(context_key(field))
    if field in DECIDING:
        if value is None:
            return
        chosen = st.session_state.setdefault(CHOSEN, [])
        if field not in chosen:
            chosen.append(field)
    context()[field] = value.strip() if isinstance(value, str) else value


def unchosen() -> list[str]:
    """The deciding context fields not chosen yet (the results wait for them)."""
    chosen = st.session_state.get(CHOSEN, [])
    return [f for f in DECIDING if f not in chosen]


def on_plan(field: str) -> None:
    plan()[field] = st.session_state.get(plan_key(field))


def on_mode() -> None:
    st.session_state[MODE] = st.session_state.get(MODE_WIDGET) or "quick"


def take_section_choice(widget_key: str, section_key: str) -> None:
    """A section switcher's callback (each flow passes its own keys): keep the chosen section if it is one."""
    chosen = st.session_state.get(widget_key)
    if chosen in SECTION_IDS:
        st.session_state[section_key] = chosen


def move_to_section(section_id: str, widget_key: str, section_key: str) -> None:
    """A 'Previous/Next section' button's callback (each flow passes its own keys); the page opens at its top."""
    st.session_state[section_key] = section_id
    st.session_state[widget_key] = section_id
    st.session_state[SCROLL_TOP] = True


def on_section() -> None:
    take_section_choice(SECTION_WIDGET, SECTION)


def go_to_section(section_id: str) -> None:
    move_to_section(section_id, SECTION_WIDGET, SECTION)


def take_scroll_request() -> bool:
    return bool(st.session_state.pop(SCROLL_TOP, False))


def request_page(path: str) -> None:
    st.session_state[GOTO] = path


def follow_request() -> None:
    """Switch to a page a callback asked for (call from the entry point, after st.navigation)."""
    target = st.session_state.pop(GOTO, None)
    if target:
        st.switch_page(target)


# ----- flash messages ----------------------------------------------------------------------------


RESUME_ERROR = "resume_error"


def flash(level: str, text: str, store: Store | None = None) -> None:
    _ss(store).setdefault(FLASH, []).append((level, text))


def flash_waiting() -> bool:
    """Whether a message waits to be shown (`flash`)."""
    return bool(st.session_state.get(FLASH))


def take_flash() -> list[tuple[str, str]]:
    messages = list(st.session_state.get(FLASH, []))
    st.session_state[FLASH] = []
    return messages


# ----- restoring from a saved file ---------------------------------------------------------------


def canonical_answers(answer_set: AnswerSet) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
    """A saved answer set's answers and plan choices in the shape of the canonical state (`ANSWERS`, `PLAN`)."""
    given = {k: {"value": a.value, "comment": a.comment} for k, a in answer_set.answers.items()}
    return given, plan_choices_from(answer_set.context)


def restore(answer_set: AnswerSet, bank: QuestionBank, store: Store | None = None) -> None:
    """Replace the canonical state with a saved answer set, exactly as it was saved."""
    ctx = answer_set.context.model_dump(exclude=set(PLAN_FIELDS))
    restored, plan_choices = canonical_answers(answer_set)
    ss = _ss(store)
    ss[ANSWERS] = restored
    ss[CONTEXT] = ctx
    ss[CHOSEN] = list(DECIDING)  # a saved file holds both, as chosen then
    ss[PLAN] = plan_choices
    ss[MODE] = answer_set.mode
    if answer_set.section in SECTION_IDS:
        ss[SECTION] = answer_set.section
    else:
        ss[SECTION] = first_open_section(bank, answer_set.mode, restored, plan_choices)
    clear_widgets(ss)


def apply_upload(data: bytes, name: str, bank: QuestionBank, store: Store | None = None) -> str | None:
    """Resume from the bytes of a saved answers file.

    Returns None when the answers were restored, or a one-line message saying why the file cannot be used;
    in that case the current answers are left exactly as they were.
    """
    try:
        answer_set = parse_answers(data, bank, name=name or "the file")
    except AssessmentError as exc:
        return exc.one_line()
    except Exception:  # never let an odd file reach the page as a traceback
        LOG.exception("unexpected error reading an answers file")
        return f"{name or 'the file'} could not be read as a saved answers file"
    restore(answer_set, bank, store)
    return None


def load_earlier(data: bytes, name: str, bank: QuestionBank, store: Store | None = None) -> str | None:
    """Keep an earlier saved assessment for the compare page; a message instead when it cannot be read."""
    try:
        answer_set = parse_answers(data, bank, name=name or "the file")
    except AssessmentError as exc:
        return exc.one_line()
    except Exception:
        LOG.exception("unexpected error reading an earlier answers file")
        return f"{name or 'the file'} could not be read as a saved answers file"
    ss = _ss(store)
    ss[EARLIER] = answer_set
    ss[EARLIER_NAME] = name
    return None


def uploader_key_for(base: str, generation: int) -> str:
    return f"{base}_{generation}"


def uploader_key(base: str) -> str:
    """A file-uploader key that changes once a file has been used, so the uploader is emptied."""
    return uploader_key_for(base, st.session_state.get(UPLOADS, 0))


def bump_uploads(store: Store | None = None) -> None:
    ss = _ss(store)
    ss[UPLOADS] = ss.get(UPLOADS, 0) + 1


def uploaded_bytes(key: str, store: Store | None = None) -> tuple[bytes, str] | None:
    file = _ss(store).get(key)
    if file is None:
        return None
    return file.getvalue(), str(getattr(file, "name", "") or "the file")


def on_resume_upload(
    key: str, bank: QuestionBank, then: Callable[[], None] | None = None, store: Store | None = None
) -> None:
    """The resume uploader's callback: restore the file, or say why not and leave the answers alone."""
    ss = _ss(store)
    got = uploaded_bytes(key, ss)
    if got is None:
        return
    data, name = got
    problem = apply_upload(data, name, bank, ss)
    bump_uploads(ss)  # a fresh, empty uploader either way: a rejected file must not look accepted
    if problem:
        message = f"Could not resume from {name}: {problem}. Your current answers are unchanged."
        ss[RESUME_ERROR] = message  # shown beside the uploader, where the user is looking
        flash("error", message, ss)
        return
    ss.pop(RESUME_ERROR, None)
    flash("success", f"Resumed from {name}: {len(ss[ANSWERS])} answer(s) restored.", ss)
    if then is not None:
        then()
