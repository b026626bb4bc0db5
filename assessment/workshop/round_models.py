"""The models of a statement's spread and of the second round (a modified Delphi round): after the room has discussed
the disagreement agenda, participants re-rate those statements, and the outputs show agreement before and after.

Kept apart from `models` (which uses them) so that the comparison in `rounds` can import both."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_ROUND_ITEMS = 12  # a second round re-rates the statements discussed, not the questionnaire


class RoundModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemSpread(RoundModel):
    """The whole group's answers to one statement, for a statement whose figures the release publishes: how many
    gave each rating (1 to 5), "don't know", the mean as answered (reverse items not flipped), the spread and r_wg.
    No lowest or highest rating: each is one person's."""

    item_id: str
    n: int  # ratings 1-5
    dont_know: int
    counts: list[int] = Field(min_length=5, max_length=5)  # people who gave 1, 2, 3, 4, 5
    mean: float | None
    sd: float | None
    rwg: float | None


class SecondRoundInfo(RoundModel):
    """A second round the facilitator opened: the statements to re-rate, when, and the release whose figures the
    room discussed (the "before")."""

    items: list[str] = Field(min_length=1, max_length=MAX_ROUND_ITEMS)
    opened_at: datetime
    baseline: int = Field(ge=1)  # release number
    closed_at: datetime | None = None  # closed by the facilitator: nobody re-rates any more


class Spread(RoundModel):
    """Agreement on a statement or dimension in one release."""

    n: int
    mean: float | None
    sd: float | None
    rwg: float | None


class StatementChange(RoundModel):
    item_id: str
    text: str
    dimension_label: str
    before: Spread | None  # None: the release did not publish the statement's figures
    after: Spread | None


class DimensionChange(RoundModel):
    dimension: str
    label: str
    before: Spread | None
    after: Spread | None


class RoundProgress(RoundModel):
    """How many of the people asked (those in the release the room discussed, not excluded) have re-rated:
    progress, like "submitted", that says nothing about anyone's answers."""

    asked: int
    rerated: int


class RoundComparison(RoundModel):
    """Agreement before the discussion (the baseline release) and now (the latest release), on the re-rated
    statements and their dimensions. `used`: the latest release holds second-round answers, so the group result
    uses them."""

    info: SecondRoundInfo
    before_release: int
    after_release: int
    progress: RoundProgress
    in_result: int  # people in the latest release whose answers are their second-round answers
    used: bool
    statements: list[StatementChange]
    dimensions: list[DimensionChange]


class RoundTask(RoundModel):
    """What a participant who submitted is asked in an open second round: the statements, their own answers now
    (the first-round answers until they re-rate), and whether they have re-rated."""

    info: SecondRoundInfo
    answers: dict[str, int | Literal["dont_know"] | None]
    done: bool  # they gave their second-round answers
