"""The facilitator's side of the store: create, open, settings, consensus scores, results and deletion."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.exc import IntegrityError

from ..answers import Context
from ..settings import get_settings
from ..vocabulary import long_date
from ..workshop import (
    ConsensusScore,
    CreatedWorkshop,
    InvalidInput,
    Mode,
    ParticipantStatus,
    WorkshopInfo,
    check_consensus,
    check_group_sizes,
    check_workshop_fields,
    new_join_code,
    new_secret,
    normalise_join_code,
)
from . import limits
from .audit import audit
from .base import StoreBase, delete_workshops, hash_secret, load_consensus, workshop_info
from .erasure import reclaim
from .schema import ConsensusRow, ParticipantRow, WorkshopRow


class FacilitatorOps(StoreBase):
    """Operations that need the workshop's join code and facilitator key."""

    # ----- facilitator -----

    def create_workshop(
        self,
        title: str,
        context: Context | None = None,
        mode: Mode = "full",
        *,
        valid_days: int | None = None,
        hide_until_submitted: bool = False,
        min_group_size: int | None = None,
        expected_size: int | None = None,
        research_use: bool = False,
        organiser_account: str = "",
    ) -> CreatedWorkshop:
        """Create a workshop; returns its join code and the facilitator key (shown once, both stored only hashed).

        `valid_days`: how long it stays open (default and maximum: the retention setting). `min_group_size` is
        the anonymity threshold k (2-20; default: the anonymity-threshold setting): no figure describes fewer
        people. `expected_size` caps the number of participants who can join (None: no cap). `research_use`:
        the facilitator allows the anonymised answers into the validation-study export
        (assessment.instrument.export). `organiser_account`: who created it, for the log only (a non-secret id
        such as a hashed sign-in, "key" or "open")."""
        settings = get_settings()
        clean_title, ctx = check_workshop_fields(title, context)
        if mode not in ("quick", "full"):
            raise InvalidInput(f"Unknown mode '{str(mode)[:20]}': choose quick or full.")
        days = self._check_days(settings.retention_days if valid_days is None else valid_days)
        k, size = check_group_sizes(
            settings.anonymity_threshold if min_group_size is None else min_group_size, expected_size
        )
        key = new_secret()
        now = self._now()
        for _ in range(10):  # a collision is astronomically unlikely; retry rather than fail if it happens
            code = new_join_code()
            row = WorkshopRow(
                code_tag=self.keys.code_tag(code),
                facilitator_key_hash=hash_secret(key),
                title=clean_title,
                context=ctx.model_dump(mode="json"),
                mode=mode,
                bank_version=self.bank.bank_version,
                hide_until_submitted=hide_until_submitted,
                min_group_size=k,
                expected_size=size,
                research_use=bool(research_use),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            try:
                with self._writing() as s:
                    s.add(row)
                    s.flush()
                    audit(s, row, "created", "facilitator", f"anonymity threshold {k}, expected size {size or 'open'}",
                          mode=mode, days=days, anonymity_threshold=k, expected_size=size,
                          organiser_account=organiser_account[:80] or None)  # fmt: skip
            except IntegrityError:
                continue
            # the code is shown this once (stored only as a keyed hash, like the key)
            return CreatedWorkshop(workshop=workshop_info(row, code), facilitator_key=key)
        raise RuntimeError("could not find a free join code")  # pragma: no cover

    def open_workshop(self, join_code: str, facilitator_key: str) -> WorkshopInfo:
        """Check a facilitator's code and key; returns the workshop."""
        with self._reading() as s:
            return workshop_info(self._facilitator(s, join_code, facilitator_key), normalise_join_code(join_code))

    def participants(self, join_code: str, facilitator_key: str) -> list[ParticipantStatus]:
        """Everyone who joined, with role, department, completion and whether they submitted (never answers)."""
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            return self._statuses(s, w)

    def set_hide_until_submitted(self, join_code: str, facilitator_key: str, hide: bool) -> WorkshopInfo:
        """Hide individual answers and results until everyone has submitted (or show them again)."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.hide_until_submitted != bool(hide):
                w.hide_until_submitted = bool(hide)
                if hide:
                    audit(s, w, "results_hidden", "facilitator", "results hidden until everyone has submitted")
                else:
                    audit(s, w, "results_shown", "facilitator", "results shown while people are still answering")
            return workshop_info(w, normalise_join_code(join_code))

    def extend_workshop(self, join_code: str, facilitator_key: str, days: int) -> WorkshopInfo:
        """Keep the workshop open for `days` more days from now (before it expires)."""
        days = self._check_days(days)
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            w.expires_at = self._now() + timedelta(days=days)
            audit(s, w, "extended", "facilitator", f"open for {days} more days", days=days)
            return workshop_info(w, normalise_join_code(join_code))

    def delete_workshop(self, join_code: str, facilitator_key: str) -> None:
        """Delete the workshop and everything its participants entered (its audit entries keep their actions and
        times only), then clear the deleted text from the database files (erasure.py)."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            audit(s, w, "deleted", "facilitator", "the workshop and every answer")
            delete_workshops(s, [w.id])
            self._releases.forget([w.id])
        reclaim(self.engine, self._write_lock)  # after the commit: clear the deleted text from the files

    def purge_expired(self, grace: timedelta = timedelta(0)) -> int:
        """Delete workshops that expired more than `grace` ago, with their data, and the join-limit rows that have
        left their window; returns how many workshops. A workshop
        set to stay open longer than the retention setting now allows (the setting was lowered since) is
        shortened to it, so that no workshop outlives the current retention. After the commit the deleted text is
        cleared from the database files as far as the database allows (erasure.py)."""
        keep = get_settings().retention_days
        with self._writing() as s:
            limit_rows = limits.purge(s, s.info["now"], self.join_window)
            now = s.info["now"]
            expired = list(s.scalars(select(WorkshopRow).where(WorkshopRow.expires_at < now - grace)))
            ids = [w.id for w in expired]
            for w in expired:
                audit(s, w, "purged", "system", "expired: the workshop and every answer")
            delete_workshops(s, ids)
            self._releases.forget(ids)
            latest = now + timedelta(days=keep)
            for w in list(s.scalars(select(WorkshopRow).where(WorkshopRow.expires_at > latest))):
                w.expires_at = latest
                audit(
                    s, w, "shortened", "system", f"open until {long_date(latest)}: kept at most {keep} days", days=keep
                )
        if ids or limit_rows:
            reclaim(self.engine, self._write_lock)
        return len(ids)

    def reopen_participant(self, join_code: str, facilitator_key: str, participant_id: int) -> ParticipantStatus:
        """Let a participant who submitted change their answers again."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            p = s.get(ParticipantRow, participant_id)
            if p is None or p.workshop_id != w.id:
                raise InvalidInput(f"There is no participant {participant_id} in this workshop.")
            p.submitted_at = None
            audit(s, w, "reopened", "facilitator", f"participant #{p.id}", participant_id=p.id)
            return self._statuses(s, w, only=p.id)[0]

    def set_consensus(
        self, join_code: str, facilitator_key: str, dimension: str, score: float, note: str = ""
    ) -> ConsensusScore:
        """Record (or change) the score the group agreed for a dimension, 1-5, with a note."""
        agreed = check_consensus(dimension, score, note)
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            now = self._now()
            row = s.scalar(
                select(ConsensusRow).where(ConsensusRow.workshop_id == w.id, ConsensusRow.dimension == dimension)
            )
            if row is None:
                row = ConsensusRow(workshop_id=w.id, dimension=dimension)
                s.add(row)
            row.score, row.note, row.recorded_at = agreed.score, agreed.note, now
            label = self.bank.dimension_by_id[dimension].label
            audit(s, w, "agreed_score_set", "facilitator", f"{label}: {agreed.score:g}", dimension=dimension)
            return agreed.model_copy(update={"recorded_at": now})

    def clear_consensus(self, join_code: str, facilitator_key: str, dimension: str) -> None:
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            gone = s.execute(
                delete(ConsensusRow).where(ConsensusRow.workshop_id == w.id, ConsensusRow.dimension == dimension)
            )
            if getattr(gone, "rowcount", 0) and dimension in self.bank.dimension_by_id:
                label = self.bank.dimension_by_id[dimension].label
                audit(s, w, "agreed_score_cleared", "facilitator", label, dimension=dimension)

    def consensus(self, join_code: str, facilitator_key: str) -> dict[str, ConsensusScore]:
        with self._reading() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            return load_consensus(s, w.id)
