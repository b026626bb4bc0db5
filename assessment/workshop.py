"""Group workshops: join codes, the models the store and the UI exchange, and the pure aggregation.

Nothing here touches the database or Streamlit; `assessment.store` persists workshops and calls
`summarise` on what it loads. Everything is computed on a respondents x items matrix (numpy), so a
workshop of 1,000 respondents on the full bank is summarised in a few milliseconds.

How the group result is computed (also in `METHOD`, which the summary carries for the UI and report):

1. Each respondent's dimension scores are computed exactly as for a single respondent (the mean of their
   rated items with reverse items flipped; "don't know" is not a score), and count only when that respondent
   rated at least half of the dimension's items (`MIN_COVERAGE`).
2. The group score of a dimension is the unweighted mean of those individual scores: every respondent
   weighs the same, however many items they rated. (Pooling item means instead would let whoever rated
   most items dominate, and would make the spread and agreement figures describe a different quantity from
   the score.) A group score is "sufficient" when at least half of the respondents who answered anything
   have a usable score for that dimension: "don't know" is a legitimate answer (Micro-politics (2023)
   L145-153), so it is never imputed.
3. Spread is the sample standard deviation of the individual dimension scores. Agreement is
   r_wg = 1 - s^2 / sigma_EU^2 with sigma_EU^2 = (A^2 - 1) / 12 = 2 for a 5-point item, clipped to [0, 1]
   (James, Demaree and Wolf 1984). The uniform null describes one 5-point item, so s^2 is the observed
   variance of the item ratings across respondents, averaged over the dimension's items: applied to the
   dimension means instead it would overstate agreement (the mean of four items answered at random varies
   a quarter as much, which reads as r_wg = 0.75, "strong agreement"). r_wg(J), the multi-item form built on
   the same mean item variance, is reported beside it; it rises with the number of items. An item's own r_wg
   is on the discussion agenda. All need at least 2 ratings per item.
4. The group recommendation is `assess_profile` on the sufficient group scores, with each plan fact set by a
   strict majority of the participants who answered it (a tie counts as not answered).
5. Consensus scores recorded by the facilitator replace the computed group score of their dimension in the
   final result; the other dimensions keep the computed score (`consensus_used` says so).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations, repeat
from typing import Literal, cast

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .answers import MAX_COMMENT, MAX_NAME, MAX_TEXT, AnswerSet, Context
from .bank import QuestionBank, default_bank
from .engine import Profile, assess_profile
from .errors import AssessmentError
from .results import Result, Status
from .scoring import status_for
from .vocabulary import (
    CLINICAL_ROLES,
    DIMENSION_IDS,
    MANAGERIAL_ROLES,
    MIN_COVERAGE,
    ROLE_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    Role,
    Strategy,
)

Mode = Literal["quick", "full"]
PlanFact = Literal["political_work_first", "step_one_evidence"]
PLAN_FACTS: tuple[str, ...] = ("political_work_first", "step_one_evidence")
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# ----- join codes and secrets --------------------------------------------------------------------------
#
# 31 symbols: the digits 2-9 and the letters A-Z without I, L and O (nothing to confuse with 0, 1, I, L, O
# when a code is read aloud or copied from a slide). 8 symbols give 31^8 = 852,891,037,441 codes (39.6 bits).
# With N live workshops one random guess hits one of them with probability N / 31^8: 1.2e-9 for N = 1,000.
# The store allows JOIN_MAX_FAILURES wrong codes per client per JOIN_WINDOW_MINUTES, i.e. at most 960 guesses
# a day from one client: about 1 in 890,000 per day, or 1 in 2,400 per year, of finding any of 1,000 live
# workshops. See `join_code_odds`.

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


class WrongFacilitatorKey(WorkshopError):
    """The facilitator key does not match the workshop (or the workshop does not exist)."""


class UnknownParticipant(WorkshopError):
    """A resume link whose token matches no participant."""


class AlreadySubmitted(WorkshopError):
    """The participant has submitted; answers are read-only until the facilitator reopens them."""


class ResultsHidden(WorkshopError):
    """Individual answers and results are hidden until everyone has submitted."""


class InvalidInput(WorkshopError):
    """A value the app passed in is out of range or unknown (role, item, rating, score, setting)."""


class TextTooLong(InvalidInput):
    """A name, title, department or comment is longer than its limit."""


# ----- text ----------------------------------------------------------------------------------------------


# Invisible format characters that belong in real text: zero-width non-joiner and joiner (Persian and other
# scripts; emoji sequences such as the health worker), the left-to-right, right-to-left and Arabic letter marks.
# Emoji tag characters (U+E0020-U+E007F, subdivision flags) are kept too. Everything else that is not printable
# is dropped: C0 and C1 control characters (except newline and tab), and the bidirectional embedding, override
# and isolate controls (U+202A-U+202E, U+2066-U+2069), which can make text display differently from what is
# stored. This is the cleaning of `answers._clean_text`, which drops the joiners as well, widened so that emoji
# and right-to-left text are stored and read back exactly.
_KEEP_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def _keep(ch: str) -> bool:
    return ch.isprintable() or ch in "\n\t" or ch in _KEEP_FORMAT or "\U000e0020" <= ch <= "\U000e007f"


def clean_text(value: str | None, what: str, limit: int) -> str:
    """Drop control characters and enforce a length limit with a clear message.

    The text is otherwise kept exactly as given (HTML, Markdown, right-to-left scripts, emoji): the UI
    escapes it when showing it. Leading and trailing white space is removed, as for saved answers.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.")
    cleaned = "".join(ch for ch in value if _keep(ch)).strip()
    if len(cleaned) > limit:
        raise TextTooLong(
            f"The {what} is too long: {len(cleaned):,} characters, and the limit is {limit:,}. "
            "Please shorten it and save again."
        )
    return cleaned


