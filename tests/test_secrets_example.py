"""The example secrets file (issue 22, finding 6): it has every key Streamlit's st.login needs, holds no real
secret, and git keeps the real `.streamlit/secrets.toml` out while letting the example in."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".streamlit" / "secrets.example.toml"
REQUIRED = {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}


def test_the_example_has_every_key_st_login_needs_and_only_placeholders() -> None:
    auth = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["auth"]
    assert set(auth) >= REQUIRED
    assert auth["redirect_uri"].endswith("/oauth2callback")
    assert auth["server_metadata_url"].endswith("/.well-known/openid-configuration")
    assert all(auth[k].startswith("replace-with-") for k in ("cookie_secret", "client_id", "client_secret"))


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_git_ignores_the_real_secrets_file_but_not_the_example() -> None:
    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0

    assert ignored(".streamlit/secrets.toml")
    assert not ignored(".streamlit/secrets.example.toml")
    assert "secrets.toml" in (ROOT / ".dockerignore").read_text(encoding="utf-8")
