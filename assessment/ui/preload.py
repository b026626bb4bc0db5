"""Load the browser code of widgets a page is about to show, before it shows them.

Streamlit's frontend loads the code of most widgets (radio, progress bar, segmented control, code block, ...)
only when a page first draws one, and draws a grey placeholder of another height until it has arrived. The
questions are the first radios a workshop participant sees, right after joining: for the first moments (seconds
on a busy machine or a slow network) some statements were still placeholders while others were drawn, and every
statement moved down as the placeholders above it turned into widgets. A click then landed on another statement
than the one aimed at, or on a placeholder, where it did nothing: the "first answer after joining" that never
reached the store (issue 11, finding 0). Loading that code while the participant fills in the join form means the
statements are drawn at their final place at once.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

# the frontend modules (file stems of streamlit/static/static/js/<Name>.<hash>.js) the answering page uses
ANSWERING_WIDGETS = ("Radio", "TextInput", "Progress", "ButtonGroup", "StreamlitSyntaxHighlighter", "Button")

_STATIC_JS = Path(st.__file__).resolve().parent / "static" / "static" / "js"

# Resolves each module against the URL of Streamlit's own entry module, as its lazy imports do, so the module is
# the same one (and works under a base URL path). Fixed text: only file names found in Streamlit's package.
_SCRIPT = (
    "<script>(() => {{"
    "const entry = document.querySelector('script[type=module][src*=\"/static/js/index.\"]');"
    "if (!entry) return;"
    "for (const name of {names}) import(new URL(name, entry.src).href).catch(() => {{}});"
    "}})();</script>"
)


@lru_cache(maxsize=8)
def module_files(names: tuple[str, ...]) -> tuple[str, ...]:
    """The hashed file names of the named frontend modules in the installed Streamlit (missing ones skipped)."""
    found = []
    for name in names:
        pattern = re.compile(rf"{re.escape(name)}\.[A-Za-z0-9_-]+\.js")
        found += sorted(p.name for p in _STATIC_JS.glob(f"{name}.*.js") if pattern.fullmatch(p.name))
    return tuple(found)


def preload_widgets(names: tuple[str, ...] = ANSWERING_WIDGETS) -> None:
    """Ask the browser to load the widgets' code now (draw at the end of a page: it takes no visible space)."""
    files = module_files(names)
    if files:
        st.html(_SCRIPT.format(names=json.dumps(list(files))), unsafe_allow_javascript=True)