def check_role(role: str) -> Role:
    if role not in ROLE_LABELS:
        raise InvalidInput(f"Unknown role '{str(role)[:40]}'. Choose one of: {', '.join(ROLE_LABELS.values())}.")
    return cast(Role, role)


def innovation_context(context: Context | None) -> Context:
    """The workshop's shared context: what is assessed, without any respondent's personal fields."""
    ctx = context or Context()
    return ctx.model_copy(
        update={
            "respondent_role": "other",
            "respondent_name": "",
            "department": "",
            "political_work_first": None,
            "step_one_evidence": None,
        }
    )


def check_workshop_fields(title: str, context: Context | None) -> tuple[str, Context]:
    """Validate a new workshop's title and context (lengths re-checked after cleaning)."""
    clean_title = clean_text(title, "workshop title", MAX_NAME)
    if not clean_title:
        raise InvalidInput("Give the workshop a title, so participants know they joined the right one.")
    ctx = innovation_context(context)
    for fld, label, limit in (
        ("innovation_title", "innovation title", MAX_NAME),
        ("innovation_description", "innovation description", MAX_TEXT),
        ("organisation_name", "organisation name", MAX_NAME),
    ):
        clean_text(getattr(ctx, fld), label, limit)
    return clean_title, ctx


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


class CreatedWorkshop(Model):
    """Returned once, when a workshop is created: the facilitator key is not stored and cannot be shown again."""

    workshop: WorkshopInfo
    facilitator_key: str


class JoinedWorkshop(Model):
    """Returned when a participant joins: the token is their personal resume link (`?resume=TOKEN`)."""

    workshop: WorkshopInfo
    participant_id: int
    participant_token: str


class ParticipantStatus(Model):
    """One line of the facilitator's participant list."""

    participant_id: int
    role: Role
    role_label: str
    name: str  # "" = anonymous
    department: str
    answered: int  # items rated 1-5 or "don't know"
    asked: int
    completion: float  # answered / asked, 0-1
    submitted: bool
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


def check_consensus(dimension: str, score: float, note: str = "") -> ConsensusScore:
    """Validate a consensus score with messages for people (dimension known, 1-5, note length)."""
    if dimension not in DIMENSION_IDS:
        raise InvalidInput(f"Unknown dimension '{str(dimension)[:40]}'.")
    if isinstance(score, bool) or not isinstance(score, int | float) or not np.isfinite(score):
        raise InvalidInput("An agreed score must be a number from 1 to 5.")
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise InvalidInput(f"An agreed score must be from {SCORE_MIN:g} to {SCORE_MAX:g}; {score:g} is outside.")
    return ConsensusScore(dimension=dimension, score=round(float(score), 2), note=clean_text(note, "note", MAX_COMMENT))


# ----- the response matrix ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """A row of the response matrix: who answered (the name is "" when anonymous)."""

    participant_id: int
    role: str
    name: str = ""
    department: str = ""
    submitted: bool = False
    political_work_first: bool | None = None
    step_one_evidence: bool | None = None


