"""The Streamlit user interface. The only part of the package that imports Streamlit.

Pages (in `pages/`) only lay things out; scores, recommendations, plans and tables come from `assessment`.
"""

from pathlib import Path

APP_PATH = Path(__file__).resolve().parent / "main.py"  # the script `assessment serve` hands to `streamlit run`
