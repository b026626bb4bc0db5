"""Joining a workshop: the code checked against the guessing budgets (`limits.py`), the facilitator's lock on
joining, and devices whose participant was excluded.

The order of the checks is what keeps a room from being locked out:

1. a device that spent its own budget (10 wrong codes in the window) is refused, even with the right code;
2. when the server's budget is spent (1,000 wrong codes in the window), a device or an address that failed in
   the window is refused before its code is looked at;
3. otherwise the code is looked at. A right code joins, whatever its address did: one person guessing behind a
   hospital's address does not stop the room. A wrong or expired code is counted against the device, the address
   and the server, and refused (with a pause message once the address or the server budget is spent).

So every code the server looks at and finds wrong is counted, and the server's budget bounds guessing: per
window at most 1,000 wrong codes, plus one from each address that had not failed in the window once the budget
is spent (it is counted, so the address is refused from then on). See the README for the bound per hour.

Every refused join writes one log line (`join_refused`, with the reason), never the code typed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from ..answers import MAX_NAME
from ..logs import audit as log_line
from ..workshop import (
    JoinedWorkshop,
    JoiningClosed,
    ParticipantExcluded,
    UnknownJoinCode,
    WorkshopError,
    WorkshopExpired,
    WorkshopFull,
    check_role,
    clean_text,
    new_secret,
    normalise_join_code,
)
from . import limits
from .audit import audit
from .base import StoreBase, hash_secret, long_date, workshop_info
from .schema import ParticipantRow, WorkshopRow

# built once (a join holds the write lock while it runs; see writes.py)
_WORKSHOP_FOR_JOIN = select(WorkshopRow).where(WorkshopRow.code_tag == bindparam("tag")).with_for_update()
_NEW_PARTICIPANT = insert(cast(Table, ParticipantRow.__table__))
_EXCLUDED_DEVICE = select(func.count(ParticipantRow.id)).where(
    ParticipantRow.workshop_id == bindparam("workshop"),
    ParticipantRow.device_hash == bindparam("device"),
    ParticipantRow.excluded_at.is_not(None),
)


class JoiningStatus(BaseModel):
    """What the facilitator sees about joining: whether it is open, and how many joins came from a device that
    had already joined this workshop (a reload after joining, a second browser tab, or a fake participant)."""

    model_config = ConfigDict(extra="forbid")
    open: bool
    closed_at: datetime | None = None
    joins: int = 0
    rejoins: int = 0


class JoiningOps(StoreBase):
    """Join with a code; the facilitator closes or reopens joining."""

    def join_workshop(
        self,
        join_code: str,
        role: str,
        *,
        name: str = "",
        department: str = "",
        client_key: str,
        network_key: str | None = None,
    ) -> JoinedWorkshop:
        """Join with a code; returns the participant's resume token.

        `client_key` identifies the device (the app's device id, kept in a cookie); `network_key` the client's
        address (`assessment.netaddr`). See the module docstring for the budgets and the order of the checks.
        """
        checked_role = check_role(role)
        clean_name = clean_text(name, "name", MAX_NAME)
        clean_dept = clean_text(department, "department", MAX_NAME)
        code = normalise_join_code(join_code)  # malformed input cannot match a code and is not counted
        tag = self.keys.code_tag(code)
        budgets = limits.budgets(self.keys, client_key, network_key, self.join_max_failures)
        token = new_secret()
        failure: WorkshopError | None = None
        reason, workshop_id = "", None
        window = self.join_window
        with self._writing() as s:
            now = self._now()
            limits.lock(s, [b.key for b in budgets.own])
            device = limits.failures(s, budgets.device, now, window)
            network = limits.failures(s, budgets.network, now, window) if budgets.network else []
            server: list[datetime] | None = None
            if limits.spent(device, budgets.device):
                failure, reason = limits.pause(device, budgets.device, now, window), "device_paused"
            elif device or network:  # failed before: refused unseen while the server's budget is spent
                server = self._server_failures(s, budgets, now)
                if limits.spent(server, budgets.server):
                    failure, reason = limits.pause(server, budgets.server, now, window), "server_paused"
            if failure is None:
                w = s.scalar(_WORKSHOP_FOR_JOIN, {"tag": tag})
                if w is None or w.expires_at <= now:
                    reason = "unknown" if w is None else "expired"
                    workshop_id = w.id if w is not None else None
                    server = server if server is not None else self._server_failures(s, budgets, now)
                    failure = self._wrong(s, budgets, device, network, server, now, w, code)
                else:
                    workshop_id = w.id
                    device_hash = self.keys.hexdigest("participant-device", f"{w.id}:{client_key}")
                    failure, reason = self._closed_to(s, w, device_hash)
                    if failure is None:
                        self._check_room(s, w)
                        new = s.connection().execute(  # Core: the ORM unit of work costs more than the insert
                            _NEW_PARTICIPANT,
                            {
                                "workshop_id": w.id,
                                "token_hash": hash_secret(token),
                                "role": checked_role,
                                "name": clean_name,
                                "department": clean_dept,
                                "joined_at": now,
                                "updated_at": now,
                                "device_hash": device_hash,
                            },
                        )
                        pid = int(cast(Row[Any], new.inserted_primary_key)[0])
                        joined = JoinedWorkshop(
                            workshop=workshop_info(w, code), participant_id=pid, participant_token=token
                        )
        if failure is not None:
            # one line per refusal, never the code typed, so that guessing shows in the logs
            log_line("join_refused", actor="anonymous", reason=reason, workshop_id=workshop_id,
                     network_budget=budgets.network is not None)  # fmt: skip
            raise failure
        return joined

    def _server_failures(self, s: Session, budgets: limits.Budgets, now: datetime) -> list[datetime]:
        limits.lock(s, [budgets.server.key])  # always after the device and network rows: a fixed lock order
        return limits.failures(s, budgets.server, now, self.join_window)

    def _wrong(
        self,
        s: Session,
        budgets: limits.Budgets,
        device: list[datetime],
        network: list[datetime],
        server: list[datetime],
        now: datetime,
        w: WorkshopRow | None,
        code: str,
    ) -> WorkshopError:
        """Count a wrong or expired code against every budget, and say why it is refused."""
        window = self.join_window
        server_spent = limits.spent(server, budgets.server)
        counted = [b.key for b in budgets.own] + ([] if server_spent else [budgets.server.key])
        limits.record(s, counted, now, window)
        if server_spent:
            return limits.pause(server, budgets.server, now, window)
        if budgets.network is not None and limits.spent(network, budgets.network):
            return limits.pause(network, budgets.network, now, window)
        if w is None:
            return UnknownJoinCode(
                f"No workshop has the code {code}. Check it with your facilitator; codes never contain 0, 1, I, L or O."
            )
        return WorkshopExpired(
            f"Workshop {code} closed on {long_date(w.expires_at)}. Ask your facilitator for a new code."
        )

    def _closed_to(self, s: Session, w: WorkshopRow, device_hash: str) -> tuple[WorkshopError | None, str]:
        """A right code that may still not join: joining closed, or this device's participant was excluded."""
        if w.joining_closed_at is not None:
            return JoiningClosed(
                "The facilitator has closed joining for this workshop, so nobody new can join. If you should take "
                "part, ask them to open it again."
            ), "closed"
        if s.scalar(_EXCLUDED_DEVICE, {"workshop": w.id, "device": device_hash}):
            return ParticipantExcluded(
                "Your facilitator excluded a participant who joined from this device, so this device cannot join "
                "this workshop again. Ask them if you think this is a mistake."
            ), "excluded_device"
        return None, ""

    def _check_room(self, s: Session, w: WorkshopRow) -> None:
        """Refuse a join beyond the expected group size (excluded participants do not count)."""
        if w.expected_size is None:
            return
        present = s.scalar(
            select(func.count(ParticipantRow.id)).where(
                ParticipantRow.workshop_id == w.id, ParticipantRow.excluded_at.is_(None)
            )
        )
        if (present or 0) >= w.expected_size:
            raise WorkshopFull(
                f"Workshop {w.title} is full: the facilitator expected {w.expected_size} participants and "
                f"{w.expected_size} have joined. Ask your facilitator to let you in."
            )

    def is_code_of(self, token: str, join_code: str) -> bool:
        """Whether a code (as typed) is the code of the workshop this participant is in (for a join link opened
        after a resume link, which does not carry the code). Says nothing about any other workshop."""
        try:
            tag = self.code_tag(join_code)
        except WorkshopError:
            return False
        with self._reading() as s:
            _, w = self._participant(s, token)
            return w.code_tag == tag

    # ----- the facilitator's lock -----

    def close_joining(self, join_code: str, facilitator_key: str) -> JoiningStatus:
        """Let nobody new join (participants who joined carry on); logged in the audit log."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.joining_closed_at is None:
                w.joining_closed_at = s.info["now"]
                audit(s, w, "joining_closed", "facilitator", "nobody new can join")
            return self._joining(s, w)

    def open_joining(self, join_code: str, facilitator_key: str) -> JoiningStatus:
        """Let people join again with the code; logged in the audit log."""
        with self._writing() as s:
            w = self._facilitator(s, join_code, facilitator_key)
            if w.joining_closed_at is not None:
                w.joining_closed_at = None
                audit(s, w, "joining_opened", "facilitator", "people can join with the code again")
            return self._joining(s, w)

    def joining_status(self, join_code: str, facilitator_key: str) -> JoiningStatus:
        with self._reading() as s:
            return self._joining(s, self._facilitator(s, join_code, facilitator_key))

    def _joining(self, s: Session, w: WorkshopRow) -> JoiningStatus:
        joins, with_device, devices = s.execute(
            select(
                func.count(ParticipantRow.id),
                func.count(ParticipantRow.device_hash),
                func.count(ParticipantRow.device_hash.distinct()),
            ).where(ParticipantRow.workshop_id == w.id)
        ).one()
        return JoiningStatus(
            open=w.joining_closed_at is None,
            closed_at=w.joining_closed_at,
            joins=int(joins),
            rejoins=int(with_device) - int(devices),
        )
