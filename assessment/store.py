"""The workshop store: the only module that talks to the database.

By default an embedded SQLite file at `data/assessment.sqlite` (created on first use, in WAL mode, with a busy
timeout, and with every write transaction opened by `BEGIN IMMEDIATE` so that concurrent read-then-write
transactions queue instead of failing with "database is locked"). Any SQLAlchemy URL can be used instead
through one setting, the environment variable `ASSESSMENT_DATABASE_URL`. The schema is created and upgraded
by the Alembic migrations in `assessment/migrations/`, run on start-up; tables are never dropped and recreated.

Secrets: the facilitator key and the participants' resume tokens are 256-bit random strings; only their
SHA-256 hashes are stored (a fast hash is enough for keys this long), and the facilitator key is compared with
`hmac.compare_digest`. The client keys used to rate-limit wrong join codes (a session id or an IP address) are
stored hashed as well.

Usage from the UI::

    store = get_store()
    created = store.create_workshop("Frailty pathway workshop", context, mode="full")
    joined = store.join_workshop(created.workshop.join_code, "nurse", client_key=session_id)
    store.save_answer(joined.participant_token, "ce_protected_time", 4, comment="Only on paper")
    summary = store.summary(created.workshop.join_code, created.facilitator_key)
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import math
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
from alembic import command
from alembic.config import Config
from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Select,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    case,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from .answers import MAX_COMMENT, MAX_NAME, AnswerSet, Context, ItemAnswer
from .bank import QuestionBank, default_bank
from .vocabulary import ROLE_LABELS
from .workshop import (
    DEFAULT_VALID_DAYS,
    JOIN_MAX_FAILURES,
    JOIN_WINDOW_MINUTES,
    MAX_TOKEN_LENGTH,
    MAX_VALID_DAYS,
    NETWORK_FACTOR,
    PLAN_FACTS,
    AlreadySubmitted,
    ConsensusScore,
    CreatedWorkshop,
    InvalidInput,
    JoinedWorkshop,
    Mode,
    ParticipantStatus,
    Respondent,
    Responses,
    ResultsHidden,
    TooManyAttempts,
    UnknownJoinCode,
    UnknownParticipant,
    WorkshopExpired,
    WorkshopInfo,
    WorkshopSummary,
    WrongFacilitatorKey,
    check_consensus,
    check_role,
    check_workshop_fields,
    clean_text,
    new_join_code,
    new_secret,
    normalise_join_code,
    summarise,
)

DATABASE_URL_ENV = "ASSESSMENT_DATABASE_URL"
DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "assessment.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000

Clock = Callable[[], datetime]
AnswerValue = int | Literal["dont_know"] | None


def database_url() -> str:
    """The one setting: `ASSESSMENT_DATABASE_URL`, else the SQLite file `data/assessment.sqlite`."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or f"sqlite:///{DEFAULT_DB_PATH}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


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
    join_code: Mapped[str] = mapped_column(String(9), unique=True)
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    mode: Mapped[str] = mapped_column(String(5))
    bank_version: Mapped[str] = mapped_column(String(40))
    hide_until_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ParticipantRow(Base):
    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    political_work_first: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    step_one_evidence: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # plan facts answered "not sure", comma-separated (migration 0003)
    plan_unsure: Mapped[str] = mapped_column(String(64), default="", server_default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


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


# ----- engine and migrations -----------------------------------------------------------------------------


def _is_memory_sqlite(database: str | None) -> bool:
    return not database or database == ":memory:" or database.startswith("file::memory:")


def make_engine(url: str) -> Engine:
    """An engine set up as stack.md section 5 found safe for 50 concurrent writers on SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True)
    memory = _is_memory_sqlite(u.database)
    if not memory:
        Path(cast(str, u.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(pool_size=10, max_overflow=50)
    engine = create_engine(u, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        pragmas = [f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL", "foreign_keys=ON"]
        if not memory:
            pragmas.insert(0, "journal_mode=WAL")
        for p in pragmas:
            cur.execute(f"PRAGMA {p}")
        cur.close()
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writes take the write lock at BEGIN, so a read-then-write waits (busy_timeout) instead of failing
        # on the lock upgrade; reads use a deferred BEGIN and never block writers in WAL mode.
        immediate = conn.get_execution_options().get("assessment_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code; `script_location` points into the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration. Safe to run repeatedly and from several processes."""
    write = engine.execution_options(assessment_write=True)
    with write.begin() as conn:
        if conn.dialect.name == "postgresql":  # serialise concurrent start-ups
            conn.execute(text("SELECT pg_advisory_xact_lock(7274701)"))
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no version table yet
            return None


# ----- the store ----------------------------------------------------------------------------------------


class Resume(BaseModel):
    """What a participant's resume link brings back: the workshop, their status and their answers so far."""

    model_config = ConfigDict(extra="forbid")
    workshop: WorkshopInfo
    participant: ParticipantStatus
    answers: AnswerSet


class Store:
    """Workshops, participants, answers, consensus scores and join attempts, behind a small API.

    `url` overrides `ASSESSMENT_DATABASE_URL`; `clock` (returning aware UTC datetimes) is injectable for tests.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        clock: Clock | None = None,
        bank: QuestionBank | None = None,
        migrate: bool = True,
        join_max_failures: int = JOIN_MAX_FAILURES,
        join_window: timedelta = timedelta(minutes=JOIN_WINDOW_MINUTES),
    ) -> None:
        self.url = url or database_url()
        self.clock: Clock = clock or utc_now
        self.bank = bank or default_bank()
        self.join_max_failures = join_max_failures
        self.join_window = join_window
        self.engine = make_engine(self.url)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(assessment_write=True)
        self._writer = sessionmaker(bind=self._write_engine, expire_on_commit=False)
        if migrate:
            upgrade_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def schema_revision(self) -> str | None:
        return schema_revision(self.engine)

    # ----- sessions -----

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._writer() as s, s.begin():
            yield s

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._read() as s, s.begin():
            yield s

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock must return timezone-aware datetimes")
        return now.astimezone(UTC)

    def _asked(self, mode: str) -> list[str]:
        return [i.id for i in self.bank.items_for(cast(Mode, mode))]

    # ----- facilitator -----

    def create_workshop(
        self,
        title: str,
        context: Context | None = None,
        mode: Mode = "full",
        *,
        valid_days: int = DEFAULT_VALID_DAYS,
        hide_until_submitted: bool = False,
    ) -> CreatedWorkshop:
        """Create a workshop; returns its join code and the facilitator key (shown once, stored only hashed)."""
        clean_title, ctx = check_workshop_fields(title, context)
        if mode not in ("quick", "full"):
            raise InvalidInput(f"Unknown mode '{str(mode)[:20]}': choose quick or full.")
        days = self._check_days(valid_days)
        key = new_secret()
        now = self._now()
        for _ in range(10):  # a collision is astronomically unlikely; retry rather than fail if it happens
            row = WorkshopRow(
                join_code=new_join_code(),
                facilitator_key_hash=_hash(key),
                title=clean_title,
                context=ctx.model_dump(mode="json"),
                mode=mode,
                bank_version=self.bank.bank_version,
                hide_until_submitted=hide_until_submitted,
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            try:
                with self._writing() as s:
                    s.add(row)
            except IntegrityError:
                continue
            return CreatedWorkshop(workshop=_info(row), facilitator_key=key)
        raise RuntimeError("could not find a free join code")  # pragma: no cover

    def open_workshop(self, join_code: str, facilitator_key: str) -> WorkshopInfo:
        """Check a facilitator's code and key; returns the workshop."""
        with self._reading() as s:
            return _info(self._facilitator(s, join_code, facilitator_key))

    def participants(self, join_code: str, facilitator_key: str) -> list[ParticipantStatus]:
        """Everyone who joined, with role, department, completion and whether they submitted (never answers)."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            return self._statuses(s, w)

    def set_hide_until_submitted(self, join_code: str, facilitator_key: str, hide: bool) -> WorkshopInfo:
        """Hide individual answers and results until everyone has submitted (or show them again)."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            w.hide_until_submitted = bool(hide)
            return _info(w)

    def extend_workshop(self, join_code: str, facilitator_key: str, days: int) -> WorkshopInfo:
        """Keep the workshop open for `days` more days from now (before it expires)."""
        days = self._check_days(days)
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            w.expires_at = self._now() + timedelta(days=days)
            return _info(w)

    def delete_workshop(self, join_code: str, facilitator_key: str) -> None:
        """Delete the workshop and everything its participants entered."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            _delete_workshops(s, [w.id])

    def purge_expired(self, grace: timedelta = timedelta(0)) -> int:
        """Delete workshops that expired more than `grace` ago, with their data; returns how many."""
        with self._writing() as s:
            ids = list(s.scalars(select(WorkshopRow.id).where(WorkshopRow.expires_at < self._now() - grace)))
            _delete_workshops(s, ids)
            return len(ids)

    def reopen_participant(self, join_code: str, facilitator_key: str, participant_id: int) -> ParticipantStatus:
        """Let a participant who submitted change their answers again."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            p = s.get(ParticipantRow, participant_id)
            if p is None or p.workshop_id != w.id:
                raise InvalidInput(f"There is no participant {participant_id} in this workshop.")
            p.submitted_at = None
            return self._statuses(s, w, only=p.id)[0]

    def set_consensus(
        self, join_code: str, facilitator_key: str, dimension: str, score: float, note: str = ""
    ) -> ConsensusScore:
        """Record (or change) the score the group agreed for a dimension, 1-5, with a note."""
        agreed = check_consensus(dimension, score, note)
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            now = self._now()
            row = s.scalar(
                select(ConsensusRow).where(ConsensusRow.workshop_id == w.id, ConsensusRow.dimension == dimension)
            )
            if row is None:
                row = ConsensusRow(workshop_id=w.id, dimension=dimension)
                s.add(row)
            row.score, row.note, row.recorded_at = agreed.score, agreed.note, now
            return agreed.model_copy(update={"recorded_at": now})

    def clear_consensus(self, join_code: str, facilitator_key: str, dimension: str) -> None:
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            s.execute(delete(ConsensusRow).where(ConsensusRow.workshop_id == w.id, ConsensusRow.dimension == dimension))

    def consensus(self, join_code: str, facilitator_key: str) -> dict[str, ConsensusScore]:
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            return _consensus(s, w.id)

    def responses(self, join_code: str, facilitator_key: str) -> Responses:
        """All answers as a matrix (for the CSV export: `workshop.responses_csv`). Raises ResultsHidden."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            return self._load(s, w)

    def participant_answers(self, join_code: str, facilitator_key: str, participant_id: int) -> AnswerSet:
        """One participant's answers, for the facilitator. Raises ResultsHidden."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            self._check_visible(s, w)
            p = s.get(ParticipantRow, participant_id)
            if p is None or p.workshop_id != w.id:
                raise InvalidInput(f"There is no participant {participant_id} in this workshop.")
            return self._answer_set(s, w, p)

    def summary(self, join_code: str, facilitator_key: str, *, submitted_only: bool = False) -> WorkshopSummary:
        """The dashboard's data: group result, spread, agreement, roles, departments, agenda, consensus.

        Set-based queries (participants, scores, comments, consensus scores; none per participant) in one read
        transaction;
        then the pure, vectorised `workshop.summarise`. Raises ResultsHidden.
        """
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            responses = self._load(s, w)
            agreed = _consensus(s, w.id)
            info = _info(w)
        return summarise(
            responses,
            info.context,
            bank=self.bank,
            mode=info.mode,
            title=info.title,
            consensus=agreed,
            submitted_only=submitted_only,
        )

    # ----- participants -----

    def join_workshop(
        self,
        join_code: str,
        role: str,
        *,
        name: str = "",
        department: str = "",
        client_key: str,
        network_key: str | None = None,
    ) -> JoinedWorkshop:
        """Join with a code; returns the participant's resume token.

        `client_key` identifies the device for rate limiting (e.g. the Streamlit session id): after
        `join_max_failures` wrong or expired codes within `join_window`, TooManyAttempts is raised, even for a
        correct code, until the window has passed. `network_key` (e.g. the client's IP address) gets a limit
        NETWORK_FACTOR times higher, so that a script opening fresh sessions is still slowed down while a room
        of participants behind one hospital address is not locked out by a few typos.
        """
        checked_role = check_role(role)
        clean_name = clean_text(name, "name", MAX_NAME)
        clean_dept = clean_text(department, "department", MAX_NAME)
        code = normalise_join_code(join_code)  # malformed input cannot match a code and is not counted
        limits = [(_hash(f"client:{client_key}"), self.join_max_failures)]
        if network_key:
            limits.append((_hash(f"network:{network_key}"), self.join_max_failures * NETWORK_FACTOR))
        token = new_secret()
        failure: Exception | None = None
        with self._writing() as s:
            now = self._now()
            for key, limit in limits:
                self._check_rate(s, key, now, limit)
            w = s.scalar(select(WorkshopRow).where(WorkshopRow.join_code == code))
            if w is None:
                failure = UnknownJoinCode(
                    f"No workshop has the code {code}. Check it with your facilitator; codes never contain "
                    "0, 1, I, L or O."
                )
            elif w.expires_at <= now:
                failure = WorkshopExpired(
                    f"Workshop {code} closed on {_day(w.expires_at)}. Ask your facilitator for a new code."
                )
            if failure is not None:
                s.add_all(JoinAttemptRow(client_hash=key, attempted_at=now) for key, _ in limits)
                s.execute(delete(JoinAttemptRow).where(JoinAttemptRow.attempted_at < now - self.join_window))
            else:
                assert w is not None
                p = ParticipantRow(
                    workshop_id=w.id,
                    token_hash=_hash(token),
                    role=checked_role,
                    name=clean_name,
                    department=clean_dept,
                    joined_at=now,
                    updated_at=now,
                )
                s.add(p)
                s.flush()
                joined = JoinedWorkshop(workshop=_info(w), participant_id=p.id, participant_token=token)
        if failure is not None:
            raise failure
        return joined

    def resume(self, token: str) -> Resume:
        """Everything a resume link brings back, in one read."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            return Resume(
                workshop=_info(w), participant=self._statuses(s, w, only=p.id)[0], answers=self._answer_set(s, w, p)
            )

    def load_participant(self, token: str) -> AnswerSet:
        """The participant's answers so far, with the workshop's context and their role, name and plan facts."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            return self._answer_set(s, w, p)

    def participant_status(self, token: str) -> ParticipantStatus:
        with self._reading() as s:
            p, w = self._participant(s, token)
            return self._statuses(s, w, only=p.id)[0]

    def save_answer(self, token: str, item_id: str, value: AnswerValue, comment: str = "") -> None:
        """Save one answer as it is given (insert or update; value None with no comment clears it)."""
        self.save_answers(token, {item_id: (value, comment)})

    def save_answers(
        self, token: str, answers: Mapping[str, ItemAnswer | tuple[AnswerValue, str] | AnswerValue]
    ) -> None:
        """Save several answers in one transaction (item id -> ItemAnswer, (value, comment) or value)."""
        rows = []
        for item_id, given in answers.items():
            if isinstance(given, ItemAnswer):
                value, comment = given.value, given.comment
            elif isinstance(given, tuple):
                value, comment = given
            else:
                value, comment = given, ""
            rows.append((item_id, _check_value(value), clean_text(comment, "comment", MAX_COMMENT)))
        with self._writing() as s:
            p, w = self._participant(s, token, for_update=True)
            asked = set(self._asked(w.mode))
            now = self._now()
            upserts: list[dict[str, Any]] = []
            cleared: list[str] = []
            for item_id, value, comment in rows:
                if item_id not in asked:
                    raise InvalidInput(f"Item '{str(item_id)[:64]}' is not asked in this workshop.")
                if value is None and not comment:
                    cleared.append(item_id)
                    continue
                upserts.append(
                    {
                        "participant_id": p.id,
                        "item_id": item_id,
                        "rating": value if isinstance(value, int) else None,
                        "dont_know": value == "dont_know",
                        "comment": comment,
                        "updated_at": now,
                    }
                )
            if cleared:
                s.execute(delete(AnswerRow).where(AnswerRow.participant_id == p.id, AnswerRow.item_id.in_(cleared)))
            _upsert_answers(s, upserts)
            p.updated_at = now

    def save_plan_fact(self, token: str, fact: str, value: bool | Literal["not_sure"] | None) -> None:
        """Record a participant's answer to a plan fact (political_work_first or step_one_evidence):
        yes (True), no (False), "not_sure", or no answer (None)."""
        if fact not in PLAN_FACTS:
            raise InvalidInput(f"Unknown plan question '{str(fact)[:40]}'.")
        if value is not None and value != "not_sure" and not isinstance(value, bool):
            raise InvalidInput("A plan question is answered yes, no, not sure, or not at all.")
        with self._writing() as s:
            p, _ = self._participant(s, token, for_update=True)
            unsure = {f for f in (p.plan_unsure or "").split(",") if f} - {fact}
            if value == "not_sure":
                unsure.add(fact)
            setattr(p, fact, value if isinstance(value, bool) else None)
            p.plan_unsure = ",".join(f for f in PLAN_FACTS if f in unsure)
            p.updated_at = self._now()

    def update_participant(
        self, token: str, *, role: str | None = None, name: str | None = None, department: str | None = None
    ) -> ParticipantStatus:
        """Correct one's role, name or department (allowed until submitted)."""
        new_role = check_role(role) if role is not None else None
        new_name = clean_text(name, "name", MAX_NAME) if name is not None else None
        new_dept = clean_text(department, "department", MAX_NAME) if department is not None else None
        with self._writing() as s:
            p, w = self._participant(s, token, for_update=True)
            if new_role is not None:
                p.role = new_role
            if new_name is not None:
                p.name = new_name
            if new_dept is not None:
                p.department = new_dept
            p.updated_at = self._now()
            s.flush()
            return self._statuses(s, w, only=p.id)[0]

    def submit(self, token: str) -> ParticipantStatus:
        """Mark the participant's answers as submitted (they become read-only). Submitting twice is harmless."""
        with self._writing() as s:
            p, w = self._participant(s, token)
            if p.submitted_at is None:
                p.submitted_at = self._now()
                p.updated_at = p.submitted_at
            s.flush()
            return self._statuses(s, w, only=p.id)[0]

    # ----- internals -----

    def _check_days(self, days: int) -> int:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_VALID_DAYS:
            raise InvalidInput(f"A workshop can stay open for 1 to {MAX_VALID_DAYS} days.")
        return days

    def _facilitator(self, s: Session, join_code: str, facilitator_key: str) -> WorkshopRow:
        code = normalise_join_code(join_code)
        w = s.scalar(select(WorkshopRow).where(WorkshopRow.join_code == code))
        given = _hash(facilitator_key) if isinstance(facilitator_key, str) and len(facilitator_key) <= 256 else ""
        expected = w.facilitator_key_hash if w is not None else "0" * 64
        # The same answer for an unknown code and a wrong key, so this cannot be used to find codes.
        if not (hmac.compare_digest(given.encode(), expected.encode()) and w is not None):
            raise WrongFacilitatorKey(
                f"The facilitator key does not match workshop {code}, or there is no workshop with that code. "
                "Enter the facilitator key exactly as it was shown when the workshop was created."
            )
        if w.expires_at <= self._now():
            raise WorkshopExpired(
                f"Workshop {code} expired on {_day(w.expires_at)}; its answers can no longer be opened."
            )
        return w

    def _participant(self, s: Session, token: str, for_update: bool = False) -> tuple[ParticipantRow, WorkshopRow]:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise UnknownParticipant(_BAD_TOKEN)
        found = s.execute(
            select(ParticipantRow, WorkshopRow)
            .join(WorkshopRow, WorkshopRow.id == ParticipantRow.workshop_id)
            .where(ParticipantRow.token_hash == _hash(token))
        ).first()
        if found is None:
            raise UnknownParticipant(_BAD_TOKEN)
        p, w = found
        if w.expires_at <= self._now():
            raise WorkshopExpired(
                f"Workshop {w.join_code} closed on {_day(w.expires_at)}; answers can no longer be viewed or changed."
            )
        if for_update and p.submitted_at is not None:
            raise AlreadySubmitted(
                "You have submitted your answers, so they can no longer be changed. Ask your facilitator to "
                "reopen them if you need to."
            )
        return p, w

    def _check_rate(self, s: Session, client: str, now: datetime, limit: int) -> None:
        since = now - self.join_window
        times = list(
            s.scalars(
                select(JoinAttemptRow.attempted_at)
                .where(JoinAttemptRow.client_hash == client, JoinAttemptRow.attempted_at > since)
                .order_by(JoinAttemptRow.attempted_at)
            )
        )
        if len(times) >= limit:
            free_at = times[len(times) - limit] + self.join_window
            wait = max(1, math.ceil((free_at - now).total_seconds()))
            minutes = math.ceil(wait / 60)
            raise TooManyAttempts(
                f"Too many wrong workshop codes from this device, so joining is paused for security. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, and check the code with your "
                "facilitator.",
                retry_after=wait,
            )

    def _statuses(self, s: Session, w: WorkshopRow, only: int | None = None) -> list[ParticipantStatus]:
        answered = func.coalesce(
            func.sum(case((AnswerRow.rating.is_not(None), 1), (AnswerRow.dont_know.is_(True), 1), else_=0)), 0
        )
        stmt = (
            select(ParticipantRow, answered)
            .outerjoin(AnswerRow, AnswerRow.participant_id == ParticipantRow.id)
            .where(ParticipantRow.workshop_id == w.id)
            .group_by(ParticipantRow.id)
            .order_by(ParticipantRow.id)
        )
        if only is not None:
            stmt = stmt.where(ParticipantRow.id == only)
        asked = len(self._asked(w.mode))
        out = []
        for p, n in s.execute(stmt):
            out.append(
                ParticipantStatus(
                    participant_id=p.id,
                    role=check_role(p.role),
                    role_label=ROLE_LABELS[p.role],
                    name=p.name,
                    department=p.department,
                    answered=int(n),
                    asked=asked,
                    completion=round(int(n) / asked, 3) if asked else 0.0,
                    submitted=p.submitted_at is not None,
                    joined_at=p.joined_at,
                    submitted_at=p.submitted_at,
                    last_saved_at=p.updated_at,
                )
            )
        return out

    def _check_visible(self, s: Session, w: WorkshopRow) -> None:
        if not w.hide_until_submitted:
            return
        total, submitted = s.execute(
            select(func.count(ParticipantRow.id), func.count(ParticipantRow.submitted_at)).where(
                ParticipantRow.workshop_id == w.id
            )
        ).one()
        if total == 0 or submitted < total:
            waiting = "Nobody has joined yet" if total == 0 else f"{total - submitted} of {total} participants have"
            raise ResultsHidden(
                f"Answers are hidden until everyone has submitted. {waiting}"
                f'{" not submitted yet" if total else ""}. You can switch off "hide individual answers until '
                'everyone has submitted" in the workshop settings.'
            )

    def _load(self, s: Session, w: WorkshopRow) -> Responses:
        """Participants, scores and comments in three set-based queries (none per participant)."""
        self._check_visible(s, w)
        people = [
            Respondent(
                participant_id=pid,
                role=role,
                name=name,
                department=dept,
                submitted=submitted_at is not None,
                political_work_first=pwf,
                step_one_evidence=soe,
            )
            for pid, role, name, dept, submitted_at, pwf, soe in s.execute(
                select(
                    ParticipantRow.id,
                    ParticipantRow.role,
                    ParticipantRow.name,
                    ParticipantRow.department,
                    ParticipantRow.submitted_at,
                    ParticipantRow.political_work_first,
                    ParticipantRow.step_one_evidence,
                )
                .where(ParticipantRow.workshop_id == w.id)
                .order_by(ParticipantRow.id)
            )
        ]
        scores, commented = answer_queries(w.id)
        with _gc_paused():
            rows = _fetch_plain(s, scores)
            pids, items, codes = zip(*rows, strict=True) if rows else ((), (), ())
        comment_rows = _fetch_plain(s, commented)
        code = np.array(codes, dtype=float)  # None -> NaN
        dont_know = code == 0
        ratings = np.where(dont_know, np.nan, code)
        return Responses.from_long(
            self._asked(w.mode), people, pids, items, ratings, dont_know, comment_rows=comment_rows
        )

    def _answer_set(self, s: Session, w: WorkshopRow, p: ParticipantRow) -> AnswerSet:
        answers: dict[str, ItemAnswer] = {}
        for item_id, rating, dont_know, comment in s.execute(
            select(AnswerRow.item_id, AnswerRow.rating, AnswerRow.dont_know, AnswerRow.comment).where(
                AnswerRow.participant_id == p.id
            )
        ):
            value: AnswerValue = rating if rating is not None else ("dont_know" if dont_know else None)
            # Validated when saved; constructed without re-cleaning so that text reads back exactly as stored
            # (answers._clean_text would also drop the zero-width joiners inside emoji and Persian text).
            answers[item_id] = ItemAnswer.model_construct(value=value, comment=comment)
        ctx = Context.model_validate(w.context).model_copy(
            update={
                "respondent_role": p.role,
                "respondent_name": p.name,
                "department": p.department,
                "political_work_first": p.political_work_first,
                "step_one_evidence": p.step_one_evidence,
                "plan_unsure": [f for f in (p.plan_unsure or "").split(",") if f],
            }
        )
        return AnswerSet(
            bank_version=w.bank_version, mode=cast(Mode, w.mode), context=ctx, answers=answers, saved_at=p.updated_at
        )


_BAD_TOKEN = (
    "This resume link is not valid; it may have been cut short when it was copied. Open the complete link you "
    "were given, or join again with the workshop code."
)


def _day(moment: datetime) -> str:
    return f"{moment:%d %B %Y}".lstrip("0")


def _info(w: WorkshopRow) -> WorkshopInfo:
    return WorkshopInfo(
        workshop_id=w.id,
        join_code=w.join_code,
        title=w.title,
        context=Context.model_validate(w.context),
        mode=cast(Mode, w.mode),
        bank_version=w.bank_version,
        created_at=w.created_at,
        expires_at=w.expires_at,
        hide_until_submitted=w.hide_until_submitted,
    )


def _consensus(s: Session, workshop_id: int) -> dict[str, ConsensusScore]:
    return {
        r.dimension: ConsensusScore(dimension=r.dimension, score=r.score, note=r.note, recorded_at=r.recorded_at)
        for r in s.scalars(select(ConsensusRow).where(ConsensusRow.workshop_id == workshop_id))
    }


class _GcPause:
    """Pause the cyclic garbage collector while tens of thousands of row tuples are created.

    The tuples hold no reference cycles, yet each burst of allocations triggers collector passes over all of
    them: about 60 ms for the 65,000 answers of a 1,000-person workshop, more than the query. Reference counted,
    so overlapping loads on several threads re-enable the collector only when the last one ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


_gc_paused = _GcPause()


def answer_queries(workshop_id: int) -> tuple[Select[Any], Select[Any]]:
    """The workshop load's two answer queries.

    Scores: one row per answer, read from the covering index ix_answers_scores; 0 codes "don't know" (ratings
    are 1-5), NULL no rating. Comments: only the answers that have one, from the partial index
    ix_answers_commented (the condition is literal SQL so that SQLite can match it to the index).
    """
    scores = (
        select(AnswerRow.participant_id, AnswerRow.item_id, case((AnswerRow.dont_know, 0), else_=AnswerRow.rating))
        .join(ParticipantRow, ParticipantRow.id == AnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id)
    )
    commented = (
        select(AnswerRow.participant_id, AnswerRow.item_id, AnswerRow.comment)
        .join(ParticipantRow, ParticipantRow.id == AnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id, text(f"answers.{COMMENTED}"))
    )
    return scores, commented


def _fetch_plain(s: Session, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """Run a SELECT of plain columns on the session's connection (same transaction) and return the driver's
    tuples. For the 65,000-row answers query this skips SQLAlchemy's per-row result processing, which costs
    more than the query itself; the columns must need no type conversion (integers and text)."""
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args: Any = tuple(params[name] for name in compiled.positiontup or ()) if compiled.positional else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        return cursor.fetchall()
    finally:
        cursor.close()


def _check_value(value: object) -> AnswerValue:
    if value is None or value == "dont_know":
        return cast(AnswerValue, value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise InvalidInput(f'An answer is a rating from 1 to 5 or "don\'t know"; got {str(value)[:20]!r}.')


_ANSWER_CHANGES = ("rating", "dont_know", "comment", "updated_at")


def _upsert_answers(s: Session, rows: list[dict[str, Any]]) -> None:
    """One row per participant and item: insert, or update the existing row. On SQLite and PostgreSQL this is
    one atomic INSERT ... ON CONFLICT DO UPDATE statement (executed for all rows at once)."""
    if not rows:
        return
    dialect = s.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        ins = sqlite_insert(AnswerRow) if dialect == "sqlite" else pg_insert(AnswerRow)
        stmt = ins.on_conflict_do_update(
            index_elements=["participant_id", "item_id"], set_={c: ins.excluded[c] for c in _ANSWER_CHANGES}
        )
        s.execute(stmt, rows)
        return
    for values in rows:  # other databases: read, then insert or update, inside the write transaction
        existing = s.scalar(
            select(AnswerRow).where(
                AnswerRow.participant_id == values["participant_id"], AnswerRow.item_id == values["item_id"]
            )
        )
        if existing is None:
            s.add(AnswerRow(**values))
        else:
            for k in _ANSWER_CHANGES:
                setattr(existing, k, values[k])


def _delete_workshops(s: Session, ids: list[int]) -> None:
    if not ids:
        return
    people = select(ParticipantRow.id).where(ParticipantRow.workshop_id.in_(ids))
    s.execute(delete(AnswerRow).where(AnswerRow.participant_id.in_(people)))
    s.execute(delete(ParticipantRow).where(ParticipantRow.workshop_id.in_(ids)))
    s.execute(delete(ConsensusRow).where(ConsensusRow.workshop_id.in_(ids)))
    s.execute(delete(WorkshopRow).where(WorkshopRow.id.in_(ids)))


_default: Store | None = None
_default_lock = threading.Lock()


def get_store() -> Store:
    """The process-wide store for the app (created, and the schema migrated, on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Store()
        return _default


__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DB_PATH",
    "Base",
    "Resume",
    "Store",
    "alembic_config",
    "database_url",
    "get_store",
    "make_engine",
    "upgrade_schema",
]
