"""What every store operation shares: sessions (BEGIN IMMEDIATE for writes), checks of keys and tokens, and loads."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    Connection,
    case,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ..answers import AnswerSet, Context, ItemAnswer
from ..bank import QuestionBank, default_bank
from ..logs import audit as log_line
from ..settings import get_settings
from ..vocabulary import ROLE_LABELS, long_date
from ..workshop import (
    JOIN_MAX_FAILURES,
    JOIN_WINDOW_MINUTES,
    MAX_TOKEN_LENGTH,
    AlreadySubmitted,
    ConsensusScore,
    InvalidInput,
    Mode,
    ParticipantExcluded,
    ParticipantStatus,
    ResultsHidden,
    UnknownParticipant,
    WorkshopExpired,
    WorkshopInfo,
    WrongFacilitatorKey,
    check_role,
    normalise_join_code,
)
from ..workshop.round_models import SecondRoundInfo
from .audit import forget_details
from .database import database_url, make_engine, schema_revision, upgrade_schema
from .keys import Keyring, load_keyring
from .releases import ReleaseCache
from .schema import AnswerRow, ConsensusRow, ParticipantRow, WorkshopRow
from .writes import WriteQueue

Clock = Callable[[], datetime]
AnswerValue = int | Literal["dont_know"] | None


def utc_now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Resume(BaseModel):
    """What a participant's resume link brings back: the workshop, their status and their answers so far."""

    model_config = ConfigDict(extra="forbid")
    workshop: WorkshopInfo
    participant: ParticipantStatus
    answers: AnswerSet


