"""The browser code of the Results page's charts and tables, loaded while the respondent is still on Start or the
Questionnaire.

Streamlit's frontend loads an element's code the first time a page of the session shows that kind of element:
about 6 MB for Plotly charts (4.7 MB) and data frames (Arrow and the grid). On a new session's first visit to
Results that loading, not the server, took about 2 s of the 2.0-4.3 s (issue 19, finding 8; the server's share
was about 0.1 s); a repeat visit took 0.4 s. A hidden, empty chart and table at the end of those pages start the
loading early, while the respondent reads or answers, so the first visit to Results is as quick as a repeat.
Hidden with `display: none`: nothing is drawn, read out or focusable. Measured by bench/bench_results_served.py.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

KEY = "results_code_prefetch"
_CSS = f"<style>.st-key-{KEY} {{ display: none !important; }}</style>"
_FIGURE: dict[str, Any] = {"data": [{"type": "scatter", "x": [0], "y": [0]}], "layout": {"height": 10}}  # a dict
_FRAME = pd.DataFrame({"": [""]})


def results_code() -> None:
    """Draw the hidden chart and table (cheap on the server: an empty figure and a one-cell frame)."""
    with st.container(key=KEY):
        st.html(_CSS)
        st.plotly_chart(_FIGURE, key=f"{KEY}_chart", config={"staticPlot": True, "displayModeBar": False})
        st.dataframe(_FRAME, key=f"{KEY}_table", hide_index=True)
