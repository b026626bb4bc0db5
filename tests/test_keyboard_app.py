"""The questionnaire's keyboard and screen-reader help (issue 19, finding 2), through Streamlit's AppTest: answer
groups named in plain text while the eye reads escaped Markdown, and the focus script drawn after a section change
only (tests/test_keyboard_browser.py checks the same in Chromium)."""

from __future__ import annotations

from helpers import HOSTILE
from streamlit.testing.v1 import AppTest
from test_app import app_with, example

from assessment import default_bank
from assessment.ui import keyboard, routes, state
from assessment.ui.sections import SECTION_IDS, section_items
from assessment.ui.widgets import esc


def scripts(at: AppTest) -> list[str]:
    """The bodies of the page's st.html elements."""
    return [h.proto.body for h in at.get("html")]


def test_answer_groups_are_named_in_plain_text_and_shown_escaped() -> None:
    answer_set = example("riverside_quick_scan")
    answer_set.context.innovation_title = HOSTILE
    at = app_with(answer_set)
    at.session_state[state.SECTION] = SECTION_IDS[0]
    at.switch_page(routes.QUESTIONNAIRE).run()
    assert not at.exception
    items = section_items(default_bank(), "quick", SECTION_IDS[0])
    shown = [m.value for m in at.markdown]
    for n, item in enumerate(items, start=1):
        radio = at.radio(key=state.item_key(item.id))
        text = item.render(HOSTILE)
        assert radio.label == f"{n}. {text}"  # the accessible name: the words as typed, no Markdown
        assert radio.proto.label_visibility.value == radio.proto.label_visibility.COLLAPSED
        assert f"**{n}.** {esc(text)}" in shown  # what the eye reads: the same words, escaped


def test_a_section_change_draws_the_focus_script_once() -> None:
    at = app_with(example("riverside_quick_scan"))
    at.session_state[state.SECTION] = SECTION_IDS[0]
    at.switch_page(routes.QUESTIONNAIRE).run()
    assert not any("kbFocused" in s for s in scripts(at))  # nothing asked yet
    at.button(key="next_section").click().run()
    assert at.session_state[state.SECTION] == SECTION_IDS[1]
    first = state.item_key(section_items(default_bank(), "quick", SECTION_IDS[1])[0].id)
    focusing = [s for s in scripts(at) if "kbFocused" in s]
    assert len(focusing) == 1 and f'["{first}", ' in focusing[0]
    assert keyboard.FOCUS_REQUEST not in at.session_state
    # the next run (an answer) leaves the focus alone: the slot is idle, and still drawn (nothing below it moves)
    at.radio(key=first).set_value(3).run()
    assert not any("kbFocused" in s for s in scripts(at))
    assert keyboard.IDLE in scripts(at)
