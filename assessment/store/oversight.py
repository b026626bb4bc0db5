"""The facilitator's oversight: exclude a participant, read the audit log, record exports, and one snapshot of
the whole workshop for a dashboard view or the group report (`workshop_view`: one read transaction)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..answers import AnswerSet, Context, DontKnow, ItemAnswer
from ..workshop import (
    AuditEntry,
    InvalidInput,
    ParticipantStatus,
    Responses,
    ResultsHidden,
    WorkshopView,
    clean_text,
    join_pace,
    normalise_join_code,
    summarise,
)
from . import audit as audit_log
from .base import StoreBase, _consensus, _info
from .schema import ParticipantRow, WorkshopRow

EXPORTS = ("responses CSV", "results JSON", "group report PDF")


class OversightOps(StoreBase):
    def exclude_participant(
        self, join_code: str, facilitator_key: str, participant_id: int, reason: str = ""
    ) -> ParticipantStatus:
        """Leave a participant out of every figure and export from now on (their answers are kept, unused)."""
        why = clean_text(reason, "reason", 200)
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            p = self._member(s, w, participant_id)
            if p.excluded_at is None:
                p.excluded_at = s.info["now"]
                detail = f"participant #{p.id}" + (f": {why}" if why else "")
                audit_log.audit(s, w, "excluded", "facilitator", detail, participant_id=p.id, reason_given=bool(why))
            return self._statuses(s, w, only=p.id)[0]

    def audit_log(self, join_code: str, facilitator_key: str) -> list[AuditEntry]:
        with self._reading() as s:
            return audit_log.entries(s, self._facilitator(s, join_code, facilitator_key))

    def record_export(self, join_code: str, facilitator_key: str, what: str) -> None:
        """Log that the facilitator downloaded an export (one of EXPORTS)."""
        if what not in EXPORTS:
            raise InvalidInput(f"Unknown export '{str(what)[:40]}'.")
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            audit_log.audit(s, w, "exported", "facilitator", what, export=what)

    def workshop_view(
        self, join_code: str, facilitator_key: str, *, with_answers: bool = False
    ) -> tuple[WorkshopView, list[AnswerSet]]:
        """The workshop, its participants, consensus scores, audit log, join pace and summary, from one read
        transaction; with `with_answers`, also the answer set of everyone counted (for the group report), built
        from the same load instead of one query per participant."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            info = _info(w, normalise_join_code(join_code))
            people = self._statuses(s, w)
            agreed = _consensus(s, w.id)
            entries = audit_log.entries(s, w)
            try:
                responses: Responses | None = self._load(s, w)
                hidden = ""
            except ResultsHidden as exc:
                responses, hidden = None, exc.one_line()
        summary = None
        sets: list[AnswerSet] = []
        if responses is not None:
            summary = summarise(
                responses,
                info.context,
                bank=self.bank,
                mode=info.mode,
                title=info.title,
                consensus=agreed,
                min_group=info.min_group_size,
            )
            if with_answers and not summary.too_few:
                sets = answer_sets(responses, info.context, w)
        view = WorkshopView(
            info=info,
            participants=people,
            consensus=agreed,
            audit=entries,
            pace=join_pace([p.joined_at for p in people]),
            summary=summary,
            hidden_message=hidden,
        )
        return view, sets

    def _member(self, s: Session, w: WorkshopRow, participant_id: int) -> ParticipantRow:
        p = s.get(ParticipantRow, participant_id)
        if p is None or p.workshop_id != w.id:
            raise InvalidInput(f"There is no participant {participant_id} in this workshop.")
        return p


def answer_sets(responses: Responses, context: Context, w: WorkshopRow) -> list[AnswerSet]:
    """The answer set of each respondent who answered something, from the loaded matrix (no further query)."""
    out: list[AnswerSet] = []
    answered = responses.answered
    for row, person in enumerate(responses.respondents):
        if not answered[row].any() and not any(r == row for r, _ in responses.comments):
            continue
        answers: dict[str, ItemAnswer] = {}
        for col, item_id in enumerate(responses.item_ids):
            rating = responses.ratings[row, col]
            comment = responses.comments.get((row, col), "")
            value: int | DontKnow | None = int(rating) if rating == rating else None
            if value is None and responses.dont_know[row, col]:
                value = "dont_know"
            if value is not None or comment:
                answers[item_id] = ItemAnswer.model_construct(value=value, comment=comment)
        ctx = context.model_copy(
            update={
                "respondent_role": person.role,
                "respondent_name": person.name,
                "department": person.department,
                "political_work_first": person.political_work_first,
                "step_one_evidence": person.step_one_evidence,
            }
        )
        out.append(AnswerSet(bank_version=w.bank_version, mode=w.mode, context=ctx, answers=answers))
    return out
