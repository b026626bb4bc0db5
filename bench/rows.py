"""One result row per goal, printed by each benchmark as a `BENCH {json}` line for bench/run_all.py to collect.

A row: what was measured, the goal, the measured value and the fair baseline's (same work, same run, same
unit), their ratio (measured / baseline, so above 1 means slower than the baseline), whether the goal was met,
and the CPU and wall time of the measured operation in milliseconds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

PREFIX = "BENCH "


@dataclass(frozen=True)
class Row:
    benchmark: str
    measured_what: str
    goal: str
    measured: float
    baseline: float | None
    unit: str
    passed: bool | None  # None: no goal, reported only
    cpu_ms: float | None = None
    wall_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.measured / self.baseline if self.baseline else None


def emit(row: Row) -> None:
    print(PREFIX + json.dumps(asdict(row)), flush=True)


def parse(line: str) -> Row | None:
    return Row(**json.loads(line[len(PREFIX) :])) if line.startswith(PREFIX) else None
