"""Benchmark: answer sets scored and recommended per second (goal: at least 10,000/s).

Run: make bench   (or .venv/bin/python bench/bench_engine.py [N])

Measures, on N random full-bank answer sets (about 10 % "don't know"), median of 3 runs in one process:
  1. score + recommend: dimension scores, the strategy and its warnings (`engine.decide`) - the goal;
  2. the full explained result (`engine.assess`: pydantic models for every score, the rules that fired with
     their inputs, confidence, evidence base, caveats) without the sensitivity analysis;
  3. the same with the sensitivity analysis ("what would change it"), which re-runs the rules at every
     threshold a rule uses.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import AnswerSet, ItemAnswer, assess, default_bank
from assessment.engine import decide


def make_sets(n: int, seed: int = 42) -> list[AnswerSet]:
    bank = default_bank()
    rnd = random.Random(seed)
    sets = []
    for _ in range(n):
        answers = {
            i.id: ItemAnswer(value=("dont_know" if rnd.random() < 0.1 else rnd.randint(1, 5))) for i in bank.items
        }
        ctx = {
            "radicalness": rnd.choice(["radical", "incremental"]),
            "stage": rnd.choice(["ideation", "adoption", "diffusion", "implementation", "sustainability"]),
            "political_work_first": rnd.random() < 0.3,
            "step_one_evidence": rnd.random() < 0.3,
        }
        sets.append(AnswerSet(bank_version=bank.bank_version, context=ctx, answers=answers))
    return sets


def rate(sets: list[AnswerSet], run: Callable[[AnswerSet], object], repeats: int = 3) -> float:
    run(sets[0])  # warm caches
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for s in sets:
            run(s)
        rates.append(len(sets) / (time.perf_counter() - t0))
    return statistics.median(rates)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    sets = make_sets(n)
    bank = default_bank()
    core = rate(sets, lambda s: decide(s, bank))
    explained = rate(sets, lambda s: assess(s, bank, with_sensitivity=False))
    full = rate(sets, lambda s: assess(s, bank, with_sensitivity=True))
    verdict = "met" if core >= 10_000 else "NOT met"
    print(f"answer sets: {n} (full bank, {len(bank.items)} items), median of 3 runs")
    print(f"score + recommend (decide):              {core:10,.0f} /s  (goal >= 10,000/s: {verdict})")
    print(f"full explained result (assess):          {explained:10,.0f} /s")
    print(f"full explained result + sensitivity:     {full:10,.0f} /s")


if __name__ == "__main__":
    main()
