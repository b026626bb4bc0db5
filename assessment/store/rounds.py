"""The second round in the store: the facilitator opens it on statements the room has seen and discussed; each
person in the release the room discussed re-rates them once, which is a resubmission (a new version of their
answers), released like any other: only with enough other changes that nobody's change can be told apart. Closing
the round resubmits everyone who did not re-rate with their answers as they are, so that all of it can be
released together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select

from ..workshop import (
    AlreadySubmitted,
    InvalidInput,
    ParticipantExcluded,
    ParticipantStatus,
    WorkshopInfo,
    normalise_join_code,
)
from ..workshop.round_models import MAX_ROUND_ITEMS, RoundProgress, RoundTask, SecondRoundInfo
from .audit import audit
from .base import AnswerValue, checked_value, hash_secret, workshop_info
from .oversight import OversightOps
from .round_state import asked_ids, progress
from .schema import AnswerRow, ParticipantRow


class RoundOps(OversightOps):
    """Opening and closing a second round (facilitator; it reads the released summary) and re-rating in it."""

    def open_second_round(
        self, join_code: str, facilitator_key: str, item_ids: Sequence[str], seen_release: int | None = None
    ) -> WorkshopInfo:
        """Ask everyone in the latest release to re-rate `item_ids` (statements whose results it shows). That
        release, the one the room discussed, is the "before" of every comparison; `seen_release` is the release
        the facilitator looked at, and the round is refused when newer answers have been released since."""
        items = list(dict.fromkeys(str(i) for i in item_ids))
        if not items:
            raise InvalidInput("Choose at least one statement for the second round.")
        if len(items) > MAX_ROUND_ITEMS:
            raise InvalidInput(
                f"A second round re-rates at most {MAX_ROUND_ITEMS} statements: the ones the room discussed."
            )
        summary = self.summary(join_code, facilitator_key)  # cuts a release first when one is due
        if summary.release is None or summary.release.number == 0:
            raise InvalidInput(
                "A second round opens once the first results are released: at least "
                f"{summary.min_group} people must have submitted their answers."
            )
        if seen_release is not None and summary.release.number != seen_release:
            raise InvalidInput(
                f"New answers were released since you looked (release {summary.release.number}, you saw release "
                f"{seen_release}). Look at the agenda again, then open the second round."
            )
        unseen = [i for i in items if i not in summary.item_spread]
        if unseen:
            raise InvalidInput(
                f"{len(unseen)} of the chosen statements have no results the room could have seen; a second round "
                "re-rates only statements whose results are shown."
            )
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.second_round is not None:
                raise InvalidInput("A second round has already been opened in this workshop.")
            info = SecondRoundInfo(items=items, opened_at=s.info["now"], baseline=summary.release.number)
            w.second_round = info.model_dump(mode="json")
            audit(s, w, "second_round", "facilitator", f"{len(items)} statements", statements=len(items))
            return workshop_info(w, normalise_join_code(join_code))

    def close_second_round(self, join_code: str, facilitator_key: str) -> RoundProgress:
        """End the second round: whoever was asked and has not re-rated keeps their answers, resubmitted as they
        are, so the next release can take in everyone's answers together (one person's change cannot be told
        apart from the others')."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.second_round is None:
                raise InvalidInput("There is no second round in this workshop.")
            info = SecondRoundInfo.model_validate(w.second_round)
            if info.closed_at is not None:
                raise InvalidInput("The second round is already closed.")
            now = s.info["now"]
            people = s.scalars(
                select(ParticipantRow).where(
                    ParticipantRow.id.in_(asked_ids(s, w, info)),
                    ParticipantRow.excluded_at.is_(None),
                    ParticipantRow.submitted_at.is_not(None),
                    ParticipantRow.rerated_at.is_(None),
                )
            )
            kept = 0
            for p in people:
                p.submitted_at = now  # a new version with the same answers
                kept += 1
            w.second_round = info.model_copy(update={"closed_at": now}).model_dump(mode="json")
            audit(s, w, "second_round_closed", "facilitator", f"{kept} kept their answers", kept=kept)
            s.flush()
            return progress(s, w, info)

    def second_round_progress(self, join_code: str, facilitator_key: str) -> RoundProgress | None:
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.second_round is None:
                return None
            return progress(s, w, SecondRoundInfo.model_validate(w.second_round))

    def second_round_task(self, token: str) -> RoundTask | None:
        """The participant's part in a second round: None when there is none, when they are not in the release
        the room discussed (a late joiner answers the questionnaire as usual), were excluded, or the round was
        closed before they re-rated."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            if w.second_round is None or p.excluded_at is not None:
                return None
            info = SecondRoundInfo.model_validate(w.second_round)
            if p.id not in asked_ids(s, w, info) or (info.closed_at is not None and p.rerated_at is None):
                return None
            rows = s.execute(
                select(AnswerRow.item_id, AnswerRow.rating, AnswerRow.dont_know).where(
                    AnswerRow.participant_id == p.id, AnswerRow.item_id.in_(info.items)
                )
            )
            given: dict[str, AnswerValue] = {}
            for item, rating, dont_know in rows:
                given[item] = int(rating) if rating is not None else ("dont_know" if dont_know else None)
            return RoundTask(info=info, answers={i: given.get(i) for i in info.items}, done=p.rerated_at is not None)

    def submit_second_round(self, token: str, answers: Mapping[str, object]) -> ParticipantStatus:
        """Record the participant's second-round ratings (every statement of the round: 1-5 or "don't know";
        comments kept) and resubmit. Once only."""
        checked = {str(item): checked_value(value) for item, value in answers.items()}
        with self._writing() as s:
            _, w = self._participant(s, token)
            # the row re-read under a lock (PostgreSQL), so a double tap or an exclusion cannot slip in between
            p = s.scalars(
                select(ParticipantRow)
                .where(ParticipantRow.token_hash == hash_secret(token))
                .with_for_update()
                .execution_options(populate_existing=True)
            ).one()
            if p.excluded_at is not None:
                raise ParticipantExcluded(
                    "Your facilitator has excluded you from this workshop, so your answers are no longer counted."
                )
            if w.second_round is None:
                raise InvalidInput("There is no second round in this workshop.")
            info = SecondRoundInfo.model_validate(w.second_round)
            if p.rerated_at is not None:
                raise AlreadySubmitted("You have already given your second-round answers. Thank you!")
            if info.closed_at is not None:
                raise InvalidInput("The second round is closed: your first answers count.")
            if p.id not in asked_ids(s, w, info) or p.submitted_at is None:
                raise InvalidInput(
                    "The second round asks the people whose answers the room discussed; yours were not among them."
                )
            if set(checked) - set(info.items):
                raise InvalidInput("Only the statements of the second round can be re-rated here.")
            missing = [i for i in info.items if checked.get(i) is None]
            if missing:
                raise InvalidInput(
                    f"Answer every statement of the second round ({len(missing)} left); keep your first answer "
                    "where your view has not changed."
                )
            now = self._now()
            rows = {
                r.item_id: r
                for r in s.scalars(
                    select(AnswerRow).where(AnswerRow.participant_id == p.id, AnswerRow.item_id.in_(info.items))
                )
            }
            for item, value in checked.items():
                row = rows.get(item)
                if row is None:
                    row = AnswerRow(participant_id=p.id, item_id=item, comment="")
                    s.add(row)
                row.rating = value if isinstance(value, int) else None
                row.dont_know = value == "dont_know"
                row.updated_at = now
            p.submitted_at = p.rerated_at = p.updated_at = now
            s.flush()
            return self._statuses(s, w, only=p.id, own=True)[0]
