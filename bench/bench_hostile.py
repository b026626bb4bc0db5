"""Hostile files at the command line: each must get its one-line error within 1 s and 200 MB.

Run: .venv/bin/python bench/bench_hostile.py [repeats]

Each case runs `python -m assessment ...` as a fresh process (as cron or an administrator would), median of
N runs; CPU time and peak memory come from the kernel (os.wait4). The baseline is the same command on a good
file (`validate` on the real bank), which pays the same interpreter start-up and imports, so the ratio shows
what refusing the hostile input costs beyond starting the tool.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rows import Row, emit  # bench/rows.py (this script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
DEPTH = 100_000
GOAL_S, GOAL_MB = 1.0, 200


def once(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MB and exit code of one run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assessment", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def measure(args: list[str], repeats: int) -> tuple[float, float, float, int]:
    runs = [once(args) for _ in range(repeats)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs), runs[-1][3])  # fmt: skip


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        d = Path(tmp)
        (d / "deep.json").write_text("[" * DEPTH + "]" * DEPTH)
        (d / "deep_object.json").write_text('{"a":' * DEPTH + "1" + "}" * DEPTH)
        (d / "deep.yaml").write_text("a: " + "[" * DEPTH + "]" * DEPTH + "\n")
        example = str(ROOT / "examples" / "riverside_two_step.json")
        cases = {
            "score /dev/zero": ["score", "/dev/zero"],
            "score JSON nested 100,000 deep": ["score", str(d / "deep.json")],
            "recommend JSON objects 100,000 deep": ["recommend", str(d / "deep_object.json")],
            "report JSON nested 100,000 deep": ["report", str(d / "deep.json")],
            "validate YAML nested 100,000 deep": ["validate", str(d / "deep.yaml")],
            "report -o to a missing folder": ["report", example, "-o", str(d / "no" / "r.pdf")],
        }
        base_wall, base_cpu, base_mb, base_code = measure(["validate"], repeats)
        assert base_code == 0
        print(f"baseline `validate` on the real bank: {base_wall * 1000:.0f} ms wall, {base_cpu * 1000:.0f} ms CPU, "
              f"{base_mb:.0f} MB")  # fmt: skip
        ok_all = True
        for name, args in cases.items():
            wall, cpu, mb, code = measure(args, repeats)
            ok = code == 2 and cpu < GOAL_S and mb < GOAL_MB
            ok_all &= ok
            print(f"{name:40} exit {code}  {wall * 1000:6.0f} ms wall  {cpu * 1000:6.0f} ms CPU  {mb:5.0f} MB  "
                  f"{'ok' if ok else 'MISSED'}")  # fmt: skip
            # Judged on CPU time (wall time on a shared machine includes waiting for a core) and peak memory.
            emit(Row("hostile input", f"{name} (peak {mb:.0f} MB)", f"exit 2, < {GOAL_S:g} s CPU, < {GOAL_MB} MB",
                     cpu * 1000, base_cpu * 1000, "ms", ok, cpu_ms=cpu * 1000, wall_ms=wall * 1000))  # fmt: skip
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
