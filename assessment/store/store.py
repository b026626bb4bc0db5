"""The store: the facilitator's and the participants' operations on one database."""

from __future__ import annotations

from .facilitator import FacilitatorOps
from .joining import JoiningOps, JoiningStatus
from .organiser_guesses import OrganiserKeyOps
from .participants import ParticipantOps
from .rounds import RoundOps


class Store(FacilitatorOps, RoundOps, JoiningOps, ParticipantOps, OrganiserKeyOps):
    """Workshops, joining, participants, answers, consensus scores and join attempts, behind a small API.

    `url` overrides `ASSESSMENT_DATABASE_URL`; `clock` (returning aware UTC datetimes) is injectable for tests.
    """


__all__ = ["JoiningStatus", "Store"]
