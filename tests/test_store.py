"""The workshop store on a temporary SQLite file: migrations, codes and keys, rate limiting, answers, hostile text."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from pg_server import PostgresServer
from sqlalchemy import func, select, text

from assessment import Context, assess, default_bank
from assessment.store import (
    DATABASE_URL_ENV,
    DEFAULT_DB_PATH,
    GLOBAL_FACTOR,
    AnswerRow,
    Base,
    NewerDatabase,
    Store,
    alembic_config,
    answer_queries,
    database_url,
    make_engine,
    upgrade_schema,
)
from assessment.workshop import (
    NETWORK_FACTOR,
    AlreadySubmitted,
    InvalidInput,
    MalformedJoinCode,
    ResultsHidden,
    TextTooLong,
    TooManyAttempts,
    UnknownJoinCode,
    UnknownParticipant,
    WorkshopExpired,
    WrongFacilitatorKey,
    responses_frame,
    summarise_answer_sets,
)

BANK = default_bank()
CTX = Context(innovation_title="Virtual ward", organisation_name="Riverside (fictional)", radicalness="radical")
QUICK = [i.id for i in BANK.items_for("quick")]
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
RTL_EMOJI = "\u05d3\u05f4\u05e8 \u05e9\u05e8\u05d4 \u0645\u0631\u064a\u0645 \u200f\U0001f469\u200d\u2695\ufe0f\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # noqa: E501
HOSTILE = [
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "**bold** _it_ [click](javascript:alert(1)) ![img](http://evil/x.png) <!-- -->",
    "'; DROP TABLE answers; --",
    '=HYPERLINK("http://evil","x")',
    RTL_EMOJI,
]


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url: str, clock: FakeClock) -> Iterator[Store]:
    """Each store test runs on SQLite and on PostgreSQL (a fresh database each time)."""
    s = Store(database_url, clock=clock)
    yield s
    s.close()


@pytest.fixture
def workshop(store: Store) -> tuple[str, str]:
    created = store.create_workshop("Virtual ward workshop", CTX, "quick")
    return created.workshop.join_code, created.facilitator_key


def join(store: Store, code: str, role: str = "nurse", **kw: str) -> str:
    return store.join_workshop(code, role, client_key=kw.pop("client_key", "device-1"), **kw).participant_token


# ----- schema and configuration ----------------------------------------------------------------------------


def test_migration_creates_the_schema_on_a_fresh_file_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "fresh.sqlite"
    assert not path.parent.exists()
    s = Store(f"sqlite:///{path}")
    assert path.exists()
    assert s.schema_revision() == HEAD
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []  # the models and the migration agree
    created = s.create_workshop("Kept", CTX)
    upgrade_schema(s.engine)  # again: nothing to do, nothing dropped
    s.close()
    again = Store(f"sqlite:///{path}")
    assert again.schema_revision() == HEAD
    assert again.open_workshop(created.workshop.join_code, created.facilitator_key).title == "Kept"
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    expected = {"workshops", "participants", "answers", "consensus_scores", "join_attempts", "join_budgets"}
    assert expected | {"audit_log", "alembic_version"} <= tables
    again.close()


def test_a_database_upgraded_by_a_newer_version_is_refused_in_one_line_and_left_as_it_is(tmp_path: Path) -> None:
    """A deployment rolled back to this version after a newer one migrated the database: say so (Alembic alone
    said "Can't locate revision"), exit 2 from the command line, and change nothing."""
    path = tmp_path / "newer.sqlite"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerDatabase, match=f"revision 9999; this version knows revisions up to {HEAD}"):
        Store(f"sqlite:///{path}")
    served = subprocess.run(
        [sys.executable, "-m", "assessment", "serve", "--server.headless", "true", "--server.port", "1"],
        env={**os.environ, "ASSESSMENT_DATABASE_URL": f"sqlite:///{path}"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert served.returncode == 2
    assert served.stderr.strip().splitlines() == [
        f"error: the database was upgraded by a newer version of this app (its schema is at revision 9999; this "
        f"version knows revisions up to {HEAD}): run the newer version, or restore the backup taken before the upgrade"
    ]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


def test_upgrade_from_the_first_migration_keeps_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    first = Store(url)
    created = first.create_workshop("Before the upgrade", CTX, "quick")
    token = first.join_workshop(created.workshop.join_code, "nurse", client_key="c").participant_token
    first.save_answer(token, QUICK[0], 4, "kept")
    first.save_plan_fact(token, "political_work_first", "yes")
    first.close()
    # take the file back to the first schema, data and all, as an installation from before 0002 would have it
    engine = make_engine(url)
    with engine.execution_options(assessment_write=True).begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    with make_engine(url).connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0001"
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info('participants')")}
    assert "plan_unsure" not in columns
    new = Store(url)
    assert new.schema_revision() == HEAD
    kept = new.load_participant(token)
    assert kept.answers[QUICK[0]].comment == "kept"
    assert kept.context.political_work_first == "yes" and kept.context.step_one_evidence is None
    new.save_plan_fact(token, "step_one_evidence", "not_sure")
    assert new.load_participant(token).context.plan_answer("step_one_evidence") == "not_sure"
    with new.engine.connect() as conn:
        indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list('answers')")}
    assert {"ix_answers_scores", "ix_answers_commented"} <= indexes
    new.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # reads SQLite's EXPLAIN QUERY PLAN
def test_the_workshop_load_reads_answers_from_its_indexes(store: Store) -> None:
    scores, commented = answer_queries(1)
    with store.engine.connect() as conn:
        for stmt, index in ((scores, "COVERING INDEX ix_answers_scores"), (commented, "ix_answers_commented")):
            compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
            plan = " ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            assert index in plan, plan


def test_one_setting_chooses_the_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert database_url() == f"sqlite:///{DEFAULT_DB_PATH}"
    assert DEFAULT_DB_PATH.parts[-2:] == ("data", "assessment.sqlite")
    url = f"sqlite:///{tmp_path / 'from_env.sqlite'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    s = Store()
    assert s.url == url and (tmp_path / "from_env.sqlite").exists()
    s.close()


def test_in_memory_sqlite_works_for_quick_experiments() -> None:
    s = Store("sqlite://")
    created = s.create_workshop("Memory", CTX, "quick")
    token = s.join_workshop(created.workshop.join_code, "doctor", client_key="x").participant_token
    s.save_answer(token, QUICK[0], 4)
    assert s.load_participant(token).answers[QUICK[0]].value == 4
    s.close()


# ----- creating and opening workshops ------------------------------------------------------------------------


def test_create_workshop_stores_only_a_hash_of_the_key(store: Store, tmp_path: Path) -> None:
    created = store.create_workshop("  Frailty <b>pathway</b>  ", CTX.model_copy(update={"respondent_name": "Me"}))
    info = created.workshop
    assert info.title == "Frailty <b>pathway</b>"
    assert info.context.respondent_name == "" and info.context.innovation_title == "Virtual ward"
    assert info.expires_at - info.created_at == timedelta(days=30)
    assert len(created.facilitator_key) >= 43
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT facilitator_key_hash FROM workshops")).scalar_one()
    assert stored == hashlib.sha256(created.facilitator_key.encode()).hexdigest()
    if store.engine.dialect.name == "sqlite":  # the key is nowhere in the database files
        data = b"".join(p.read_bytes() for p in (tmp_path / "db").iterdir())
        assert created.facilitator_key.encode() not in data


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"title": ""}, "Give the workshop a title"),
        ({"title": "x" * 10_000}, "10,000 characters, and the limit is 200"),
        ({"mode": "long"}, "Unknown mode"),
        ({"valid_days": 0}, "1 to 30 days"),
        ({"valid_days": 31}, "1 to 30 days"),  # the retention setting's default
    ],
)
def test_create_workshop_rejects_bad_input(store: Store, kwargs: dict[str, object], fragment: str) -> None:
    args: dict[str, object] = {"title": "Workshop", "context": CTX, **kwargs}
    with pytest.raises(InvalidInput, match=fragment):
        store.create_workshop(**args)  # type: ignore[arg-type]


def test_wrong_facilitator_key_and_unknown_code_get_the_same_answer(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    assert store.open_workshop(code.lower(), key).join_code == code
    with pytest.raises(WrongFacilitatorKey, match="does not match workshop") as wrong:
        store.summary(code, key[:-1] + ("A" if key[-1] != "A" else "B"))
    with pytest.raises(WrongFacilitatorKey) as unknown:
        store.participants("ZZZZ-ZZZZ", key)
    assert type(wrong.value) is type(unknown.value)  # no way to learn whether a code exists
    for bad in ("", "x" * 100_000):
        with pytest.raises(WrongFacilitatorKey):
            store.open_workshop(code, bad)


def test_codes_and_keys_expire(store: Store, clock: FakeClock, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code)
    clock.advance(days=29, hours=23)
    store.save_answer(token, QUICK[0], 3)
    clock.advance(hours=2)
    with pytest.raises(WorkshopExpired, match=r"closed on 23 December 2026\. Ask your facilitator for a new code"):
        join(store, code)
    with pytest.raises(WorkshopExpired, match="expired on 23 December 2026"):
        store.summary(code, key)
    with pytest.raises(WorkshopExpired):
        store.save_answer(token, QUICK[0], 4)
    with pytest.raises(WorkshopExpired):
        store.load_participant(token)


def test_extend_and_purge(store: Store, clock: FakeClock, workshop: tuple[str, str]) -> None:
    code, key = workshop
    clock.advance(days=20)
    info = store.extend_workshop(code, key, 30)
    assert info.expires_at == clock.now + timedelta(days=30)
    clock.advance(days=31)
    other = store.create_workshop("Another", CTX)
    assert store.purge_expired() == 1
    with pytest.raises(WrongFacilitatorKey):
        store.open_workshop(code, key)
    assert store.open_workshop(other.workshop.join_code, other.facilitator_key).title == "Another"


# ----- joining and rate limiting ----------------------------------------------------------------------------


def test_join_with_code_as_typed(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    joined = store.join_workshop(f" {code.lower().replace('-', ' ')} ", "doctor", client_key="s1")
    assert joined.workshop.join_code == code and joined.workshop.title == "Virtual ward workshop"
    assert len(joined.participant_token) >= 43
    people = store.participants(code, key)
    assert [(p.participant_id, p.role, p.name, p.submitted) for p in people] == [
        (joined.participant_id, "doctor", "", False)
    ]


def test_wrong_code_errors_are_specific(store: Store) -> None:
    with pytest.raises(UnknownJoinCode, match="No workshop has the code ABCD-EFGH"):
        store.join_workshop("abcd-efgh", "nurse", client_key="c")
    with pytest.raises(MalformedJoinCode, match="never use 0, 1, I, L or O"):
        store.join_workshop("ABCD-EFG0", "nurse", client_key="c")
    with pytest.raises(InvalidInput, match="Unknown role"):
        store.join_workshop("ABCD-EFGH", "surgeon", client_key="c")


def test_rate_limit_after_repeated_wrong_codes(store: Store, clock: FakeClock, workshop: tuple[str, str]) -> None:
    code, _ = workshop
    for i in range(10):
        clock.advance(seconds=30)
        with pytest.raises(UnknownJoinCode):
            store.join_workshop(f"ABCD-EF{'GHJKMNPQRS'[i]}H", "nurse", client_key="attacker")
    for _ in range(3):  # malformed input cannot hit a code and is not counted, but it is not a way round the limit
        with pytest.raises(MalformedJoinCode):
            store.join_workshop("nope", "nurse", client_key="attacker")
    with pytest.raises(TooManyAttempts, match=r"Try again in 11 minutes") as exc:
        store.join_workshop(code, "nurse", client_key="attacker")  # even the right code is refused while locked
    assert exc.value.retry_after == 15 * 60 - 9 * 30
    assert join(store, code, client_key="someone-else")  # other devices are not affected
    clock.advance(seconds=exc.value.retry_after - 1)
    with pytest.raises(TooManyAttempts, match="Try again in 1 minute,"):
        store.join_workshop(code, "nurse", client_key="attacker")
    clock.advance(seconds=1)
    assert join(store, code, client_key="attacker")  # the oldest failure left the window
    with store.engine.connect() as conn:
        hashes = {r[0] for r in conn.execute(text("SELECT client_hash FROM join_attempts"))}
    assert "attacker" not in hashes and all(len(h) == 64 for h in hashes)  # client keys are stored hashed


def test_an_address_past_its_budget_is_told_to_wait_but_a_right_code_joins(store: Store, clock: FakeClock) -> None:
    """A script that opens a new session for every guess gets past the per-device limit; past the network's, its
    wrong codes are answered with a pause, but the address's budget never stops a right code."""
    limited = Store(store.url, clock=clock, join_max_failures=2, join_window=timedelta(minutes=5))
    code = limited.create_workshop("Guarded", CTX).workshop.join_code
    for i in range(2 * NETWORK_FACTOR):  # each guess from a fresh session, all from one address
        with pytest.raises(UnknownJoinCode):
            limited.join_workshop(f"ABCD-EF{i % 8 + 2}H", "nurse", client_key=f"s{i}", network_key="10.0.0.9")
    with pytest.raises(TooManyAttempts, match="this network"):
        limited.join_workshop("ABCD-EFGH", "nurse", client_key="fresh", network_key="10.0.0.9")
    assert limited.join_workshop(code, "nurse", client_key="fresh-2", network_key="10.0.0.9").participant_token
    assert limited.join_workshop(code, "nurse", client_key="s0", network_key="10.0.0.9").participant_token
    # another network is unaffected
    assert limited.join_workshop(code, "nurse", client_key="other", network_key="10.0.0.10").participant_token
    limited.close()


