"""The models the store, the UI and the report exchange about a workshop (pydantic, validated at the boundary)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import vocabulary
from ..answers import MAX_COMMENT, Context
from ..disclosure.policy import DEFAULT_MIN_GROUP
from ..results import Result, Status
from ..vocabulary import (
    DIMENSION_IDS,
    ROLE_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    Mode,
    Outcome,
    PlanAnswer,
    Role,
)
from .round_models import ItemSpread, RoundComparison, SecondRoundInfo

PlanFact = vocabulary.PlanFact
PLAN_FACTS = vocabulary.PLAN_FACTS
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)
# ----- boundary models -------------------------------------------------------------------------------------


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkshopInfo(Model):
    """What anyone in the workshop may see about it (never the facilitator key)."""

    workshop_id: int
    join_code: str
    title: str
    context: Context
    mode: Mode
    bank_version: str
    created_at: datetime
    expires_at: datetime
    hide_until_submitted: bool = False
    min_group_size: int = DEFAULT_MIN_GROUP  # the anonymity threshold k
    expected_size: int | None = None  # joins beyond it are refused; None: no cap
    research_use: bool = False  # anonymised answers may go into the question bank's validation study
    second_round: SecondRoundInfo | None = None  # the facilitator opened a second round (`round_models`)


class CreatedWorkshop(Model):
    """Returned once, when a workshop is created: the facilitator key is not stored and cannot be shown again."""

    workshop: WorkshopInfo
    facilitator_key: str


class JoinedWorkshop(Model):
    """Returned when a participant joins: the token is their personal resume link (`?resume=TOKEN`)."""

    workshop: WorkshopInfo
    participant_id: int
    participant_token: str


Progress = Literal["not_started", "answering", "submitted", "excluded"]


class ParticipantStatus(Model):
    """One line of the facilitator's participant list, or a participant's own status.

    The counts of answers are the participant's own: the facilitator's list gets the progress as a status only
    (`answered` and `completion` None), so no line can be matched with a row of an export by how much it answered.
    """

    participant_id: int
    role: Role
    role_label: str
    name: str  # "" = anonymous
    department: str
    progress: Progress = "not_started"
    answered: int | None = None  # items rated 1-5 or "don't know" (the participant's own view only)
    asked: int
    completion: float | None = None  # answered / asked, 0-1 (the participant's own view only)
    submitted: bool
    excluded: bool = False  # excluded by the facilitator: their answers are in no figure or export
    joined_at: datetime
    submitted_at: datetime | None = None
    last_saved_at: datetime | None = None


class ConsensusScore(Model):
    """A score the group agreed for one dimension, with the facilitator's note."""

    dimension: str
    score: float = Field(ge=SCORE_MIN, le=SCORE_MAX)
    note: str = Field(default="", max_length=MAX_COMMENT)
    recorded_at: datetime | None = None

    @field_validator("dimension")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in DIMENSION_IDS:
            raise ValueError(f"unknown dimension '{v}'")
        return v


# ----- summary models ----------------------------------------------------------------------------------------

Agreement = vocabulary.Agreement
AGREEMENT_LABELS = vocabulary.AGREEMENT_LABELS
AGREEMENT_SHORT = vocabulary.AGREEMENT_SHORT
RWG_NULL_VARIANCE = (5**2 - 1) / 12  # uniform null for a 5-point scale: 2.0
MIN_ROLE_GROUP = 3  # respondents a role needs before it gets its own recommendation
MIN_ROLE_COMPARE = 2  # respondents a role needs (per dimension) to enter the role-disagreement index
PERCEPTION_GAP_POINTS = 1.0  # managers' mean this far above clinicians' is flagged
AGENDA_SIZE = 10
MAX_AGENDA_COMMENTS = 20

