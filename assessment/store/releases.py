"""Releases in the store: cutting a new one when the release rule allows (`assessment.disclosure.releases`), and
reading every release of a workshop back as response matrices, from the answers frozen when each member was first
released (`released_answers`), never from the live answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..disclosure.policy import clamp_k
from ..disclosure.releases import Member, next_release
from ..workshop import Respondent, Responses
from .schema import AnswerRow, ParticipantRow, ReleasedAnswersRow, ReleaseRow, WorkshopRow


def version_of(submitted_at: datetime | None) -> str:
    """A submission's version: the moment it was submitted (a resubmission after a reopening is another)."""
    assert submitted_at is not None
    return submitted_at.isoformat(timespec="microseconds")


def history(s: Session, w: WorkshopRow) -> list[frozenset[Member]]:
    rows = s.scalars(select(ReleaseRow).where(ReleaseRow.workshop_id == w.id).order_by(ReleaseRow.seq))
    return [frozenset((int(pid), str(v)) for pid, v in r.members) for r in rows]


def countable(s: Session, w: WorkshopRow) -> frozenset[Member]:
    """Everyone whose submitted answers could be counted now: submitted, not excluded, something answered (ids and
    versions only: one narrow query)."""
    answered = select(AnswerRow.participant_id).where((AnswerRow.rating.is_not(None)) | (AnswerRow.dont_know.is_(True)))
    rows = s.execute(
        select(ParticipantRow.id, ParticipantRow.submitted_at).where(
            ParticipantRow.workshop_id == w.id,
            ParticipantRow.submitted_at.is_not(None),
            ParticipantRow.excluded_at.is_(None),
            ParticipantRow.id.in_(answered),
        )
    )
    return frozenset((pid, version_of(at)) for pid, at in rows)


Acceptable = Callable[[Session, WorkshopRow, list[frozenset[Member]], frozenset[Member]], bool]


def pending(
    s: Session, w: WorkshopRow, past: list[frozenset[Member]] | None = None, acceptable: Acceptable | None = None
) -> frozenset[Member] | None:
    """The release that could be cut now (None: none). `past`: the workshop's `history`, if read already;
    `acceptable`: the check that a candidate keeps the group result publishable (`OversightOps._keeps_result`)."""
    past = history(s, w) if past is None else past
    check = None if acceptable is None else (lambda members: acceptable(s, w, past, members))
    return next_release(past, countable(s, w), clamp_k(w.min_group_size), check)


def candidate_matrix(
    s: Session, w: WorkshopRow, members: frozenset[Member], asked: Sequence[str], cache: ReleaseCache
) -> Responses:
    """A candidate release as a response matrix: frozen answers for members released before, the answers as
    submitted for the others (nothing is written)."""
    ordered = tuple(sorted(members))
    frozen = dict(cache.payloads(s, w.id, set(ordered)))
    new_ids = {m[0] for m in ordered if m not in frozen}
    if new_ids:
        people = list(s.scalars(select(ParticipantRow).where(ParticipantRow.id.in_(new_ids))))
        for p, payload in zip(people, _payloads(s, people), strict=True):
            frozen[(p.id, version_of(p.submitted_at))] = payload
    return _matrix(ordered, frozen, asked)


def cut(s: Session, w: WorkshopRow, acceptable: Acceptable | None = None) -> bool:
    """Cut the next release in this write transaction when the rule allows; True when one was cut. The workshop's
    row is locked first (PostgreSQL; SQLite has one writer at a time), so two processes viewing the same workshop
    at once cut one release, the second seeing the first's."""
    s.execute(select(WorkshopRow.id).where(WorkshopRow.id == w.id).with_for_update())
    past = history(s, w)
    members = pending(s, w, past, acceptable)
    if members is None:
        return False
    frozen = {
        (pid, v)
        for pid, v in s.execute(
            select(ReleasedAnswersRow.participant_id, ReleasedAnswersRow.version).where(
                ReleasedAnswersRow.workshop_id == w.id
            )
        )
    }
    new_ids = {pid for pid, v in members if (pid, v) not in frozen}
    new = list(s.scalars(select(ParticipantRow).where(ParticipantRow.id.in_(new_ids)).order_by(ParticipantRow.id)))
    for p, payload in zip(new, _payloads(s, new), strict=True):
        version = version_of(p.submitted_at)
        s.add(ReleasedAnswersRow(workshop_id=w.id, participant_id=p.id, version=version, payload=payload))
    s.add(
        ReleaseRow(
            workshop_id=w.id,
            seq=len(past) + 1,
            members=[[pid, v] for pid, v in sorted(members)],
            created_at=s.info["now"],
        )
    )
    return True


def _payloads(s: Session, people: Sequence[ParticipantRow]) -> list[dict[str, Any]]:
    """Each person's answers as submitted: role, department, plan answers and [item, code, comment] triples (code
    1-5, 0 for "don't know", None for a comment alone). No name."""
    answers: dict[int, list[list[Any]]] = {p.id: [] for p in people}
    if people:
        rows = s.execute(
            select(
                AnswerRow.participant_id, AnswerRow.item_id, AnswerRow.rating, AnswerRow.dont_know, AnswerRow.comment
            )
            .where(AnswerRow.participant_id.in_(list(answers)))
            .order_by(AnswerRow.participant_id, AnswerRow.id)
        )
        for pid, item, rating, dk, comment in rows:
            code = int(rating) if rating is not None else (0 if dk else None)
            if code is not None or comment:
                answers[pid].append([item, code, comment or ""])
    return [
        {
            "role": p.role,
            "department": p.department,
            "political_work_first": p.political_work_first,
            "step_one_evidence": p.step_one_evidence,
            "answers": answers[p.id],
        }
        for p in people
    ]