def test_a_room_joins_after_one_of_them_spent_the_address_budget(store: Store, workshop: tuple[str, str]) -> None:
    """One person behind the hospital's address spends its whole budget (100 wrong codes from ten fresh
    sessions); the 30 people behind the same address, some of whom mistyped once, all join with the right code."""
    code, _ = workshop
    for i in range(10 * NETWORK_FACTOR):
        with pytest.raises((UnknownJoinCode, TooManyAttempts)):
            store.join_workshop(f"ABCD-EF{i % 8 + 2}H", "nurse", client_key=f"bot{i // 10}", network_key="10.2.2.2")
    with pytest.raises(TooManyAttempts, match="this network"):
        store.join_workshop("ABCD-EFGH", "nurse", client_key="bot-fresh", network_key="10.2.2.2")
    for person in range(0, 30, 3):  # every third of them mistypes the code once first
        with pytest.raises(TooManyAttempts, match="this network"):
            store.join_workshop("ABCD-EFGJ", "nurse", client_key=f"room{person}", network_key="10.2.2.2")
    for person in range(30):
        assert join(store, code, client_key=f"room{person}", network_key="10.2.2.2")
    with pytest.raises(TooManyAttempts, match="this device"):  # the guesser's own sessions stay paused
        store.join_workshop(code, "nurse", client_key="bot0", network_key="10.2.2.2")


