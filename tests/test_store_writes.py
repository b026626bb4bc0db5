"""The write path of the store: the fair queue of a process's writers and the participant's save (writes.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assessment import Context, default_bank
from assessment.store import Store
from assessment.store.schema import AnswerRow, ParticipantRow
from assessment.store.writes import WriteQueue
from assessment.workshop import AlreadySubmitted, InvalidInput, UnknownParticipant

QUICK = [i.id for i in default_bank().items_for("quick")]


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    s = Store(database_url)
    yield s
    s.close()


def _wait_until(condition: object) -> None:
    """Yield the processor until `condition()` holds (another thread has reached a known point); no clock."""
    for _ in range(10_000_000):
        if condition():  # type: ignore[operator]
            return
        os.sched_yield()
    raise AssertionError("the other thread never got there")


def test_the_write_queue_serves_waiting_threads_in_the_order_they_came() -> None:
    queue = WriteQueue()
    served: list[int] = []
    queue.acquire()
    threads = []
    for n in range(8):
        t = threading.Thread(target=lambda n=n: (queue.acquire(), served.append(n), queue.release()))
        t.start()
        _wait_until(lambda n=n: len(queue._waiting) == n + 1)  # thread n is queued before n + 1 starts
        threads.append(t)
    # a thread that is already running and asks now (as the holder does when it saves again) queues behind
    late = threading.Thread(target=lambda: (queue.acquire(), served.append(99), queue.release()))
    late.start()
    _wait_until(lambda: len(queue._waiting) == 9)
    queue.release()
    for t in [*threads, late]:
        t.join()
    assert served == [0, 1, 2, 3, 4, 5, 6, 7, 99]
    with queue:  # free again
        assert queue._held
    assert not queue._held
    with pytest.raises(RuntimeError, match="not held"):
        queue.release()


def test_sqlite_files_queue_writes_in_the_process_and_postgresql_does_not(store: Store) -> None:
    assert isinstance(store._write_lock, WriteQueue) == (store.engine.dialect.name == "sqlite")


def test_a_save_with_one_bad_item_writes_nothing(store: Store) -> None:
    code = store.create_workshop("Writes", Context(), "quick").workshop.join_code
    token = store.join_workshop(code, "nurse", client_key="d1").participant_token
    store.save_answer(token, QUICK[0], 2)
    before = store.load_participant(token).saved_at
    with pytest.raises(InvalidInput, match="is not asked"):
        store.save_answers(token, {QUICK[0]: 5, QUICK[1]: 4, "no_such_item": 3})
    after = store.load_participant(token)
    assert {k: a.value for k, a in after.answers.items()} == {QUICK[0]: 2} and after.saved_at == before


def test_saves_insert_update_clear_and_touch_the_participant(store: Store) -> None:
    code = store.create_workshop("Writes", Context(), "quick").workshop.join_code
    token = store.join_workshop(code, "doctor", client_key="d1").participant_token
    store.save_answers(token, {QUICK[0]: (3, "first"), QUICK[1]: "dont_know", QUICK[2]: (None, "only a note")})
    store.save_answers(token, {QUICK[0]: (4, "changed"), QUICK[1]: None})
    answers = store.load_participant(token).answers
    assert {k: (a.value, a.comment) for k, a in answers.items()} == {
        QUICK[0]: (4, "changed"),
        QUICK[2]: (None, "only a note"),
    }
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AnswerRow)).scalar() == 2
        joined, updated = conn.execute(select(ParticipantRow.joined_at, ParticipantRow.updated_at)).one()
    assert updated >= joined
    assert store.participant_status(token).answered == 1  # a comment alone is not an answer


@pytest.mark.parametrize("bad", ["", "x" * 1000, "not-a-token", None])
def test_a_save_with_a_bad_token_is_refused_with_the_resume_message(store: Store, bad: object) -> None:
    store.create_workshop("Writes", Context(), "quick")
    with pytest.raises(UnknownParticipant, match="resume link is not valid"):
        store.save_answer(bad, QUICK[0], 3)  # type: ignore[arg-type]


def test_no_save_lands_after_a_concurrent_submit(store: Store) -> None:
    """Saves racing a submit either land before it (and count) or are refused: none is stored afterwards."""
    code = store.create_workshop("Writes", Context(), "quick").workshop.join_code
    token = store.join_workshop(code, "nurse", client_key="d1").participant_token
    store.save_answers(token, dict.fromkeys(QUICK, 3))
    refused: list[BaseException] = []
    start = threading.Barrier(5)

    def saver(n: int) -> None:
        start.wait()
        for k, item in enumerate(QUICK):
            try:
                store.save_answer(token, item, 1 + (n + k) % 5, f"saver {n}")
            except AlreadySubmitted as exc:
                refused.append(exc)

    threads = [threading.Thread(target=saver, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    start.wait()
    submitted = store.submit(token)
    at_submission = store.load_participant(token).answers  # savers may still be running
    for t in threads:
        t.join()
    assert submitted.submitted and submitted.answered == len(QUICK)
    assert store.load_participant(token).answers == at_submission
    with pytest.raises(AlreadySubmitted):
        store.save_answer(token, QUICK[0], 1)


VALUES = st.sampled_from([None, 1, 2, 3, 4, 5, "dont_know"])
COMMENTS = st.sampled_from(["", "a note"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    saves=st.lists(
        st.dictionaries(st.sampled_from(QUICK[:6]), st.tuples(VALUES, COMMENTS), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    ),
    department=st.sampled_from(["", "Ward 7"]),
)
def test_a_save_returns_the_status_the_store_then_holds(
    store: Store, saves: list[dict[str, tuple[object, str]]], department: str
) -> None:
    """What the page shows as saved after a save (the status the save returns) is what a fresh read gives."""
    code = store.create_workshop("Writes", Context(), "quick").workshop.join_code
    token = store.join_workshop(code, "nurse", client_key="d1", name="Ann", department=department).participant_token
    for answers in saves:
        returned = store.save_answers(token, answers)  # type: ignore[arg-type]
        assert returned == store.participant_status(token)
    assert returned.answered == sum(1 for a in store.load_participant(token).answers.values() if a.value is not None)
