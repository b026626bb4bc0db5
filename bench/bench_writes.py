"""Benchmark: save latency with 50 concurrent writers on SQLite (goal: p99 under 250 ms).

Run: .venv/bin/python bench/bench_writes.py [WRITERS] [SAVES]

WRITERS threads (default 50) start together at a barrier; each joins one workshop and saves SAVES answers
(default 40), one transaction each, as participants do while clicking. Every save is timed (wall clock, from the
call to its return) and the run reports p50, p99 and the worst save, with the process's CPU time beside the
wall time.

The same work runs twice in the same process, on fresh files: first with the store's writers queued in the
process (`Store(serialize_writes=True)`, the default for SQLite files), then as the baseline with every
writer left to SQLite's busy handler (`serialize_writes=False`), which polls with growing sleeps so that an
unlucky writer can wait seconds while others come and go. The ratio of the p99s is printed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import Context, default_bank
from assessment.store import Store


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


def main() -> None:
    writers = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    saves = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    p99s = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, serialize in (("queued in the process", True), ("baseline: SQLite busy handler", False)):
            times, wall, cpu, errors = run(f"sqlite:///{tmp}/{int(serialize)}.sqlite", writers, saves, serialize)
            p99s[serialize] = pct(times, 0.99)
            print(
                f"{name:32s} {len(times):5d} saves, {errors} errors: p50 {pct(times, 0.5):6.1f} ms, "
                f"p99 {p99s[serialize]:6.1f} ms, max {max(times) * 1000:7.1f} ms, "
                f"mean {statistics.mean(times) * 1000:5.1f} ms | wall {wall:5.1f} s, CPU {cpu:5.1f} s"
            )
    print(f"p99 ratio (baseline / queued): {p99s[False] / p99s[True]:.1f}x; goal p99 < 250 ms")


if __name__ == "__main__":
    main()