def test_a_room_behind_one_address_is_not_locked_out_by_typos(store: Store, workshop: tuple[str, str]) -> None:
    """30 participants behind one hospital address each mistype the code three times (90 wrong codes in the
    window, under the network budget of 100): every one of them then joins with the right code."""
    code, _ = workshop
    for person in range(30):
        for typo in range(3):
            with pytest.raises(UnknownJoinCode):
                store.join_workshop(f"ABCD-EF{'GHJ'[typo]}H", "nurse", client_key=f"p{person}", network_key="10.1.1.1")
    for person in range(30):
        assert join(store, code, client_key=f"p{person}", network_key="10.1.1.1")


def test_the_server_budget_stops_guessing_from_many_addresses(store: Store, clock: FakeClock) -> None:
    """Guesses spread over many devices and addresses spend the server's budget: then anyone who failed in the
    window is refused (even with the right code) and so is every new wrong guess, while people who type the right
    code first time still join."""
    limited = Store(store.url, clock=clock, join_max_failures=1)
    code = limited.create_workshop("Guarded", CTX).workshop.join_code
    budget = limited.join_max_failures * GLOBAL_FACTOR
    for i in range(budget):
        with pytest.raises(UnknownJoinCode):
            limited.join_workshop(f"ABCD-EF{i % 8 + 2}H", "nurse", client_key=f"bot{i}", network_key=f"10.9.{i}.1")
    with pytest.raises(TooManyAttempts, match="this server"):
        limited.join_workshop("ABCD-EFGH", "nurse", client_key="fresh-bot", network_key="10.8.0.1")
    with pytest.raises(TooManyAttempts, match="this server"):  # that address has failed now: refused unseen
        limited.join_workshop(code, "nurse", client_key="fresh-bot-2", network_key="10.8.0.1")
    with pytest.raises(TooManyAttempts):
        limited.join_workshop(code, "nurse", client_key="bot0", network_key="10.7.0.1")  # failed before
    assert limited.join_workshop(code, "nurse", client_key="nurse-1", network_key="10.6.0.1").participant_token
    clock.advance(minutes=15)
    with pytest.raises(UnknownJoinCode):
        limited.join_workshop("ABCD-EFGH", "nurse", client_key="later", network_key="10.8.0.2")
    limited.close()


