"""Many people answering at once, on SQLite (a temporary file) and PostgreSQL: nothing lost, nothing doubled.

Each test starts its threads at a barrier so that the writes really overlap. The store opens every write
transaction with BEGIN IMMEDIATE (stack.md section 5); with a deferred BEGIN the read-then-write transactions
below fail at once with "database is locked".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select, text

from assessment import Context, default_bank
from assessment.store import AnswerRow, ParticipantRow, Store
from assessment.workshop import TooManyAttempts, UnknownJoinCode

WRITERS = 50
BANK = default_bank()
FULL = [i.id for i in BANK.items_for("full")]


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    s = Store(database_url)
    yield s
    s.close()


def run_together(n: int, work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run work(0..n-1) on n threads released together; return results and any exceptions."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:  # collected and asserted on below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results, errors


def value_for(writer: int, k: int, round_: int) -> int:
    return 1 + (writer + 3 * k + round_) % 5


def test_fifty_writers_answer_the_same_workshop(store: Store) -> None:
    created = store.create_workshop("Busy workshop", Context(innovation_title="E-prescribing"), "full")
    code, key = created.workshop.join_code, created.facilitator_key
    roles = ["executive", "middle_manager", "doctor", "nurse", "allied_health"]
    revisited = FULL[:5]

    def writer(i: int) -> str:
        token = store.join_workshop(code, roles[i % 5], department=f"Ward {i % 7}", client_key=f"device-{i}")
        token_s = token.participant_token
        for k, item in enumerate(FULL):  # every answer saved as it is given: one transaction each
            store.save_answer(token_s, item, value_for(i, k, 0), f"writer {i} item {k}")
        for k, item in enumerate(revisited):  # changing an answer updates the row
            store.save_answer(token_s, item, value_for(i, k, 1), f"writer {i} item {k} revised")
        store.save_answer(token_s, FULL[-1], "dont_know")
        store.save_plan_fact(token_s, "political_work_first", "yes" if i % 2 == 0 else "no")
        store.submit(token_s)
        return token_s

    tokens, errors = run_together(WRITERS, writer)
    assert errors == []

    with store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(AnswerRow)).scalar()
        dupes = conn.execute(
            text("SELECT participant_id, item_id, count(*) FROM answers GROUP BY 1, 2 HAVING count(*) > 1")
        ).all()
        people = conn.execute(select(func.count()).select_from(ParticipantRow)).scalar()
    assert people == WRITERS
    assert rows == WRITERS * len(FULL)  # every answer exactly once
    assert dupes == []

    for i, token in enumerate(tokens):
        answers = store.load_participant(str(token)).answers
        assert len(answers) == len(FULL)
        for k, item in enumerate(FULL[:-1]):
            round_ = 1 if item in revisited else 0
            suffix = " revised" if round_ else ""
            assert (answers[item].value, answers[item].comment) == (
                value_for(i, k, round_),
                f"writer {i} item {k}{suffix}",
            )
        assert answers[FULL[-1]].value == "dont_know"

    summary = store.summary(code, key)
    assert summary.participation.joined == WRITERS and summary.participation.all_submitted
    assert summary.release is not None and summary.release.people == WRITERS  # everyone released
    assert summary.plan_facts["political_work_first"].yes == WRITERS // 2


def test_many_threads_saving_the_same_item_leave_one_row(store: Store) -> None:
    created = store.create_workshop("One item", Context(), "quick")
    token = store.join_workshop(created.workshop.join_code, "nurse", client_key="d").participant_token
    item = BANK.items_for("quick")[0].id

    def writer(i: int) -> None:
        store.save_answer(token, item, 1 + i % 5, f"attempt {i}")

    _, errors = run_together(WRITERS, writer)
    assert errors == []
    with store.engine.connect() as conn:
        rows = conn.execute(select(AnswerRow.rating, AnswerRow.comment)).all()
    assert len(rows) == 1
    rating, comment = rows[0]
    i = int(comment.split()[-1])
    assert rating == 1 + i % 5  # the value and comment of one and the same save: never a mixture


def test_fifty_people_join_at_once(store: Store) -> None:
    created = store.create_workshop("Rush", Context(), "quick")

    def joiner(i: int) -> tuple[int, str]:
        j = store.join_workshop(created.workshop.join_code, "doctor", client_key=f"c{i}")
        return j.participant_id, j.participant_token

    results, errors = run_together(WRITERS, joiner)
    assert errors == []
    ids = {r[0] for r in results}  # type: ignore[index]
    tokens = {r[1] for r in results}  # type: ignore[index]
    assert len(ids) == len(tokens) == WRITERS
    assert len(store.participants(created.workshop.join_code, created.facilitator_key)) == WRITERS


def test_rate_limit_holds_under_a_burst_of_guesses(store: Store) -> None:
    """50 simultaneous wrong guesses from one client: exactly `join_max_failures` are tried, the rest refused."""

    def guesser(i: int) -> str:
        try:
            store.join_workshop("ABCD-EFGH", "nurse", client_key="burst")
        except UnknownJoinCode:
            return "tried"
        except TooManyAttempts:
            return "refused"
        return "joined"

    results, errors = run_together(WRITERS, guesser)
    assert errors == []
    assert results.count("tried") == store.join_max_failures
    assert results.count("refused") == WRITERS - store.join_max_failures