@dataclass(frozen=True, eq=False)
class Responses:
    """All answers of a workshop as a respondents x items matrix.

    `ratings` holds the 1-5 rating as answered (reverse items not yet flipped), NaN when not rated;
    `dont_know` marks "don't know" answers; `comments` maps (row, column) to a non-empty comment.
    Columns are the items asked in the workshop's mode, in bank order.
    """

    item_ids: tuple[str, ...]
    respondents: tuple[Respondent, ...]
    ratings: np.ndarray
    dont_know: np.ndarray
    comments: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shape = (len(self.respondents), len(self.item_ids))
        if self.ratings.shape != shape or self.dont_know.shape != shape:
            raise ValueError(f"response matrix shape {self.ratings.shape} does not match {shape}")

    @property
    def answered(self) -> np.ndarray:
        """(P, I) bool: rated 1-5 or "don't know"."""
        return ~np.isnan(self.ratings) | self.dont_know

    def rows(self, mask: np.ndarray) -> Responses:
        """The same workshop restricted to the respondents where `mask` is true."""
        idx = np.flatnonzero(mask)
        remap = {int(old): new for new, old in enumerate(idx)}
        return Responses(
            item_ids=self.item_ids,
            respondents=tuple(self.respondents[i] for i in idx),
            ratings=self.ratings[idx],
            dont_know=self.dont_know[idx],
            comments={(remap[r], c): t for (r, c), t in self.comments.items() if r in remap},
        )

    @classmethod
    def from_long(
        cls,
        item_ids: Sequence[str],
        respondents: Sequence[Respondent],
        participant_col: Sequence[int],
        item_col: Sequence[str],
        rating_col: Sequence[int | None],
        dont_know_col: Sequence[bool],
        comment_col: Sequence[str | None] | None = None,
        *,
        comment_rows: Iterable[tuple[int, str, str]] = (),
    ) -> Responses:
        """Build the matrix from one row per answer (as the store reads them), vectorised.

        Comments come either aligned with the other columns (`comment_col`) or as separate
        (participant id, item id, comment) rows. Answers to items outside `item_ids` (not asked in this mode)
        or from unknown participants are ignored.
        """
        n_p, n_i = len(respondents), len(item_ids)
        ratings = np.full((n_p, n_i), np.nan)
        dk = np.zeros((n_p, n_i), dtype=bool)
        comments: dict[tuple[int, int], str] = {}
        n = len(item_col)
        if n:
            row_of = {r.participant_id: k for k, r in enumerate(respondents)}
            col_of = {item: k for k, item in enumerate(item_ids)}
            rows = np.fromiter(map(row_of.get, participant_col, repeat(-1, n)), dtype=np.intp, count=n)
            cols = np.fromiter(map(col_of.get, item_col, repeat(-1, n)), dtype=np.intp, count=n)
            ok = (rows >= 0) & (cols >= 0)
            vals = np.array(rating_col, dtype=float)  # None -> NaN
            dks = np.array(dont_know_col, dtype=bool)
            r, c = rows[ok], cols[ok]
            ratings[r, c] = vals[ok]
            dk[r, c] = dks[ok] & np.isnan(vals[ok])
            if comment_col is not None:
                for k in [k for k, text in enumerate(comment_col) if text]:
                    if ok[k]:
                        comments[(int(rows[k]), int(cols[k]))] = cast(str, comment_col[k])
        row_of_id = {r.participant_id: k for k, r in enumerate(respondents)}
        col_of_id = {item: k for k, item in enumerate(item_ids)}
        for pid, item_id, text in comment_rows:
            r_k, c_k = row_of_id.get(pid), col_of_id.get(item_id)
            if text and r_k is not None and c_k is not None:
                comments[(r_k, c_k)] = text
        return cls(tuple(item_ids), tuple(respondents), ratings, dk, comments)

    @classmethod
    def from_answer_sets(
        cls,
        answer_sets: Sequence[AnswerSet],
        bank: QuestionBank | None = None,
        *,
        mode: Mode | None = None,
        participant_ids: Sequence[int] | None = None,
        submitted: Sequence[bool] | None = None,
    ) -> Responses:
        """Build the matrix from answer sets; role, name, department and plan facts come from each context."""
        bank = bank or default_bank()
        modes = {a.mode for a in answer_sets}
        if mode is None:
            if len(modes) > 1:
                raise InvalidInput("These answer sets mix quick scans and full assessments; pass the mode to use.")
            mode = next(iter(modes), "full")
        item_ids = [i.id for i in bank.items_for(mode)]
        ids = list(participant_ids) if participant_ids is not None else list(range(1, len(answer_sets) + 1))
        subs = list(submitted) if submitted is not None else [False] * len(answer_sets)
        respondents = []
        p_col: list[int] = []
        i_col: list[str] = []
        r_col: list[int | None] = []
        d_col: list[bool] = []
        c_col: list[str] = []
        for pid, sub, a in zip(ids, subs, answer_sets, strict=True):
            unknown = sorted(set(a.answers) - set(bank.item_by_id))
            if unknown:
                raise InvalidInput(f"Answers to items this question bank does not have: {', '.join(unknown[:5])}.")
            c = a.context
            respondents.append(
                Respondent(
                    participant_id=pid,
                    role=c.respondent_role,
                    name=c.respondent_name,
                    department=c.department,
                    submitted=sub,
                    political_work_first=c.political_work_first,
                    step_one_evidence=c.step_one_evidence,
                )
            )
            for item_id, ans in a.answers.items():
                p_col.append(pid)
                i_col.append(item_id)
                r_col.append(ans.rating)
                d_col.append(ans.value == "dont_know")
                c_col.append(ans.comment)
        return cls.from_long(item_ids, respondents, p_col, i_col, r_col, d_col, c_col)


# ----- summary models ----------------------------------------------------------------------------------------

Agreement = Literal["very_strong", "strong", "moderate", "weak", "none", "unknown"]
AGREEMENT_LABELS: dict[str, str] = {
    "very_strong": "Very strong agreement",
    "strong": "Strong agreement",
    "moderate": "Moderate agreement",
    "weak": "Weak agreement",
    "none": "No agreement",
    "unknown": "Not enough answers to judge agreement",
}
RWG_NULL_VARIANCE = (5**2 - 1) / 12  # uniform null for a 5-point scale: 2.0
MIN_ROLE_GROUP = 3  # respondents a role needs before it gets its own recommendation
MIN_ROLE_COMPARE = 2  # respondents a role needs (per dimension) to enter the role-disagreement index
PERCEPTION_GAP_POINTS = 1.0
POCKET_HIGH = 3.5  # "strong" in scoring.status_for
POCKET_LOW = 2.5  # below this is "weak"
AGENDA_SIZE = 10
MAX_AGENDA_COMMENTS = 20

# Dimensions where the literature expects managers to see things more favourably (or, for resistance, as more
# of an obstacle) than the clinicians who live with the change. Direction: managers' mean minus clinicians' mean.
PERCEPTION_GAP_DIMENSIONS: dict[str, str] = {
    "clinician_engagement": (
        "Managers may believe clinicians are engaged while clinicians outside the engaged units see the campaign "
        "as spin or a waste of clinical time (Movement for improvement (2017) L249-255)."
    ),
    "top_down_support": (
        "Executive sponsorship looks firmer from the board than from the wards, where approval without time or "
        "resources is felt (Micro-politics (2023) L249; Movement for improvement (2017) L233, L249)."
    ),
    "mediating_managers": (
        "Managers who report numbers upward may see themselves as supporting clinicians while clinicians see "
        "supervision, and frontline frustrations go unvoiced (Movement for improvement (2017) L233, L271-277)."
    ),
    "professional_resistance": (
        "Managers expected more resistance to the techniques than clinicians expressed; clinicians' doubts were "
        "about management's intent (Movement for improvement (2017) L237, L249)."
    ),
}
PERCEPTION_GAP_CITATIONS = ["Micro-politics (2023)", "Movement for improvement (2017) L237, L249"]
POCKET_DIMENSIONS: tuple[str, ...] = ("early_adopters", "clinician_engagement")
POCKET_CITATION = "Movement for improvement (2017) L185, L243-249, L275"

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
    sd: float | None
    min: float | None
    max: float | None
    n: int  # respondents with a usable score for this dimension
    respondents: int  # respondents who answered anything
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
    mean_completion: float


