"""Join codes and secrets: the code alphabet, normalising what people type, and the odds of guessing."""

from __future__ import annotations

import re
import secrets

import numpy as np
from pydantic import BaseModel

from .errors import MalformedJoinCode

# ----- join codes and secrets --------------------------------------------------------------------------
#
# 31 symbols: the digits 2-9 and the letters A-Z without I, L and O (nothing to confuse with 0, 1, I, L, O
# when a code is read aloud or copied from a slide). 8 symbols give 31^8 = 852,891,037,441 codes (39.6 bits).
# With N live workshops one random guess hits one of them with probability N / 31^8: 1.2e-9 for N = 1,000.
# The store allows JOIN_MAX_FAILURES wrong codes per device per JOIN_WINDOW_MINUTES (960 a day; see
# `join_code_odds`), but a script can make new devices: what bounds guessing is the server's budget (100 times
# the device's), at most 4,000 wrong codes an hour server-wide (store/joining.py; the README gives the odds).

JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8
JOIN_CODE_SPACE = len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH
JOIN_MAX_FAILURES = 10
NETWORK_FACTOR = 10  # a network address (many devices) may fail this many times more than one device
JOIN_WINDOW_MINUTES = 15
DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 365
MAX_TOKEN_LENGTH = 128
_CODE_STRIP = re.compile(r"[\s\-_.]+")


def new_join_code() -> str:
    """A fresh join code, formatted XXXX-XXXX, from the operating system's secure random source."""
    raw = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_join_code(text: str) -> str:
    """Read a code as typed (any case, spaces or dashes anywhere) and return it as XXXX-XXXX.

    Raises MalformedJoinCode with a specific reason when it cannot be a code at all.
    """
    raw = _CODE_STRIP.sub("", text or "").upper()
    if not raw:
        raise MalformedJoinCode("Enter the workshop code your facilitator gave you (it looks like ABCD-EFGH).")
    if len(raw) > 4 * JOIN_CODE_LENGTH:
        raise MalformedJoinCode("That is not a workshop code: a code has 8 letters and digits, like ABCD-EFGH.")
    bad = sorted({ch for ch in raw if ch not in JOIN_CODE_ALPHABET})
    if bad:
        confusable = [ch for ch in bad if ch in "01ILO"]
        hint = (
            " Codes never use 0, 1, I, L or O, so check the characters you read as "
            + ", ".join(repr(c) for c in confusable)
            + "."
            if confusable
            else ""
        )
        shown = ", ".join(repr(c) for c in bad[:5])
        raise MalformedJoinCode(f"A workshop code has only letters and digits; it cannot contain {shown}.{hint}")
    if len(raw) != JOIN_CODE_LENGTH:
        raise MalformedJoinCode(
            f"A workshop code has {JOIN_CODE_LENGTH} letters and digits (like ABCD-EFGH); you entered {len(raw)}."
        )
    return f"{raw[:4]}-{raw[4:]}"


def new_secret() -> str:
    """A facilitator key or participant token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


class JoinCodeOdds(BaseModel):
    """The numbers behind the join-code design, for the README and the facilitator help text."""

    alphabet_size: int
    length: int
    space: int
    bits: float
    live_workshops: int
    p_per_guess: float
    guesses_per_day_per_client: int
    p_per_day_per_client: float
    p_per_year_per_client: float


def join_code_odds(
    live_workshops: int = 1000,
    max_failures: int = JOIN_MAX_FAILURES,
    window_minutes: int = JOIN_WINDOW_MINUTES,
) -> JoinCodeOdds:
    """Probability that blind guessing finds any live workshop, under the store's rate limit."""
    p = live_workshops / JOIN_CODE_SPACE
    per_day = max_failures * (24 * 60 // window_minutes)
    return JoinCodeOdds(
        alphabet_size=len(JOIN_CODE_ALPHABET),
        length=JOIN_CODE_LENGTH,
        space=JOIN_CODE_SPACE,
        bits=round(float(np.log2(JOIN_CODE_SPACE)), 2),
        live_workshops=live_workshops,
        p_per_guess=p,
        guesses_per_day_per_client=per_day,
        p_per_day_per_client=1 - (1 - p) ** per_day,
        p_per_year_per_client=1 - (1 - p) ** (per_day * 365),
    )
