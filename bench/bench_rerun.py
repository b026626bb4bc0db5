"""Server-side cost of one rerun of the questionnaire page, against a bare script with the same widgets.

Run:  .venv/bin/python bench/bench_rerun.py [--reruns 40]

Both scripts run under streamlit.testing.v1.AppTest in this one process, so both carry the same test-harness
overhead. The questionnaire is loaded with the full bank and every answer of examples/riverside_two_step.json
and opened at its largest section (the eight ingredients). The bare script draws the same number of the same
widgets (radio with the same labels and options, collapsed text input, segmented control, buttons, and the
sidebar's download button and file uploader) and nothing else. Two timings per script, median of N each:
  - rerun:  a plain rerun with no change;
  - answer: one statement's rating changed (the app runs its on_change callback first).
The goal is an app-to-bare ratio within 1.5x.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rows import Row, emit  # noqa: E402  (bench/rows.py: this script's folder is on sys.path)
from script_timing import install, script_seconds  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment import default_bank, load_answers  # noqa: E402
from assessment.ui import state  # noqa: E402
from assessment.ui.sections import SCALE_VALUES, section_items  # noqa: E402

SECTION = "ingredients"
GOAL_RATIO = 1.5  # app within 1.5x of the bare script
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"

BARE_SCRIPT = """
import streamlit as st

LABELS = {labels!r}
OPTIONS = {options!r}
NAMES = {{1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree",
          5: "Strongly agree", "dont_know": "Don't know"}}
with st.sidebar:
    for n in range({downloads}):
        st.download_button("Save answers (JSON)", data="{{}}", file_name="a.json", key=f"dl{{n}}")
    for n in range({uploaders}):
        st.file_uploader("Resume from a saved answers file (.json)", type=["json"], key=f"up{{n}}")
for n in range({segmented}):
    st.segmented_control("Section", ["a", "b", "c", "d"], key=f"seg{{n}}", default="a")
for n, label in enumerate(LABELS):
    st.radio(label, OPTIONS, index=None, format_func=NAMES.get, key=f"r{{n}}", horizontal=True)
    if n < {text_inputs}:
        st.text_input(f"Comment on statement {{n + 1}} (optional)", key=f"c{{n}}", label_visibility="collapsed")
for n in range({buttons}):
    st.button(f"Button {{n}}", key=f"b{{n}}")
"""


def _app(bank: Any) -> AppTest:
    answer_set = load_answers(EXAMPLE, bank).model_copy(update={"section": SECTION})
    store: dict[str, Any] = {}
    state.init_state(store)
    state.restore(answer_set, bank, store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in store.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("assessment/ui/page_scripts/questionnaire.py").run()
    assert not at.exception, at.exception
    return at


def _counts(at: AppTest) -> dict[str, int]:
    return {
        "radio": len(at.radio),
        "text_input": len(at.text_input),
        "segmented_control": len(at.segmented_control),
        "button": len(at.button),
        "download_button": len(at.get("download_button")),
        "file_uploader": len(at.file_uploader),
    }


def _bare(at_app: AppTest, bank: Any) -> AppTest:
    counts = _counts(at_app)
    labels = [r.label for r in at_app.radio]
    script = BARE_SCRIPT.format(
        labels=labels,
        options=list(SCALE_VALUES),
        downloads=counts["download_button"],
        uploaders=counts["file_uploader"],
        segmented=counts["segmented_control"],
        text_inputs=counts["text_input"],
        buttons=counts["button"],
    )
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert _counts(at) == counts, (_counts(at), counts)
    return at


def _timed(fn: Any) -> tuple[float, float]:
    """(server-side script time, wall time of the whole AppTest round trip) for one rerun."""
    t0 = time.perf_counter()
    script = script_seconds(fn)
    return script, time.perf_counter() - t0


def _share_script_cache() -> None:
    """Make AppTest keep compiled scripts between reruns, as a `streamlit run` server does.

    AppTest builds a new ScriptCache for every run, so it recompiles the entry point and the page on each
    rerun; the server compiles each script once. Sharing one cache measures what the server does.
    """
    import streamlit.testing.v1.app_test as app_test_module
    import streamlit.testing.v1.local_script_runner as runner_module
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    runner_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def _measure(reruns: int) -> tuple[dict[str, int], dict[str, list[tuple[float, float]]]]:
    bank = default_bank()
    app = _app(bank)
    bare = _bare(app, bank)
    first = section_items(bank, "full", SECTION)[0]
    app_key = state.item_key(first.id)
    for _ in range(3):  # warm-up
        app.run()
        bare.run()
    timings: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("app rerun", "bare rerun", "app answer", "bare answer")
    }
    for i in range(reruns):  # interleaved, so load on the machine hits both alike
        value = 1 + i % 5
        timings["app rerun"].append(_timed(app.run))
        timings["bare rerun"].append(_timed(bare.run))
        timings["app answer"].append(_timed(lambda v=value: app.radio(key=app_key).set_value(v).run()))
        timings["bare answer"].append(_timed(lambda v=value: bare.radio(key="r0").set_value(v).run()))
    assert not app.exception and not bare.exception
    assert app.session_state[state.ANSWERS][first.id]["value"] == 1 + (reruns - 1) % 5
    return _counts(app), timings


def _report(title: str, reruns: int, timings: dict[str, list[tuple[float, float]]], rows: bool = False) -> None:
    print(title)
    for what in ("rerun", "answer"):
        for col, label in ((0, "server"), (1, "AppTest wall")):
            a = statistics.median(t[col] for t in timings[f"app {what}"]) * 1000
            b = statistics.median(t[col] for t in timings[f"bare {what}"]) * 1000
            print(f"  {what:<7} {label:<13} app {a:6.1f} ms   bare {b:6.1f} ms   ratio {a / b:4.2f}x")
            if rows and col == 0:
                emit(Row("rerun", f"questionnaire {what}, server side", "within 1.5x of bare", a, b, "ms",
                         a / b <= GOAL_RATIO, cpu_ms=None, wall_ms=a))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=40)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    install()

    counts, as_apptest = _measure(args.reruns)
    _share_script_cache()
    _, server_like = _measure(args.reruns)

    print(f"Questionnaire page, full bank, section '{SECTION}': {counts}")
    print(
        f"Median of {args.reruns} reruns each, in one process; server = widget callbacks + script on the script thread."
    )
    _report("A. Scripts compiled once, as under `streamlit run`:", args.reruns, server_like, rows=True)
    _report("B. As AppTest runs them (entry point and page recompiled on every rerun):", args.reruns, as_apptest)


if __name__ == "__main__":
    main()