class Participation(Model):
    joined: int
    started: int
    submitted: int
    all_submitted: bool
    mean_completion: float
    by_role: list[RoleCount]


class RoleGroupResult(Model):
    role: str
    label: str
    respondents: int
    enough: bool  # at least MIN_ROLE_GROUP respondents: a recommendation of their own is shown
    scores: dict[str, float | None]
    strategy: Strategy | None = None
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
    sd: float | None
    range: float | None
    min: float | None
    max: float | None
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
    high: dict[str, list[str]]  # dimension -> departments with a mean >= 3.5
    low: dict[str, list[str]]  # dimension -> departments with a mean < 2.5
    flagged: bool
    explanation: str
    citation: str = POCKET_CITATION


class PlanFactVote(Model):
    fact: str
    yes: int
    no: int
    unanswered: int
    majority: bool | None  # None: tie or nobody answered (the rules then treat it as "no", and say so)


class WorkshopSummary(Model):
    """Everything the workshop dashboard and the group report show, computed in one pass."""

    title: str
    bank_version: str
    mode: Mode
    method: str = METHOD
    submitted_only: bool = False
    has_answers: bool
    participation: Participation
    dimensions: dict[str, DimensionAggregate]
    group_result: Result  # from the computed group scores
    result: Result  # final: consensus scores where agreed, group scores elsewhere
    consensus_used: bool
    consensus_dimensions: list[str]
    consensus_changed_strategy: bool
    role_groups: list[RoleGroupResult]
    agenda: list[AgendaItem]
    role_disagreement: RoleDisagreement
    perception_gaps: list[PerceptionGap]
    perception_gap_flagged: bool
    perception_gap_citations: list[str] = Field(default_factory=lambda: list(PERCEPTION_GAP_CITATIONS))
    department_pockets: DepartmentPockets
    plan_facts: dict[str, PlanFactVote]


# ----- aggregation ---------------------------------------------------------------------------------------


