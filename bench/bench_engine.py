"""Benchmark: answer sets scored and recommended per second (goal: at least 10,000/s).

Run: make bench   (or .venv/bin/python bench/bench_engine.py [N])

Measures, on N random full-bank answer sets (about 10 % "don't know"), median of 3 runs in one process, wall
and CPU time:
  1. parse + score + recommend: each answer set read from its saved JSON file bytes (`parse_answers`, with
     the bank check), then dimension scores, the outcome and its warnings (`engine.decide`) - the goal;
     baseline: the same bytes through `json.loads` and a plain-Python mean per dimension (no validation, no
     rules), to show what the checks and the rules cost;
     where the time goes: the parse alone (`parse_answers`: strict JSON, duplicate keys refused, then the
     models), pydantic's one-pass `AnswerSet.model_validate_json` on the same bytes (no duplicate-key check,
     so not a replacement; shown because it costs about as much as the two-step parse: most of the time is
     the 75 item models, not the JSON), and score + recommend on parsed sets;
  2. the full explained result (`engine.assess`: pydantic models for every score, the rules that fired with
     their inputs, confidence, evidence base, caveats) without the sensitivity analysis;
  3. the same with the sensitivity analysis ("what would change it"), which re-runs the rules at every
     threshold a rule uses;
  4. a workshop's answers read back and kept: 300 answer sets of 75 stored answers (`ItemAnswer.stored`, as the
     store builds them for the group's results), against the fair baseline of the same answers as a pydantic
     `BaseModel` made by `model_construct` (what an answer was before it became a slotted dataclass); CPU per
     answer and bytes per answer kept;
  5. the item-level "what would change it" alone (`item_changes`: every other answer to every question asked,
     one at a time), against the fair baseline of the same search scoring every answer again for each trial
     (`outcome_rescored`, as it did before the incremental search).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rows import Row, emit

from assessment import AnswerSet, ItemAnswer, assess, default_bank, parse_answers
from assessment.engine import decide, given_context
from assessment.item_sensitivity import RATINGS, item_changes, outcome_rescored


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
            "political_work_first": "yes" if rnd.random() < 0.3 else "no",
            "step_one_evidence": "yes" if rnd.random() < 0.3 else "no",
        }
        sets.append(AnswerSet(bank_version=bank.bank_version, context=ctx, answers=answers))
    return sets


T = TypeVar("T")


class BaseModelAnswer(BaseModel):
    """The baseline's answer: the shape `ItemAnswer` had as a pydantic `BaseModel`."""

    model_config = ConfigDict(extra="forbid")
    value: int | str | None = None
    comment: str = ""


def kept_in_bulk(make: Callable[[int, str], object], n: int = 300 * 75) -> tuple[float, float]:
    """CPU us per answer made and kept, and bytes per answer kept (tracemalloc, in a second pass)."""
    c0 = time.process_time()
    kept = [make(i % 5 + 1, "") for i in range(n)]
    cpu = (time.process_time() - c0) / n * 1e6
    del kept
    tracemalloc.start()
    kept = [make(i % 5 + 1, "") for i in range(n)]
    size = tracemalloc.get_traced_memory()[0] / len(kept)
    tracemalloc.stop()
    return cpu, size


def rate(items: list[T], run: Callable[[T], object], repeats: int = 3) -> tuple[float, float]:
    """Median rate per second over `repeats` runs, by wall time and by CPU time of this process."""
    run(items[0])  # warm caches
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        for s in items:
            run(s)
        walls.append(len(items) / (time.perf_counter() - w0))
        cpus.append(len(items) / max(time.process_time() - c0, 1e-9))
    return statistics.median(walls), statistics.median(cpus)


def baseline(data: bytes, dims: dict[str, str], reverse: frozenset[str]) -> dict[str, float]:
    """The fair baseline: parse the same bytes and take a plain mean per dimension, nothing else."""
    raw = json.loads(data)
    sums: dict[str, list[int]] = {}
    for item, answer in raw["answers"].items():
        v = answer.get("value")
        if isinstance(v, int):
            s = sums.setdefault(dims[item], [0, 0])
            s[0] += 6 - v if item in reverse else v
            s[1] += 1
    return {d: t / n for d, (t, n) in sums.items()}


def item_changes_rescored(s: AnswerSet, bank: object) -> int:
    """The baseline search: the same trials as `item_changes`, each scored from scratch. Returns the count."""
    ratings, asked, ctx = s.ratings(), list(bank.items_for(s.mode)), given_context(s.context)  # type: ignore[attr-defined]
    now = outcome_rescored(bank, ratings, asked, ctx)  # type: ignore[arg-type]
    found = 0
    for item in asked:
        old = ratings.get(item.id)
        tries = sorted((v for v in RATINGS if v != old), key=lambda v: (abs(v - old), v) if isinstance(old, int) else v)
        found += any(outcome_rescored(bank, {**ratings, item.id: v}, asked, ctx) != now for v in tries)  # type: ignore[arg-type]
    return found