def test_expired_codes_count_as_failures(store: Store, clock: FakeClock) -> None:
    limited = Store(store.url, clock=clock, join_max_failures=2, join_window=timedelta(minutes=5))
    code = limited.create_workshop("Short", CTX, valid_days=1).workshop.join_code
    clock.advance(days=2)
    for _ in range(2):
        with pytest.raises(WorkshopExpired):
            limited.join_workshop(code, "nurse", client_key="k")
    with pytest.raises(TooManyAttempts, match="Try again in 5 minutes"):
        limited.join_workshop(code, "nurse", client_key="k")
    limited.close()


# ----- answers ---------------------------------------------------------------------------------------------


def test_answers_are_saved_as_given_and_resumed(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code, "middle_manager", name="Sam", department="Elderly care")
    store.save_answer(token, QUICK[0], 4, "first thoughts")
    store.save_answer(token, QUICK[0], 2, "changed my mind")  # updates, never duplicates
    store.save_answer(token, QUICK[1], "dont_know")
    store.save_answers(token, {QUICK[2]: 5, QUICK[3]: (1, "low"), QUICK[4]: None})
    store.save_plan_fact(token, "political_work_first", "yes")
    store.save_plan_fact(token, "step_one_evidence", "no")
    a = store.load_participant(token)
    assert a.mode == "quick" and a.bank_version == BANK.bank_version
    assert {k: (v.value, v.comment) for k, v in a.answers.items()} == {
        QUICK[0]: (2, "changed my mind"),
        QUICK[1]: ("dont_know", ""),
        QUICK[2]: (5, ""),
        QUICK[3]: (1, "low"),
    }
    c = a.context
    assert (c.respondent_role, c.respondent_name, c.department) == ("middle_manager", "Sam", "Elderly care")
    assert c.political_work_first == "yes" and c.step_one_evidence == "no"
    assert c.innovation_title == "Virtual ward"
    result = assess(a, BANK)  # a resumed answer set is an ordinary answer set
    assert result.mode == "quick"
    store.save_answer(token, QUICK[2], None)  # cleared
    assert QUICK[2] not in store.load_participant(token).answers
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AnswerRow)).scalar() == 3
    own = store.participant_status(token)  # the counts are the participant's own
    assert (own.answered, own.asked, own.completion) == (3, len(QUICK), round(3 / len(QUICK), 3))
    # the facilitator's list shows the progress as a status only: no line matches a row of an export by its count
    status = store.participants(code, key)[0]
    assert (status.progress, status.answered, status.asked, status.completion) == ("answering", None, len(QUICK), None)
    resumed = store.resume(token)
    # only a keyed hash of the code is stored: a resume link brings the workshop back without it
    assert resumed.workshop.join_code == "" and resumed.participant.answered == 3
    assert resumed.workshop.workshop_id == store.open_workshop(code, key).workshop_id
    assert resumed.answers == store.load_participant(token)


