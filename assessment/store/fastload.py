"""The workshop load's performance measures, kept in one place: covering-index queries, driver tuples, GC pause."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Select,
    case,
    select,
    text,
)
from sqlalchemy.orm import Session

from .schema import COMMENTED, AnswerRow, ParticipantRow


class _GcPause:
    """Pause the cyclic garbage collector while tens of thousands of row tuples are created.

    The tuples hold no reference cycles, yet each burst of allocations triggers collector passes over all of
    them: about 60 ms for the 65,000 answers of a 1,000-person workshop, more than the query. Reference counted,
    so overlapping loads on several threads re-enable the collector only when the last one ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


_gc_paused = _GcPause()


def answer_queries(workshop_id: int) -> tuple[Select[int, str, int], Select[int, str, str]]:
    """The workshop load's two answer queries.

    Scores: one row per answer, read from the covering index ix_answers_scores; 0 codes "don't know" (ratings
    are 1-5), NULL no rating. Comments: only the answers that have one, from the partial index
    ix_answers_commented (the condition is literal SQL so that SQLite can match it to the index).
    """
    scores = (
        select(AnswerRow.participant_id, AnswerRow.item_id, case((AnswerRow.dont_know, 0), else_=AnswerRow.rating))
        .join(ParticipantRow, ParticipantRow.id == AnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id)
    )
    commented = (
        select(AnswerRow.participant_id, AnswerRow.item_id, AnswerRow.comment)
        .join(ParticipantRow, ParticipantRow.id == AnswerRow.participant_id)
        .where(ParticipantRow.workshop_id == workshop_id, text(f"answers.{COMMENTED}"))
    )
    return scores, commented


def _fetch_plain(s: Session, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    """Run a SELECT of plain columns on the session's connection (same transaction) and return the driver's
    tuples. For the 65,000-row answers query this skips SQLAlchemy's per-row result processing, which costs
    more than the query itself; the columns must need no type conversion (integers and text)."""
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args: Any = tuple(params[name] for name in compiled.positiontup or ()) if compiled.positional else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        return cursor.fetchall()
    finally:
        cursor.close()
