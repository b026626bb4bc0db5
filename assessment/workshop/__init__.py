"""Group workshops: join codes, the models the store and the UI exchange, and the pure aggregation.

Nothing here touches the database or Streamlit; `assessment.store` persists workshops and calls `summarise` on
what it loads. One module per concern:

- `codes`: join codes, secrets and the odds of guessing one;
- `errors`: the workshop errors, with messages for people;
- `validation`: text cleaning, roles, titles and agreed scores;
- `models`: the pydantic models exchanged with the store, the UI and the report;
- `responses`: the respondents x items matrix and individual scores;
- `stats`: column statistics and r_wg;
- `findings`: agenda, role disagreement, perception gaps, department pockets;
- `aggregate`: `summarise`, the group result;
- `export`: CSV and JSON exports.

The public names of the former single module are re-exported here, so `from assessment.workshop import X` keeps working.
"""

from __future__ import annotations

from .aggregate import (
    summarise,
    summarise_answer_sets,
)
from .codes import (
    DEFAULT_VALID_DAYS,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    JOIN_CODE_SPACE,
    JOIN_MAX_FAILURES,
    JOIN_WINDOW_MINUTES,
    MAX_TOKEN_LENGTH,
    MAX_VALID_DAYS,
    NETWORK_FACTOR,
    JoinCodeOdds,
    join_code_odds,
    new_join_code,
    new_secret,
    normalise_join_code,
)
from .errors import (
    AlreadySubmitted,
    InvalidInput,
    JoinCodeError,
    MalformedJoinCode,
    ResultsHidden,
    TextTooLong,
    TooManyAttempts,
    UnknownJoinCode,
    UnknownParticipant,
    WorkshopError,
    WorkshopExpired,
    WrongFacilitatorKey,
)
from .export import (
    EXPORT_COLUMNS,
    responses_csv,
    responses_frame,
    summary_json,
)
from .models import (
    AGENDA_SIZE,
    AGREEMENT_LABELS,
    MAX_AGENDA_COMMENTS,
    METHOD,
    MIN_ROLE_COMPARE,
    MIN_ROLE_GROUP,
    PERCEPTION_GAP_CITATIONS,
    PERCEPTION_GAP_DIMENSIONS,
    PERCEPTION_GAP_POINTS,
    PLAN_FACTS,
    POCKET_CITATION,
    POCKET_DIMENSIONS,
    POCKET_HIGH,
    POCKET_LOW,
    ROLES,
    RWG_NULL_VARIANCE,
    AgendaItem,
    Agreement,
    ConsensusScore,
    CreatedWorkshop,
    DepartmentPockets,
    DepartmentScore,
    DimensionAggregate,
    GroupScore,
    JoinedWorkshop,
    Mode,
    Model,
    ParticipantStatus,
    Participation,
    PerceptionGap,
    PlanFact,
    PlanFactVote,
    RoleCount,
    RoleDisagreement,
    RoleGap,
    RoleGroupResult,
    WorkshopInfo,
    WorkshopSummary,
)
from .responses import (
    Respondent,
    Responses,
    individual_scores,
)
from .stats import (
    agreement_for,
    rwg,
)
from .validation import (
    check_consensus,
    check_role,
    check_workshop_fields,
    clean_text,
    innovation_context,
)

__all__ = [
    "AGENDA_SIZE",
    "AGREEMENT_LABELS",
    "AgendaItem",
    "Agreement",
    "AlreadySubmitted",
    "ConsensusScore",
    "CreatedWorkshop",
    "DEFAULT_VALID_DAYS",
    "DepartmentPockets",
    "DepartmentScore",
    "DimensionAggregate",
    "EXPORT_COLUMNS",
    "GroupScore",
    "InvalidInput",
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "JOIN_CODE_SPACE",
    "JOIN_MAX_FAILURES",
    "JOIN_WINDOW_MINUTES",
    "JoinCodeError",
    "JoinCodeOdds",
    "JoinedWorkshop",
    "MAX_AGENDA_COMMENTS",
    "MAX_TOKEN_LENGTH",
    "MAX_VALID_DAYS",
    "METHOD",
    "MIN_ROLE_COMPARE",
    "MIN_ROLE_GROUP",
    "MalformedJoinCode",
    "Mode",
    "Model",
    "NETWORK_FACTOR",
    "PERCEPTION_GAP_CITATIONS",
    "PERCEPTION_GAP_DIMENSIONS",
    "PERCEPTION_GAP_POINTS",
    "PLAN_FACTS",
    "POCKET_CITATION",
    "POCKET_DIMENSIONS",
    "POCKET_HIGH",
    "POCKET_LOW",
    "ParticipantStatus",
    "Participation",
    "PerceptionGap",
    "PlanFact",
    "PlanFactVote",
    "ROLES",
    "RWG_NULL_VARIANCE",
    "Respondent",
    "Responses",
    "ResultsHidden",
    "RoleCount",
    "RoleDisagreement",
    "RoleGap",
    "RoleGroupResult",
    "TextTooLong",
    "TooManyAttempts",
    "UnknownJoinCode",
    "UnknownParticipant",
    "WorkshopError",
    "WorkshopExpired",
    "WorkshopInfo",
    "WorkshopSummary",
    "WrongFacilitatorKey",
    "agreement_for",
    "check_consensus",
    "check_role",
    "check_workshop_fields",
    "clean_text",
    "individual_scores",
    "innovation_context",
    "join_code_odds",
    "new_join_code",
    "new_secret",
    "normalise_join_code",
    "responses_csv",
    "responses_frame",
    "rwg",
    "summarise",
    "summarise_answer_sets",
    "summary_json",
]
