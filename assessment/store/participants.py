"""The participants' side of the store: resume, save answers, submit (joining is in `joining.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..answers import MAX_COMMENT, MAX_NAME, AnswerSet, ItemAnswer
from ..vocabulary import PLAN_ANSWERS, ROLE_LABELS, PlanAnswer
from ..workshop import (
    MAX_TOKEN_LENGTH,
    PLAN_FACTS,
    InvalidInput,
    NotEnoughAnswers,
    ParticipantStatus,
    check_role,
    clean_text,
    submission_minimum,
)
from .base import AnswerValue, Resume, StoreBase, checked_value, hash_secret, workshop_info
from .writes import Target, writable_participant, write_answers


def own_status(target: Target, answered: int, asked: int, saved_at: datetime) -> ParticipantStatus:
    """A participant's own status after a save (`writable_participant` found them open: neither submitted nor
    excluded), as `StoreBase._statuses(own=True)` gives it."""
    return ParticipantStatus(
        participant_id=target.id,
        role=check_role(target.role),
        role_label=ROLE_LABELS[target.role],
        name=target.name,
        department=target.department,
        progress="answering" if answered else "not_started",
        answered=answered,
        asked=asked,
        completion=round(answered / asked, 3) if asked else 0.0,
        submitted=False,
        excluded=False,
        joined_at=target.joined_at,
        last_saved_at=saved_at,
    )


class ParticipantOps(StoreBase):
    """Operations a participant does with their resume token."""

    def resume(self, token: str) -> Resume:
        """Everything a resume link brings back, in one read."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            return Resume(
                workshop=workshop_info(w),
                participant=self._statuses(s, w, only=p.id, own=True)[0],
                answers=self._answer_set(s, w, p),
            )

    def load_participant(self, token: str) -> AnswerSet:
        """The participant's answers so far, with the workshop's context and their role, name and plan facts."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            return self._answer_set(s, w, p)

    def participant_status(self, token: str) -> ParticipantStatus:
        with self._reading() as s:
            p, w = self._participant(s, token)
            return self._statuses(s, w, only=p.id, own=True)[0]

    def save_answer(self, token: str, item_id: str, value: AnswerValue, comment: str = "") -> None:
        """Save one answer as it is given (insert or update; value None with no comment clears it)."""
        self.save_answers(token, {item_id: (value, comment)})

    def save_answers(
        self, token: str, answers: Mapping[str, ItemAnswer | tuple[AnswerValue, str] | AnswerValue]
    ) -> ParticipantStatus:
        """Save several answers in one transaction (item id -> ItemAnswer, (value, comment) or value); the
        participant's own status as that transaction left it (their answered count included), so that a page need
        not read it again."""
        rows = []
        for item_id, given in answers.items():
            if isinstance(given, ItemAnswer):
                value, comment = given.value, given.comment
            elif isinstance(given, tuple):
                value, comment = given
            else:
                value, comment = given, ""
            rows.append((item_id, checked_value(value), clean_text(comment, "comment", MAX_COMMENT)))
        asked = self._asked_sets()
        token_hash = hash_secret(token) if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH else ""
        # Everything above needs no database; the write transaction below runs three prepared statements.
        with self._writing_conn() as conn:
            now = self._now()
            target = writable_participant(conn, token_hash, now) if token_hash else None
            if target is None:  # unknown, expired, excluded or submitted: say which
                with Session(bind=conn) as s:
                    self._participant(s, token, for_update=True)
                raise AssertionError("unreachable: _participant raises for a participant who cannot save")
            upserts: list[dict[str, Any]] = []
            cleared: list[str] = []
            for item_id, value, comment in rows:
                if item_id not in asked[target.mode]:
                    raise InvalidInput(f"Item '{str(item_id)[:64]}' is not asked in this workshop.")
                if value is None and not comment:
                    cleared.append(item_id)
                    continue
                upserts.append(
                    {
                        "participant_id": target.id,
                        "item_id": item_id,
                        "rating": value if isinstance(value, int) else None,
                        "dont_know": value == "dont_know",
                        "comment": comment,
                        "updated_at": now,
                    }
                )
            answered = write_answers(conn, target.id, upserts, cleared, now)
        return own_status(target, answered, len(asked[target.mode]), now)

    def save_plan_fact(self, token: str, fact: str, answer: PlanAnswer | None) -> None:
        """Record a participant's answer to a plan question (political_work_first or step_one_evidence):
        "yes", "no", "not_sure", or None to clear it."""
        if fact not in PLAN_FACTS:
            raise InvalidInput(f"Unknown plan question '{str(fact)[:40]}'.")
        if answer is not None and (not isinstance(answer, str) or answer not in PLAN_ANSWERS):
            raise InvalidInput("A plan question is answered yes, no, not sure, or not at all.")
        with self._writing() as s:
            p, _ = self._participant(s, token, for_update=True)
            setattr(p, fact, answer)
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
            return self._statuses(s, w, only=p.id, own=True)[0]

    def submit(self, token: str) -> ParticipantStatus:
        """Mark the participant's answers as submitted (they become read-only). Submitting twice is harmless."""
        with self._writing() as s:
            p, w = self._participant(s, token)
            if p.submitted_at is None:
                status = self._statuses(s, w, only=p.id, own=True)[0]
                needed = submission_minimum(status.asked)
                if (status.answered or 0) < needed:
                    raise NotEnoughAnswers(
                        f"You have answered {status.answered} of {status.asked} statements. Please answer at least "
                        f'{needed} (half of them; "don\'t know" counts as an answer) before you submit: a '
                        "near-empty submission would count you as a respondent without your views."
                    )
                p.submitted_at = self._now()
                p.updated_at = p.submitted_at
            s.flush()
            return self._statuses(s, w, only=p.id, own=True)[0]
