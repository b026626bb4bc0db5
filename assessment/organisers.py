"""The organiser gate, in one place: who may create workshops, download row-level data and see the Instrument
quality page's item detail. Nothing here imports Streamlit (the pages ask `assessment.ui.organiser_gate`).

Closed by default. The gate in force (`gate_in_force`) is one of

- "identity_provider": organisers sign in with the deployment's identity provider (an `[auth]` section in
  `.streamlit/secrets.toml`) and their account is on `ASSESSMENT_ORGANISER_ACCOUNTS`; signed in but not on the
  list is refused. The organiser key, if also set, is not used.
- "key": no identity provider, and `ASSESSMENT_ORGANISER_KEY` is set (at least 128 bits: `settings.key_problem`
  refuses a shorter key at start-up). Wrong keys are limited like wrong join codes (`Store.organiser_key_attempt`).
- "closed": neither. Row-level outputs (the validation-study file, a workshop's responses CSV) and the item
  detail are off, and the pages say how to turn them on. Creating a workshop stays possible (the workshop's own
  figures keep their anonymity threshold); with an identity provider but no allow-list, it needs a sign-in.

A refused key or account writes one log line saying where (never what was typed, never the address).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from .logs import audit
from .settings import GENERATE_KEY, PREFIX, Settings, account_id, get_settings

ORGANISER_KEY_ENV = f"{PREFIX}ORGANISER_KEY"  # the variable's name (read only through the settings)
ORGANISER_ACCOUNTS_ENV = f"{PREFIX}ORGANISER_ACCOUNTS"
Gate = Literal["create_workshop", "instrument_page", "workshop_dashboard"]  # where a key was typed
OrganiserGate = Literal["key", "identity_provider", "closed"]

HOW_TO_OPEN = (
    "No organiser sign-in is set up on this deployment, so row-level data (item-level answers and their "
    "statistics) stays closed. To open it to organisers, whoever runs the app sets either "
    f"`{ORGANISER_KEY_ENV}` to a random key of at least 22 characters (generate one with `{GENERATE_KEY}`), "
    f"or sign-in with an identity provider and `{ORGANISER_ACCOUNTS_ENV}` listing the organisers' e-mail "
    "addresses, then restarts the app."
)


def organiser_key_set(settings: Settings | None = None) -> bool:
    """True when the deployment sets an organiser key."""
    return bool((settings or get_settings()).organiser_key.get_secret_value())


def gate_in_force(identity_provider: bool, settings: Settings | None = None) -> OrganiserGate:
    """Which organiser sign-in protects row-level outputs (see the module docstring)."""
    settings = settings or get_settings()
    if identity_provider:
        return "identity_provider" if settings.organiser_account_set else "closed"
    return "key" if organiser_key_set(settings) else "closed"


def account_allowed(
    email: str | None, subject: str | None, *, email_verified: object = None, settings: Settings | None = None
) -> bool:
    """True when a signed-in account is on the allow-list: its subject id, or its e-mail address unless the
    provider says the address is unverified. Logs `organiser_account_refused` (with a short hash) otherwise."""
    allowed = (settings or get_settings()).organiser_account_set
    ids = [account_id(subject)] if subject else []
    if email and email_verified is not False:
        ids.append(account_id(email))
    if any(i in allowed for i in ids):
        return True
    audit("organiser_account_refused", actor="anonymous", organiser_account=account_hash(email or subject or ""))
    return False


def account_hash(account: str) -> str:
    """A signed-in organiser for the log: a short hash of their address (matchable, but no address in the log)."""
    return "oidc:" + hashlib.sha256(account.encode()).hexdigest()[:16]


def organiser_key_ok(
    typed: str,
    gate: Gate,
    *,
    client_key: str,
    network_key: str | None = None,
    settings: Settings | None = None,
) -> bool:
    """True when an organiser key is set and `typed` is it (surrounding spaces ignored, compared in constant
    time). Every try is counted against the store's limit: TooManyAttempts while it is spent, even for the right
    key. A wrong key logs `organiser_key_refused` with the page it was typed on. No key set: always False."""
    from .store import get_store

    expected = (settings or get_settings()).organiser_key.get_secret_value()
    if not expected:
        return False
    right = hmac.compare_digest(typed.strip().encode(), expected.encode())
    get_store().organiser_key_attempt(right, client_key=client_key, network_key=network_key)
    if not right:
        audit("organiser_key_refused", actor="anonymous", gate=gate)
    return right
