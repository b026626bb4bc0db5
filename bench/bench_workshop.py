"""Benchmark: the workshop summary against pandas computing the same statistics, and store to summary.

Run: .venv/bin/python bench/bench_workshop.py [RESPONDENTS] [--db PATH]

Populates a SQLite file (a temporary one unless --db is given) with one full-bank workshop: RESPONDENTS
participants (default 1,000) x 75 items, about 8 % "don't know" and 3 % comments, saved through the store's
API (one transaction per participant). Then measures, median of 7 runs in one process (wall and CPU time):

  1. ours: `dimension_statistics`, the dimensions' part of the summary (per dimension n, mean, SD,
     r_wg, r_wg(J) and the role split with small roles pooled), from the loaded response matrix;
  2. pandas: the same statistics written independently in plain pandas (bench/pandas_stats.py) from the same
     answers as a long table in memory. Both give the same numbers (checked here, and on random workshops in
     tests/test_workshop_pandas.py). Goal: ours / pandas <= 3x;
  3. the whole `summarise` (also participation, group and role recommendations, agenda, gaps, pockets) from the
     same matrix, reported beside pandas;
  4. store.summary(code, key), end to end (key check, set-based queries, summarise), and the load alone.
     Goal: under 200 ms. On a shared machine compare CPU time: the wall time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from pandas_stats import item_table, long_answers, pandas_dimension_stats  # bench/pandas_stats.py
from rows import Row, emit  # bench/rows.py (this script's folder is on sys.path)

from assessment import Context, default_bank
from assessment.disclosure.summary import clear_caches
from assessment.store import Store
from assessment.workshop import dimension_statistics, summarise

GOAL_MS = 200.0
RATIO_GOAL = 3.0
ROLES = ["executive", "middle_manager", "doctor", "doctor", "nurse", "nurse", "nurse", "allied_health", "other"]


def populate(store: Store, n: int, seed: int = 42) -> tuple[str, str]:
    bank = default_bank()
    rnd = random.Random(seed)
    ctx = Context(innovation_title="Remote monitoring", radicalness="radical", stage="adoption")
    created = store.create_workshop("Benchmark workshop", ctx, "full")
    code, key = created.workshop.join_code, created.facilitator_key
    items = bank.items_for("full")
    for i in range(n):
        role = ROLES[i % len(ROLES)]
        token = store.join_workshop(
            code, role, department=f"Department {i % 12}", client_key=f"bench-{i}"
        ).participant_token
        lean = rnd.choice([-1, 0, 0, 1])  # some optimists, some pessimists
        answers: dict[str, tuple[int | str | None, str]] = {}
        for item in items:
            if rnd.random() < 0.08:
                value: int | str = "dont_know"
            else:
                value = min(5, max(1, round(rnd.gauss(3 + lean, 1.0))))
            answers[item.id] = (value, "Seen this on the ward" if rnd.random() < 0.03 else "")
        store.save_answers(token, answers)
        store.save_plan_fact(token, "political_work_first", "yes" if rnd.random() < 0.4 else "no")
        if rnd.random() < 0.9:
            store.submit(token)
    return code, key


CPU_MS: dict[str, float] = {}


def timed(run: Callable[[], object], repeats: int = 7, label: str = "") -> tuple[float, float, float, object]:
    """Median, min and max wall time in milliseconds (after one warm-up run), and the last result.

    The median CPU time of the calling thread is kept in CPU_MS[label]: on a machine busy with other work the
    wall time includes waiting for a core, the CPU time does not.
    """
    out = run()
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.thread_time()
        out = run()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    CPU_MS[label] = statistics.median(cpu)
    return statistics.median(times), min(times), max(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("respondents", nargs="?", type=int, default=1000)
    parser.add_argument("--db", help="SQLite file to (re)use; default: a temporary file")
    args = parser.parse_args()
    bank = default_bank()
    tmp = tempfile.TemporaryDirectory(prefix="bench-workshop-")
    path = Path(args.db) if args.db else Path(tmp.name) / "bench.sqlite"
    store = Store(f"sqlite:///{path}")

    t0 = time.perf_counter()
    code, key = populate(store, args.respondents)
    fill_s = time.perf_counter() - t0
    n_items = len(bank.items_for("full"))
    n_answers = args.respondents * n_items
    print(f"populated {path.name}: {args.respondents:,} respondents x {n_items} items ({n_answers:,} answers) "
          f"in {fill_s:.1f} s")  # fmt: skip

    def cold() -> object:
        """The first view in a new process: no released answers read yet, no ledger replayed."""
        clear_caches()
        fresh = Store(f"sqlite:///{path}")
        try:
            return fresh.summary(code, key)
        finally:
            fresh.close()

    cold_ms, _, _, _ = timed(cold, repeats=3, label="cold")
    end_ms, end_min, end_max, summary = timed(lambda: store.summary(code, key), label="end")
    load_ms, _, _, responses = timed(lambda: store.released_responses(code, key), label="load")
    info = store.open_workshop(code, key)
    k = info.min_group_size
    ours_ms, _, _, ours = timed(lambda: dimension_statistics(responses, bank, min_group=k), label="ours")  # type: ignore[arg-type]
    agg_ms, _, _, _ = timed(
        lambda: summarise(responses, info.context, bank=bank, mode="full", min_group=k),  # type: ignore[arg-type]
        label="summarise",
    )
    long = long_answers(responses)  # the same answers, as the long table a pandas user starts from
    items = item_table(bank, responses.item_ids)  # type: ignore[union-attr]
    pd_ms, _, _, stats = timed(lambda: pandas_dimension_stats(long, items, k), label="pandas")

    # the same numbers? (ours rounds to 2 decimals, r_wg to 3)
    worst = 0.0
    for dim, row in stats.dimensions.iterrows():  # type: ignore[union-attr]
        d = ours[str(dim)]  # type: ignore[index]
        assert summary.dimensions[str(dim)] == d, "the summary and dimension_statistics disagree"
        for field in ("mean", "sd", "rwg", "rwg_j"):
            worst = max(worst, abs(row[field] - getattr(d, field)))
        for (group, _), cell in stats.by_role.xs(dim, level="dimension", drop_level=False).iterrows():  # type: ignore[union-attr]
            worst = max(worst, abs(cell["mean"] - d.by_role[str(group)].mean))  # type: ignore[operator]
    assert worst <= 0.0051, f"pandas and ours disagree by {worst}"

    ratio = ours_ms / pd_ms
    ratio_ok = ratio <= RATIO_GOAL
    end_ok = end_ms < GOAL_MS
    print(f"{'':44} wall median (min-max)      CPU median")
    spread = f"({end_min:.0f}-{end_max:.0f})"
    print(f"{'store -> WorkshopSummary, first view':44} {cold_ms:6.1f} ms {'':13} {CPU_MS['cold']:6.1f} ms")
    print(f"{'store -> WorkshopSummary, a repeat view':44} {end_ms:6.1f} ms {spread:13} {CPU_MS['end']:6.1f} ms")
    print(f"{f'  load only ({n_answers:,} answers)':44} {load_ms:6.1f} ms {'':13} {CPU_MS['load']:6.1f} ms")
    print(f"{'  summarise (whole summary, in memory)':44} {agg_ms:6.1f} ms {'':13} {CPU_MS['summarise']:6.1f} ms")
    print(f"{'  ours: dimension statistics (in memory)':44} {ours_ms:6.1f} ms {'':13} {CPU_MS['ours']:6.1f} ms")
    print(f"{'pandas: the same statistics (in memory)':44} {pd_ms:6.1f} ms {'':13} {CPU_MS['pandas']:6.1f} ms")
    print(f"pandas and ours agree (max difference {worst:.4f}; ours rounds to 2 decimals, r_wg to 3)")
    print(f"ratio ours / pandas: {ratio:.2f}x (CPU {CPU_MS['ours'] / CPU_MS['pandas']:.2f}x); whole summarise / "
          f"pandas {agg_ms / pd_ms:.2f}x")  # fmt: skip
    print(f"goal: ours <= {RATIO_GOAL:.0f}x pandas: {'met' if ratio_ok else 'NOT MET'}; "
          f"under {GOAL_MS:.0f} ms end to end: {'met' if end_ok else 'NOT MET'}")  # fmt: skip
    who = f"{args.respondents:,} respondents"
    emit(Row("workshop", f"{who}: dimension statistics, ours vs pandas", f"<= {RATIO_GOAL:.0f}x pandas", ours_ms,
             pd_ms, "ms", ratio_ok, cpu_ms=CPU_MS["ours"], wall_ms=ours_ms))  # fmt: skip
    emit(Row("workshop", f"{who}: whole summarise vs pandas (dimension statistics)", "reported only", agg_ms,
             pd_ms, "ms", None, cpu_ms=CPU_MS["summarise"], wall_ms=agg_ms))  # fmt: skip
    emit(Row("workshop", f"{who}: store to summary", f"< {GOAL_MS:.0f} ms", end_ms, pd_ms, "ms", end_ok,
             cpu_ms=CPU_MS["end"], wall_ms=end_ms))  # fmt: skip
    store.close()
    tmp.cleanup()
    return 0 if ratio_ok and end_ok else 1


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
