"""The audit log: who created, exported, reopened, excluded, deleted or purged a workshop, and when.

Entries name participants by number only (never by name), and are kept with the join code when the workshop
itself is deleted, so that a deletion can be shown to have happened.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..workshop import AuditEntry
from .schema import AuditRow, WorkshopRow


def audit(s: Session, w: WorkshopRow, action: str, actor: str, detail: str = "") -> None:
    """Add an entry in the current write transaction (so it is recorded exactly when the action is)."""
    s.add(AuditRow(workshop_id=w.id, join_code=w.join_code, action=action, actor=actor, detail=detail, at=_now(s)))


def _now(s: Session) -> datetime:
    return s.info["now"]


def entries(s: Session, w: WorkshopRow) -> list[AuditEntry]:
    rows = s.scalars(select(AuditRow).where(AuditRow.workshop_id == w.id).order_by(AuditRow.at, AuditRow.id))
    return [AuditEntry(action=r.action, actor=r.actor, detail=r.detail, at=r.at) for r in rows]
