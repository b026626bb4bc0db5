"""Every deployment setting in one place: one pydantic-settings model read from `ASSESSMENT_*` variables.

`get_settings()` reads and validates them once per process; a bad value stops the app or the command with
one line naming the variable (`SettingsError`). The README's settings table is generated from this model
(`python -m assessment.settings --markdown`), and a test checks that they match.
"""

from __future__ import annotations

import ipaddress
import math
import os
import string
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .disclosure.policy import DEFAULT_MIN_GROUP, HIGHEST_MIN_GROUP, LOWEST_MIN_GROUP
from .errors import AssessmentError
from .netaddr import UVICORN_DEFAULT_TRUST, UVICORN_TRUST_ENV, trusted_proxies

PREFIX = "ASSESSMENT_"
CHECKOUT = Path(__file__).resolve().parent.parent
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class SettingsError(AssessmentError):
    """A deployment setting has a value the app cannot use."""


def default_data_dir() -> Path:
    """`data/` in a source checkout (for `make run`); elsewhere (an installed package, a server, the image)
    the per-user data directory `$XDG_DATA_HOME/innovation-readiness`, never inside site-packages."""
    if (CHECKOUT / "pyproject.toml").is_file() and os.access(CHECKOUT, os.W_OK):
        return CHECKOUT / "data"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "innovation-readiness"


