"""Keyboard and screen-reader help that Streamlit has no API for (issue 19, finding 2).

- **Focus after a section change.** "Next section", "Previous section" and the section switcher ask for it
  (`request_focus`); the statements of the new section then draw a small script (`focus_slot`) that puts the
  keyboard focus on the section's first question (its chosen option, or its first), so that the next key press
  answers it and a screen reader announces it. Without this the focus fell back to the page's body and the next
  Tab landed in the middle of the section. The script names the question by its Streamlit key class
  (`st-key-<widget key>`: keys are made from bank ids and plan fields, never from what a person typed) and, once
  the focus is there, records the key on the page's body (`data-kb-focused`), so a test can wait for it.
- **Focus rings** of at least 3:1 against their background on answer options, buttons, links and the
  section switcher, and a focused sidebar link that looks different from the current page (the current page is
  tinted; a focused link is outlined and underlined): `STYLE`.
- **Icons hidden from screen readers.** Streamlit draws a `:material/...:` icon inside Markdown as an image
  named "<name> icon" (a screen reader reads "bookmark icon"); the icons only decorate text that says the same,
  so `install` marks them `aria-hidden` as they appear (Streamlit already does so for the icons of buttons).
- **The menu closes on a phone.** The menu is made of page links (`sidebar.navigation`), and Streamlit closes the
  sidebar after a page change only for its own menu: on a phone, the sidebar stayed over the page just chosen.
  `install` closes it when one of its page links is followed on a screen narrower than `NARROW_PX`, by pressing
  the sidebar's own close button, as a person would.

Every script here is fixed text with JSON-encoded keys: nothing a person typed reaches one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

FOCUS_REQUEST = "kb_focus_first"  # set by a section change: focus the first question of the section drawn next
_RUNS = "kb_focus_runs"  # a new script text on each request, so that it runs again when drawn at the same place
# The theme's primary colour (.streamlit/config.toml): 8.4:1 against white, 7.5:1 against the sidebar's #EEF2F6.
RING = "#0B4F8A"
RING_PX = 2
INSTALL_KEY = "kbinstall"  # the hidden container of the style and the icon script (in the sidebar)
SLOT_KEY = "kbfocusslot"  # the hidden container of the focus script (below a section's questions)
SCROLL_SLOT_KEY = "kbscrollslot"  # the hidden container of widgets.scroll_to_top's script
# (no underscores in any of the three: STYLE names them, and the page tests read its Markdown for raw ids)

STYLE = f"""<style>
.st-key-{INSTALL_KEY}, .st-key-{SLOT_KEY}, .st-key-{SCROLL_SLOT_KEY} {{ display: none; }}
[data-testid="stRadioOption"]:is([data-focus-visible="true"], :has(input:focus-visible)) {{
  outline: {RING_PX}px solid {RING}; outline-offset: 2px; border-radius: 0.25rem; }}
:is(button, a, summary, [role="tab"]):focus-visible {{
  outline: {RING_PX}px solid {RING} !important; outline-offset: 2px; }}
[data-testid="stSidebar"] a:focus-visible {{ text-decoration: underline; text-underline-offset: 0.2em; }}
[data-testid="stSidebar"] a:focus-visible p {{ text-decoration: underline; text-underline-offset: 0.2em; }}
</style>"""

_ICONS = """<script>(() => {
  if (window.kbIconsHidden) return;
  window.kbIconsHidden = true;
  const icons = 'span[role="img"][translate="no"][aria-label$=" icon"]:not([aria-hidden])';
  const hide = root => {
    if (root.matches?.(icons)) root.setAttribute('aria-hidden', 'true');
    root.querySelectorAll?.(icons).forEach(e => e.setAttribute('aria-hidden', 'true'));
  };
  hide(document.body);
  new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(hide)))
    .observe(document.body, {childList: true, subtree: true});
})();</script>"""

_FOCUS = """<script>(() => {
  const [key, run] = %s;
  let frames = 0;
  const focus = () => {
    const el = document.querySelector('.st-key-' + CSS.escape(key));
    const input = el && (el.querySelector('input:checked') || el.querySelector('input'));
    if (!input) {
      if (++frames < 600) requestAnimationFrame(focus);  // drawn yet? (about 10 s at most)
      return;
    }
    input.focus({preventScroll: true});
    // out of sight: bring the question (its text and options) up to the screen's foot, keeping what is above it
    const main = document.querySelector('[data-testid="stMain"]');
    const box = (el.parentElement.closest('[data-testid="stVerticalBlock"]') || el).getBoundingClientRect();
    if (main && (box.top < 0 || box.top > window.innerHeight - 96)) {
      const by = box.top < 0 ? box.top - 72 : Math.min(box.bottom - window.innerHeight + 16, box.top - 72);
      main.scrollTo({top: main.scrollTop + by, behavior: 'instant'});
    }
    document.body.dataset.kbFocused = key + ' ' + run;
  };
  focus();
})();</script>"""
NARROW_PX = 640  # Streamlit's own breakpoint: below it the sidebar is drawn over the page
_CLOSE_MENU = """<script>(() => {
  if (window.kbMenuCloses) return;
  window.kbMenuCloses = true;
  document.addEventListener('click', event => {
    const link = event.target.closest?.('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]');
    if (!link || window.innerWidth >= NARROW) return;
    setTimeout(() => document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click(), 0);
  }, true);
})();</script>""".replace("NARROW", str(NARROW_PX))
IDLE = "<script>/* nothing asked */</script>"  # a slot's content when nothing is asked: an unchanged element


def install() -> None:
    """The focus rings and the icon script, on every page (the entry script calls this on every run, with the same
    text each time, so the browser keeps what it has), in a hidden container in the sidebar."""
    with st.sidebar, st.container(key=INSTALL_KEY):  # hidden: takes no room (the room screen has no sidebar)
        st.markdown(STYLE, unsafe_allow_html=True)
        st.html(_ICONS + _CLOSE_MENU, unsafe_allow_javascript=True, width="content")


def request_focus() -> None:
    st.session_state[FOCUS_REQUEST] = True


def then_focus(callback: Callable[..., None], *args: Any) -> None:
    """A section change's callback: ask for the focus on the new section's first question, then run the page's
    own (last: it may end in `st.rerun`)."""
    request_focus()
    callback(*args)


def focus_script(key: str, run: int) -> str:
    return _FOCUS % json.dumps([key, run])


def focus_slot(first_key: str) -> None:
    """Below a section's questions, always drawn (so nothing after it moves): the script that focuses the question
    keyed `first_key` when a section change asked for it, else an idle script."""
    ss = st.session_state
    script = IDLE
    if ss.pop(FOCUS_REQUEST, False):
        ss[_RUNS] = ss.get(_RUNS, 0) + 1
        script = focus_script(first_key, ss[_RUNS])
    with st.container(key=SLOT_KEY):  # hidden (STYLE)
        st.html(script, unsafe_allow_javascript=True, width="content")
