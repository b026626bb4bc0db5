"""Who a second round asks, how many have re-rated, and how many re-ratings a release holds (read by the
round's operations and by the released summary)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..workshop.round_models import RoundProgress, SecondRoundInfo
from . import releases as rel
from .schema import ParticipantRow, WorkshopRow


def asked_ids(s: Session, w: WorkshopRow, info: SecondRoundInfo) -> set[int]:
    """The people a second round asks: those in the release the room discussed."""
    past = rel.history(s, w)
    return {pid for pid, _ in past[info.baseline - 1]} if len(past) >= info.baseline else set()


def progress(s: Session, w: WorkshopRow, info: SecondRoundInfo) -> RoundProgress:
    asked = asked_ids(s, w, info)
    rows = s.execute(
        select(ParticipantRow.id, ParticipantRow.rerated_at).where(
            ParticipantRow.id.in_(asked), ParticipantRow.excluded_at.is_(None)
        )
    ).all()
    return RoundProgress(asked=len(rows), rerated=sum(1 for _, at in rows if at is not None))


def in_result(s: Session, w: WorkshopRow, latest: frozenset[rel.Member]) -> int:
    """How many people in the latest release are there with their second-round answers."""
    ids = [pid for pid, _ in latest]
    rows = s.execute(
        select(ParticipantRow.id, ParticipantRow.rerated_at).where(
            ParticipantRow.id.in_(ids), ParticipantRow.rerated_at.is_not(None)
        )
    ).all()
    rerated = {pid: at for pid, at in rows}
    return sum(1 for pid, version in latest if pid in rerated and version == rel.version_of(rerated[pid]))