class Settings(BaseSettings):
    """Deployment settings. Each field is read from the environment variable `ASSESSMENT_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the workshop database, e.g. `postgresql+psycopg://user:pw@host/db`. "
        "Empty: an SQLite file `assessment.sqlite` in the data directory. A password with characters such as "
        "`@`, `:` or `/` must be URL-encoded here; or leave it out and set `ASSESSMENT_DATABASE_PASSWORD`.",
    )
    database_password: SecretStr = Field(
        default=SecretStr(""),
        description="The database password, kept apart from the URL (any characters, as typed; no URL encoding). "
        "When set it replaces any password in `ASSESSMENT_DATABASE_URL` (compose.yaml passes `POSTGRES_PASSWORD` "
        "this way). Errors never show it.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the SQLite database lives when no database URL is set. Default: `data/` in a source "
        "checkout, else `~/.local/share/innovation-readiness` (the image sets `/var/lib/assessment`).",
    )
    base_url: str = Field(
        default="",
        description="The public address of the app (e.g. `https://readiness.example.org/assessment`), used in "
        "the workshop links. Empty: taken from the browser's address.",
    )
    retention_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days a workshop is kept after it is created (a facilitator may extend it up to this many "
        "days from the day they extend it). Expired workshops are deleted with everything in them.",
    )
    anonymity_threshold: int = Field(
        default=DEFAULT_MIN_GROUP,
        ge=LOWEST_MIN_GROUP,
        le=HIGHEST_MIN_GROUP,
        description="Default smallest group a workshop shows (2 to 20): no figure about fewer respondents is shown, "
        "exported or printed. The facilitator may raise or lower it for one workshop when creating it.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks (CIDR) of the reverse proxies whose "
        "`X-Forwarded-For` header is believed. Empty: the header is ignored.",
    )
    organiser_key: SecretStr = Field(
        default=SecretStr(""),
        description="The organiser key: a random key of at least 128 bits (22 or more URL-safe characters, or 32 "
        "hex digits; a shorter one stops the app). When set (and no identity provider is), creating a workshop, the "
        "row-level downloads and the Instrument quality page's detail ask for it. Empty, with no identity provider "
        "and allow-list: workshops can be created by anyone, and row-level outputs are off.",
    )
    log_level: LogLevel = Field(default="INFO", description="Level of the app's logs: DEBUG, INFO, WARNING or ERROR.")

    # ----- joining: the deployment's secret (issue 18) -----
    secret: SecretStr = Field(
        default=SecretStr(""),
        description="Secret (at least 32 characters) of the keyed hashes (HMAC) that store join codes and the "
        "guessing budgets' addresses and devices. Empty: a random secret is created in the database on first start "
        "and shared by every process on it. Set it to keep it out of database backups; set it before the first "
        "start, as changing it makes existing join codes stop working.",
    )

    @field_validator("secret", mode="before")
    @classmethod
    def _secret_length(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.strip()
            if v and len(v) < 32:
                raise ValueError("must be at least 32 characters (e.g. from `openssl rand -hex 32`)")
        return v

    @field_validator("database_url", "base_url")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, v: str) -> str:
        if v:
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError

            try:
                make_url(v)
            except (ArgumentError, ValueError):  # never echo the value: it may hold a password
                raise ValueError(
                    "not a database URL (e.g. postgresql+psycopg://user@host/db; URL-encode special characters in "
                    "the password, or set it apart in ASSESSMENT_DATABASE_PASSWORD)"
                ) from None
        return v

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, v: str) -> str:
        if v and not v.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v.rstrip("/")

    @field_validator("organiser_key", mode="before")
    @classmethod
    def _strip_key(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v: str) -> str:
        for part in _split(v):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"{part[:60]!r} is not an IP address or network") from None
        return v

    # ----- the organiser gate: key strength and the identity provider's allow-list (issue 18) -----

    organiser_accounts: str = Field(
        default="",
        description="Comma-separated e-mail addresses (or OpenID subject ids) of the organisers, when organisers "
        "sign in with an identity provider (an `[auth]` section in `.streamlit/secrets.toml`): only these accounts "
        "may create workshops, download row-level data and open the Instrument quality page's detail. Empty: any "
        "signed-in account may create a workshop, and row-level outputs are off.",
    )

    @field_validator("organiser_key")
    @classmethod
    def _strong_key(cls, v: SecretStr) -> SecretStr:
        problem = key_problem(v.get_secret_value())
        if problem:
            raise ValueError(problem)
        return v

    @field_validator("organiser_accounts")
    @classmethod
    def _accounts(cls, v: str) -> str:
        for part in _split(v):
            if len(part) > 320 or any(ch.isspace() for ch in part):
                raise ValueError(f"{part[:60]!r} is not an e-mail address or account id")
        return v

    @property
    def organiser_account_set(self) -> frozenset[str]:
        """The allow-list, each entry as `account_id` compares it (e-mail addresses in lower case)."""
        return frozenset(account_id(p) for p in _split(self.organiser_accounts))

    # ----- end of the organiser gate block -----

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "assessment.sqlite"

    @property
    def effective_database_url(self) -> str:
        if not self.database_url:
            return f"sqlite:///{self.sqlite_path}"
        password = self.database_password.get_secret_value()
        if not password:
            return self.database_url
        from sqlalchemy.engine import make_url

        # the URL object quotes the password (@, :, /, % ...) when it renders the URL
        return make_url(self.database_url).set(password=password).render_as_string(hide_password=False)

    @property
    def proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return trusted_proxies(self.trusted_proxies)


def _split(v: str) -> list[str]:
    return [p.strip() for p in v.split(",") if p.strip()]


# ----- the organiser gate: how strong a key must be (issue 18) -----

MIN_KEY_BITS = 128
GENERATE_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(24))"'
_HEX = frozenset(string.hexdigits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "-_+/=")
MIN_DISTINCT = 8  # a random key of 22+ characters has far more; "aaaa..." or "abab..." has fewer


def key_bits(key: str) -> float:
    """The randomness of `key` if its characters were drawn at random from the smallest usual alphabet holding
    them: 4 bits a character for hex digits, 6 for (URL-safe) base64, log2(95) for anything else, and for words
    separated by spaces at most 12.9 bits a word (a diceware list). An upper bound: a word or a pattern has far
    less, so the key should come from a generator (GENERATE_KEY)."""
    chars = set(key)
    per = 4.0 if chars <= _HEX else 6.0 if chars <= _BASE64 else math.log2(95)
    bits = len(key) * per
    words = key.split()
    if len(words) > 1:  # a passphrase: at most a diceware word's randomness (7,776 words) per word
        bits = min(bits, len(words) * math.log2(7776))
    return bits


def key_problem(key: str) -> str | None:
    """Why `key` is too weak to be an organiser key, or None when it is strong enough (or empty: no key)."""
    if not key:
        return None
    how = f"generate one with: {GENERATE_KEY}"
    if len(set(key)) < MIN_DISTINCT:
        return f"too few different characters to be a random key; {how}"
    bits = key_bits(key)
    if bits < MIN_KEY_BITS:
        return (
            f"too weak to resist guessing: {len(key)} characters, at most about {bits:.0f} bits where at least "
            f"{MIN_KEY_BITS} are needed (22 or more random URL-safe characters, or 32 hex digits); {how}"
        )
    return None


def account_id(account: str) -> str:
    """An organiser account as the allow-list compares it: an e-mail address in lower case, a subject id as is."""
    account = account.strip()
    return account.casefold() if "@" in account else account


def load_settings() -> Settings:
    """Read and validate the settings from the environment; raise SettingsError with one line."""
    try:
        return Settings()
    except ValidationError as err:
        problems = []
        for e in err.errors():
            name = PREFIX + str(e["loc"][0]).upper() if e.get("loc") else "a setting"
            problems.append(f"{name}: {e['msg'].removeprefix('Value error, ')}")
        raise SettingsError(f"invalid setting {problems[0]}", problems) from None


def get_settings() -> Settings:
    """The settings for the current environment: read and validated once per distinct set of `ASSESSMENT_*`
    variables (so a rerun costs a dictionary scan, and a changed variable is never served stale)."""
    return _cached(frozenset((k, v) for k, v in os.environ.items() if k.startswith(PREFIX)))


@lru_cache(maxsize=8)
def _cached(_environment: frozenset[tuple[str, str]]) -> Settings:
    return load_settings()


def markdown_table() -> str:
    """The README's settings table, generated from the model."""
    rows = ["| Variable | Default | What it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        if name == "data_dir":
            default = "see the description"
        else:
            value = field.get_default(call_default_factory=False)
            value = value.get_secret_value() if isinstance(value, SecretStr) else value
            default = f"`{value}`" if value not in ("", None) else "(empty)"
        rows.append(f"| `{PREFIX}{name.upper()}` | {default} | {field.description} |")
    return "\n".join(rows) + "\n"


# ----- joining: Streamlit's server layer and X-Forwarded-For (issue 18) -----
# Not a setting of ours: uvicorn (Streamlit 1.67's server) reads FORWARDED_ALLOW_IPS, and believes X-Forwarded-For
# from those peers (default loopback) before the app sees the request. See netaddr.py.


def server_forwarded_trust() -> str:
    """The peers whose X-Forwarded-For Streamlit's server (uvicorn) believes: its FORWARDED_ALLOW_IPS."""
    return os.environ.get(UVICORN_TRUST_ENV, UVICORN_DEFAULT_TRUST)


def url_password(url: str) -> str:
    """The password written in a URL, also in one that does not parse (a raw `@` or `:` in it)."""
    userinfo = url.split("://", 1)[-1].rpartition("@")[0]
    return userinfo.partition(":")[2]


def database_secrets(*urls: str) -> list[str]:
    """The database passwords an error line must not show: ASSESSMENT_DATABASE_PASSWORD and the password written
    in ASSESSMENT_DATABASE_URL and in `urls`, read raw (the settings may not even validate)."""
    found = [os.environ.get(PREFIX + "DATABASE_PASSWORD", "")]
    found += [url_password(u) for u in (os.environ.get(PREFIX + "DATABASE_URL", ""), *urls) if u]
    return [f for f in found if f]


def server_environment() -> dict[str, str]:
    """The environment `assessment serve` starts the server in: this one, with uvicorn's reading of the header
    off, so that only ASSESSMENT_TRUSTED_PROXIES decides whom to believe."""
    return {**os.environ, UVICORN_TRUST_ENV: ""}


README_START = "<!-- settings table: generated by `python -m assessment.settings --readme README.md` -->"
README_END = "<!-- end of settings table -->"


def readme_table(readme: str) -> str:
    """The generated block of the README (between the two markers), or "" when the markers are missing."""
    start, end = readme.find(README_START), readme.find(README_END)
    return readme[start + len(README_START) : end].strip("\n") + "\n" if 0 <= start < end else ""


def write_readme(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    old = readme_table(text)
    if not old.strip():
        raise SystemExit(f"{path}: the markers for the settings table are missing")
    path.write_text(text.replace(old, markdown_table(), 1), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - `python -m assessment.settings [--readme README.md]`
    if sys.argv[1:2] == ["--readme"] and len(sys.argv) == 3:
        write_readme(Path(sys.argv[2]))
    else:
        sys.stdout.write(markdown_table())