class StoreBase:
    """Sessions, the clock, and the checks and loads the store's operations share."""

    def __init__(
        self,
        url: str | None = None,
        *,
        clock: Clock | None = None,
        bank: QuestionBank | None = None,
        migrate: bool = True,
        join_max_failures: int = JOIN_MAX_FAILURES,
        join_window: timedelta = timedelta(minutes=JOIN_WINDOW_MINUTES),
        serialize_writes: bool | None = None,
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
        # SQLite has one writer at a time. Left to its busy handler, waiting writers poll with growing sleeps (up
        # to 100 ms each), so one unlucky save could wait seconds while others came and went (p99 1.3-3.3 s, worst
        # 9.4 s with 50 writers). Queued in the process instead (first come, first served; see writes.py for the
        # measurements), each write starts as soon as the previous one ends; other processes still meet the busy
        # timeout. PostgreSQL locks rows, not the file.
        file_sqlite = self.engine.dialect.name == "sqlite" and not isinstance(self.engine.pool, StaticPool)
        self._write_lock: WriteQueue | None = (
            WriteQueue() if (file_sqlite if serialize_writes is None else serialize_writes) else None
        )
        self._releases = ReleaseCache()  # released answers read so far (they never change)
        self._asked_by_mode: dict[str, frozenset[str]] = {
            mode: frozenset(self._asked(mode)) for mode in ("quick", "full")
        }
        self._keyring: Keyring | None = None
        if migrate:
            upgrade_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def schema_revision(self) -> str | None:
        return schema_revision(self.engine)

    @property
    def keys(self) -> Keyring:
        """The keyed hashes of this deployment (its secret is read once, on first use)."""
        if self._keyring is None:
            with self.engine.connect() as conn:
                self._keyring = load_keyring(conn)
        return self._keyring

    def code_tag(self, join_code: str) -> str:
        """The stored form of a join code as typed (raises MalformedJoinCode for what cannot be a code)."""
        return self.keys.code_tag(normalise_join_code(join_code))

    # ----- sessions -----

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._write_lock or nullcontext(), self._writer() as s, s.begin():
            s.info["now"] = self._now()  # one moment per transaction, for audit entries
            yield s

    @contextmanager
    def _writing_conn(self) -> Iterator[Connection]:
        """A write transaction on a bare connection, for the hot paths that need no ORM objects (writes.py)."""
        with self._write_lock or nullcontext(), self._write_engine.begin() as conn:
            yield conn

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

    def _asked_sets(self) -> dict[str, frozenset[str]]:
        """The item ids asked in each mode, computed once per store."""
        return self._asked_by_mode

    # ----- internals -----

    def _check_days(self, days: int) -> int:
        """Days to stay open, from 1 to the deployment's retention setting (ASSESSMENT_RETENTION_DAYS)."""
        most = get_settings().retention_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= most:
            raise InvalidInput(f"A workshop can stay open for 1 to {most} days (this deployment's retention).")
        return days

    def _facilitator(self, s: Session, join_code: str, facilitator_key: str) -> WorkshopRow:
        code = normalise_join_code(join_code)
        w = s.scalar(select(WorkshopRow).where(WorkshopRow.code_tag == self.keys.code_tag(code)))
        given = hash_secret(facilitator_key) if isinstance(facilitator_key, str) and len(facilitator_key) <= 256 else ""
        expected = w.facilitator_key_hash if w is not None else "0" * 64
        # The same answer for an unknown code and a wrong key, so this cannot be used to find codes.
        if not (hmac.compare_digest(given.encode(), expected.encode()) and w is not None):
            # one line per refusal (never what was typed, nor the code), so that guessing shows in the logs
            log_line("facilitator_key_refused", actor="anonymous", workshop_id=w.id if w is not None else None)
            raise WrongFacilitatorKey(
                f"The facilitator key does not match workshop {code}, or there is no workshop with that code. "
                "Enter the facilitator key exactly as it was shown when the workshop was created."
            )
        if w.expires_at <= self._now():
            raise WorkshopExpired(
                f"Workshop {code} expired on {long_date(w.expires_at)}; its answers can no longer be opened."
            )
        return w

    def _participant(self, s: Session, token: str, for_update: bool = False) -> tuple[ParticipantRow, WorkshopRow]:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise UnknownParticipant(_BAD_TOKEN)
        stmt = (
            select(ParticipantRow, WorkshopRow)
            .join(WorkshopRow, WorkshopRow.id == ParticipantRow.workshop_id)
            .where(ParticipantRow.token_hash == hash_secret(token))
        )
        if for_update:  # PostgreSQL: lock the row, so that a submit or an exclusion cannot slip in before the write
            stmt = stmt.with_for_update(of=ParticipantRow)
        found = s.execute(stmt).first()
        if found is None:
            raise UnknownParticipant(_BAD_TOKEN)
        p, w = found
        if w.expires_at <= self._now():
            raise WorkshopExpired(
                f"The workshop {w.title} closed on {long_date(w.expires_at)}; "
                "answers can no longer be viewed or changed."
            )
        if for_update and p.excluded_at is not None:
            raise ParticipantExcluded(
                "Your facilitator has excluded you from this workshop, so your answers are no longer counted or "
                "saved. Ask them if you think this is a mistake."
            )
        if for_update and p.submitted_at is not None:
            raise AlreadySubmitted(
                "You have submitted your answers, so they can no longer be changed. Ask your facilitator to "
                "reopen them if you need to."
            )
        return p, w

    def _statuses(
        self, s: Session, w: WorkshopRow, only: int | None = None, *, own: bool = False
    ) -> list[ParticipantStatus]:
        """Participants' statuses; with `own` (a participant asking about themselves) with their answer counts,
        otherwise (the facilitator) the progress as a status only."""
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
                    progress=(
                        "excluded"
                        if p.excluded_at is not None
                        else "submitted"
                        if p.submitted_at is not None
                        else "answering"
                        if n
                        else "not_started"
                    ),
                    answered=int(n) if own else None,
                    asked=asked,
                    completion=(round(int(n) / asked, 3) if asked else 0.0) if own else None,
                    submitted=p.submitted_at is not None,
                    excluded=p.excluded_at is not None,
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
                ParticipantRow.workshop_id == w.id, ParticipantRow.excluded_at.is_(None)
            )
        ).one()
        if total == 0 or submitted < total:
            waiting = "Nobody has joined yet" if total == 0 else f"{total - submitted} of {total} participants have"
            raise ResultsHidden(
                f"Answers are hidden until everyone has submitted. {waiting}"
                f'{" not submitted yet" if total else ""}. You can switch off "hide individual answers until '
                'everyone has submitted" in the workshop settings.'
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
            answers[item_id] = ItemAnswer.stored(value, comment)
        ctx = Context.model_validate(w.context).model_copy(
            update={
                "respondent_role": p.role,
                "respondent_name": p.name,
                "department": p.department,
                "political_work_first": p.political_work_first,
                "step_one_evidence": p.step_one_evidence,
            }
        )
        return AnswerSet(
            bank_version=w.bank_version, mode=cast(Mode, w.mode), context=ctx, answers=answers, saved_at=p.updated_at
        )


_BAD_TOKEN = (
    "This resume link is not valid; it may have been cut short when it was copied. Open the complete link you "
    "were given, or join again with the workshop code."
)


def workshop_info(w: WorkshopRow, join_code: str = "") -> WorkshopInfo:
    """The workshop as anyone in it may see it. Only a hash of the join code is stored: `join_code` is the code
    the caller gave (normalised), or "" when the caller came without it (a resume link)."""
    return WorkshopInfo(
        workshop_id=w.id,
        join_code=join_code,
        title=w.title,
        context=Context.model_validate(w.context),
        mode=cast(Mode, w.mode),
        bank_version=w.bank_version,
        created_at=w.created_at,
        expires_at=w.expires_at,
        hide_until_submitted=w.hide_until_submitted,
        min_group_size=w.min_group_size,
        expected_size=w.expected_size,
        research_use=w.research_use,
        second_round=SecondRoundInfo.model_validate(w.second_round) if w.second_round else None,
    )


def load_consensus(s: Session, workshop_id: int) -> dict[str, ConsensusScore]:
    return {
        r.dimension: ConsensusScore(dimension=r.dimension, score=r.score, note=r.note, recorded_at=r.recorded_at)
        for r in s.scalars(select(ConsensusRow).where(ConsensusRow.workshop_id == workshop_id))
    }


def checked_value(value: object) -> AnswerValue:
    if value is None or value == "dont_know":
        return cast(AnswerValue, value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise InvalidInput(f'An answer is a rating from 1 to 5 or "don\'t know"; got {str(value)[:20]!r}.')


def delete_workshops(s: Session, ids: list[int]) -> None:
    """Delete the workshops with everything in them; their audit entries keep action, actor and time only."""
    if not ids:
        return
    forget_details(s, ids)
    people = select(ParticipantRow.id).where(ParticipantRow.workshop_id.in_(ids))
    s.execute(delete(AnswerRow).where(AnswerRow.participant_id.in_(people)))
    s.execute(delete(ParticipantRow).where(ParticipantRow.workshop_id.in_(ids)))
    s.execute(delete(ConsensusRow).where(ConsensusRow.workshop_id.in_(ids)))
    s.execute(delete(WorkshopRow).where(WorkshopRow.id.in_(ids)))
