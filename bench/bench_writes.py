"""Benchmark: save latency with 50 concurrent writers on SQLite (goal: p99 under 250 ms).

Run: .venv/bin/python bench/bench_writes.py [WRITERS] [SAVES] [--url URL]

WRITERS threads (default 50) start together at a barrier; each joins one workshop and saves SAVES answers
(default 40), one transaction each, as participants do while clicking. Every save is timed (wall clock, from the
call to its return) and the run reports p50, p99 and the worst save, with the process's CPU time beside the
wall time.

The same work runs twice in the same process, on fresh files: first with the store's writers queued in the
process (`Store(serialize_writes=True)`, the default for SQLite files), then as the baseline with every
writer left to SQLite's busy handler (`serialize_writes=False`), which polls with growing sleeps so that an
unlucky writer can wait seconds while others come and go. The ratio of the p99s is printed, and one `BENCH` row
per figure (bench/rows.py): the p99 against the goal, p50 and the worst save reported beside it. With `--url`
(e.g. a PostgreSQL database) the store's default configuration runs on that database instead, for comparison
(no goal; the database must be empty or disposable: a workshop is created in it).

Why saves stalled and what changed: assessment/store/writes.py. The slowest saves are the participants' first,
queued behind the 50 joins that the barrier releases at once (a join is a longer transaction than a save).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rows import Row, emit  # bench/rows.py (this script's folder is on sys.path)

from assessment import Context, default_bank
from assessment.store import Store

GOAL_MS = 250.0


def run(url: str, writers: int, saves: int, serialize: bool) -> tuple[list[float], float, float, int]:
    store = Store(url, serialize_writes=serialize)
    code = store.create_workshop("Bench", Context(), "full").workshop.join_code
    items = [i.id for i in default_bank().items_for("full")][:saves]
    barrier = threading.Barrier(writers)
    times: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        barrier.wait()
        try:
            token = store.join_workshop(code, "nurse", client_key=f"w{n}").participant_token
            mine = []
            for k, item in enumerate(items):
                t0 = time.perf_counter()
                store.save_answer(token, item, 1 + (n + k) % 5, f"writer {n}")
                mine.append(time.perf_counter() - t0)
            with lock:
                times.extend(mine)
        except BaseException as exc:  # counted and reported
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    store.close()
    return times, wall, cpu, len(errors)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("writers", nargs="?", type=int, default=50)
    parser.add_argument("saves", nargs="?", type=int, default=40)
    parser.add_argument("--url", help="run the store's default configuration on this database instead")
    args = parser.parse_args()
    what = f"{args.writers} writers x {args.saves} saves"
    if not args.url:
        print(f"goal: p99 save under {GOAL_MS:.0f} ms with {what} on SQLite")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            runs = [("store default, " + args.url.split(":", 1)[0], args.url, None)]
        else:
            runs = [
                ("queued in the process", f"sqlite:///{tmp}/queued.sqlite", True),
                ("baseline: SQLite busy handler", f"sqlite:///{tmp}/busy.sqlite", False),
            ]
        for name, url, serialize in runs:
            times, wall, cpu, errors = run(url, args.writers, args.saves, serialize)
            results[name] = (pct(times, 0.5), pct(times, 0.99), max(times) * 1000, wall * 1000, cpu * 1000, errors)
            p50, p99, worst, _, _, _ = results[name]
            print(
                f"{name:32s} {len(times):5d} saves, {errors} errors: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, "
                f"max {worst:7.1f} ms, mean {statistics.mean(times) * 1000:5.1f} ms | wall {wall:5.1f} s, "
                f"CPU {cpu:5.1f} s"
            )
    if args.url:
        p50, p99, worst, wall, cpu, errors = results[runs[0][0]]
        emit(Row("writes", f"{what}: p99 save ({runs[0][0]})", "reported only", p99, None, "ms", None, cpu, wall))
        return 1 if errors else 0
    p50, p99, worst, wall, cpu, errors = results["queued in the process"]
    b50, b99, bworst, *_ = results["baseline: SQLite busy handler"]
    ok = p99 < GOAL_MS and errors == 0
    verdict = ("met" if ok else "NOT MET") + (f", {errors} errors" if errors else "")
    print(f"p99 {p99:.1f} ms (baseline {b99:.1f} ms, ratio baseline / queued {b99 / p99:.1f}x): "
          f"goal p99 < {GOAL_MS:.0f} ms {verdict}")  # fmt: skip
    emit(Row("writes", f"{what}: p99 save, SQLite", f"< {GOAL_MS:.0f} ms", p99, b99, "ms", ok, cpu, wall))
    emit(Row("writes", f"{what}: p50 save, SQLite", "reported only", p50, b50, "ms", None, cpu, wall))
    emit(Row("writes", f"{what}: worst save, SQLite", "reported only", worst, bworst, "ms", None, cpu, wall))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