@pytest.mark.parametrize(
    ("item", "value", "fragment"),
    [
        (QUICK[0], 0, "rating from 1 to 5"),
        (QUICK[0], 6, "rating from 1 to 5"),
        (QUICK[0], True, "rating from 1 to 5"),
        (QUICK[0], "4", "rating from 1 to 5"),
        (QUICK[0], 3.5, "rating from 1 to 5"),
        ("no_such_item", 3, "is not asked in this workshop"),
        (
            next(i.id for i in BANK.items if not i.core),
            3,
            "is not asked in this workshop",
        ),  # full-bank item, quick mode
    ],
)
def test_invalid_answers_are_refused(
    store: Store, workshop: tuple[str, str], item: str, value: object, fragment: str
) -> None:
    token = join(store, workshop[0])
    with pytest.raises(InvalidInput, match=fragment):
        store.save_answer(token, item, value)  # type: ignore[arg-type]
    assert store.load_participant(token).answers == {}


def test_bad_resume_tokens(store: Store, workshop: tuple[str, str]) -> None:
    token = join(store, workshop[0])
    for bad in (token[:-2], "", "x" * 1000, token + "A"):
        with pytest.raises(UnknownParticipant, match="resume link is not valid"):
            store.load_participant(bad)
    with store.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT token_hash FROM participants")).scalar_one()
            == hashlib.sha256(token.encode()).hexdigest()
        )


def test_submit_locks_answers_until_reopened(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code)
    store.save_answers(token, dict.fromkeys(QUICK, 3))  # a submission needs at least half of the statements
    status = store.submit(token)
    assert status.submitted and status.submitted_at is not None
    assert store.submit(token).submitted_at == status.submitted_at  # submitting twice is harmless
    with pytest.raises(AlreadySubmitted, match="Ask your facilitator to reopen"):
        store.save_answer(token, QUICK[0], 4)
    with pytest.raises(AlreadySubmitted):
        store.save_plan_fact(token, "political_work_first", "yes")
    assert store.load_participant(token).answers[QUICK[0]].value == 3  # still readable
    store.reopen_participant(code, key, status.participant_id)
    store.save_answer(token, QUICK[0], 4)
    assert store.load_participant(token).answers[QUICK[0]].value == 4
    with pytest.raises(InvalidInput, match="no participant 999"):
        store.reopen_participant(code, key, 999)


def test_participants_can_correct_their_details(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code, "doctor", name="Dr A")
    status = store.update_participant(token, role="nurse", department="ICU")
    assert (status.role, status.name, status.department) == ("nurse", "Dr A", "ICU")
    assert store.participant_status(token) == status
    assert store.update_participant(token, name="").name == ""  # back to anonymous
    with pytest.raises(InvalidInput, match="Unknown role"):
        store.update_participant(token, role="king")
    store.save_answers(token, dict.fromkeys(QUICK, 3))
    store.submit(token)
    with pytest.raises(AlreadySubmitted):
        store.update_participant(token, department="Surgery")
    assert store.participants(code, key)[0].department == "ICU"


