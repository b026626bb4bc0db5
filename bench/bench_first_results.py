"""The first visit to Results in a new session against a repeat visit in the same session (issue 19, finding 8).

Run:  .venv/bin/python bench/bench_first_results.py [--sessions 8]

Everything runs under streamlit.testing.v1.AppTest in this one process, which stands for one server process:
what is cached per process (the bank, the rules, the stage weights, the report templates, st.cache_resource)
is shared by the sessions, and each AppTest is a new session with its own session state. The process is warmed
by one session first (as a server is by its first visitor). Then for each new session, loaded with the answers
of examples/riverside_two_step.json and opened on the Start page: the first switch to Results, then a repeat
(back to the Start page, and Results again). Server-side script time, wall time and process CPU time, median
over the sessions. The goal: the first visit within 1.5x of a repeat visit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rows import Row, emit  # noqa: E402  (bench/rows.py: this script's folder is on sys.path)
from script_timing import install, script_seconds  # noqa: E402
from streamlit import logger as st_logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment import default_bank, load_answers  # noqa: E402
from assessment.ui import state  # noqa: E402

GOAL_RATIO = 1.5
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
RESULTS = "assessment/ui/page_scripts/results.py"
START = "assessment/ui/page_scripts/start.py"


def _timed(fn: Callable[[], object]) -> tuple[float, float, float]:
    """(server-side script seconds, wall seconds, process CPU seconds) of one AppTest round trip."""
    c0, t0 = time.process_time(), time.perf_counter()
    script = script_seconds(fn)
    return script, time.perf_counter() - t0, time.process_time() - c0


def _share_script_cache() -> None:
    """AppTest compiles the scripts on every run; a server compiles each once per process (see bench_rerun)."""
    import streamlit.testing.v1.app_test as app_test_module
    import streamlit.testing.v1.local_script_runner as runner_module
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    runner_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def new_session() -> AppTest:
    """A new session with the example's answers, on the Start page (Results not yet visited)."""
    bank = default_bank()
    store: dict[str, Any] = {}
    state.init_state(store)
    state.restore(load_answers(EXAMPLE, bank), bank, store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in store.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def visit(at: AppTest, page: str) -> None:
    at.switch_page(page).run()
    assert not at.exception, at.exception


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    args = parser.parse_args()
    st_logger.set_log_level("error")  # "missing ScriptRunContext": each session's state is set up outside a run
    install()
    _share_script_cache()
    warm = new_session()  # the server's first visitor: imports, the process's caches
    visit(warm, RESULTS)
    first: list[tuple[float, float, float]] = []
    repeat: list[tuple[float, float, float]] = []
    for _ in range(args.sessions):
        at = new_session()
        first.append(_timed(lambda at=at: visit(at, RESULTS)))
        visit(at, START)
        repeat.append(_timed(lambda at=at: visit(at, RESULTS)))
    names = ("server script", "wall", "CPU")
    med_first = [statistics.median(t[i] for t in first) for i in range(3)]
    med_repeat = [statistics.median(t[i] for t in repeat) for i in range(3)]
    print(f"Results page, median of {args.sessions} new sessions (seconds):")
    for i, name in enumerate(names):
        ratio = med_first[i] / med_repeat[i] if med_repeat[i] else float("nan")
        print(f"  {name:<14} first {med_first[i]:.3f}   repeat {med_repeat[i]:.3f}   ratio {ratio:.2f}x")
    ratio = med_first[1] / med_repeat[1]
    print(f"goal: first visit within {GOAL_RATIO}x of a repeat (wall): {'met' if ratio <= GOAL_RATIO else 'NOT met'}")
    emit(
        Row(
            benchmark="first_results",
            measured_what="first Results visit in a new session (wall, median)",
            goal=f"within {GOAL_RATIO}x of a repeat visit",
            measured=round(med_first[1] * 1000, 1),
            baseline=round(med_repeat[1] * 1000, 1),
            unit="ms",
            passed=ratio <= GOAL_RATIO,
            cpu_ms=round(med_first[2] * 1000, 1),
            wall_ms=round(med_first[1] * 1000, 1),
        )
    )


if __name__ == "__main__":
    main()
