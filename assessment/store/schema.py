"""The tables of the workshop store (SQLAlchemy declarative), with timezone-aware UTC datetimes everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..vocabulary import PlanAnswer

# ----- schema ---------------------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive, as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WorkshopRow(Base):
    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # the join code's keyed hash ("h" + 8 characters; keys.Keyring.code_tag), never the code (migration 0009)
    code_tag: Mapped[str] = mapped_column("join_code", String(9), unique=True)
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    mode: Mapped[str] = mapped_column(String(5))
    bank_version: Mapped[str] = mapped_column(String(40))
    hide_until_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    # migration 0004: the anonymity threshold k and the expected group size (NULL: no cap)
    min_group_size: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    expected_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the facilitator allowed anonymised answers to be used for research on the question bank (migration 0007)
    research_use: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # the facilitator closed joining (migration 0009); NULL: open
    joining_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # the second round the facilitator opened (migration 0011): {"items": [...], "opened_at": ISO time, "baseline":
    # release number} (`workshop.round_models.SecondRoundInfo`); NULL: none
    second_round: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ParticipantRow(Base):
    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_workshop_device", "workshop_id", "device_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    # the plan answers: "yes" / "no" / "not_sure" (vocabulary.PlanAnswer), NULL when not answered (migration 0008)
    political_work_first: Mapped[PlanAnswer | None] = mapped_column(String(8), nullable=True)
    step_one_evidence: Mapped[PlanAnswer | None] = mapped_column(String(8), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # migration 0004
    # keyed hash of the device that joined, per workshop (migration 0009): an excluded device cannot re-join
    device_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # when they gave their second-round answers (migration 0011); NULL: not yet, or not asked
    rerated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


COMMENTED = "comment <> ''"


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("participant_id", "item_id"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        # migration 0002: the workshop load reads scores from this index alone, and comments from the small
        # partial index of answers that have one
        Index("ix_answers_scores", "participant_id", "item_id", "rating", "dont_know"),
        Index(
            "ix_answers_commented",
            "participant_id",
            sqlite_where=text(COMMENTED),
            postgresql_where=text(COMMENTED),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsensusRow(Base):
    __tablename__ = "consensus_scores"
    __table_args__ = (UniqueConstraint("workshop_id", "dimension"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JoinAttemptRow(Base):
    """A failed join (unknown or expired code), per hashed client key, for rate limiting."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_client_time", "client_hash", "attempted_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class JoinBudgetRow(Base):
    """One row per rate-limited key, locked (SELECT ... FOR UPDATE) while a join is checked (migration 0004)."""

    __tablename__ = "join_budgets"
    client_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class DeploymentSecretRow(Base):
    """The deployment's secret for keyed hashes (migration 0009), one row, used when ASSESSMENT_SECRET is not set."""

    __tablename__ = "deployment_secret"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))


class AuditRow(Base):
    """Who did what to a workshop, and when (migration 0004). Kept when the workshop goes, with the action, actor
    and time only: its detail and join code are blanked (base.delete_workshops) and the foreign key clears its id."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), index=True, nullable=True
    )
    # the workshop's code tag (keys.Keyring.code_tag), never the code (migration 0009)
    code_tag: Mapped[str] = mapped_column("join_code", String(9))
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleaseRow(Base):
    """One release of a workshop's results: the members whose frozen answers every figure is computed from
    (`assessment.disclosure.releases`; migration 0010)."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("workshop_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    members: Mapped[list[list[Any]]] = mapped_column(JSON)  # [[participant id, version], ...]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleasedAnswersRow(Base):
    """One released member's answers as submitted (role, department, plan answers, answers and comments; never the
    name), kept while the workshop lasts so a release reads the same after a reopening (migration 0010)."""

    __tablename__ = "released_answers"
    __table_args__ = (UniqueConstraint("workshop_id", "participant_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
