"""The workshop participant page on a phone: big tap targets, moving on to the next unanswered statement after an
answer, and the "check your answers" list before submitting, whose links take the participant to a statement.

Scrolling is done by a small script drawn at the foot of the page on each run that asks for it. It names the
element to show by its Streamlit key class (`st-key-<key>`: keys are made from bank ids and plan fields, never
from what a person typed): a question's block, its text with its options (`questions.question_key`), or the
section's foot, placed just below Streamlit's header. Once it has scrolled it records the widget key on the page's
body (`data-wk-shown`), so a test can wait for the move instead of for time. Moving on after an answer happens on
narrow screens only: on a wide screen the next statements are already in view and the page stays still.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ..bank import QuestionBank
from . import state
from . import workshop_state as ws
from .keyboard import NARROW_PX  # below it the page moves on to the next unanswered statement after an answer
from .questions import question_key
from .sections import PLAN_QUESTIONS, SECTION_BY_ID, SECTION_IDS, Mode, section_items
from .widgets import esc

CONTAINER_KEY = "wk_answering"  # the participant page's container (CSS class st-key-wk_answering)
FOOT_KEY = "wk_foot"  # the section's foot: previous/next section, or the check and submit step
_RUNS = "wk_scrolls"
CHECKING = "wk_checking"  # the participant followed a "check your answers" link to another section
TAP_PX = 44  # the least height of a tap target (WCAG 2.5.5, Apple's and the NHS's guidance)
# Markdown is drawn without a lazily loaded component, so the style applies from the page's first frame.
STYLE = f"""<style>
.st-key-{CONTAINER_KEY} [data-testid="stRadio"] label {{ min-height: {TAP_PX}px; align-items: center;
  margin: 0; padding-right: 0.5rem; }}
