"""The Streamlit user interface. The only part of the package that imports Streamlit.

Pages (in `pages/`) only lay things out; scores, recommendations, plans and tables come from `assessment`.
"""
