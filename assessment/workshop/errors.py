"""Workshop errors; every message is written for the person using the app."""

from __future__ import annotations

from ..errors import AssessmentError

# ----- errors --------------------------------------------------------------------------------------------


class WorkshopError(AssessmentError):
    """A workshop request that cannot be met; the message is written for the person using the app."""


class JoinCodeError(WorkshopError):
    """The join code is malformed or belongs to no workshop."""


class MalformedJoinCode(JoinCodeError):
    """The text entered cannot be a join code (wrong length or characters). Not counted as a guess."""


class UnknownJoinCode(JoinCodeError):
    """No workshop has this code."""


class WorkshopExpired(WorkshopError):
    """The workshop's code, links and key expired."""


class TooManyAttempts(WorkshopError):
    """Too many wrong codes from this client recently; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class WorkshopFull(WorkshopError):
    """As many participants as the facilitator expected have joined."""


class WrongFacilitatorKey(WorkshopError):
    """The facilitator key does not match the workshop (or the workshop does not exist)."""


class UnknownParticipant(WorkshopError):
    """A resume link whose token matches no participant."""


class AlreadySubmitted(WorkshopError):
    """The participant has submitted; answers are read-only until the facilitator reopens them."""


class NotEnoughAnswers(WorkshopError):
    """A submission with fewer answers than the coverage rule asks for (at least half of the statements)."""


class ParticipantExcluded(WorkshopError):
    """The facilitator excluded this participant: their answers are not counted and cannot be changed."""


class ResultsHidden(WorkshopError):
    """Individual answers and results are hidden until everyone has submitted."""


class InvalidInput(WorkshopError):
    """A value the app passed in is out of range or unknown (role, item, rating, score, setting)."""


class TextTooLong(InvalidInput):
    """A name, title, department or comment is longer than its limit."""


class JoiningClosed(WorkshopError):
    """The facilitator closed joining: the code is right, but nobody new may join."""