def _r(x: float | np.floating | None, nd: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def agreement_for(rwg: float | None) -> Agreement:
    """Conventional bands for r_wg (LeBreton and Senter 2008); >= 0.70 is the usual bar for aggregation."""
    if rwg is None:
        return "unknown"
    if rwg > 0.90:
        return "very_strong"
    if rwg > 0.70:
        return "strong"
    if rwg > 0.50:
        return "moderate"
    if rwg > 0.30:
        return "weak"
    return "none"


def rwg(values: np.ndarray) -> float | None:
    """Single-item r_wg against the uniform null of a 5-point scale, clipped to [0, 1]; None when n < 2."""
    v = values[~np.isnan(values)]
    if v.size < 2:
        return None
    return float(np.clip(1.0 - v.var(ddof=1) / RWG_NULL_VARIANCE, 0.0, 1.0))


def _col_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column: n, mean and sample variance (NaN where n < 1 or n < 2), ignoring NaN."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=0)
    filled = np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(ok, x - mean, 0.0)
        var = (dev * dev).sum(axis=0) / (n - 1)
    mean = np.where(n > 0, mean, np.nan)
    var = np.where(n > 1, var, np.nan)
    return n, mean, var


def _col_extremes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column: min and max ignoring NaN (NaN where a column has no value, also for zero rows)."""
    ok = ~np.isnan(x)
    if x.shape[0] == 0:
        empty = np.full(x.shape[1], np.nan)
        return empty, empty.copy()
    lo = np.where(ok, x, np.inf).min(axis=0)
    hi = np.where(ok, x, -np.inf).max(axis=0)
    none = ~ok.any(axis=0)
    lo[none] = np.nan
    hi[none] = np.nan
    return lo, hi


def _group_means(x: np.ndarray, onehot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(G, C) counts and means of the columns of x within each group (rows of onehot.T)."""
    ok = ~np.isnan(x)
    counts = onehot.T @ ok.astype(float)
    sums = onehot.T @ np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    return counts.astype(int), means


@dataclass(frozen=True)
class _Layout:
    """Per workshop mode: which dimension each asked item belongs to, and which are reversed."""

    membership: np.ndarray  # (I, D) 0/1
    reverse: np.ndarray  # (I,) bool
    asked_per_dim: np.ndarray  # (D,)
    dim_of_item: np.ndarray  # (I,) index into DIMENSION_IDS


# Keyed by the bank object's id; the bank is kept in the entry so that the id cannot be reused while cached.
_LAYOUTS: dict[tuple[int, tuple[str, ...]], tuple[QuestionBank, _Layout]] = {}


def _layout(bank: QuestionBank, item_ids: tuple[str, ...]) -> _Layout:
    key = (id(bank), item_ids)
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is bank:
        return hit[1]
    items = [bank.item_by_id[i] for i in item_ids]
    dim_of_item = np.array([DIMENSION_IDS.index(i.dimension) for i in items], dtype=int)
    m = np.zeros((len(items), len(DIMENSION_IDS)))
    m[np.arange(len(items)), dim_of_item] = 1.0
    m[[k for k, i in enumerate(items) if i.step_two_signal], :] = 0.0  # asked, not scored (as in scoring.tally)
    layout = _Layout(m, np.array([i.reverse for i in items], dtype=bool), m.sum(axis=0), dim_of_item)
    if len(_LAYOUTS) >= 16:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (bank, layout)
    return layout


def individual_scores(responses: Responses, bank: QuestionBank) -> np.ndarray:
    """(P, D) each respondent's dimension scores as the single-respondent engine computes them; NaN where
    the respondent rated fewer than half of the dimension's items."""
    lay = _layout(bank, responses.item_ids)
    r = responses.ratings
    rated = ~np.isnan(r)
    scored = np.where(lay.reverse, 6.0 - r, r)
    sums = np.where(rated, scored, 0.0) @ lay.membership
    counts = rated.astype(float) @ lay.membership
    with np.errstate(invalid="ignore", divide="ignore"):
        x = sums / counts
        coverage = counts / lay.asked_per_dim
    usable = (counts > 0) & (coverage >= MIN_COVERAGE)
    return np.where(usable, x, np.nan)


def _profile_result(
    scores: Mapping[str, float | None], context: Context, facts: Mapping[str, bool | None], bank: QuestionBank
) -> Result:
    usable = {d: float(np.clip(v, SCORE_MIN, SCORE_MAX)) for d, v in scores.items() if v is not None}
    ctx = context.model_copy(update=dict(facts))
    return assess_profile(Profile(scores=usable, context=ctx), bank)


def _plan_votes(respondents: Sequence[Respondent]) -> dict[str, PlanFactVote]:
    out: dict[str, PlanFactVote] = {}
    for fact in PLAN_FACTS:
        values = [getattr(r, fact) for r in respondents]
        yes = sum(1 for v in values if v is True)
        no = sum(1 for v in values if v is False)
        majority = True if yes > no else False if no > yes else None
        out[fact] = PlanFactVote(fact=fact, yes=yes, no=no, unanswered=len(values) - yes - no, majority=majority)
    return out


def _participation(responses: Responses, answered_counts: np.ndarray) -> Participation:
    n_items = len(responses.item_ids) or 1
    completion = answered_counts / n_items
    by_role: list[RoleCount] = []
    roles = np.array([r.role for r in responses.respondents], dtype=object)
    submitted = np.array([r.submitted for r in responses.respondents], dtype=bool)
    for role in ROLES:
        m = roles == role
        if not m.any():
            continue
        by_role.append(
            RoleCount(
                role=role,
                label=ROLE_LABELS[role],
                joined=int(m.sum()),
                started=int((answered_counts[m] > 0).sum()),
                submitted=int(submitted[m].sum()),
                mean_completion=round(float(completion[m].mean()), 3),
            )
        )
    joined = len(responses.respondents)
    return Participation(
        joined=joined,
        started=int((answered_counts > 0).sum()),
        submitted=int(submitted.sum()),
        all_submitted=joined > 0 and bool(submitted.all()),
        mean_completion=round(float(completion.mean()), 3) if joined else 0.0,
        by_role=by_role,
    )


def _department_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def summarise(
    responses: Responses,
    context: Context,
    *,
    bank: QuestionBank | None = None,
    mode: Mode = "full",
    title: str = "",
    consensus: Mapping[str, ConsensusScore] | None = None,
    submitted_only: bool = False,
    agenda_size: int = AGENDA_SIZE,
) -> WorkshopSummary:
    """The workshop's group result, spread, agreement, role and department views and discussion agenda.

    `context` is the workshop's innovation context; `consensus` maps dimension ids to agreed scores.
    With `submitted_only`, respondents who have not submitted are left out of every figure except participation.
    """
    bank = bank or default_bank()
    consensus = dict(consensus or {})
    answered_all = responses.answered.sum(axis=1)
    participation = _participation(responses, answered_all)
    keep = answered_all > 0
    if submitted_only:
        keep &= np.array([r.submitted for r in responses.respondents], dtype=bool)
    resp = responses.rows(keep) if not keep.all() else responses
    people = resp.respondents
    n_people = len(people)
    ctx = innovation_context(context)

    x = individual_scores(resp, bank)  # (P, D)
    n_dim, mean_dim, var_dim = _col_stats(x)
    min_dim, max_dim = _col_extremes(x)
    sufficient = (n_dim > 0) & (n_dim >= MIN_COVERAGE * max(n_people, 1))

    lay = _layout(bank, resp.item_ids)
    n_item, mean_item, var_item = _col_stats(resp.ratings)
    dk_item = resp.dont_know.sum(axis=0)
    dk_dim = dk_item @ lay.membership

    # role groups
    roles = np.array([p.role for p in people], dtype=object)
    present_roles = [r for r in ROLES if (roles == r).any()]
    onehot = np.stack([(roles == r) for r in present_roles], axis=1).astype(float) if present_roles else None
    if onehot is not None:
        role_n_dim, role_mean_dim = _group_means(x, onehot)
        role_people = onehot.sum(axis=0).astype(int)
    else:
        role_n_dim = np.zeros((0, len(DIMENSION_IDS)), dtype=int)
        role_mean_dim = np.zeros((0, len(DIMENSION_IDS)))
        role_people = np.zeros(0, dtype=int)

    group_scores: dict[str, float | None] = {}
    dimensions: dict[str, DimensionAggregate] = {}
    for j, dim_id in enumerate(DIMENSION_IDS):
        dim = bank.dimension_by_id[dim_id]
        mean = _r(mean_dim[j])
        sd = _r(np.sqrt(var_dim[j]))
        cols = lay.dim_of_item == j
        item_vars = var_item[cols]
        item_vars = item_vars[~np.isnan(item_vars)]
        r_dim = r_j = None
        if item_vars.size:
            ratio = min(float(item_vars.mean()) / RWG_NULL_VARIANCE, 1.0)
            r_dim = 1.0 - ratio
            n_items = int(cols.sum())
            r_j = n_items * r_dim / (n_items * r_dim + ratio) if ratio > 0 else 1.0
        suff = bool(sufficient[j])
        group_scores[dim_id] = mean if suff else None
        agreed = consensus.get(dim_id)
        dimensions[dim_id] = DimensionAggregate(
            dimension=dim_id,
            label=dim.label,
            group=dim.group,
            higher_is=dim.higher_is,
            mean=mean,
            sd=sd,
            min=_r(min_dim[j]),
            max=_r(max_dim[j]),
            n=int(n_dim[j]),
            respondents=n_people,
            dont_know=int(dk_dim[j]),
            sufficient=suff,
            status=status_for(mean, suff, dim.higher_is),
            rwg=_r(r_dim, 3),
            rwg_j=_r(r_j, 3),
            agreement=agreement_for(r_dim),
            by_role={
                role: GroupScore(mean=_r(role_mean_dim[k, j]), n=int(role_n_dim[k, j]))
                for k, role in enumerate(present_roles)
            },
            consensus=agreed.score if agreed else None,
            consensus_note=agreed.note if agreed else "",
            final=agreed.score if agreed else (mean if suff else None),
        )

    votes = _plan_votes(people)
    facts = {f: v.majority for f, v in votes.items()}
    group_ctx = ctx.model_copy(update={"respondent_name": f"{n_people} workshop participants"})
    group_result = _profile_result(group_scores, group_ctx, facts, bank)
    if consensus:
        final_scores = {**group_scores, **{d: c.score for d, c in consensus.items()}}
        result = _profile_result(final_scores, group_ctx, facts, bank)
    else:
        result = group_result
    group_strategy = group_result.recommendation.strategy

    # recommendation per role group
    role_groups: list[RoleGroupResult] = []
    for k, role in enumerate(present_roles):
        size = int(role_people[k])
        enough_dim = (role_n_dim[k] > 0) & (role_n_dim[k] >= MIN_COVERAGE * size)
        scores = {d: (_r(role_mean_dim[k, j]) if enough_dim[j] else None) for j, d in enumerate(DIMENSION_IDS)}
        rg = RoleGroupResult(
            role=role, label=ROLE_LABELS[role], respondents=size, enough=size >= MIN_ROLE_GROUP, scores=scores
        )
        if rg.enough:
            role_ctx = ctx.model_copy(update={"respondent_role": role, "respondent_name": f"{size} {role} respondents"})
            role_facts = {f: v.majority for f, v in _plan_votes([p for p in people if p.role == role]).items()}
            rr = _profile_result(scores, role_ctx, role_facts, bank)
            rg.strategy = rr.recommendation.strategy
            rg.strategy_label = rr.recommendation.strategy_label
            rg.readiness = rr.readiness.value
            rg.differs_from_group = rr.recommendation.strategy != group_strategy
        role_groups.append(rg)

    agenda = _agenda(resp, bank, ctx, present_roles, onehot, n_item, mean_item, var_item, dk_item, agenda_size)
    disagreement = _role_disagreement(present_roles, role_n_dim, role_mean_dim, group_scores.get("heterogeneity"))
    gaps = _perception_gaps(x, roles, bank)
    pockets = _department_pockets(x, people)

    return WorkshopSummary(
        title=title,
        bank_version=bank.bank_version,
        mode=mode,
        submitted_only=submitted_only,
        has_answers=n_people > 0,
        participation=participation,
        dimensions=dimensions,
        group_result=group_result,
        result=result,
        consensus_used=bool(consensus),
        consensus_dimensions=[d for d in DIMENSION_IDS if d in consensus],
        consensus_changed_strategy=result.recommendation.strategy != group_strategy,
        role_groups=role_groups,
        agenda=agenda,
        role_disagreement=disagreement,
        perception_gaps=gaps,
        perception_gap_flagged=any(g.flagged for g in gaps),
        department_pockets=pockets,
        plan_facts=votes,
    )


def _agenda(
    resp: Responses,
    bank: QuestionBank,
    ctx: Context,
    present_roles: list[str],
    onehot: np.ndarray | None,
    n_item: np.ndarray,
    mean_item: np.ndarray,
    var_item: np.ndarray,
    dk_item: np.ndarray,
    size: int,
) -> list[AgendaItem]:
    """Items ranked by spread across respondents (SD, then range, then bank order); n >= 2 ratings, SD > 0."""
    r = resp.ratings
    lo, hi = _col_extremes(r)
    sd = np.sqrt(var_item)
    rng = hi - lo
    candidates = np.flatnonzero((n_item >= 2) & (np.nan_to_num(var_item) > 1e-12))  # no spread, nothing to discuss
    # SD rounded so that equal spreads computed in different orders tie, and the range decides
    order = sorted(candidates, key=lambda c: (-round(float(sd[c]), 9), -rng[c], c))[:size]
    if not order:
        return []
    if onehot is not None:
        role_n, role_mean = _group_means(r[:, order], onehot)
    comments_by_col: dict[int, list[str]] = {}
    for (_, col), text in resp.comments.items():
        comments_by_col.setdefault(col, []).append(text)
    out: list[AgendaItem] = []
    for rank, c in enumerate(order, start=1):
        item = bank.item_by_id[resp.item_ids[c]]
        k = rank - 1
        out.append(
            AgendaItem(
                rank=rank,
                item_id=item.id,
                dimension=item.dimension,
                dimension_label=bank.dimension_by_id[item.dimension].label,
                text=item.render(ctx.innovation_label),
                reverse=item.reverse,
                n=int(n_item[c]),
                dont_know=int(dk_item[c]),
                mean=_r(mean_item[c]),
                sd=_r(sd[c]),
                range=_r(rng[c]),
                min=_r(lo[c]),
                max=_r(hi[c]),
                rwg=_r(max(0.0, 1.0 - var_item[c] / RWG_NULL_VARIANCE), 3),
                by_role=(
                    {
                        role: GroupScore(mean=_r(role_mean[g, k]), n=int(role_n[g, k]))
                        for g, role in enumerate(present_roles)
                        if role_n[g, k] > 0
                    }
                    if onehot is not None
                    else {}
                ),
                comments=comments_by_col.get(c, [])[:MAX_AGENDA_COMMENTS],
            )
        )
    return out


def _role_disagreement(
    present_roles: list[str], role_n: np.ndarray, role_mean: np.ndarray, heterogeneity: float | None
) -> RoleDisagreement:
    per_dim: dict[str, float | None] = {}
    gaps: list[RoleGap] = []
    compared: set[str] = set()
    for j, dim_id in enumerate(DIMENSION_IDS):
        groups = [
            (role, float(role_mean[k, j])) for k, role in enumerate(present_roles) if role_n[k, j] >= MIN_ROLE_COMPARE
        ]
        if len(groups) < 2:
            per_dim[dim_id] = None
            continue
        diffs = []
        for (ra, ma), (rb, mb) in combinations(groups, 2):
            diffs.append(abs(ma - mb))
            gaps.append(
                RoleGap(
                    dimension=dim_id,
                    role_a=ra,
                    role_b=rb,
                    mean_a=round(ma, 2),
                    mean_b=round(mb, 2),
                    difference=round(abs(ma - mb), 2),
                )
            )
        compared.update(role for role, _ in groups)
        per_dim[dim_id] = round(float(np.mean(diffs)), 2)
    known = [v for v in per_dim.values() if v is not None]
    index = round(float(np.mean(known)), 2) if known else None
    gaps.sort(key=lambda g: (-g.difference, DIMENSION_IDS.index(g.dimension)))
    if index is None:
        explanation = (
            f"Role groups cannot be compared yet: at least two roles need {MIN_ROLE_COMPARE} or more respondents "
            "with usable scores on the same dimension."
        )
    else:
        het = "not enough answers" if heterogeneity is None else f"{heterogeneity:.1f}"
        explanation = (
            f"On average, two role groups' scores for the same dimension differ by {index:.2f} points on the 1-5 "
            f"scale (0 = every role sees it the same way; 1 or more = a large difference). This is the "
            f"heterogeneity the workshop shows, beside the heterogeneity respondents described in their answers "
            f"({het})."
        )
    return RoleDisagreement(
        index=index,
        roles_compared=[r for r in present_roles if r in compared],
        per_dimension=per_dim,
        largest=gaps[:5],
        heterogeneity_score=heterogeneity,
        explanation=explanation,
    )


def _group_score(values: np.ndarray) -> GroupScore:
    n = int(values.size)
    return GroupScore(mean=_r(values.mean()) if n else None, n=n, sd=_r(values.std(ddof=1)) if n > 1 else None)


def _perception_gaps(x: np.ndarray, roles: np.ndarray, bank: QuestionBank) -> list[PerceptionGap]:
    managers = np.isin(roles, MANAGERIAL_ROLES)
    clinicians = np.isin(roles, CLINICAL_ROLES)
    out: list[PerceptionGap] = []
    for dim_id, why in PERCEPTION_GAP_DIMENSIONS.items():
        j = DIMENSION_IDS.index(dim_id)
        col = x[:, j]
        m, c = col[managers], col[clinicians]
        m, c = m[~np.isnan(m)], c[~np.isnan(c)]
        gm, gc = _group_score(m), _group_score(c)
        gap = _r(m.mean() - c.mean()) if m.size and c.size else None
        flagged = gap is not None and gap >= PERCEPTION_GAP_POINTS
        label = bank.dimension_by_id[dim_id].label
        if gap is None:
            text = f"{label}: needs answers from both managers and clinicians to compare."
        elif flagged:
            text = (
                f"Perception gap on {label.lower()}: executives and managers rate it {gap:.1f} points higher than "
                f"clinicians do. {why}"
            )
        else:
            text = f"{label}: managers and clinicians differ by {gap:+.1f} points (a gap of 1.0 or more is flagged)."
        out.append(
            PerceptionGap(
                dimension=dim_id, label=label, managers=gm, clinicians=gc, gap=gap, flagged=flagged, explanation=text
            )
        )
    return out


def _department_pockets(x: np.ndarray, people: Sequence[Respondent]) -> DepartmentPockets:
    keys: dict[str, str] = {}
    dept_of_row: list[str | None] = []
    for p in people:
        k = _department_key(p.department)
        if k:
            keys.setdefault(k, " ".join(p.department.split()))
            dept_of_row.append(k)
        else:
            dept_of_row.append(None)
    departments: list[DepartmentScore] = []
    high: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    low: dict[str, list[str]] = {d: [] for d in POCKET_DIMENSIONS}
    rows_of = np.array([k or "" for k in dept_of_row], dtype=object)
    for k, shown in sorted(keys.items(), key=lambda kv: kv[1].casefold()):
        mask = rows_of == k
        scores: dict[str, GroupScore] = {}
        for dim_id in POCKET_DIMENSIONS:
            col = x[mask, DIMENSION_IDS.index(dim_id)]
            col = col[~np.isnan(col)]
            mean = _r(col.mean()) if col.size else None
            scores[dim_id] = GroupScore(mean=mean, n=int(col.size))
            if mean is not None and mean >= POCKET_HIGH:
                high[dim_id].append(shown)
            elif mean is not None and mean < POCKET_LOW:
                low[dim_id].append(shown)
        departments.append(DepartmentScore(department=shown, respondents=int(mask.sum()), scores=scores))
    flagged_dims = [d for d in POCKET_DIMENSIONS if high[d] and low[d]]
    if len(departments) < 2:
        explanation = "Department pockets need answers from at least two departments (the department tag is optional)."
    elif flagged_dims:
        parts = [
            f"{d.replace('_', ' ')} is high in {', '.join(high[d])} but low in {', '.join(low[d])}"
            for d in flagged_dims
        ]
        explanation = (
            "Pockets of converts: " + "; ".join(parts) + ". Engagement concentrated in already-enthusiastic "
            "departments can leave cynicism elsewhere; do not count these pockets as evidence that experiments have "
            f"spread ({POCKET_CITATION})."
        )
    else:
        explanation = (
            "No department pockets: early adopters and clinician engagement are not split between high and low "
            "departments."
        )
    return DepartmentPockets(
        dimensions=list(POCKET_DIMENSIONS),
        departments=departments,
        high=high,
        low=low,
        flagged=bool(flagged_dims) and len(departments) >= 2,
        explanation=explanation,
    )


def summarise_answer_sets(
    answer_sets: Sequence[AnswerSet],
    bank: QuestionBank | None = None,
    *,
    context: Context | None = None,
    title: str = "",
    consensus: Mapping[str, ConsensusScore] | Iterable[ConsensusScore] | None = None,
    submitted: Sequence[bool] | None = None,
    submitted_only: bool = False,
) -> WorkshopSummary:
    """Convenience: summarise a list of answer sets (role, department and plan facts from each context).

    The innovation context defaults to the first answer set's, without its respondent fields.
    """
    bank = bank or default_bank()
    responses = Responses.from_answer_sets(answer_sets, bank, submitted=submitted)
    modes = {a.mode for a in answer_sets}
    mode: Mode = cast(Mode, next(iter(modes))) if len(modes) == 1 else "full"
    ctx = context or (answer_sets[0].context if answer_sets else Context())
    if consensus is not None and not isinstance(consensus, Mapping):
        consensus = {c.dimension: c for c in consensus}
    return summarise(
        responses, ctx, bank=bank, mode=mode, title=title, consensus=consensus, submitted_only=submitted_only
    )


# ----- exports -------------------------------------------------------------------------------------------

EXPORT_COLUMNS = ["participant", "name", "role", "department", "submitted", "item_id", "dimension", "value", "comment"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def responses_frame(responses: Responses, bank: QuestionBank | None = None) -> pd.DataFrame:
    """One row per participant x answered item (a rating, "don't know" or a comment), in bank order.

    `name` is blank for anonymous participants; `value` is 1-5 or "dont_know" (blank for a comment alone).
    """
    bank = bank or default_bank()
    has_comment = np.zeros(responses.ratings.shape, dtype=bool)
    for r, c in responses.comments:
        has_comment[r, c] = True
    rows, cols = np.nonzero(responses.answered | has_comment)
    people = responses.respondents
    item_dims = np.array([bank.item_by_id[i].dimension for i in responses.item_ids], dtype=object)
    items = np.array(responses.item_ids, dtype=object)
    ratings = responses.ratings[rows, cols]
    value = np.empty(len(rows), dtype=object)
    value[:] = ""
    rated = ~np.isnan(ratings)
    value[rated] = ratings[rated].astype(int)
    value[responses.dont_know[rows, cols]] = "dont_know"
    frame = pd.DataFrame(
        {
            "participant": np.array([p.participant_id for p in people], dtype=int)[rows],
            "name": np.array([p.name for p in people], dtype=object)[rows],
            "role": np.array([p.role for p in people], dtype=object)[rows],
            "department": np.array([p.department for p in people], dtype=object)[rows],
            "submitted": np.array([p.submitted for p in people], dtype=bool)[rows],
            "item_id": items[cols],
            "dimension": item_dims[cols],
            "value": value,
            "comment": [responses.comments.get((int(r), int(c)), "") for r, c in zip(rows, cols, strict=True)],
        },
        columns=EXPORT_COLUMNS,
    )
    return frame


def _excel_safe(text: object) -> object:
    """Prefix text that a spreadsheet would run as a formula (OWASP CSV injection) with an apostrophe."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def responses_csv(responses: Responses, bank: QuestionBank | None = None, *, excel_safe: bool = True) -> str:
    """The responses as CSV text (UTF-8). With `excel_safe`, free text starting with = + - @ is neutralised."""
    frame = responses_frame(responses, bank)
    if excel_safe:
        for col in ("name", "department", "comment"):
            frame[col] = frame[col].map(_excel_safe)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue()


def summary_json(summary: WorkshopSummary) -> str:
    """The workshop's results as JSON (the pydantic model dump)."""
    return summary.model_dump_json(indent=2)


__all__ = [
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "JOIN_CODE_SPACE",
    "METHOD",
    "AgendaItem",
    "AlreadySubmitted",
    "ConsensusScore",
    "CreatedWorkshop",
    "DimensionAggregate",
    "InvalidInput",
    "JoinCodeError",
    "JoinedWorkshop",
    "MalformedJoinCode",
    "ParticipantStatus",
    "Respondent",
    "Responses",
    "ResultsHidden",
    "TextTooLong",
    "TooManyAttempts",
    "UnknownJoinCode",
    "UnknownParticipant",
    "WorkshopError",
    "WorkshopExpired",
    "WorkshopInfo",
    "WorkshopSummary",
    "WrongFacilitatorKey",
    "check_consensus",
    "clean_text",
    "innovation_context",
    "join_code_odds",
    "new_join_code",
    "normalise_join_code",
    "responses_csv",
    "responses_frame",
    "summarise",
    "summarise_answer_sets",
    "summary_json",
]
