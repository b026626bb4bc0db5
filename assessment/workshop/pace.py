"""Joins faster than a room could: people read a code off a slide and type it, so a burst of joins within a
few seconds means a script (the issue's flood: 300 fake participants in 5 s)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .models import JoinPace

JOIN_BURST_SECONDS = 10
JOIN_BURST_LIMIT = 12  # more joins than this within JOIN_BURST_SECONDS is faster than a room types a code


def join_pace(joined_at: Sequence[datetime]) -> JoinPace:
    """The most joins within any JOIN_BURST_SECONDS, and a warning when it exceeds JOIN_BURST_LIMIT."""
    times = sorted(joined_at)
    most, start = 0, 0
    for end, t in enumerate(times):
        while (t - times[start]).total_seconds() > JOIN_BURST_SECONDS:
            start += 1
        most = max(most, end - start + 1)
    suspicious = most > JOIN_BURST_LIMIT
    message = (
        f"{most} people joined within {JOIN_BURST_SECONDS} seconds: faster than a room can type a code. If you did "
        "not expect this, someone may be adding fake participants: check the list and exclude them."
        if suspicious
        else ""
    )
    return JoinPace(fastest=most, seconds=JOIN_BURST_SECONDS, suspicious=suspicious, message=message)
