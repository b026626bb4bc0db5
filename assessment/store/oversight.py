"""The facilitator's oversight: exclude a participant, read the audit log, record exports, and one snapshot of
the whole workshop for a dashboard view or the group report (`workshop_view`: one read transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..answers import AnswerSet, Context, DontKnow, ItemAnswer
from ..disclosure.policy import clamp_k
from ..disclosure.releases import Member
from ..disclosure.releases import waiting as people_waiting
from ..disclosure.summary import ReplayArgs, released_summary, whole_group_kept
from ..workshop import (
    AuditEntry,
    InvalidInput,
    ParticipantStatus,
    Responses,
    ResultsHidden,
    WorkshopSummary,
    WorkshopView,
    clean_text,
    join_pace,
    normalise_join_code,
)
from ..workshop.aggregate import participation
from ..workshop.rounds import compare_rounds
from . import audit as audit_log
from . import releases as rel
from .base import StoreBase, load_consensus, workshop_info
from .round_state import in_result, progress
from .schema import ParticipantRow, ReleaseRow, WorkshopRow

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
        """The workshop, its participants, consensus scores, audit log, join pace and released summary, from one
        read transaction (after cutting a new release when the release rule allows); with `with_answers`, also
        the released answer sets (for the group report's tallies and comments: roles, names and departments are
        not in them)."""
        self.refresh_release(join_code, facilitator_key)
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            info = workshop_info(w, normalise_join_code(join_code))
            people = self._statuses(s, w)
            agreed = load_consensus(s, w.id)
            entries = audit_log.entries(s, w)
            try:
                self._check_visible(s, w)
                summary: WorkshopSummary | None = self._released_summary(s, w, people)
                hidden = ""
            except ResultsHidden as exc:
                summary, hidden = None, exc.one_line()
            latest = self._latest_release(s, w) if with_answers and summary is not None else None
        sets: list[AnswerSet] = []
        if latest is not None and summary is not None and not summary_too_few(summary):
            sets = answer_sets(latest, info.context, w, set(summary.items_shown))
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

    def summary(self, join_code: str, facilitator_key: str) -> WorkshopSummary:
        """The dashboard's data, from the latest release (see `workshop_view`). Raises ResultsHidden."""
        self.refresh_release(join_code, facilitator_key)
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            self._check_visible(s, w)
            return self._released_summary(s, w, self._statuses(s, w))

    def released_responses(self, join_code: str, facilitator_key: str) -> Responses:
        """The latest release's answers (for the responses CSV): frozen, submitted, never live; rows in member
        order, without names. An empty matrix before the first release. Raises ResultsHidden."""
        self.refresh_release(join_code, facilitator_key)
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            self._check_visible(s, w)
            latest = self._latest_release(s, w)
            if latest is None:
                asked = tuple(self._asked(w.mode))
                return Responses(asked, (), np.zeros((0, len(asked))), np.zeros((0, len(asked)), dtype=bool))
            return latest

    def released_pool(self, *, research_only: bool = False) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Every workshop's latest release, for the instrument's statistics (`releases.pooled`)."""
        with self._reading() as s:
            return rel.pooled(s, research_only)

    def refresh_release(self, join_code: str, facilitator_key: str) -> bool:
        """Cut the next release when the rule allows (checked in a read first, so a view that changes nothing
        writes nothing); True when one was cut."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            ready = rel.pending(s, w, acceptable=self._keeps_result)
        if ready is None:
            return False
        try:
            with self._writing() as s:
                w = self._facilitator(s, join_code, facilitator_key)
                return rel.cut(s, w, self._keeps_result)
        except IntegrityError:  # another process cut the same release first: the view reads theirs
            return False

    def _released_summary(self, s: Session, w: WorkshopRow, people: list[ParticipantStatus]) -> WorkshopSummary:
        info = workshop_info(w)
        past = rel.history(s, w)
        releases = rel.released(s, w, self._asked(w.mode), self._releases, past)
        last = s.scalars(
            select(ReleaseRow.created_at).where(ReleaseRow.workshop_id == w.id).order_by(ReleaseRow.seq.desc())
        ).first()
        waiting = people_waiting(past, rel.countable(s, w))
        counted = [p for p in people if not p.excluded]
        live = participation(
            [p.role for p in counted],
            np.array([p.submitted for p in counted], dtype=bool),
            np.array([0 if p.progress == "not_started" else 1 for p in counted], dtype=float),
            info.min_group_size,
        )
        agreed = load_consensus(s, w.id)

        def summarise_upto(upto: int, at: datetime | None, waits: int) -> WorkshopSummary:
            return released_summary(
                releases[:upto],
                info.context,
                bank=self.bank,
                mode=info.mode,
                title=info.title,
                consensus=agreed,
                min_group=info.min_group_size,
                participation=live,
                released_at=at,
                waiting=waits,
                cache_key=(self.url, w.id),
            )

        summary = summarise_upto(len(releases), last, waiting)
        round_two = info.second_round
        if round_two is None or len(releases) < round_two.baseline:
            return summary
        # the figures the room discussed: the baseline release, replayed exactly as it was shown then
        before = summarise_upto(round_two.baseline, None, 0)
        comparison = compare_rounds(
            round_two,
            before,
            summary,
            self.bank,
            info.context.innovation_title,
            progress(s, w, round_two),
            in_result(s, w, past[-1]) if past else 0,
        )
        return summary.model_copy(update={"second_round": comparison})

    def _keeps_result(
        self, s: Session, w: WorkshopRow, past: list[frozenset[Member]], members: frozenset[Member]
    ) -> bool:
        """Whether a candidate release keeps the group result publishable (`disclosure.summary.whole_group_kept`)."""
        info = workshop_info(w)
        asked = self._asked(w.mode)
        releases = rel.released(s, w, asked, self._releases, past)
        candidate = rel.candidate_matrix(s, w, members, asked, self._releases)
        args = ReplayArgs(
            info.context, self.bank, info.mode, info.title, load_consensus(s, w.id), clamp_k(w.min_group_size)
        )
        return whole_group_kept(releases, candidate, args, key=(self.url, w.id))

    def _latest_release(self, s: Session, w: WorkshopRow) -> Responses | None:
        releases = rel.released(s, w, self._asked(w.mode), self._releases)
        return releases[-1] if releases else None

    def _member(self, s: Session, w: WorkshopRow, participant_id: int) -> ParticipantRow:
        p = s.get(ParticipantRow, participant_id)
        if p is None or p.workshop_id != w.id:
            raise InvalidInput(f"There is no participant {participant_id} in this workshop.")
        return p


