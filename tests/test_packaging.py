"""Packaging: one source of truth for the pins, every third-party import declared, the version in one place.

The slow half (a clean venv, `pip install .`, the `assessment` command and the image's start command) is
.ci/install-check, which .ci/run calls.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

import assessment
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*$")


def _requirements(name: str) -> list[str]:
    return [line.strip() for line in (ROOT / name).read_text().splitlines() if line.strip()]


def test_pyproject_takes_its_dependencies_from_requirements_txt() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "dependencies" in project["project"]["dynamic"] and "dependencies" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["assessment", "assessment.*"]
    assert project["project"]["scripts"] == {"assessment": "assessment.cli:main"}


def test_every_requirement_is_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in _requirements(name):
            if line == "-r requirements.txt" and name == "requirements-dev.txt":
                continue
            assert PIN.match(line), f"{name}: {line!r} is not a plain pin (name==version)"


def _third_party_imports() -> set[str]:
    stdlib = set(sys.stdlib_module_names)
    found: set[str] = set()
    for path in (ROOT / "assessment").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(n.split(".")[0] for n in names if n.split(".")[0] not in stdlib)
    return found - {"assessment"}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    declared = {PIN.match(line)["name"].lower().replace("_", "-") for line in _requirements("requirements.txt")}  # type: ignore[index]
    owners = packages_distributions()
    for module in sorted(_third_party_imports()):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [])}
        assert dists & declared, f"assessment imports {module} ({dists or 'no package'}); requirements.txt lacks it"
    assert "numpy" in _third_party_imports()


def test_the_version_is_written_once_and_shown_by_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "assessment.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", assessment.__version__)
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"assessment {assessment.__version__}"
    assert f"## {assessment.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_the_data_files_the_package_reads_are_package_data() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["assessment"]
    package = ROOT / "assessment"
    covered = {p.resolve() for pattern in patterns for p in package.glob(pattern)}
    wanted = [*package.glob("data/*"), *package.glob("report/fonts/*"), *package.glob("ui/pages/*.py"),
              *package.glob("migrations/**/*.py"), package / "migrations" / "alembic.ini"]  # fmt: skip
    missing = [str(p.relative_to(ROOT)) for p in wanted if p.resolve() not in covered]
    assert not missing
    assert (package / "data" / "questions.yaml").read_text() == (ROOT / "questions.yaml").read_text()