# Dimensions where the literature expects managers to see things more favourably (or, for resistance, as more
# of an obstacle) than the clinicians who live with the change. Direction: managers' mean minus clinicians' mean.
PERCEPTION_GAP_DIMENSIONS: dict[str, str] = {
    "clinician_engagement": (
        "Managers may believe clinicians are engaged while clinicians outside the engaged units see the campaign "
        "as spin or a waste of clinical time (Movement for improvement (2017))."
    ),
    "top_down_support": (
        "Executive sponsorship looks firmer from the board than from the wards, where approval without time or "
        "resources is felt (Micro-politics (2023); Movement for improvement (2017))."
    ),
    "mediating_managers": (
        "Managers who report numbers upward may see themselves as supporting clinicians while clinicians see "
        "supervision, and frontline frustrations go unvoiced (Movement for improvement (2017))."
    ),
    "professional_resistance": (
        "Managers expected more resistance to the techniques than clinicians expressed; clinicians' doubts were "
        "about management's intent (Movement for improvement (2017))."
    ),
}
PERCEPTION_GAP_CITATIONS = ["Micro-politics (2023)", "Movement for improvement (2017), L237, L249"]
POCKET_DIMENSIONS: tuple[str, ...] = ("early_adopters", "clinician_engagement")
POCKET_CITATION = "Movement for improvement (2017), L185, L243-249, L275"

METHOD = (
    "Each respondent's dimension scores are computed as for a single assessment (mean of rated items, reverse "
    "items flipped, counted when at least half of the dimension's items were rated). The group score is the mean "
    "of those individual scores, so every respondent weighs the same; it is sufficient when at least half of the "
    "respondents who answered have a usable score. Spread is the standard deviation of the individual scores. "
    "Agreement is r_wg = 1 - variance / 2 (2 is the variance of a 5-point item answered at random), clipped to "
    "0-1, using the variance of each item's ratings averaged over the dimension's items. Don't-know answers are "
    "counted but never imputed. Agreed (consensus) scores replace the computed group score of their dimension in "
    "the final result."
)


class GroupScore(Model):
    """A set of respondents' view of one dimension (or item)."""

    mean: float | None
    n: int
    sd: float | None = None


class DimensionAggregate(Model):
    dimension: str
    label: str
    group: str
    higher_is: Literal["better", "worse"]
    mean: float | None  # group score: mean of individual dimension scores
    sd: float | None  # the spread; no lowest or highest score: each is one person's (see `anonymity`)
    n: int  # respondents with a usable score for this dimension
    respondents: int  # respondents who answered anything
    items_asked: int = 0  # items of this dimension asked of each respondent
    ratings: int = 0  # ratings 1-5 given to this dimension's items, by all respondents
    dont_know: int  # "don't know" answers to this dimension's items
    sufficient: bool
    status: Status
    rwg: float | None
    rwg_j: float | None
    agreement: Agreement
    by_role: dict[str, GroupScore]
    consensus: float | None = None
    consensus_note: str = ""
    final: float | None  # consensus when recorded, else the group score when sufficient


class RoleCount(Model):
    role: str
    label: str
    joined: int
    started: int  # answered at least one item
    submitted: int


class Participation(Model):
    joined: int
    started: int
    submitted: int
    all_submitted: bool
    by_role: list[RoleCount]


class RoleGroupResult(Model):
    role: str
    label: str
    respondents: int
    enough: bool  # at least MIN_ROLE_GROUP respondents: a recommendation of their own is shown
    scores: dict[str, float | None]
    strategy: Outcome | None = None  # "insufficient_evidence" when the role's own answers cannot decide
    strategy_label: str | None = None
    readiness: float | None = None
    differs_from_group: bool | None = None


class AgendaItem(Model):
    rank: int
    item_id: str
    dimension: str
    dimension_label: str
    text: str
    reverse: bool
    n: int  # ratings 1-5
    dont_know: int
    mean: float | None  # as answered (reverse items not flipped)
    sd: float | None  # the spread; no lowest, highest or range: they are single people's ratings
    rwg: float | None
    by_role: dict[str, GroupScore]
    comments: list[str]


class RoleGap(Model):
    dimension: str
    role_a: str
    role_b: str
    mean_a: float
    mean_b: float
    difference: float


class RoleDisagreement(Model):
    index: float | None  # mean absolute difference between role-group means, in points on the 1-5 scale
    roles_compared: list[str]
    per_dimension: dict[str, float | None]
    largest: list[RoleGap]
    heterogeneity_score: float | None  # the answered `heterogeneity` dimension, shown beside the index
    explanation: str