def summary_too_few(summary: WorkshopSummary | None) -> bool:
    return summary is None or summary.too_few or not summary.has_answers


def answer_sets(responses: Responses, context: Context, w: WorkshopRow, items: set[str]) -> list[AnswerSet]:
    """The answer set of each respondent of a release, for the group report's tallies and comments: only the
    statements whose whole-group figures the release publishes (`items`), and no role, name or department (a
    comment that appears between two releases must not point to the one doctor who joined them)."""
    out: list[AnswerSet] = []
    answered = responses.answered
    for row, person in enumerate(responses.respondents):
        if not answered[row].any() and not any(r == row for r, _ in responses.comments):
            continue
        answers: dict[str, ItemAnswer] = {}
        for col, item_id in enumerate(responses.item_ids):
            if item_id not in items:
                continue
            rating = responses.ratings[row, col]
            comment = responses.comments.get((row, col), "")
            value: int | DontKnow | None = int(rating) if rating == rating else None
            if value is None and responses.dont_know[row, col]:
                value = "dont_know"
            if value is not None or comment:
                answers[item_id] = ItemAnswer.stored(value, comment)
        ctx = context.model_copy(
            update={
                "respondent_role": "other",
                "respondent_name": "",
                "department": "",
                "political_work_first": person.political_work_first,
                "step_one_evidence": person.step_one_evidence,
            }
        )
        out.append(AnswerSet(bank_version=w.bank_version, mode=w.mode, context=ctx, answers=answers))
    return out
