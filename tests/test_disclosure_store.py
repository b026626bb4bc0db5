"""The issue's attacks, run through the store on SQLite and PostgreSQL (issue 18): subtraction across groups,
linkage of the participant list with the CSV, differencing over time, and a 30-person workshop with a lone doctor,
nurse and manager checked through every output after every submission.

The attacker (`recovered`, from test_disclosure_attacker) is told exactly which people each published figure
covers and solves the sums exactly; what it is given here is what the store's outputs publish.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pandas as pd
import pytest
from test_concurrency import run_together
from test_disclosure_attacker import published_sets, recovered
from test_store import CTX, QUICK, FakeClock, join

from assessment.store import Store
from assessment.workshop import responses_csv, summary_json


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    s = Store(database_url, clock=FakeClock())
    yield s
    s.close()


def _outputs(store: Store, code: str, key: str) -> tuple[dict, pd.DataFrame]:
    summary = store.summary(code, key)
    data = json.loads(summary_json(summary))
    for live in ("participation", "release"):
        data.pop(live)
    csv = pd.read_csv(io.StringIO(responses_csv(store.released_responses(code, key))), keep_default_na=False)
    return data, csv


def test_subtraction_across_groups_recovers_nothing(store: Store) -> None:
    """Finding 1: 3 doctors (2 "don't know", 1 rates a statement 1) and 3 others who rate it 5. The old dashboard
    showed "mean 4.00 · 4 ratings" beside "Other roles 5.0 (n = 3)"."""
    created = store.create_workshop("Subtraction", CTX, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    item = QUICK[0]
    for i, (role, value) in enumerate(
        [("doctor", "dont_know"), ("doctor", "dont_know"), ("doctor", 1)] + [("executive", 5)] * 3
    ):
        token = join(store, code, role, client_key=f"p{i}")
        store.save_answers(token, {**dict.fromkeys(QUICK, 3), item: value})
        store.submit(token)
    summary = store.summary(code, key)
    release = store.released_responses(code, key)
    sets = published_sets(summary, release)
    assert sets, "the release publishes figures"
    for quantity, found in sets.items():
        assert not recovered(found), quantity
    agenda = {a.item_id: a for a in summary.agenda}
    if item in agenda:  # its spread puts it on the agenda: no role split that leaves the lone doctor
        assert set(agenda[item].by_role) != {"other_roles"}


def test_the_participant_list_cannot_be_linked_with_the_csv(store: Store) -> None:
    """Finding 2: "Answered 20 of 27" per person matched one CSV respondent each by count."""
    created = store.create_workshop("Linkage", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    for i, role in enumerate(["doctor", "nurse", "middle_manager"] + ["allied_health"] * 6):
        token = join(store, code, role, client_key=f"l{i}")
        half = -(-len(QUICK) // 2)  # the fewest answers a submission needs
        store.save_answers(token, dict.fromkeys(QUICK[: half + i], 4))  # everyone answers a different number
        store.submit(token)
    people = store.participants(code, key)
    assert all(p.answered is None and p.completion is None and p.progress == "submitted" for p in people)
    _, csv = _outputs(store, code, key)
    assert list(csv.columns) == ["respondent", "item_id", "dimension", "value", "comment"]
    assert csv.respondent.nunique() == 9


def test_one_submission_changes_no_output(store: Store) -> None:
    """Finding 3: a CSV or the JSON downloaded before and after one person submitted showed their answers."""
    created = store.create_workshop("Differencing", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    for i in range(6):
        token = join(store, code, "nurse", client_key=f"n{i}")
        store.save_answers(token, dict.fromkeys(QUICK, 2 + i % 3))
        store.submit(token)
    before = _outputs(store, code, key)
    doctor = join(store, code, "doctor", client_key="doc")
    store.save_answers(doctor, dict.fromkeys(QUICK, 5))
    store.save_plan_fact(doctor, "political_work_first", "yes")
    store.submit(doctor)
    after = _outputs(store, code, key)
    assert after[0] == before[0]
    assert sorted(map(tuple, after[1].drop(columns="respondent").values.tolist())) == sorted(
        map(tuple, before[1].drop(columns="respondent").values.tolist())
    )
    assert store.summary(code, key).release.waiting == 1  # type: ignore[union-attr]
    # excluding a released person and viewing again changes nothing either
    someone = store.participants(code, key)[0].participant_id
    store.exclude_participant(code, key, someone)
    assert _outputs(store, code, key)[0] == before[0]


def test_no_facilitator_call_returns_one_persons_answers() -> None:
    """Finding 4."""
    assert not hasattr(Store, "participant_answers") and not hasattr(Store, "responses")


def test_thirty_people_with_a_lone_doctor_nurse_and_manager_every_output_after_every_submission(
    store: Store,
) -> None:
    created = store.create_workshop("Thirty", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    lone = {"doctor": 1, "nurse": 5, "middle_manager": 2}
    people = [("allied_health", 4, "Therapies")] * 27 + [(r, v, f"{r} ward") for r, v in lone.items()]
    seen: dict[tuple[str, ...], list[frozenset]] = {}
    outputs: list[tuple[dict, list]] = []
    released: list[int] = []
    for i, (role, value, dept) in enumerate(people):
        token = join(store, code, role, client_key=f"t{i}", department=dept)
        store.save_answers(token, {q: (value if j % 4 else "dont_know") for j, q in enumerate(QUICK)})
        store.save_answer(token, QUICK[1], value, comment=f"comment {i}")
        store.submit(token)
        summary = store.summary(code, key)
        release = store.released_responses(code, key)
        assert summary.release is not None
        released.append(summary.release.people)
        if summary.release.number:
            for q, sets in published_sets(summary, release).items():
                seen.setdefault(q, []).extend(sets)
        data, csv = _outputs(store, code, key)
        outputs.append((data, sorted(map(tuple, csv.drop(columns="respondent").values.tolist()))))
        # no role group of the JSON (or any figure in it) describes the lone doctor, nurse or manager
        assert all(g["respondents"] >= 3 for g in data["role_groups"])
        assert not {g["role"] for g in data["role_groups"]} & set(lone)
    for q, sets in seen.items():
        assert not recovered(sets), q
    # outputs change only when a release adds at least k = 3 people; the lone three came last, together
    changes = [n for n in range(1, len(outputs)) if outputs[n] != outputs[n - 1]]
    assert changes and all(released[n] - released[n - 1] >= 3 for n in changes)
    assert released[-1] == 30


def test_two_processes_viewing_at_once_cut_one_release(database_url: str) -> None:
    """Two app processes (two stores, two engines) open the dashboard at the same moment: one release, no error."""
    first, second = Store(database_url, clock=FakeClock()), Store(database_url, clock=FakeClock(), migrate=False)
    try:
        created = first.create_workshop("Two processes", CTX, "quick")
        code, key = created.workshop.join_code, created.facilitator_key
        for i in range(4):
            token = join(first, code, "nurse", client_key=f"c{i}")
            first.save_answers(token, dict.fromkeys(QUICK, 3))
            first.submit(token)
        results, errors = run_together(8, lambda i: (first, second)[i % 2].summary(code, key).release)
        assert errors == []
        assert {(r.number, r.people) for r in results} == {(1, 4)}  # type: ignore[union-attr]
    finally:
        first.close()
        second.close()
