"""One disclosure-control layer (issue 18): every workshop figure that leaves the store reaches an output through
`assessment.disclosure`, and k, its bounds and the promise are written once.

A structural check (it fails when an output builds a released figure another way), then the ledger and the
release rule on small cases a reader can follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

from assessment.disclosure import Ledger, promise
from assessment.disclosure.releases import next_release, waiting

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assessment"
# the pure aggregation and the layer itself; the command line and the report may summarise answer FILES (no
# workshop, no releases: `summarise_answer_sets` runs the same gate within the one output)
ALLOWED = {"workshop", "disclosure"}
FILE_ONLY = {"summarise_answer_sets"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def test_no_output_computes_workshop_figures_past_the_disclosure_layer() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts[0]
        if part in ALLOWED:
            continue
        used = _imports(path)
        # the store loads matrices (it is the only package that reads the database); nobody else may, and nobody
        # outside the layer summarises
        names = (
            ("summarise", "dimension_statistics")
            if part == "store"
            else ("summarise", "dimension_statistics", "_load", "from_long", "answer_queries")
        )
        for name in names:
            if name in used:
                offenders.append(f"{path.relative_to(ROOT)} uses {name}")
        if "participant_answers" in used:
            offenders.append(f"{path.relative_to(ROOT)} reads one person's answers")
    assert not offenders, offenders


def test_the_store_has_no_call_that_returns_one_persons_answers_to_a_facilitator() -> None:
    from assessment.store import Store

    assert not hasattr(Store, "participant_answers")
    assert not hasattr(Store, "responses")  # the live matrix; released_responses is the release


def test_k_and_its_bounds_are_written_once() -> None:
    hits = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "policy.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in {"DEFAULT_MIN_GROUP", "LOWEST_MIN_GROUP", "HIGHEST_MIN_GROUP"}
                for t in node.targets
            ):
                hits.append(str(path.relative_to(ROOT)))
    assert not hits


def test_the_ledger_holds_back_a_group_that_differs_from_a_shown_one_by_fewer_than_k() -> None:
    ledger = Ledger(3)
    everyone = {1, 2, 3, 4}
    assert ledger.publish(("item", "x"), everyone)
    assert not ledger.publish(("item", "x"), {2, 3, 4})  # 4 - 3 = the lone doctor
    assert ledger.publish(("item", "y"), {2, 3, 4})  # another quantity: its own atoms
    assert ledger.publish(("item", "x"), everyone)  # the same figure again changes nothing
    assert ledger.atoms(("item", "x")) == [4]
    assert not ledger.publish(("item", "x"), {1, 2})  # fewer than k
    wide = Ledger(2)
    assert wide.publish(("dim", "d"), {1, 2, 3, 4}) and wide.publish(("dim", "d"), {1, 2})
    assert not wide.publish(("dim", "d"), {2, 3})  # would leave {1}, {2}, {3}, {4}
    assert wide.atoms(("dim", "d")) == [2, 2]


def test_results_change_only_when_k_people_can_be_added_changed_or_withdrawn_together() -> None:
    k = 3
    v = {i: (i, "v1") for i in range(8)}
    assert next_release([], frozenset([v[0], v[1]]), k) is None  # fewer than k submitted
    first = next_release([], frozenset([v[0], v[1], v[2]]), k)
    assert first == frozenset([v[0], v[1], v[2]])
    history = [first]
    assert next_release(history, first | {v[3]}, k) is None  # one more: waits
    assert waiting(history, first | {v[3]}) == 1
    second = next_release(history, first | {v[3], v[4], v[5]}, k)
    assert second == first | {v[3], v[4], v[5]}
    history.append(second)
    # one person excluded (or reopened and resubmitted): their released answers stay until k changes go together
    changed = (second - {v[0]}) | {(0, "v2")}
    assert next_release(history, changed, k) is None
    with_new = changed | {v[6], v[7], (8, "v1")}
    third = next_release(history, with_new, k)
    assert third == second | {v[6], v[7], (8, "v1")}  # the newcomers, the old answers of 0 kept
    assert third is not None and (0, "v2") not in third


def test_the_promise_names_k_and_comparisons() -> None:
    text = promise(4)
    assert "fewer than 4 people" in text and "comparing" in text


def test_the_promise_is_worded_in_one_place() -> None:
    """Every screen and file says it with `promise()`: no module words it on its own."""
    wordings = ("No figure describes fewer", "never a figure that describes", "No figure here describes")
    found = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name != "policy.py" and any(w in path.read_text() for w in wordings)
    ]
    assert not found
