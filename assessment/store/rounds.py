"""The second round in the store: the facilitator opens it on statements the room has seen and discussed; each
participant who submitted re-rates them once, which is a resubmission (a new version of their answers), released
like any other: only when at least k people's changed answers can go into the figures together."""

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
from ..workshop.round_models import MAX_ROUND_ITEMS, RoundTask, SecondRoundInfo
from .audit import audit
from .base import AnswerValue, checked_value, workshop_info
from .oversight import OversightOps
from .schema import AnswerRow, ParticipantRow


class RoundOps(OversightOps):
    """Opening a second round (facilitator; it reads the released summary) and re-rating in it (participant)."""

    def open_second_round(self, join_code: str, facilitator_key: str, item_ids: Sequence[str]) -> WorkshopInfo:
        """Ask everyone who submitted to re-rate `item_ids` (statements whose results the latest release shows).
        The figures the room discussed, the latest release now, are the "before" of every comparison."""
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
        unseen = [i for i in items if i not in summary.item_spread]
        if unseen:
            raise InvalidInput(
                f"{len(unseen)} of the chosen statements have no results the room could have seen; a second round "
                "re-rates only statements whose results are shown."
            )
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.second_round is not None:
                raise InvalidInput("A second round is already open in this workshop.")
            info = SecondRoundInfo(items=items, opened_at=s.info["now"], baseline=summary.release.number)
            w.second_round = info.model_dump(mode="json")
            audit(s, w, "second_round", "facilitator", f"{len(items)} statements", statements=len(items))
            return workshop_info(w, normalise_join_code(join_code))

    def second_round_task(self, token: str) -> RoundTask | None:
        """The participant's part in an open second round; None when there is none, or when they have not
        submitted a first round (their questionnaire is still open to them) or were excluded."""
        with self._reading() as s:
            p, w = self._participant(s, token)
            if w.second_round is None or p.submitted_at is None or p.excluded_at is not None:
                return None
            info = SecondRoundInfo.model_validate(w.second_round)
            rows = s.execute(
                select(AnswerRow.item_id, AnswerRow.rating, AnswerRow.dont_know).where(
                    AnswerRow.participant_id == p.id, AnswerRow.item_id.in_(info.items)
                )
            )
            given: dict[str, AnswerValue] = {}
            for item, rating, dont_know in rows:
                given[item] = int(rating) if rating is not None else ("dont_know" if dont_know else None)
            return RoundTask(
                info=info,
                answers={i: given.get(i) for i in info.items},
                done=p.submitted_at >= info.opened_at,
            )

    def submit_second_round(self, token: str, answers: Mapping[str, object]) -> ParticipantStatus:
        """Record the participant's second-round ratings (every statement of the round: 1-5 or "don't know";
        comments kept) and resubmit. Once only."""
        checked = {str(item): checked_value(value) for item, value in answers.items()}
        with self._writing() as s:
            p, w = self._participant(s, token)
            s.execute(select(ParticipantRow.id).where(ParticipantRow.id == p.id).with_for_update())
            if p.excluded_at is not None:
                raise ParticipantExcluded(
                    "Your facilitator has excluded you from this workshop, so your answers are no longer counted."
                )
            if w.second_round is None:
                raise InvalidInput("There is no second round open in this workshop.")
            info = SecondRoundInfo.model_validate(w.second_round)
            if p.submitted_at is None:
                raise InvalidInput("Submit your answers first: the second round asks you to look at some again.")
            if p.submitted_at >= info.opened_at:
                raise AlreadySubmitted("You have already given your second-round answers. Thank you!")
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
            p.submitted_at = now
            p.updated_at = now
            s.flush()
            return self._statuses(s, w, only=p.id, own=True)[0]