# ----- hostile text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_stored_and_read_back_exactly(store: Store, workshop: tuple[str, str], hostile: str) -> None:
    code, key = workshop
    token = join(store, code, name=hostile[:200], department=hostile[:200])
    store.save_answer(token, QUICK[0], 3, hostile)
    a = store.load_participant(token)
    assert a.answers[QUICK[0]].comment == hostile
    assert a.context.respondent_name == hostile[:200] and a.context.department == hostile[:200]
    person = store.participants(code, key)[0]
    assert person.name == hostile[:200] and person.department == hostile[:200]
    store.save_answers(token, dict.fromkeys(QUICK[1:], 3))
    store.submit(token)
    for device in ("d2", "d3"):  # k = 3 people submitted: the first release, read as the CSV reads it
        other = join(store, code, client_key=device)
        store.save_answers(other, dict.fromkeys(QUICK, 4))
        store.submit(other)
    frame = responses_frame(store.released_responses(code, key), BANK)
    assert frame.participant.nunique() == 3
    assert list(frame.comment[frame.comment != ""]) == [hostile]  # exactly as typed
    assert set(frame.name) == {""}  # a release holds no names


def test_rtl_and_emoji_round_trip_exactly(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code, name=RTL_EMOJI, department=RTL_EMOJI)
    store.save_answer(token, QUICK[0], 5, RTL_EMOJI * 3)
    assert store.load_participant(token).answers[QUICK[0]].comment == RTL_EMOJI * 3
    assert store.participants(code, key)[0].name == RTL_EMOJI
    store.set_consensus(code, key, "clinician_engagement", 3, RTL_EMOJI)
    assert store.consensus(code, key)["clinician_engagement"].note == RTL_EMOJI


def test_control_characters_are_cleaned(store: Store, workshop: tuple[str, str]) -> None:
    token = join(store, workshop[0], name="  Ann\x00\x07e\u202e  ")
    store.save_answer(token, QUICK[0], 3, "line one\r\nline two\ttab\x1b[2J")
    a = store.load_participant(token)
    assert a.context.respondent_name == "Anne"
    assert a.answers[QUICK[0]].comment == "line one\nline two\ttab[2J"


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", "200"), ("department", "200")],
)
def test_long_names_get_a_clear_length_error(store: Store, workshop: tuple[str, str], field: str, limit: str) -> None:
    with pytest.raises(TextTooLong, match=rf"The {field} is too long: 10,000 characters, and the limit is {limit}\."):
        store.join_workshop(workshop[0], "nurse", client_key="c", **{field: "n" * 10_000})
    assert store.participants(*workshop) == []


def test_long_comment_gets_a_clear_length_error(store: Store, workshop: tuple[str, str]) -> None:
    token = join(store, workshop[0])
    with pytest.raises(TextTooLong, match=r"The comment is too long: 10,000 characters, and the limit is 1,000\."):
        store.save_answer(token, QUICK[0], 3, "<b>" * 3333 + "x")
    store.save_answer(token, QUICK[0], 3, "c" * 1000)  # exactly at the limit is fine
    assert len(store.load_participant(token).answers[QUICK[0]].comment) == 1000


# ----- facilitator --------------------------------------------------------------------------------------------


