"""Make the widgets a page is about to show ready in the browser before it shows them.

Streamlit's frontend draws most widgets (radio, progress bar, segmented control, code block, ...) through a lazily
loaded component, one per widget type. The first time a browser tab draws a widget of a type, the component is
not ready yet: the widget is drawn as a grey placeholder (a "skeleton", of another height) and replaced by the
widget a moment later, in batches, and on a busy machine only after the script run is over.

The statements are the first radios a workshop participant's tab draws, right after joining (issue 11, finding 0).
Recorded in Chromium at that moment, after the run had ended: statements 2-5 and 7-10 were radios while
statements 1, 6 and 11 were still placeholders, and every radio below a placeholder moved down when it turned
into a radio. A click aimed at statement 1 then landed on a placeholder, where it does nothing, or on whatever
had moved under it (in the browser test, "the first radio on the page" was statement 2): the first answer after
joining never reached the store, and the page showed it unanswered. Loading the components' code beforehand (an
`import()` of their modules, the earlier fix) does not help: the code was there, but the component still
draws a placeholder on its first use in the tab and is only swapped in later. (A bare page drawing 11 radios, a
code block, a progress bar and a segmented control after a button click showed up to 14 placeholders at once
with or without that `import()`, and none once the same widgets had been drawn hidden before the click.)

So the join page draws one widget of each of those types (and a button, for the page's foot), hidden
(`display: none`: not shown, not in the accessibility tree, no space taken), while the participant fills in the
form. Each type has then been drawn once in the tab, and the statements are drawn as answerable radios at their
final place from the first run after joining. The hidden widgets are disabled and hold nothing the app reads.
"""

from __future__ import annotations

import streamlit as st

CONTAINER_KEY = "wk_preload"  # Streamlit gives the container the CSS class st-key-wk_preload
WIDGET_PREFIX = "wkp_"  # the hidden widgets' keys (not wkw_: nothing here is an answer)
# Markdown is drawn without a lazily loaded component, so the container is hidden from its first frame on (st.html
# is lazy itself: the widgets showed for a moment before the style arrived).
_HIDE = f"<style>.st-key-{CONTAINER_KEY} {{ display: none; }}</style>"
_LABEL = "Preparing the answer page"


def preload_widgets() -> None:
    """Draw, hidden, one of each widget type the answering page shows and the join page does not (text inputs are
    on the join form already). Draw it first on the join page: it is then in the browser before the participant
    can join, even when they join before the page's first run is over, and it takes no space."""
    with st.container(key=CONTAINER_KEY):
        st.markdown(_HIDE, unsafe_allow_html=True)
        st.radio(
            _LABEL,
            [_LABEL],
            index=None,
            key=f"{WIDGET_PREFIX}radio",
            disabled=True,
            horizontal=True,
            label_visibility="collapsed",
        )
        st.segmented_control(
            _LABEL, [_LABEL], key=f"{WIDGET_PREFIX}section", disabled=True, label_visibility="collapsed"
        )
        st.progress(0.0, text=_LABEL)
        st.code(_LABEL, language=None, wrap_lines=True)
        st.button(_LABEL, key=f"{WIDGET_PREFIX}button", disabled=True)
