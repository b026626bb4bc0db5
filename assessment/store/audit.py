"""The audit log: who created, extended, exported, reopened, excluded, deleted or purged a workshop, who
recorded or cleared an agreed score, who hid or showed the results and who opened a second round, and when (and
when the system shortened a workshop to a lowered retention setting).

Entries name participants by number only (never by name). When the workshop itself is deleted they are kept
with their action, actor and time only (the detail, such as an exclusion reason or an agreed score, and the
join code are blanked), so that a deletion can be shown to have happened without keeping what was deleted.

Every entry also becomes one structured log line (`assessment.logs.audit`), written when its transaction
commits (a rolled-back action logs nothing): the same action, actor and workshop as the table, with ids and
fixed words as fields. The entry's free-text detail (an exclusion reason, say) stays out of the log, and so
does the join code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..logs import audit as log_line
from ..workshop import AuditEntry
from .schema import AuditRow, WorkshopRow

# The log event for each audit action (the table's action is in the line too, as `action`).
EVENTS = {
    "created": "workshop_created",
    "extended": "workshop_extended",
    "shortened": "workshop_shortened",
    "exported": "workshop_exported",
    "reopened": "participant_reopened",
    "excluded": "participant_excluded",
    "deleted": "workshop_deleted",
    "purged": "workshop_purged",
    "agreed_score_set": "agreed_score_set",
    "agreed_score_cleared": "agreed_score_cleared",
    "results_hidden": "results_hidden",
    "results_shown": "results_shown",
    "joining_closed": "joining_closed",
    "joining_opened": "joining_opened",
    "second_round": "second_round_opened",
    "second_round_closed": "second_round_closed",
}
_PENDING = "assessment_audit_lines"

LogValue = str | int | bool | None


def audit(s: Session, w: WorkshopRow, action: str, actor: str, detail: str = "", **fields: LogValue) -> None:
    """Add an entry in the current write transaction (so it is recorded exactly when the action is), and log
    it once the transaction commits. `fields` are the log line's extra fields: ids, counts and fixed words."""
    if action not in EVENTS:
        raise ValueError(f"unknown audit action {action!r}")
    s.add(AuditRow(workshop_id=w.id, code_tag=w.code_tag, action=action, actor=actor, detail=detail, at=_now(s)))
    s.info.setdefault(_PENDING, []).append((EVENTS[action], actor, {"action": action, "workshop_id": w.id, **fields}))


@event.listens_for(Session, "after_commit")
def _log_committed(s: Session) -> None:
    for name, actor, fields in s.info.pop(_PENDING, ()):
        log_line(name, actor=actor, **fields)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(s: Session) -> None:
    s.info.pop(_PENDING, None)


def _now(s: Session) -> datetime:
    return s.info["now"]


def entries(s: Session, w: WorkshopRow) -> list[AuditEntry]:
    rows = s.scalars(select(AuditRow).where(AuditRow.workshop_id == w.id).order_by(AuditRow.at, AuditRow.id))
    return [AuditEntry(action=r.action, actor=r.actor, detail=r.detail, at=r.at) for r in rows]


def forget_details(s: Session, workshop_ids: list[int]) -> None:
    """Before the workshops are deleted: blank their entries' detail (an exclusion reason, an agreed score) and join
    code, so that the entries outlive them with action, actor and time only (the foreign key clears the id)."""
    s.flush()  # the entry recording this deletion too
    s.execute(
        update(AuditRow).where(AuditRow.workshop_id.in_(workshop_ids)).values(detail="", join_code=""),
        execution_options={"synchronize_session": False},
    )
