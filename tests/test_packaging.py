"""Packaging: one source of truth for the pins, every third-party import declared, the version in one place.

The wheel and the sdist are built here and must hold every file git tracks under assessment/ (the package data
is derived from the tree, not listed by hand). The slow half (a clean venv, `pip install .`, the `assessment`
command, the PDF report and the board slide made by the installed package, and the image's start command) is
.ci/install-check, which .ci/run calls.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
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


def _git_files(*paths: str) -> list[str]:
    """The files git tracks (in the working tree, as they are now), relative to the checkout."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--", *paths], capture_output=True, check=True)
    return [name for name in out.stdout.decode().split("\0") if name and (ROOT / name).exists()]


# The top-level files the build copies into the package (setup.py), with where the package has them.
INTO_PACKAGE = {
    "questions.yaml": "assessment/data/questions.yaml",
    ".streamlit/config.toml": "assessment/ui/streamlit_config.toml",
}


def _package_files(copied: bool) -> dict[str, bytes]:
    """Every file git tracks under assessment/ with its content, and (`copied`: in a wheel) the top-level files
    the build copies in."""
    files = {name: (ROOT / name).read_bytes() for name in _git_files("assessment")}
    assert "assessment/report/templates/report.typ" in files
    if copied:
        files |= {target: (ROOT / source).read_bytes() for source, target in INTO_PACKAGE.items()}
    return files


def test_the_checkout_has_no_symbolic_links() -> None:
    """A checkout must work where symlinks do not (Windows without developer mode, some archive tools)."""
    _git_files()  # skips outside a git checkout
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-s"], capture_output=True, check=True, text=True)
    links = [line.split("\t", 1)[1] for line in out.stdout.splitlines() if line.startswith("120000 ")]
    assert not links, f"symbolic links in git: {links}"
    assert not [source for source, target in INTO_PACKAGE.items() if (ROOT / target).exists()]


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked files of the checkout, symlinks kept as symlinks, plus the bytecode a used checkout has."""
    src = tmp_path_factory.mktemp("packaging") / "src"
    for name in _git_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_symlink():
            target.symlink_to((ROOT / name).readlink())
        else:
            shutil.copy2(ROOT / name, target)
    for stray in ("assessment/__pycache__/cli.cpython-311.pyc", "assessment/report/__pycache__/board.cpython-311.pyc"):
        (src / stray).parent.mkdir(exist_ok=True)
        (src / stray).write_bytes(b"bytecode")
    (src / "assessment/stray.pyc").write_bytes(b"bytecode")
    return src


def _check_package(found: dict[str, bytes], where: str, copied: bool) -> None:
    """`found`: the files an artefact holds under assessment/. Exactly the tracked ones (and the copied ones in a
    wheel), with their content."""
    wanted = _package_files(copied)
    missing = sorted(set(wanted) - set(found))
    assert not missing, f"{where} lacks {missing}"
    extra = sorted(set(found) - set(wanted))
    assert not extra, f"{where} holds files git does not track: {extra}"
    differ = sorted(name for name, data in wanted.items() if found[name] != data)
    assert not differ, f"{where} holds other content for {differ}"


def test_the_wheel_holds_every_tracked_file_of_the_package_and_nothing_else(source_copy: Path) -> None:
    """What `pip install .` installs: a wheel built from the tree (in an isolated build environment with the
    setuptools pyproject.toml asks for). Templates, fonts, bank and migrations are there because everything is."""
    out = source_copy.parent / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source_copy)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("innovation_readiness-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        found = {name: archive.read(name) for name in names if name.startswith("assessment/")}
    _check_package(found, wheel.name, copied=True)
    tops = {name.split("/")[0] for name in names}
    assert tops == {"assessment", f"innovation_readiness-{assessment.__version__}.dist-info"}, tops
    assert not [name for name in names if name.split("/")[0] in ("tests", "bench", "examples")]


def _member_bytes(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = archive.extractfile(member)
    assert stream is not None, member.name
    return stream.read()


def test_the_sdist_holds_every_tracked_file_of_the_package_as_a_file(source_copy: Path) -> None:
    """The sdist, built by the setuptools pyproject.toml asks for: the package files with their content, as plain
    files, and the top-level files the wheel's build copies into the package (questions.yaml, its config.toml)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    backend, out = source_copy.parent / "backend", source_copy.parent / "sdist"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(backend), *requires]
    subprocess.run(pip, check=True, capture_output=True)
    build = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    made = subprocess.run(
        [sys.executable, "-c", build, str(out)],
        cwd=source_copy,
        env={**os.environ, "PYTHONPATH": str(backend)},
        check=True,
        capture_output=True,
        text=True,
    )
    sdist = out / made.stdout.strip().splitlines()[-1]
    base = f"innovation_readiness-{assessment.__version__}/"
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(base + "assessment/") and not m.isdir()]
        links = [m.name for m in members if not m.isfile()]
        assert not links, f"{sdist.name}: not plain files: {links}"
        found = {m.name.removeprefix(base): _member_bytes(archive, m) for m in members}
        for source in INTO_PACKAGE:
            assert _member_bytes(archive, archive.getmember(base + source)) == (ROOT / source).read_bytes(), source
    _check_package(found, sdist.name, copied=False)
