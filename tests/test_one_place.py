"""One place per concept (dev guide): the score cut points, the coverage rule, r_wg and its agreement bands, and
the plan answer's type are each defined once and imported everywhere else.

The scan below is cheap and catches the way the cut points used to be repeated: a comparison with 2.5 or 3.5,
a module constant holding one, or a sentence naming one, anywhere in assessment/ outside vocabulary.py
(the Typst templates included). Docstrings may give examples. rules.yaml is data: its strategy rules are checked
at load against vocabulary.CUT_POINTS.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np

from assessment import vocabulary
from assessment.scoring import is_sufficient
from assessment.workshop import agreement_for, rwg, submission_minimum

PACKAGE = Path(vocabulary.__file__).resolve().parent
CUT = re.compile(r"(?<![\d.])(2\.5|3\.5)(?!\d)")


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def cut_points_outside_vocabulary(root: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        numbers: list[ast.expr] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                numbers += [node.left, *node.comparators]
        numbers += [n.value for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None]
        for node in numbers:
            if isinstance(node, ast.Constant) and node.value in (2.5, 3.5) and isinstance(node.value, float):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value}")
        for node in ast.walk(tree):
            prose = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            if prose and CUT.search(node.value):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
    for path in sorted(root.rglob("*.typ")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if CUT.search(line.split("//")[0]):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()[:60]}")
    return found


def test_the_score_cut_points_are_written_only_in_vocabulary() -> None:
    assert cut_points_outside_vocabulary(PACKAGE) == []


def test_the_scan_finds_a_repeated_cut_point(tmp_path: Path) -> None:
    (tmp_path / "pockets.py").write_text("POCKET_HIGH = 3.5\n\ndef low(x):\n    return x < 2.5\n")
    (tmp_path / "prose.py").write_text('NOTE = "Dashed lines: 2.5 and 3.5"\nWIDTH = 12.5\n')
    (tmp_path / "chart.typ").write_text("for cut in (2.5, 3.5) { }\n#let w = 12.5pt\n")
    assert len(cut_points_outside_vocabulary(tmp_path)) == 4


def test_the_coverage_rule_reads_the_same_for_one_person_and_for_a_whole_column() -> None:
    rated = np.array([0, 1, 2, 3, 4])
    asked = 4
    assert is_sufficient(rated, asked).tolist() == [is_sufficient(int(r), asked) for r in rated]
    assert [is_sufficient(int(r), asked) for r in rated] == [False, False, True, True, True]
    assert is_sufficient(0, 0) is False
    for asked in range(1, 80):  # a submission needs what a score needs: the fewest answers the rule accepts
        least = submission_minimum(asked)
        assert is_sufficient(least, asked) and not is_sufficient(least - 1, asked)


def test_agreement_bands_follow_the_one_table() -> None:
    assert agreement_for(None) == "unknown"
    for lower, band in vocabulary.AGREEMENT_ABOVE:
        assert agreement_for(lower) != band  # each band is for an r_wg above its lower bound
        assert agreement_for(lower + 0.001) == band
    assert agreement_for(0.0) == "none"
    assert rwg(np.array([3.0, 3.0, 3.0])) == 1.0 and rwg(np.array([1.0, 5.0])) == 0.0