.st-key-{CONTAINER_KEY} [data-testid="stRadio"] [role="radiogroup"] {{ gap: 0; }}
.st-key-{CONTAINER_KEY} button {{ min-height: {TAP_PX}px; }}
@media (max-width: {NARROW_PX - 1}px) {{
  body:has(.st-key-{CONTAINER_KEY}) [data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
  .st-key-{CONTAINER_KEY} h1 {{ font-size: 1.6rem; padding: 0; }}
  .st-key-{CONTAINER_KEY} h3 {{ font-size: 1.2rem; padding: 0.25rem 0 0; }}
  .st-key-{CONTAINER_KEY} [data-testid="stButtonGroup"] button {{ padding: 0 0.4rem; }}
  .st-key-{CONTAINER_KEY} [data-testid="stButtonGroup"] button * {{ font-size: 0.8rem; }}
}}
</style>"""
# The element is shown just below Streamlit's header, which stays over the top of the page as it scrolls.
_SCRIPT = """<script>(() => {
  const [key, shown, always, focus, run] = %s;
  if (!always && window.innerWidth >= %d) return;
  const main = document.querySelector('[data-testid="stMain"]');
  const el = document.querySelector('.st-key-' + CSS.escape(shown));
  if (!main || !el) return;
  const header = document.querySelector('[data-testid="stHeader"]');
  const below = Math.max(header ? header.getBoundingClientRect().bottom : 0, 0) + 8;
  main.scrollTo({top: el.getBoundingClientRect().top + main.scrollTop - below, behavior: 'instant'});
  if (focus) el.querySelector('input')?.focus({preventScroll: true});
  document.body.dataset.wkShown = key;
})();</script>"""


def style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


@dataclass(frozen=True)
class Open:
    """A question still unanswered: its section, its widget key, its number in the section and its text."""

    section_id: str
    key: str
    number: int
    text: str


def unanswered(
    bank: QuestionBank, mode: Mode, innovation: str, answers: Mapping[str, Mapping[str, Any]], plan: Mapping[str, Any]
) -> list[Open]:
    """Every unanswered statement and plan question, in the order the page asks them."""
    found: list[Open] = []
    for sid in SECTION_IDS:
        if sid == "plan":
            found += [
                Open(sid, ws.plan_key(f.field), n, f.render(innovation))
                for n, f in enumerate(PLAN_QUESTIONS, start=1)
                if not plan.get(f.field)
            ]
            continue
        for n, item in enumerate(section_items(bank, mode, sid), start=1):
            if (answers.get(item.id) or {}).get("value") is None:
                found.append(Open(sid, ws.item_key(item.id), n, item.render(innovation)))
    return found


def _keys_in_order(bank: QuestionBank, mode: Mode, section_id: str) -> list[str]:
    if section_id == "plan":
        return [ws.plan_key(f.field) for f in PLAN_QUESTIONS]
    return [ws.item_key(i.id) for i in section_items(bank, mode, section_id)]


def next_after(bank: QuestionBank, mode: Mode, section_id: str, saved: str, still_open: list[Open]) -> str:
    """The widget key to show after the answer `saved`: the next unanswered question below it in the section,
    else the section's foot (next section, or check and submit)."""
    keys = _keys_in_order(bank, mode, section_id)
    if saved not in keys:
        return FOOT_KEY
    open_keys = {o.key for o in still_open if o.section_id == section_id}
    return next((k for k in keys[keys.index(saved) + 1 :] if k in open_keys), FOOT_KEY)


def whole_page(callback: Callable[..., None]) -> Callable[..., None]:
    """A press's callback on the answering page (a section change, a check link, submitting), then a run of the
    whole page. A statement's change that reaches the server in the same request (a comment committed as "Next
    section" is tapped, or two taps queued behind a slow run) asks for the saved count alone
    (`answering._after_statement`); without this the press would change the section and leave the old statements
    drawn. A press asking for the whole page wins over that. Not the answering part alone (a keyed `st.rerun` of
    `answering._answers`): in Chromium the move to the next question then stopped working after a section change.
    Presses are few, answers many."""

    def pressed(*args: Any) -> None:
        callback(*args)
        st.rerun()

    return pressed


def go_to(section_id: str, key: str) -> None:
    """A "check your answers" link's callback: open the question's section and show the question."""
    ws.go_to_section(section_id)
    ss = st.session_state
    ss.pop(state.SCROLL_TOP, None)
    ss.pop(ws.CONFIRMING, None)
    ss[ws.SCROLL_TO] = key
    ss[CHECKING] = section_id != SECTION_IDS[-1]  # came from the check: a way straight back to it


def back_to_check(section_id: str) -> None:
    """On another section's foot after a "check your answers" link: one tap back to the check."""
    if section_id == SECTION_IDS[-1] or not st.session_state.get(CHECKING):
        st.session_state.pop(CHECKING, None)
        return
    st.button(
        "Back to check your answers",
        key="wk_back_to_check",
        type="primary",
        icon=":material/checklist:",
        on_click=whole_page(go_to),
        args=(SECTION_IDS[-1], FOOT_KEY),
    )


def scroll_script(bank: QuestionBank, mode: Mode, section_id: str, still_open: list[Open], submitted: bool) -> None:
    """At the page's foot: show what a link asked for (any screen), or the next unanswered question after an
    answer was saved this run (narrow screens only)."""
    ss = st.session_state
    asked, saved = ss.pop(ws.SCROLL_TO, None), ss.pop(ws.JUST_SAVED, None)
    if asked:
        key, always, focus = asked, True, True
    elif saved and not submitted:
        key, always, focus = next_after(bank, mode, section_id, saved, still_open), False, False
    else:
        return
    ss[_RUNS] = ss.get(_RUNS, 0) + 1  # a new script each time, even to the same place: it runs when drawn
    shown = key if key == FOOT_KEY else question_key(key)  # a question with its text, not its options alone
    args = json.dumps([key, shown, always, focus, ss[_RUNS]])
    st.html(_SCRIPT % (args, NARROW_PX), unsafe_allow_javascript=True, width="content")


def check_answers(still_open: list[Open]) -> None:
    """Every unanswered question by its text, each with a link to it (a button that opens its section)."""
    if not still_open:
        st.markdown("Every statement is answered.")
        return
    st.markdown(f"**{len(still_open)} not answered yet.** Tap one to answer it, or submit without it:")
    for entry in still_open:
        st.button(
            f"{SECTION_BY_ID[entry.section_id].short} {entry.number}: {esc(entry.text)}",
            key=f"wk_goto_{entry.key}",
            icon=":material/arrow_forward:",
            type="tertiary",
            on_click=whole_page(go_to),
            args=(entry.section_id, entry.key),
        )