def test_hide_answers_until_everyone_has_submitted(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    assert store.set_hide_until_submitted(code, key, True).hide_until_submitted
    with pytest.raises(ResultsHidden, match="Nobody has joined yet"):
        store.summary(code, key)
    a, b = join(store, code, "doctor"), join(store, code, "executive", client_key="d2")
    c = join(store, code, "nurse", client_key="d3")
    for token, rating in ((a, 2), (b, 5), (c, 3)):
        store.save_answers(token, dict.fromkeys(QUICK, rating))
    store.submit(a)
    store.submit(b)
    for call in (store.summary, store.released_responses):
        with pytest.raises(ResultsHidden, match="1 of 3 participants have not submitted yet"):
            call(code, key)
    hidden, sets = store.workshop_view(code, key, with_answers=True)
    assert hidden.summary is None and sets == [] and "1 of 3 participants have not" in hidden.hidden_message
    assert not hasattr(store, "participant_answers") and not hasattr(store, "responses")  # no one person's answers
    progress = [(p.submitted, p.progress) for p in store.participants(code, key)]
    assert progress == [(True, "submitted"), (True, "submitted"), (False, "answering")]  # progress stays visible
    store.submit(c)
    summary = store.summary(code, key)
    assert summary.participation.all_submitted and summary.release is not None
    assert (summary.release.number, summary.release.people, summary.release.waiting) == (1, 3, 0)
    released = store.released_responses(code, key)
    assert sorted(released.ratings[:, released.item_ids.index(QUICK[0])]) == [2, 3, 5]
    assert {r.name for r in released.respondents} == {""}
    store.set_hide_until_submitted(code, key, False)
    join(store, code, client_key="d4")
    assert store.summary(code, key).participation.joined == 4


def test_consensus_scores(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    for device in ("a", "b", "c"):  # three submitted: the anonymity threshold, and the first release
        token = join(store, code, client_key=device)
        store.save_answers(token, dict.fromkeys(QUICK, 4))
        store.submit(token)
    agreed = store.set_consensus(code, key, "top_down_support", 2, "Money not committed yet")
    assert agreed.score == 2.0 and agreed.recorded_at is not None
    store.set_consensus(code, key, "top_down_support", 2.5, "revised")  # changes, not duplicates
    assert {d: (c.score, c.note) for d, c in store.consensus(code, key).items()} == {
        "top_down_support": (2.5, "revised")
    }
    for bad in (0, 5.01, float("inf")):
        with pytest.raises(InvalidInput):
            store.set_consensus(code, key, "top_down_support", bad)
    with pytest.raises(InvalidInput, match="Unknown dimension"):
        store.set_consensus(code, key, "happiness", 3)
    with pytest.raises(WrongFacilitatorKey):
        store.set_consensus(code, "wrong", "top_down_support", 3)
    s = store.summary(code, key)
    assert s.release is not None and s.release.people == 3
    assert s.consensus_used and s.result.scores["top_down_support"].mean == 2.5
    assert s.group_result.scores["top_down_support"].mean == 4.0
    store.clear_consensus(code, key, "top_down_support")  # an agreed score is no release: it applies at once
    cleared = store.summary(code, key)
    assert not cleared.consensus_used and cleared.result.scores["top_down_support"].mean == 4.0
    assert cleared.release is not None and cleared.release.number == 1


def test_summary_from_the_store_matches_the_pure_aggregation(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    tokens = []
    for i, role in enumerate(["executive", "executive", "doctor", "nurse", "nurse", "allied_health"]):
        t = join(store, code, role, department=["ICU", "Surgery"][i % 2], client_key=f"d{i}")
        store.save_answers(t, {item: (1 + (i * 7 + k) % 5) for k, item in enumerate(QUICK)})
        store.save_answer(t, QUICK[-1], "dont_know", f"comment {i}")
        store.save_plan_fact(t, "political_work_first", "yes" if i % 3 == 0 else "no")
        tokens.append(t)
    store.submit(tokens[0])
    store.submit(tokens[1])
    store.submit(tokens[2])
    from_store = store.summary(code, key)
    sets = [store.load_participant(t) for t in tokens]
    # the figures are those of the first release: the three who submitted, as if nobody else had answered
    pure = summarise_answer_sets(
        sets[:3], BANK, context=store.open_workshop(code, key).context, title="Virtual ward workshop",
        submitted=[True] * 3,
    )  # fmt: skip
    live = {"participation", "release"}
    assert from_store.model_dump(exclude=live) == pure.model_dump(exclude=live)
    assert from_store.agenda and from_store.dimensions["clinician_engagement"].respondents == 3
    everyone = summarise_answer_sets(
        sets, BANK, context=store.open_workshop(code, key).context, title="Virtual ward workshop"
    )
    assert from_store.model_dump(exclude=live) != everyone.model_dump(exclude=live)  # the others' answers count
    # participation is live (it says nothing about anyone's answers); the release says what the figures are from
    assert (from_store.participation.joined, from_store.participation.submitted) == (6, 3)
    assert from_store.release is not None
    assert (from_store.release.number, from_store.release.people, from_store.release.waiting) == (1, 3, 0)
    store.submit(tokens[3])  # one more: the figures wait until k = 3 people can be added together
    one_more = store.summary(code, key)
    assert one_more.model_dump(exclude=live) == from_store.model_dump(exclude=live)
    assert one_more.release is not None and (one_more.release.number, one_more.release.waiting) == (1, 1)
    store.submit(tokens[4])
    store.submit(tokens[5])
    all_six = store.summary(code, key)
    assert all_six.release is not None
    assert (all_six.release.number, all_six.release.people, all_six.release.waiting) == (2, 6, 0)
    assert all_six.dimensions["clinician_engagement"].respondents == 6


def test_delete_workshop_removes_everything(store: Store, workshop: tuple[str, str]) -> None:
    code, key = workshop
    token = join(store, code)
    store.save_answer(token, QUICK[0], 3)
    store.set_consensus(code, key, "partnerships", 3)
    store.delete_workshop(code, key)
    with store.engine.connect() as conn:
        for table in ("workshops", "participants", "answers", "consensus_scores"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    with pytest.raises(UnknownParticipant):
        store.load_participant(token)


# ----- PostgreSQL ---------------------------------------------------------------------------------------------


def test_postgresql_schema_matches_the_models(postgres_server: PostgresServer) -> None:
    """On a throwaway cluster (stack.md section 5): the migrations build exactly the tables the models describe."""
    s = Store(postgres_server.fresh_url())
    assert s.schema_revision() == HEAD
    upgrade_schema(s.engine)
    with s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    s.close()


def test_plan_answers_keep_not_sure_apart_from_unanswered(store: Store) -> None:
    created = store.create_workshop("Plan answers", CTX, "quick")
    token = store.join_workshop(created.workshop.join_code, "doctor", client_key="p").participant_token
    assert store.load_participant(token).context.plan_answer("political_work_first") is None
    store.save_plan_fact(token, "political_work_first", "not_sure")
    ctx = store.load_participant(token).context
    assert ctx.political_work_first == "not_sure" and ctx.step_one_evidence is None
    store.save_plan_fact(token, "political_work_first", "no")
    assert store.load_participant(token).context.political_work_first == "no"
    store.save_plan_fact(token, "political_work_first", None)
    assert store.load_participant(token).context.political_work_first is None
    for wrong in ("maybe", True, False, 1):  # the old shapes are not accepted at the store's door
        with pytest.raises(InvalidInput):
            store.save_plan_fact(token, "political_work_first", wrong)  # type: ignore[arg-type]


def test_plan_answers_stored_before_migration_0008_read_back_in_the_one_shape(database_url: str) -> None:
    """Records written as a boolean per question plus `plan_unsure` (0003-0007) become "yes" / "no" / "not_sure"."""
    s = Store(database_url)
    created = s.create_workshop("Old records", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    given = [("yes", None), ("no", "not_sure"), ("not_sure", "not_sure"), (None, "yes")]
    tokens = [s.join_workshop(code, "nurse", client_key=f"o{i}").participant_token for i in range(len(given))]
    for token, answers in zip(tokens, given, strict=True):
        for fact, answer in zip(("political_work_first", "step_one_evidence"), answers, strict=True):
            s.save_plan_fact(token, fact, answer)  # type: ignore[arg-type]
    s.close()
    engine = make_engine(database_url)
    with engine.execution_options(assessment_write=True).begin() as conn:
        cfg = alembic_config(database_url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    with engine.connect() as conn:  # the old shape, as an installation before 0008 holds it
        old = conn.execute(
            text("SELECT political_work_first, step_one_evidence, plan_unsure FROM participants ORDER BY id")
        ).all()
    old_context = CTX.model_dump() | {"political_work_first": False, "plan_unsure": ["step_one_evidence"]}
    with engine.execution_options(assessment_write=True).begin() as conn:  # a workshop's context as saved then
        conn.execute(text("UPDATE workshops SET context = :c"), {"c": json.dumps(old_context)})
    engine.dispose()
    assert [tuple(r) for r in old] == [
        (True, None, ""),
        (False, None, "step_one_evidence"),
        (None, None, "political_work_first,step_one_evidence"),
        (None, True, ""),
    ]
    again = Store(database_url)
    assert again.schema_revision() == HEAD
    assert again.open_workshop(code, key).context.innovation_title == CTX.innovation_title
    for token, answers in zip(tokens, given, strict=True):
        ctx = again.load_participant(token).context
        assert (ctx.political_work_first, ctx.step_one_evidence) == answers
    again.close()


def test_a_not_sure_plan_answer_reaches_the_group_result_and_the_report(store: Store) -> None:
    """Before one type, the group path carried booleans only, so "not sure" arrived as "not answered"."""
    created = store.create_workshop("Plan answers", CTX, "quick")
    code, key = created.workshop.join_code, created.facilitator_key
    for i, answer in enumerate(["not_sure", "not_sure", "yes", None]):
        token = store.join_workshop(code, "nurse", client_key=f"g{i}").participant_token
        store.save_answers(token, dict.fromkeys(QUICK, 4))
        store.save_plan_fact(token, "political_work_first", answer)  # type: ignore[arg-type]
        store.submit(token)  # the group result comes from released (submitted) answers only
    view, sets = store.workshop_view(code, key, with_answers=True)
    assert view.summary is not None and view.summary.release is not None and view.summary.release.people == 4
    assert view.summary is not None
    vote = view.summary.plan_facts["political_work_first"]
    assert (vote.yes, vote.no, vote.not_sure, vote.unanswered, vote.majority) == (1, 0, 2, 1, "not_sure")
    assert view.summary.group_result.context["political_work_first"] == "not_sure"
    assert "political_work_first_unsure" in {w.id for w in view.summary.group_result.recommendation.warnings}
    assert [a.context.political_work_first for a in sets] == ["not_sure", "not_sure", "yes", None]
