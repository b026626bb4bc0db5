"""The server side of a Streamlit rerun, timed: widget callbacks plus the script, on the script thread.

`install()` wraps ScriptRunner._run_script once per process; `script_seconds(fn)` runs `fn` (an AppTest round
trip) and returns the script time it caused. Used by bench_rerun.py and bench_first_results.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

_SCRIPT_TIMES: list[float] = []
_original_run_script = ScriptRunner._run_script


def _timed_run_script(self: ScriptRunner, rerun_data: Any) -> None:
    t0 = time.perf_counter()
    try:
        _original_run_script(self, rerun_data)
    finally:
        _SCRIPT_TIMES.append(time.perf_counter() - t0)


def install() -> None:
    ScriptRunner._run_script = _timed_run_script  # type: ignore[method-assign]


def script_seconds(fn: Callable[[], object]) -> float:
    """Seconds of server-side script time the reruns inside `fn` took."""
    _SCRIPT_TIMES.clear()
    fn()
    return sum(_SCRIPT_TIMES)
