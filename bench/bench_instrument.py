"""Benchmark: the instrument-quality report for 10,000 respondents on the full bank (goal: under 2 s).

Run: .venv/bin/python bench/bench_instrument.py [RESPONDENTS] [--repeats N]

Generates RESPONDENTS (default 10,000) respondents answering every item of the bank from a one-factor-per-
dimension model with known loadings, 5 % "don't know" at random (`assessment.instrument.simulate`). Then, in one
process, median of N runs (default 5), wall-clock and CPU time:

  1. the report: `build_report(responses, bank)`: per dimension the complete cases, alpha with Feldt's
     interval, omega (one-factor principal axis) with its simulated interval (1,000 draws),
     item-total r, alpha if dropped, don't-know shares, rating shares and flags, as pydantic models - the goal;
  2. the baseline: plain numpy on the same reverse-scored complete cases, computing only alpha, alpha if
     dropped and the corrected item-total r per dimension (no intervals, no omega, no item shares, no models).
     Its alphas are checked against the report's.

The ratio report / baseline is what the intervals, omega and the models cost over the bare formulas. The import
of the statistics library (scipy) is timed separately: a CLI run pays it once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from threadpoolctl import threadpool_limits

GOAL_S = 2.0


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), out


def numpy_baseline(blocks: dict[str, np.ndarray]) -> dict[str, float]:
    """alpha, alpha if dropped and corrected item-total r per dimension, in plain numpy."""
    out = {}
    for dim, x in blocks.items():
        k = x.shape[1]
        cov = np.cov(x, rowvar=False)
        total = cov.sum()
        out[dim] = k / (k - 1) * (1 - np.trace(cov) / total)
        row, diag = cov.sum(axis=1), np.diag(cov)
        rest = total - 2 * row + diag
        _dropped = (k - 1) / (k - 2) * (1 - (np.trace(cov) - diag) / rest)
        _r = (row - diag) / np.sqrt(diag * rest)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("respondents", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    w0, c0 = time.perf_counter(), time.process_time()
    from assessment.bank import default_bank
    from assessment.instrument.report import build_report
    from assessment.instrument.responses import scale_items
    from assessment.instrument.simulate import loadings_for, one_factor_responses

    import_wall, import_cpu = time.perf_counter() - w0, time.process_time() - c0

    bank = default_bank()
    responses = one_factor_responses(bank, args.respondents, loadings_for(bank), seed=1, dont_know=0.05)
    print(
        f"{args.respondents:,} respondents x {len(bank.items)} items in {len(bank.dimensions)} dimensions; "
        f"median of {args.repeats} runs"
    )
    print(f"import of the statistics libraries: wall {import_wall:.2f} s, CPU {import_cpu:.2f} s (once per process)")

    def blocks() -> dict[str, np.ndarray]:
        out = {}
        for dim in bank.dimensions:
            ids = [i.id for i in scale_items(bank, dim.id)]
            out[dim.id] = responses.scored(bank, ids).dropna().to_numpy()
        return out

    build_report(responses, bank)  # warm-up
    r_wall, r_cpu, report = timed(lambda: build_report(responses, bank), args.repeats)
    with threadpool_limits(limits=1, user_api="blas"):  # the same BLAS setting as build_report uses
        b_wall, b_cpu, base = timed(lambda: numpy_baseline(blocks()), args.repeats)
    for dim_id, value in base.items():  # type: ignore[union-attr]
        got = report.dimensions[dim_id].alpha  # type: ignore[union-attr]
        assert got is not None and abs(got - value) < 1e-3, (dim_id, got, value)

    verdict = "meets" if r_wall < GOAL_S else "MISSES"
    print(f"report   (build_report):     wall {r_wall:7.3f} s   CPU {r_cpu:7.3f} s   {verdict} the {GOAL_S:.0f} s goal")
    print(f"baseline (numpy formulas):   wall {b_wall:7.3f} s   CPU {b_cpu:7.3f} s")
    print(f"ratio report / baseline:     wall {r_wall / b_wall:7.1f} x   CPU {r_cpu / max(b_cpu, 1e-9):7.1f} x")
    return 0 if r_wall < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
