"""The Streamlit user interface. The only part of the package that imports Streamlit.

Pages (in `page_scripts/`) only lay things out; scores, recommendations, plans and tables come from `assessment`.
Not in `pages/`: Streamlit takes a `pages/` folder beside the script it serves (`main.py` under `assessment serve`)
for its old file-based pages on a process's first run, where the app's own page paths do not exist, and a link to
any of them then opened under Streamlit's "Page not found" (`tests/test_first_request.py`).
"""

import gc
from functools import cache
from pathlib import Path

APP_PATH = Path(__file__).resolve().parent / "main.py"  # the script `assessment serve` hands to `streamlit run`
# The checkout's .streamlit/config.toml (the wheel holds a copy, made by setup.py when the package is built):
# `assessment serve` passes its settings as options, since Streamlit reads .streamlit/ only from the working
# directory.
_PACKAGED_CONFIG = Path(__file__).resolve().parent / "streamlit_config.toml"
STREAMLIT_CONFIG = (
    _PACKAGED_CONFIG if _PACKAGED_CONFIG.is_file() else _PACKAGED_CONFIG.parents[2] / ".streamlit" / "config.toml"
)


@cache
def freeze_loaded_objects() -> None:
    """Move every object alive now out of the garbage collector's sight, once per process (see ui/main.py).

    Once: `assessment serve` hands main.py itself to Streamlit, which executes it again on every full run, and a
    freeze then would also keep that run's garbage for good (memory grew by about 39 KB per full run)."""
    gc.freeze()