def item_changes_fast(s: AnswerSet, bank: object) -> int:
    ratings, asked, ctx = s.ratings(), list(bank.items_for(s.mode)), given_context(s.context)  # type: ignore[attr-defined]
    now = outcome_rescored(bank, ratings, asked, ctx)  # type: ignore[arg-type]
    return len(item_changes(bank, ratings, asked, ctx, now))  # type: ignore[arg-type]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    sets = make_sets(n)
    files = [s.model_dump_json().encode() for s in sets]
    bank = default_bank()
    dims, reverse = bank.item_dimensions, bank.reverse_items
    core = rate(files, lambda f: decide(parse_answers(f, bank), bank))
    parse = rate(files, lambda f: parse_answers(f, bank))
    one_pass = rate(files, AnswerSet.model_validate_json)
    base = rate(files, lambda f: baseline(f, dims, reverse))
    bare = rate(sets, lambda s: decide(s, bank))
    explained = rate(sets, lambda s: assess(s, bank, with_sensitivity=False))
    full = rate(sets, lambda s: assess(s, bank, with_sensitivity=True))
    few = sets[: max(20, n // 25)]
    assert [item_changes_fast(s, bank) for s in few] == [item_changes_rescored(s, bank) for s in few]
    items_fast = rate(few, lambda s: item_changes_fast(s, bank))
    items_base = rate(few, lambda s: item_changes_rescored(s, bank))
    stored = min((kept_in_bulk(ItemAnswer.stored) for _ in range(3)), key=lambda r: r[0])
    constructed = min(
        (kept_in_bulk(lambda v, c: BaseModelAnswer.model_construct(value=v, comment=c)) for _ in range(3)),
        key=lambda r: r[0],
    )
    verdict = "met" if core[1] >= 10_000 else "NOT met"
    print(f"answer sets: {n} (full bank, {len(bank.items)} items), median of 3 runs; rates per second, wall / CPU")
    print(f"(CPU per answer set, parse + score + recommend: {1e6 / core[1]:.0f} us; wall: {1e6 / core[0]:.0f} us)")
    print(f"parse + score + recommend:        {core[0]:9,.0f} / {core[1]:9,.0f}  (goal >= 10,000/s CPU: {verdict})")
    print(
        f"baseline (json.loads + means):    {base[0]:9,.0f} / {base[1]:9,.0f}  "
        f"ratio {base[1] / core[1]:.1f}x the goal path's CPU time"
    )
    print(f"  parse alone (parse_answers):    {parse[0]:9,.0f} / {parse[1]:9,.0f}")
    print(f"  one-pass model_validate_json:   {one_pass[0]:9,.0f} / {one_pass[1]:9,.0f}")
    print(f"score + recommend, parsed sets:   {bare[0]:9,.0f} / {bare[1]:9,.0f}")
    print(f"full explained result (assess):   {explained[0]:9,.0f} / {explained[1]:9,.0f}")
    print(f"  + sensitivity:                  {full[0]:9,.0f} / {full[1]:9,.0f}")
    print(
        f"item-level changes ({len(few)} sets): {items_fast[0]:9,.0f} / {items_fast[1]:9,.0f}  "
        f"baseline rescoring every trial {items_base[0]:,.0f} / {items_base[1]:,.0f}: "
        f"{items_fast[1] / items_base[1]:.1f}x faster (CPU)"
    )
    print(
        f"workshop answers kept (300 x 75): {stored[0]:.2f} us and {stored[1]:.0f} bytes per answer; baseline "
        f"BaseModel.model_construct {constructed[0]:.2f} us and {constructed[1]:.0f} bytes: "
        f"{constructed[0] / stored[0]:.1f}x the CPU, {constructed[1] / stored[1]:.1f}x the memory"
    )
    emit(Row("engine", "a stored answer made and kept, CPU per answer", "(reported)", stored[0], constructed[0],
             "us", None, cpu_ms=stored[0] / 1e3))  # fmt: skip
    emit(Row("engine", "item-level what would change it, CPU per set", "(reported)", 1e6 / items_fast[1],
             1e6 / items_base[1], "us", None, cpu_ms=1e3 / items_fast[1], wall_ms=1e3 / items_fast[0]))  # fmt: skip
    emit(Row("engine", "parse + score + recommend, CPU per answer set", "< 100 us CPU (10,000/s)", 1e6 / core[1],
             1e6 / base[1], "us", core[1] >= 10_000, cpu_ms=1e3 / core[1], wall_ms=1e3 / core[0]))  # fmt: skip
    emit(Row("engine", "explained result + sensitivity, CPU per set", "(reported)", 1e6 / full[1], 1e6 / base[1],
             "us", None, cpu_ms=1e3 / full[1], wall_ms=1e3 / full[0]))  # fmt: skip


if __name__ == "__main__":
    main()
