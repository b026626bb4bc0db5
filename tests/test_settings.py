"""Settings in one place: defaults, one-line errors naming the variable, the README table, proxies, logs."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import settings as settings_module
from assessment.errors import AssessmentError
from assessment.logs import audit, configure_logging
from assessment.settings import (
    PREFIX,
    Settings,
    SettingsError,
    get_settings,
    markdown_table,
    readme_table,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(PREFIX + name.upper(), raising=False)


def test_defaults_keep_data_out_of_site_packages_and_workshops_for_30_days() -> None:
    s = get_settings()
    assert s.retention_days == 30 and s.anonymity_threshold == 3 and s.log_level == "INFO"
    assert s.effective_database_url == f"sqlite:///{s.data_dir / 'assessment.sqlite'}"
    assert "site-packages" not in str(s.data_dir)
    assert s.organiser_key.get_secret_value() == "" and "secret" not in repr(s.organiser_key)


def test_outside_a_checkout_the_data_directory_is_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings_module, "CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert settings_module.default_data_dir() == tmp_path / "xdg" / "innovation-readiness"


def test_each_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql+psycopg://app@db/assessment",
        "DATABASE_PASSWORD": "p@ss:w/rd%",
        "DATA_DIR": str(tmp_path),
        "BASE_URL": "https://readiness.example.org/assessment/",
        "RETENTION_DAYS": "14",
        "ANONYMITY_THRESHOLD": "5",
        "TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7",
        "ORGANISER_KEY": "Vq8mZ2rT_x4LkN7pW3cY9hJd",
        "ORGANISER_ACCOUNTS": "Ann@Example.org, 2480917345",
        "LOG_LEVEL": "debug",
        "SECRET": "  " + "s" * 40 + " ",
    }
    assert set(env) == {n.upper() for n in Settings.model_fields}  # a new setting needs a line here
    for k, v in env.items():
        monkeypatch.setenv(PREFIX + k, v)
    s = get_settings()
    assert s.effective_database_url == "postgresql+psycopg://app:p%40ss%3Aw%2Frd%25@db/assessment"
    assert "p@ss" not in repr(s)
    assert s.data_dir == tmp_path and s.base_url == "https://readiness.example.org/assessment"
    assert (s.retention_days, s.anonymity_threshold, s.log_level) == (14, 5, "DEBUG")
    assert [str(n) for n in s.proxy_networks] == ["10.0.0.0/8", "192.168.1.7/32"]
    assert s.organiser_key.get_secret_value() == "Vq8mZ2rT_x4LkN7pW3cY9hJd"
    assert s.organiser_account_set == {"ann@example.org", "2480917345"}
    assert s.secret.get_secret_value() == "s" * 40 and "s" * 40 not in repr(s)
    monkeypatch.setenv(PREFIX + "RETENTION_DAYS", "7")
    assert get_settings().retention_days == 7  # never served stale after a change


@pytest.mark.parametrize(
    "name,value,needle",
    [
        ("RETENTION_DAYS", "0", "greater than or equal to 1"),
        ("RETENTION_DAYS", "thirty", "valid integer"),
        ("ANONYMITY_THRESHOLD", "1", "greater than or equal to 2"),
        ("BASE_URL", "readiness.example.org", "http:// or https://"),
        ("TRUSTED_PROXIES", "10.0.0.0/8, proxy.local", "'proxy.local' is not an IP address"),
        ("LOG_LEVEL", "chatty", "DEBUG"),
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("SECRET", "too-short", "at least 32 characters"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    name: str, value: str, needle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PREFIX + name, value)
    with pytest.raises(SettingsError) as info:
        get_settings()
    line = info.value.one_line()
    assert "\n" not in line and PREFIX + name in line and needle in line


def test_the_serve_command_stops_on_a_bad_setting_with_one_line() -> None:
    env = {"PATH": "/usr/bin:/bin", "ASSESSMENT_LOG_LEVEL": "chatty"}
    proc = subprocess.run([sys.executable, "-m", "assessment", "serve"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "ASSESSMENT_LOG_LEVEL" in proc.stderr


def test_the_readme_table_is_generated_from_the_model() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme_table(readme) == markdown_table(), "run: python -m assessment.settings --readme README.md"
    for name in Settings.model_fields:
        assert f"`{PREFIX}{name.upper()}`" in readme


def test_logs_are_json_lines_at_the_configured_level_and_refuse_secrets() -> None:
    out = io.StringIO()
    configure_logging("WARNING", stream=out)
    try:
        audit("workshop_created", actor="organiser", workshop_id=7)
        assert out.getvalue() == ""  # INFO is below WARNING
        configure_logging("INFO", stream=out)
        audit("workshop_created", actor="organiser", workshop_id=7)
        line = json.loads(out.getvalue())
        assert line["event"] == "workshop_created" and line["actor"] == "organiser" and line["workshop_id"] == 7
        assert re.match(r"\d{4}-\d\d-\d\dT", line["time"]) and line["level"] == "INFO"
        for field in ("join_code", "facilitator_key", "token", "comment", "respondent_name", "answers"):
            with pytest.raises(ValueError, match="personal data or secrets"):
                audit("x", actor="y", **{field: "z"})
    finally:
        configure_logging("INFO")
        logging.getLogger("assessment").handlers[:] = [
            h
            for h in logging.getLogger("assessment").handlers
            if not isinstance(h, logging.StreamHandler) or h.stream is not out
        ]


def test_settings_error_is_an_assessment_error() -> None:
    assert issubclass(SettingsError, AssessmentError)
