"""Run every benchmark, even when one misses its goal or fails, and print one table.

Run: make bench                       (or .venv/bin/python bench/run_all.py [--write bench/results.md])

Each benchmark runs as its own process (so one crash cannot stop the others) and prints `BENCH {json}` rows
(bench/rows.py). The table has, per goal: the goal, the measured value, the fair baseline measured in the same
run, their ratio, pass or miss, and the CPU and wall time of the measured operation; each benchmark's whole
process time (CPU from the kernel, wall from the clock) is given below it. Exit status 1 if any goal was missed
or any benchmark failed, after all of them have run.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rows import Row, parse  # noqa: E402

Result = tuple[str, list[Row], int, float, float]  # script, its rows, exit code, CPU s, wall s
BENCHMARKS = ["bench_engine.py", "bench_report.py", "bench_workshop.py", "bench_rerun.py", "bench_hostile.py",
              "bench_instrument.py", "bench_writes.py", "bench_answer_latency.py", "bench_first_results.py",
              "bench_results_served.py", "bench_capacity.py"]  # fmt: skip


def run(script: str | Path) -> tuple[list[Row], int, float, float, str]:
    """Run one benchmark; return its rows, exit code, CPU seconds (its own and its children's) and wall seconds."""
    t0 = time.perf_counter()
    with open(os.devnull, "rb") as stdin:
        proc = subprocess.Popen([sys.executable, str(HERE / script)], cwd=HERE.parent, stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        assert proc.stdout is not None
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    rows = [r for r in (parse(line) for line in output.splitlines()) if r is not None]
    return rows, proc.returncode, usage.ru_utime + usage.ru_stime, wall, output


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def table(results: list[Result]) -> str:
    head = "| benchmark | what | goal | measured | baseline | ratio | pass | CPU | wall |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for script, rows, code, cpu, wall in results:
        if not rows:
            verdict = "**FAIL**" if code else "ok (no goal rows: see its own output)"
            lines.append(f"| {script} | (no result rows; exit code {code}) | – | – | – | – | {verdict} | – | – |")
        for r in rows:
            verdict = "–" if r.passed is None else ("pass" if r.passed else "**MISS**")
            lines.append(
                f"| {r.benchmark} | {r.measured_what} | {r.goal} | {fmt(r.measured, r.unit)} | "
                f"{fmt(r.baseline, r.unit)} | {fmt(r.ratio)}{'x' if r.ratio else ''} | {verdict} | "
                f"{fmt(r.cpu_ms, 'ms')} | {fmt(r.wall_ms, 'ms')} |"
            )
        lines.append(f"| {script} | whole process | – | – | – | – | {'ok' if code == 0 else f'exit {code}'} | "
                     f"{cpu:.1f} s | {wall:.1f} s |")  # fmt: skip
    return "\n".join(lines) + "\n"


def run_all(scripts: list[str] | list[Path], verbose: bool = False) -> list[Result]:
    """Run each benchmark in turn, whatever the previous one did."""
    results: list[Result] = []
    for script in scripts:
        print(f"running {script} ...", file=sys.stderr, flush=True)
        rows, code, cpu, wall, output = run(script)
        if verbose or code != 0 and not rows:
            print(output, file=sys.stderr)
        results.append((Path(script).name, rows, code, cpu, wall))
    return results


def missed_or_failed(results: list[Result]) -> bool:
    missed = any(r.passed is False for _, rows, _, _, _ in results for r in rows)
    return missed or any(code != 0 and not rows for _, rows, code, _, _ in results)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and print one table.")
    parser.add_argument("--write", metavar="PATH", help="also write the table (Markdown) to PATH")
    parser.add_argument("--only", nargs="*", help="run only these benchmark files")
    parser.add_argument("--verbose", action="store_true", help="show each benchmark's own output")
    args = parser.parse_args()
    results = run_all(args.only or BENCHMARKS, verbose=args.verbose)
    text = table(results)
    print(text)
    if args.write:
        cpus = os.cpu_count()
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        header = (
            "# Benchmark results\n\n"
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()} on {platform.machine()}, "
            f"{cpus} cores, load average {load} (other work on the machine inflates wall time more than CPU time).\n"
            "Ratio = measured / baseline (above 1: slower than the baseline). Made by `make bench-results`.\n\n"
        )
        Path(args.write).write_text(header + text)
        print(f"wrote {args.write}", file=sys.stderr)
    return 1 if missed_or_failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
