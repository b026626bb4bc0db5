"""Outcome states for the output tests: every "not enough answers" state of the quick scan (each core item left
unanswered in turn, and prefixes of the core items), partial full assessments, and workshop groups.

Shared by the slide and report tests and `bench/render_all.py`."""

from __future__ import annotations

from collections.abc import Iterator

from hostile import base, group

from assessment import AnswerSet, assess, default_bank
from assessment.results import Result


def with_answers(a: AnswerSet, keep: set[str]) -> AnswerSet:
    """A copy of `a` with only the answers in `keep`."""
    data = a.model_dump()
    data["answers"] = {k: v for k, v in data["answers"].items() if k in keep}
    return AnswerSet.model_validate(data)


def quick_scan_states() -> Iterator[tuple[str, AnswerSet]]:
    """The quick scan with the first k core items answered (k = 0..n), and with each single item left out."""
    a = base("riverside_quick_scan.json")
    core = [i.id for i in default_bank().items_for("quick") if i.id in a.answers]
    for k in range(len(core) + 1):
        yield f"quick_first_{k}", with_answers(a, set(core[:k]))
    for k in range(0, len(core), 2):
        yield f"quick_without_{core[k]}", with_answers(a, set(core) - {core[k]})


def full_states() -> Iterator[tuple[str, AnswerSet]]:
    """Full assessments with every n-th item answered (n = 2..16)."""
    a = base()
    items = list(a.answers)
    for n in range(2, 17):
        yield f"full_every_{n}", with_answers(a, set(items[::n]))


def insufficient(sets: Iterator[tuple[str, AnswerSet]]) -> list[tuple[str, Result]]:
    bank = default_bank()
    out = []
    for name, a in sets:
        r = assess(a, bank)
        if r.recommendation.strategy == "insufficient_evidence":
            out.append((name, r))
    return out


def half_answered_group(n: int = 30) -> list[AnswerSet]:
    sets = group(n, "ok")
    items = list(sets[0].answers)
    return [with_answers(s, set(items[k % 2 :: 2])) for k, s in enumerate(sets)]