class PerceptionGap(Model):
    dimension: str
    label: str
    managers: GroupScore  # executives and middle managers
    clinicians: GroupScore  # doctors, nurses, allied health professionals
    gap: float | None  # managers' mean minus clinicians' mean
    flagged: bool
    explanation: str


class DepartmentScore(Model):
    department: str
    respondents: int
    scores: dict[str, GroupScore]


class DepartmentPockets(Model):
    dimensions: list[str]
    departments: list[DepartmentScore]
    high: dict[str, list[str]]  # dimension -> departments whose mean is in the high band (vocabulary.band_of)
    low: dict[str, list[str]]  # dimension -> departments whose mean is in the low band
    flagged: bool
    explanation: str
    citation: str = POCKET_CITATION


class PlanFactVote(Model):
    """How the respondents answered one plan question, and the answer the group result reads."""

    fact: str
    yes: int
    no: int
    not_sure: int = 0
    unanswered: int
    # the answer more respondents gave than any other; None on a tie or when nobody answered (read as unanswered,
    # never as "no": see vocabulary.plan_reading)
    majority: PlanAnswer | None


class ReleaseStatus(Model):
    """Which release the figures come from, and what is waiting for the next one (`assessment.disclosure`)."""

    number: int  # 0: nothing released yet
    people: int  # people whose submitted answers the figures are computed from
    at: datetime | None = None
    waiting: int = 0  # people whose submitted answers (new, changed or withdrawn) are not in the figures yet
    held_back: int = 0  # figures of this release not shown, so nobody can be worked out by comparing outputs
    k: int = DEFAULT_MIN_GROUP


class WorkshopSummary(Model):
    """Everything the workshop dashboard and the group report show, computed in one pass."""

    title: str
    bank_version: str
    mode: Mode
    method: str = METHOD
    submitted_only: bool = False
    min_group: int = DEFAULT_MIN_GROUP  # the anonymity threshold k: no figure describes fewer people
    too_few: bool = False  # fewer than k have answered: no figure is computed yet
    has_answers: bool
    participation: Participation
    dimensions: dict[str, DimensionAggregate]
    group_result: Result  # from the computed group scores
    result: Result  # final: consensus scores where agreed, group scores elsewhere
    consensus_used: bool
    consensus_dimensions: list[str]  # dimensions whose final score is the agreed one
    averaged_dimensions: list[str] = Field(default_factory=list)  # final score = mean of individual scores
    consensus_changed_strategy: bool
    role_groups: list[RoleGroupResult]
    agenda: list[AgendaItem]
    role_disagreement: RoleDisagreement
    perception_gaps: list[PerceptionGap]
    perception_gap_flagged: bool
    perception_gap_citations: list[str] = Field(default_factory=lambda: list(PERCEPTION_GAP_CITATIONS))
    department_pockets: DepartmentPockets
    plan_facts: dict[str, PlanFactVote]
    release: ReleaseStatus | None = None  # None: computed from answer files, not from a workshop's releases
    items_shown: list[str] = Field(default_factory=list)  # statements whose whole-group figures are published
    item_spread: dict[str, ItemSpread] = Field(default_factory=dict)  # for each statement in `items_shown`
    second_round: RoundComparison | None = None  # agreement before and after a second round, once one is open


class AuditEntry(Model):
    """One line of a workshop's audit log."""

    action: str
    actor: str  # "facilitator" or "system"
    detail: str = ""
    at: datetime


class JoinPace(Model):
    """Whether people joined faster than a room of people typing a code could."""

    fastest: int  # most joins within any JOIN_BURST_SECONDS
    seconds: int
    suspicious: bool
    message: str


class WorkshopView(Model):
    """Everything one dashboard view needs, read in one transaction (`Store.workshop_view`)."""

    info: WorkshopInfo
    participants: list[ParticipantStatus]
    consensus: dict[str, ConsensusScore]
    audit: list[AuditEntry]
    pace: JoinPace
    summary: WorkshopSummary | None  # None when hidden until everyone has submitted
    hidden_message: str = ""
