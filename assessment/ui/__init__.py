"""The Streamlit user interface. The only part of the package that imports Streamlit.

Pages (in `pages/`) only lay things out; scores, recommendations, plans and tables come from `assessment`.
"""

from pathlib import Path

APP_PATH = Path(__file__).resolve().parent / "main.py"  # the script `assessment serve` hands to `streamlit run`
# The checkout's .streamlit/config.toml (this is a link to it; the wheel holds a copy): `assessment serve` passes
# its settings as options, since Streamlit reads .streamlit/ only from the working directory.
STREAMLIT_CONFIG = Path(__file__).resolve().parent / "streamlit_config.toml"
