"""`make bench` runs every benchmark even when one misses its goal or crashes, and reports each in one table."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402

MISSES = """
import sys
sys.path.insert(0, {bench!r})
from rows import Row, emit
emit(Row("slow", "thing per call", "< 1 ms", 5.0, 2.5, "ms", False, cpu_ms=4.0, wall_ms=5.0))
sys.exit(1)
"""
CRASHES = "raise RuntimeError('boom')\n"
PASSES = """
import sys
sys.path.insert(0, {bench!r})
from rows import Row, emit
emit(Row("fast", "other thing", "< 10 ms", 1.0, 2.0, "ms", True, cpu_ms=1.0, wall_ms=1.2))
"""


def test_every_benchmark_runs_and_lands_in_one_table(tmp_path: Path) -> None:
    scripts = []
    for name, body in (("a_misses.py", MISSES), ("b_crashes.py", CRASHES), ("c_passes.py", PASSES)):
        (tmp_path / name).write_text(body.format(bench=str(ROOT / "bench")))
        scripts.append(tmp_path / name)
    results = run_all.run_all(scripts)
    assert [r[0] for r in results] == ["a_misses.py", "b_crashes.py", "c_passes.py"]  # all ran, in order
    text = run_all.table(results)
    lines = text.splitlines()
    assert lines[0].startswith("| benchmark | what | goal | measured | baseline | ratio | pass | CPU | wall |")
    slow = next(line for line in lines if line.startswith("| slow |"))
    assert "5.00 ms" in slow and "2.50 ms" in slow and "2.00x" in slow and "**MISS**" in slow
    assert "4.00 ms" in slow and "5.00 ms |" in slow
    crashed = next(line for line in lines if line.startswith("| b_crashes.py | (no result rows; exit code 1)"))
    assert "**FAIL**" in crashed
    fast = next(line for line in lines if line.startswith("| fast |"))
    assert "| pass |" in fast and "0.50x" in fast
    assert run_all.missed_or_failed(results)
    assert not run_all.missed_or_failed([r for r in results if r[0] == "c_passes.py"])
