"""Issue 22: every command-line failure is one line with exit 2 and no database password; `report` keeps its
input; the README's `recommend` example runs; secrets stay out of git and the image; the SQLite file is private;
Streamlit runs headless, and an operator's STREAMLIT_* variable or config.toml beats the package's defaults."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import cli
from assessment.cli import main, serve_argv
from assessment.settings import load_settings
from assessment.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
PASSWORD = "Zq7@x9:Kp2w"  # an @ and a : that break a URL written by hand


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    return err


def _shows_no_part_of_the_password(line: str) -> None:
    for piece in [PASSWORD, *re.split(r"[@:]", PASSWORD)]:
        assert piece not in line, (piece, line)


@pytest.mark.parametrize("form", ["encoded", "raw"])
def test_instrument_on_an_unreachable_database_is_one_line_without_the_password(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from urllib.parse import quote

    pw = quote(PASSWORD, safe="") if form == "encoded" else PASSWORD
    url = f"postgresql+psycopg://assessment:{pw}@127.0.0.1:{_free_port()}/assessment"
    assert main(["instrument", "--database", url]) == 2
    _shows_no_part_of_the_password(_one_error_line(capsys))


def test_a_password_apart_from_the_url_may_hold_any_character(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", f"postgresql+psycopg://assessment@127.0.0.1:{_free_port()}/db")
    monkeypatch.setenv("ASSESSMENT_DATABASE_PASSWORD", PASSWORD)
    assert make_url(load_settings().effective_database_url).password == PASSWORD
    assert main(["instrument"]) == 2
    line = _one_error_line(capsys)
    assert "cannot use the database" in line
    _shows_no_part_of_the_password(line)


def test_compose_passes_the_password_apart_from_the_url() -> None:
    import yaml

    env = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["app"]["environment"]
    assert "POSTGRES_PASSWORD" not in env["ASSESSMENT_DATABASE_URL"]
    assert env["ASSESSMENT_DATABASE_PASSWORD"] == "${POSTGRES_PASSWORD}"


def test_instrument_on_a_fresh_clone_says_there_is_no_workshop_database_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ASSESSMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path / "data"))
    assert main(["instrument"]) == 2
    line = _one_error_line(capsys)
    assert "no workshop database yet" in line and "created when the app first runs" in line
    assert not (tmp_path / "data").exists()


def test_instrument_refuses_a_bad_export_folder_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    Store(url).close()
    assert main(["instrument", "--database", url, "--export", str(tmp_path / "missing" / "a.csv")]) == 2
    assert "does not exist" in _one_error_line(capsys)


def test_report_refuses_to_overwrite_its_own_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.json"
    shutil.copy(EXAMPLE, answers)
    before = answers.read_bytes()
    other_name = tmp_path / "other.json"
    os.link(answers, other_name)
    for target in (answers, tmp_path / "." / "answers.json", other_name):
        assert main(["report", str(answers), "-o", str(target)]) == 2
        assert "its own input" in _one_error_line(capsys)
    assert answers.read_bytes() == before


def test_the_readmes_recommend_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^assessment (recommend \S+)", readme, re.M)
    assert command, "the README shows no recommend command"
    monkeypatch.chdir(ROOT)
    assert main(command[1].split()) == 0
    assert json.loads(capsys.readouterr().out)["recommendation"]["strategy"] == "hold_back"


def test_sign_in_secrets_stay_out_of_git_and_the_image() -> None:
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().split()
    assert ".streamlit/secrets.toml" in (ROOT / ".dockerignore").read_text().split()
    copies = re.findall(r"^(?:COPY|ADD)\s+(.+)$", (ROOT / "Dockerfile").read_text(), re.M)
    sources = [src for line in copies for src in line.split()[:-1] if not src.startswith("--")]
    assert sources and all(src.rstrip("/") not in (".", ".streamlit") and "secrets" not in src for src in sources)


def test_the_sqlite_file_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store(f"sqlite:///{tmp_path / 'db' / 'w.sqlite'}")
        try:
            files = [tmp_path / "db" / name for name in ("w.sqlite", "w.sqlite-wal", "w.sqlite-shm")]
            assert all(f.exists() for f in files)
            for f in files:
                assert os.stat(f).st_mode & 0o777 == 0o600, (f, oct(os.stat(f).st_mode))
        finally:
            store.close()
    finally:
        os.umask(old)


def _effective(option: str, cwd: Path, home: Path, env: dict[str, str], argv: list[str] | None = None) -> str:
    """The value Streamlit would run with: its own config parser (config.toml files), with the flags of `argv`."""
    flags: dict[str, object] = {}
    rest = (argv or [])[5:]
    for name, value in zip(rest[::2], rest[1::2], strict=True):  # typed as `streamlit run`'s options parser does
        flags[name.removeprefix("--")] = {"true": True, "false": False}.get(
            value, int(value) if value.isdigit() else value
        )
    code = (
        "import json, sys; from streamlit import config; "
        "config.get_config_options(force_reparse=True, options_from_flags=json.loads(sys.argv[1])); "
        f"print(config.get_option({option!r}))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")} | env | {"HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(flags)], cwd=cwd, env=environ, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_make_run_and_serve_are_headless(tmp_path: Path) -> None:
    """No e-mail prompt on the first start: `make run` runs `streamlit run app.py` in the checkout (which reads
    .streamlit/config.toml), `assessment serve` runs anywhere with the package's options."""
    assert "streamlit run app.py" in (ROOT / "Makefile").read_text()
    assert _effective("server.headless", ROOT, tmp_path, {}) == "True"
    argv = serve_argv([], {}, [])
    assert _effective("server.headless", tmp_path, tmp_path, {}, argv) == "True"


def test_an_operators_streamlit_variable_beats_the_packages_default(tmp_path: Path) -> None:
    argv = serve_argv([], {}, [])
    assert argv[argv.index("--server.maxUploadSize") + 1] == "2"
    env = {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "7", "STREAMLIT_THEME_PRIMARY_COLOR": "#FF0000"}
    argv = serve_argv([], env, [])
    assert "--server.maxUploadSize" not in argv and "--theme.primaryColor" not in argv
    assert "--server.headless" in argv  # the rest of the defaults still apply


def test_an_operators_config_toml_beats_the_packages_default(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    config = tmp_path / ".streamlit" / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 5\n")
    argv = serve_argv([], {}, [config])
    assert "--server.maxUploadSize" not in argv
    assert _effective("server.maxUploadSize", tmp_path, tmp_path, {}, argv) == "5"
    assert "--server.maxUploadSize" not in serve_argv(["--server.maxUploadSize", "9"], {}, [])[5:-2]


def test_serve_builds_its_command_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite'}")
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "7")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    started: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execve", lambda _exe, argv, _env: started.append(argv))
    assert main(["serve"]) == 0
    assert "--server.maxUploadSize" not in started[0] and "--server.headless" in started[0]
