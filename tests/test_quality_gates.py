"""`make test` fails when lint, formatting or types break: ruff check, ruff format --check and mypy (over
assessment/) run before the test suite."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_runs_ruff_and_mypy_before_the_tests() -> None:
    recipe = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = [line for line in recipe.splitlines() if line.startswith(".venv/bin/")]
    steps = [line.split()[0].removeprefix(".venv/bin/") for line in lines]
    assert steps[:3] == ["ruff", "ruff", "mypy"] and steps[-1] == "python" and "pytest" in lines[-1]
    assert lines[0].split()[1] == "check" and lines[1].split()[1:3] == ["format", "--check"]


def test_mypy_checks_the_whole_package_strictly_enough() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["assessment"]
    assert config["disallow_untyped_defs"] and config["warn_unused_ignores"] and "ignore_errors" not in config
    for override in config.get("overrides", []):  # only missing third-party types may be waved through
        assert set(override) <= {"module", "ignore_missing_imports"}
        assert not any(m.startswith("assessment") for m in override["module"])


def test_no_test_imports_a_page_module() -> None:
    """A page module draws its page when imported; imported by a test, it does so outside any app run and leaves
    Streamlit's layout state behind (every later AppTest then drew inside a stray form). Tests reach pages
    through AppTest only; what a test needs from a page belongs in a module that draws nothing."""
    offenders = [
        f"{path.name}:{n}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from assessment.ui.page_scripts", "import assessment.ui.page_scripts"))
    ]
    assert not offenders, offenders
