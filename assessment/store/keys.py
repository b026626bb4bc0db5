"""The deployment's secret and the keyed hashes (HMAC-SHA256) made with it.

Join codes and the keys of the guessing budgets (a device id, a network address) are short or guessable: a plain
SHA-256 of an IPv4 address or of an 8-symbol code is undone by trying every value (all IPv4 addresses in
minutes, all 31^8 codes in hours). So they are stored as HMACs with a secret of the deployment: without the
secret, a copy of the database does not say which addresses guessed, nor what the codes are.

The secret is the setting `ASSESSMENT_SECRET` when it is set (kept outside the database, so that a database
backup alone reveals nothing); otherwise the random secret that migration 0009 put in the one-row table
`deployment_secret`, which every process on the same database shares. Changing or losing the secret makes every
stored code unreachable: set it before the first start, or never.

A join code is stored as a *tag*: "h" and the first 48 bits of its HMAC (base64url), 9 characters, so that it
fits the `join_code` column and can never be mistaken for a code as typed (codes are upper case). 48 bits keep
tags unique among any realistic number of workshops (a clash is retried at creation) and make a wrong code
matching another workshop's tag 2^8 times less likely than guessing a real code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ..settings import get_settings
from .schema import DeploymentSecretRow

TAG_PREFIX = "h"


def new_deployment_secret() -> str:
    return secrets.token_hex(32)


@dataclass(frozen=True)
class Keyring:
    """Keyed hashes with the deployment's secret. The secret is never logged or shown (see `__repr__`)."""

    secret: bytes

    def __repr__(self) -> str:
        return "Keyring(<secret>)"

    def digest(self, purpose: str, value: str) -> bytes:
        return hmac.new(self.secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()

    def hexdigest(self, purpose: str, value: str) -> str:
        """64 hex characters: the keys of the guessing budgets, and a participant's device."""
        return self.digest(purpose, value).hex()

    def code_tag(self, code: str) -> str:
        """The stored form of a normalised join code (XXXX-XXXX)."""
        return TAG_PREFIX + base64.urlsafe_b64encode(self.digest("join-code", code)[:6]).decode("ascii")


def load_keyring(conn: Connection) -> Keyring:
    """The keyring of this deployment: `ASSESSMENT_SECRET`, else the secret stored by migration 0009."""
    configured = get_settings().secret.get_secret_value()
    if configured:
        return Keyring(configured.encode("utf-8"))
    stored = conn.execute(select(DeploymentSecretRow.secret).where(DeploymentSecretRow.id == 1)).scalar()
    if not stored:
        raise RuntimeError("the deployment secret is missing: run the migrations (assessment serve does)")
    return Keyring(stored.encode("utf-8"))
