"""Participant control and the audit log in the store, on SQLite and PostgreSQL: the anonymity threshold and the
expected group size set at creation, exclusion, the audit log, join pace and the one-snapshot view."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest
from test_concurrency import run_together
from test_store import CTX, QUICK, FakeClock, join

from assessment.store import Store
from assessment.workshop import (
    InvalidInput,
    NotEnoughAnswers,
    ParticipantExcluded,
    WorkshopFull,
    responses_csv,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url: str, clock: FakeClock) -> Iterator[Store]:
    s = Store(database_url, clock=clock)
    yield s
    s.close()


def answer(store: Store, code: str, n: int, rating: int = 4, role: str = "nurse", *, submit: bool = False) -> list[str]:
    tokens = []
    for i in range(n):
        t = join(store, code, role, client_key=f"{role}{i}")
        store.save_answers(t, dict.fromkeys(QUICK, rating))
        if submit:
            store.submit(t)
        tokens.append(t)
    return tokens


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"min_group_size": 1}, "from 2 to 20"),
        ({"min_group_size": 21}, "from 2 to 20"),
        ({"min_group_size": 3.5}, "whole number"),
        ({"expected_size": 2}, r"from 3 \(the minimum group size"),
        ({"expected_size": 5000}, "to 1,000"),
    ],
)
def test_group_sizes_are_checked_at_creation(store: Store, kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        store.create_workshop("Sizes", CTX, "quick", **kwargs)  # type: ignore[arg-type]


def test_the_threshold_set_at_creation_applies_to_the_summary(store: Store) -> None:
    created = store.create_workshop("Strict", CTX, "quick", min_group_size=5)
    code, key = created.workshop.join_code, created.facilitator_key
    assert created.workshop.min_group_size == 5 and store.open_workshop(code, key).min_group_size == 5
    answer(store, code, 4, submit=True)
    (late,) = answer(store, code, 1, role="doctor")  # answered everything, not submitted: in no figure
    s = store.summary(code, key)
    # no release yet (4 submitted, k = 5): no figure at all, and the release says how many wait
    assert not s.has_answers and s.min_group == 5 and all(d.mean is None for d in s.dimensions.values())
    assert s.release is not None and (s.release.number, s.release.waiting, s.release.k) == (0, 4, 5)
    store.submit(late)
    s = store.summary(code, key)
    assert s.has_answers and not s.too_few and s.release is not None
    assert (s.release.number, s.release.people, s.release.waiting) == (1, 5, 0)
    assert s.dimensions["top_down_support"].mean == 4.0


def test_the_expected_group_size_caps_joins(store: Store) -> None:
    created = store.create_workshop("Small room", CTX, "quick", expected_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    tokens = answer(store, code, 3)
    with pytest.raises(WorkshopFull, match="expected 3 participants"):
        join(store, code, client_key="late")
    people = store.participants(code, key)
    store.exclude_participant(code, key, people[0].participant_id)  # excluded people free their place
    assert join(store, code, client_key="late")
    assert tokens


def test_fifty_joins_at_once_never_pass_the_expected_size(store: Store) -> None:
    created = store.create_workshop("Flood", CTX, "quick", expected_size=10)

    def joiner(i: int) -> str:
        try:
            store.join_workshop(created.workshop.join_code, "nurse", client_key=f"f{i}")
        except WorkshopFull:
            return "full"
        return "joined"

    results, errors = run_together(50, joiner)
    assert errors == [] and results.count("joined") == 10 and results.count("full") == 40


def test_excluded_answers_leave_every_aggregate_and_export(store: Store) -> None:
    created = store.create_workshop("Exclusion", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    answer(store, code, 3, rating=4, submit=True)
    (fake,) = answer(store, code, 1, rating=1, role="doctor", submit=True)
    answer(store, code, 2, rating=2, role="allied_health", submit=True)
    people = store.participants(code, key)
    fake_id, late_ids = people[3].participant_id, [p.participant_id for p in people[4:]]
    live = {"participation", "release"}
    before = store.summary(code, key)
    assert before.release is not None and (before.release.number, before.release.people) == (1, 6)
    assert before.dimensions["top_down_support"].n == 6
    status = store.exclude_participant(code, key, fake_id, reason="joined twice")
    assert status.excluded and status.progress == "excluded"
    # one exclusion alone changes no figure and no export (the difference would be the fake's answers)
    held = store.summary(code, key)
    assert held.model_dump(exclude=live) == before.model_dump(exclude=live)
    assert held.release is not None and (held.release.number, held.release.waiting) == (1, 1)
    exported = pd.read_csv(io.StringIO(responses_csv(store.released_responses(code, key))), keep_default_na=False)
    assert exported.respondent.nunique() == 6 and set(exported.value) == {1, 2, 4}
    for pid in late_ids:  # k = 3 changes together: the exclusion and two reopened submissions
        store.reopen_participant(code, key, pid)
    after = store.summary(code, key)
    assert after.release is not None and (after.release.number, after.release.people) == (2, 3)
    assert before.dimensions["top_down_support"].mean != after.dimensions["top_down_support"].mean
    assert after.dimensions["top_down_support"].mean == 4.0 and after.dimensions["top_down_support"].n == 3
    assert after.participation.joined == 5  # the excluded participant is no longer counted as joined
    exported = pd.read_csv(io.StringIO(responses_csv(store.released_responses(code, key))), keep_default_na=False)
    assert exported.respondent.nunique() == 3 and set(exported.value) == {4}  # the fake's ratings of 1 are gone
    view, sets = store.workshop_view(code, key, with_answers=True)
    assert len(sets) == 3 and all(a.answers[QUICK[0]].value == 4 for a in sets)
    assert {a.context.respondent_role for a in sets} == {"other"}  # the report's answer sets carry no roles
    assert [p.excluded for p in view.participants] == [False, False, False, True, False, False]
    with pytest.raises(ParticipantExcluded):
        store.save_answer(fake, QUICK[0], 5)
    with pytest.raises(InvalidInput, match="no participant"):
        store.exclude_participant(code, key, 99_999)


def test_the_audit_log_records_who_did_what_and_when(store: Store, clock: FakeClock) -> None:
    created = store.create_workshop("Audited", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    tokens = answer(store, code, 3)
    clock.advance(minutes=5)
    store.submit(tokens[0])
    pid = store.participants(code, key)[0].participant_id
    store.reopen_participant(code, key, pid)
    store.exclude_participant(code, key, pid)
    store.record_export(code, key, "results JSON")
    with pytest.raises(InvalidInput):
        store.record_export(code, key, "everything")
    log = store.audit_log(code, key)
    assert [e.action for e in log] == ["created", "reopened", "excluded", "exported"]
    assert log[1].detail == f"participant #{pid}" and log[1].at == clock.now and log[0].at < log[1].at
    assert all(e.actor == "facilitator" for e in log)
    view, _ = store.workshop_view(code, key)
    assert view.audit == log
    store.delete_workshop(code, key)
    with store.engine.connect() as conn:
        kept = conn.exec_driver_sql("SELECT action, actor, join_code, detail, workshop_id FROM audit_log ORDER BY id")
        kept = kept.all()
    # the log outlives the workshop with its actions, actors and times only: no code, no detail, no workshop id
    assert [r[:2] for r in kept] == [(e.action, e.actor) for e in log] + [("deleted", "facilitator")]
    assert {r[2:] for r in kept} == {("", "", None)}


def test_purge_is_logged(store: Store, clock: FakeClock) -> None:
    code = store.create_workshop("Old", CTX, "quick", valid_days=1).workshop.join_code
    clock.advance(days=2)
    assert store.purge_expired() == 1
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT action, actor, join_code, detail FROM audit_log ORDER BY id").all()
    assert code and rows[-1] == ("purged", "system", "", "")


def test_joins_faster_than_a_room_are_flagged(store: Store, clock: FakeClock) -> None:
    created = store.create_workshop("Paced", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    for i in range(12):  # a room: one every 3 seconds
        clock.advance(seconds=3)
        join(store, code, client_key=f"r{i}")
    assert not store.workshop_view(code, key)[0].pace.suspicious
    for i in range(20):  # a script: 20 in 2 seconds
        clock.advance(seconds=0.1)
        join(store, code, client_key=f"s{i}")
    pace = store.workshop_view(code, key)[0].pace
    assert pace.suspicious and pace.fastest >= 20 and "faster than a room" in pace.message


def test_the_view_is_one_snapshot_with_the_summary(store: Store) -> None:
    created = store.create_workshop("Snapshot", CTX, "quick", hide_until_submitted=True)
    code, key = created.workshop.join_code, created.facilitator_key
    tokens = answer(store, code, 3)
    view, sets = store.workshop_view(code, key, with_answers=True)
    assert view.summary is None and "hidden until everyone has submitted" in view.hidden_message and sets == []
    for t in tokens:
        store.submit(t)
    view, sets = store.workshop_view(code, key, with_answers=True)
    assert view.summary is not None and view.summary.participation.submitted == 3
    assert view.summary.model_dump() == store.summary(code, key).model_dump()
    assert [a.answers[QUICK[0]].value for a in sets] == [4, 4, 4]
    assert view.info.title == "Snapshot" and len(view.participants) == 3
    assert timedelta(0) <= view.info.expires_at - view.info.created_at


def test_an_empty_or_near_empty_submission_is_refused(store: Store) -> None:
    """Finding 2: a participant submitted 0 of 19 and the dashboard said "Submitted 3 of 3"."""
    created = store.create_workshop("Integrity", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    token = join(store, code, client_key="p")
    with pytest.raises(NotEnoughAnswers, match=f"0 of {len(QUICK)}"):
        store.submit(token)
    half = math.ceil(len(QUICK) / 2)  # the coverage rule: at least half
    store.save_answers(token, dict.fromkeys(QUICK[: half - 1], 3))
    with pytest.raises(NotEnoughAnswers, match=f"at least {half}"):
        store.submit(token)
    store.save_answer(token, QUICK[half - 1], "dont_know")  # "don't know" is an answer
    assert store.submit(token).submitted
    assert [p.submitted for p in store.participants(code, key)] == [True]
