"""The organiser key gate, in one place: creating a workshop and the instrument-quality page ask for the key
when the deployment sets one (`ASSESSMENT_ORGANISER_KEY`, read only through `get_settings()`).

A refused key writes one log line saying where (never what was typed); nothing here imports Streamlit.
"""

from __future__ import annotations

import hmac
from typing import Literal

from .logs import audit
from .settings import PREFIX, Settings, get_settings

ORGANISER_KEY_ENV = f"{PREFIX}ORGANISER_KEY"  # the variable's name (read only through the settings)
Gate = Literal["create_workshop", "instrument_page"]


def organiser_key_set(settings: Settings | None = None) -> bool:
    """True when the deployment asks organisers for a key."""
    return bool((settings or get_settings()).organiser_key.get_secret_value())


def organiser_key_ok(typed: str, gate: Gate, settings: Settings | None = None) -> bool:
    """True when no organiser key is set, or `typed` is that key (surrounding spaces ignored, compared in
    constant time). A wrong key logs `organiser_key_refused` with the gate it was typed at."""
    expected = (settings or get_settings()).organiser_key.get_secret_value()
    if not expected or hmac.compare_digest(typed.strip().encode(), expected.encode()):
        return True
    audit("organiser_key_refused", actor="anonymous", gate=gate)
    return False
