"""Glossary: the terms the results, the board and the report use, in plain words (assessment.plain.GLOSSARY)."""

from __future__ import annotations

import streamlit as st

from assessment.plain import GLOSSARY
from assessment.ui.widgets import guarded


def render() -> None:
    st.title("Glossary")
    st.markdown("The terms the results, the board view and the PDF report use, in plain words.")
    for term, text in GLOSSARY.items():
        st.markdown(f"#### {term}\n{text}")


guarded(render)