class ReleaseCache:
    """Released answers never change, so each store keeps the ones it has read (payloads by member, matrices by
    release): a dashboard refreshing every 10 seconds reads only the release list and any new members."""

    def __init__(self, size: int = 32) -> None:
        self._payloads: dict[int, dict[Member, dict[str, Any]]] = {}
        self._matrices: OrderedDict[tuple[int, tuple[Member, ...], tuple[str, ...]], Responses] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def payloads(self, s: Session, workshop_id: int, wanted: set[Member]) -> dict[Member, dict[str, Any]]:
        with self._lock:
            known = self._payloads.setdefault(workshop_id, {})
            missing = wanted - known.keys()
        if missing:
            rows = s.scalars(
                select(ReleasedAnswersRow).where(
                    ReleasedAnswersRow.workshop_id == workshop_id,
                    ReleasedAnswersRow.participant_id.in_({pid for pid, _ in missing}),
                )
            )
            fresh = {(r.participant_id, r.version): r.payload for r in rows}
            with self._lock:
                known.update(fresh)
        return known

    def matrix(self, key: tuple[int, tuple[Member, ...], tuple[str, ...]]) -> Responses | None:
        with self._lock:
            hit = self._matrices.get(key)
            if hit is not None:
                self._matrices.move_to_end(key)
            return hit

    def keep(self, key: tuple[int, tuple[Member, ...], tuple[str, ...]], matrix: Responses) -> None:
        with self._lock:
            self._matrices[key] = matrix
            while len(self._matrices) > self._size:
                self._matrices.popitem(last=False)

    def forget(self, workshop_ids: Iterable[int]) -> None:
        """Drop what was read of deleted workshops (their ids may be used again)."""
        with self._lock:
            for wid in workshop_ids:
                self._payloads.pop(wid, None)
            for key in [k for k in self._matrices if k[0] in set(workshop_ids)]:
                del self._matrices[key]


def released(
    s: Session, w: WorkshopRow, asked: Sequence[str], cache: ReleaseCache, past: list[frozenset[Member]] | None = None
) -> list[Responses]:
    """Every release of the workshop, oldest first, as a response matrix of its frozen answers (rows in member
    order; no names). `past`: the workshop's `history`, when the caller has read it already."""
    out: list[Responses] = []
    past = history(s, w) if past is None else past
    frozen = cache.payloads(s, w.id, set().union(*past)) if past else {}
    for members in past:
        ordered = tuple(sorted(members))
        key = (w.id, ordered, tuple(asked))
        matrix = cache.matrix(key)
        if matrix is None:
            matrix = _matrix(ordered, frozen, asked)
            cache.keep(key, matrix)
        out.append(matrix)
    return out


def _matrix(members: Sequence[Member], frozen: dict[Member, dict[str, Any]], asked: Sequence[str]) -> Responses:
    people = []
    pids: list[int] = []
    items: list[str] = []
    codes: list[float] = []
    comments: list[tuple[int, str, str]] = []
    for pid, version in members:
        payload = frozen[(pid, version)]
        people.append(
            Respondent(
                participant_id=pid,
                role=payload["role"],
                department=payload["department"],
                submitted=True,
                political_work_first=payload["political_work_first"],
                step_one_evidence=payload["step_one_evidence"],
                version=version,
            )
        )
        for item, code, comment in payload["answers"]:
            if code is not None:
                pids.append(pid)
                items.append(item)
                codes.append(float(code))
            if comment:
                comments.append((pid, item, comment))
    code_arr = np.array(codes, dtype=float)
    dont_know = code_arr == 0
    ratings = np.where(dont_know, np.nan, code_arr)
    return Responses.from_long(asked, people, pids, items, ratings, dont_know, comment_rows=comments)


def pooled(s: Session, research_only: bool) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every workshop's latest release, pooled for the instrument's statistics: (participant id, workshop id, role,
    department, bank version, mode, k) per released person and (participant id, item, rating, don't know) per
    answer. Live, unreleased answers are never read, so these figures too change only in steps of k people."""
    stmt = select(WorkshopRow)
    if research_only:
        stmt = stmt.where(WorkshopRow.research_use.is_(True))
    people: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    for w in s.scalars(stmt.order_by(WorkshopRow.id)):
        past = history(s, w)
        if not past:
            continue
        latest = past[-1]
        frozen = {
            (r.participant_id, r.version): r.payload
            for r in s.scalars(select(ReleasedAnswersRow).where(ReleasedAnswersRow.workshop_id == w.id))
        }
        for pid, version in sorted(latest):
            payload = frozen[(pid, version)]
            people.append((pid, w.id, payload["role"], payload["department"], w.bank_version, w.mode, w.min_group_size))
            for item, code, _comment in payload["answers"]:
                if code is not None:
                    answers.append((pid, item, code or None, code == 0))
    return people, answers
