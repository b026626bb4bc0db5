"""Hostile files at the command line: each must get its one-line error within 1 s and 200 MB.

Run: .venv/bin/python bench/bench_hostile.py [repeats]

Each case runs `python -m assessment ...` as a fresh process (as cron or an administrator would), median of
N runs; CPU time comes from the kernel (os.wait4), peak memory from the child itself. The baseline is the
same tool on a good file (`score` on an example answers file), which pays the same interpreter start-up and
imports, so the ratio shows what refusing the hostile input costs against doing real work.
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


# The child writes its own peak resident memory (VmHWM) at exit: rusage's maxrss would include this process's
# size at the fork, which the kernel carries across exec.
PEAK_WRAPPER = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def peak():
    with open('/proc/self/status') as f, open(out, 'w') as o:
        o.write(next(line.split()[1] for line in f if line.startswith('VmHWM')))
atexit.register(peak)
sys.argv[0] = 'assessment'
runpy.run_module('assessment', run_name='__main__', alter_sys=True)
"""


def once(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MB and exit code of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", PEAK_WRAPPER, str(peak), *args], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        return wall, usage.ru_utime + usage.ru_stime, int(peak.read_text()) / 1024, proc.returncode


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
        base_wall, base_cpu, base_mb, base_code = measure(["score", example], repeats)
        assert base_code == 0
        print(f"baseline `score` on a good answers file: {base_wall * 1000:.0f} ms wall, {base_cpu * 1000:.0f} ms CPU, "
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
