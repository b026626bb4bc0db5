"""The organiser key (`ASSESSMENT_ORGANISER_KEY`, read through `get_settings()`): the one check that creating a
workshop and opening the Instrument quality page share."""

from __future__ import annotations

import hmac

from ..settings import PREFIX, get_settings

ORGANISER_KEY_ENV = f"{PREFIX}ORGANISER_KEY"


def organiser_key_set() -> bool:
    return bool(get_settings().organiser_key.get_secret_value())


def organiser_key_ok(typed: str) -> bool:
    """True when no organiser key is set, or `typed` is that key (compared in constant time)."""
    expected = get_settings().organiser_key.get_secret_value()
    return not expected or hmac.compare_digest(typed.strip().encode(), expected.encode())
