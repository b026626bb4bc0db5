"""The organiser gate, closed by default (issue 18), with AppTest on a store holding generated workshops:

- no gate configured: the Instrument quality page shows its per-dimension summary but no item detail and no
  download, and says how to turn the organiser sign-in on;
- a key shorter than 128 bits stops the app and `assessment serve` at start-up, saying how to generate one;
- the right key opens; wrong keys are limited like join codes (then even the right key waits; a clock, no sleep);
- the identity provider with an allow-list. AppTest cannot run a real OpenID Connect provider, so `st.user` is
  simulated with `AppTest.user` (what Streamlit sets after a provider's sign-in) and `[auth]` with `at.secrets`;
- the start-up log line names the gate in force.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import APP, plain
from streamlit.testing.v1 import AppTest
from test_instrument_store import seed_released

from assessment import store as store_module
from assessment.bank import default_bank
from assessment.cli import main
from assessment.logs import JsonFormatter
from assessment.organisers import ORGANISER_ACCOUNTS_ENV, ORGANISER_KEY_ENV
from assessment.settings import GENERATE_KEY, key_problem
from assessment.store import Store
from assessment.ui import routes
from assessment.workshop import TooManyAttempts

BANK = default_bank()
KEY = "Vq8mZ2rT_x4LkN7pW3cY9hJd"  # 24 random URL-safe characters: 144 bits
AUTH = {
    "redirect_uri": "https://readiness.example.org/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "assessment",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}
ACCOUNTS = "Ann.Organiser@Example.org, 2480917345"
DETAIL = "Item-total r"  # a column of the item detail tables


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gate") / "seeded.sqlite"
    s = Store(f"sqlite:///{path}")
    seed_released(s, BANK, (40, 30), research_use=(True, False), seed=21)  # the instrument reads releases
    s.close()
    return path


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[Store]:
    """A copy of the seeded database for each test (wrong keys are counted in it), with at most 3 wrong keys per
    15 minutes and a clock the test moves; no organiser key and no allow-list unless the test sets them."""
    path = tmp_path / "store.sqlite"
    shutil.copy(seeded_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, url)
    monkeypatch.delenv(ORGANISER_KEY_ENV, raising=False)
    monkeypatch.delenv(ORGANISER_ACCOUNTS_ENV, raising=False)
    s = Store(url, clock=clock, join_max_failures=3, join_window=timedelta(minutes=15))
    monkeypatch.setattr(store_module, "_default", s)
    yield s
    s.close()


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    parts += [m.value for m in (*at.info, *at.warning, *at.error)]
    return "\n".join(plain(p) for p in parts)


def page(*, user: dict[str, Any] | None = None, auth: bool = False, where: str = routes.INSTRUMENT) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(where).run()
    assert not at.exception
    return at


def item_detail_shown(at: AppTest) -> bool:
    return any(DETAIL in df.value.columns for df in at.dataframe)


def downloads(at: AppTest) -> set[str]:
    return {b.proto.id for b in at.get("download_button")}


def type_key(at: AppTest, typed: str) -> AppTest:
    at.text_input(key="instrument_key").set_value(typed)
    at.button(key="instrument_open").click().run()
    assert not at.exception
    return at


# ----- closed by default -----


def test_no_gate_configured_the_page_has_no_item_detail_and_says_how_to_turn_it_on(store: Store) -> None:
    at = page()
    assert any("Respondents" in df.value.columns for df in at.dataframe)  # the summary is for everyone
    assert not item_detail_shown(at) and not downloads(at)
    assert not [t for t in at.text_input if t.key == "instrument_key"]  # nothing to type: nothing opens it
    text = texts(at)
    assert "No organiser sign-in is set up" in text
    assert ORGANISER_KEY_ENV in text and "token_urlsafe" in text and ORGANISER_ACCOUNTS_ENV in text


def test_no_gate_configured_workshops_can_still_be_created(store: Store) -> None:
    at = page(where=routes.WORKSHOP_NEW)
    assert [t for t in at.text_input if t.key == "wsn_title"]
    assert not [t for t in at.text_input if t.key == "wsn_organiser_key"]
    assert "anyone who can reach the app can create a workshop" in texts(at)


# ----- the key -----


@pytest.mark.parametrize(
    "weak",
    [
        "let-me-in",
        "correct horse battery",
        "ab0614be6fb6be6962dc069bb26a9b",  # secrets.token_hex(15): 120 bits
        "AtPd0_zv3uGt4OTD",  # secrets.token_urlsafe(12): 96 bits
        "ab" * 30,
    ],
)
def test_a_weak_key_stops_the_app_and_says_how_to_make_one(
    weak: str, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert key_problem(weak)
    monkeypatch.setenv(ORGANISER_KEY_ENV, weak)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1 and ORGANISER_KEY_ENV in at.error[0].value and GENERATE_KEY in at.error[0].value
    assert weak not in at.error[0].value  # the key itself is never shown
    assert main(["serve"]) == 2  # `assessment serve` stops before starting the server
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert ORGANISER_KEY_ENV in line and "token_urlsafe(24)" in line and weak not in line


@pytest.mark.parametrize(
    "strong",
    [
        "OYGMK7WH7Go-lt7uXsYgYw",  # secrets.token_urlsafe(16): 22 characters, 132 bits
        "25EXt_syWtZchj32PNMio9h_7Ao4S3Ty",  # secrets.token_urlsafe(24)
        "524722b8fa931e1c7c6a39d35acf542d",  # secrets.token_hex(16): 128 bits
        KEY,
    ],
)
def test_a_random_key_of_128_bits_is_accepted(strong: str) -> None:
    assert key_problem(strong) is None


def test_the_right_key_opens_the_detail_and_the_downloads(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)
    at = page()
    assert not item_detail_shown(at) and not downloads(at)
    type_key(at, KEY)
    assert item_detail_shown(at)
    assert any("instrument_csv" in k for k in downloads(at)) and any("instrument_json" in k for k in downloads(at))


def test_wrong_keys_are_limited_and_then_even_the_right_key_waits(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)
    at = page()
    for n in range(3):  # the store's limit in this test: 3 wrong keys per 15 minutes
        type_key(at, f"wrong guess {n}")
        assert "not the organiser key" in texts(at)
    type_key(at, KEY)
    assert "Too many wrong organiser keys" in texts(at) and not item_detail_shown(at)
    clock.now += timedelta(minutes=15, seconds=1)  # the window has passed
    type_key(at, KEY)
    assert item_detail_shown(at)


def test_wrong_organiser_keys_do_not_spend_the_join_code_budget(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)
    device = {"client_key": "session:same", "network_key": "ip:10.0.0.9"}
    for _ in range(3):
        store.organiser_key_attempt(False, **device)
    with pytest.raises(TooManyAttempts, match="organiser keys"):
        store.organiser_key_attempt(True, **device)  # this device's organiser-key budget is spent
    created = store.create_workshop("Gate", None, "quick")
    joined = store.join_workshop(created.workshop.join_code, "nurse", **device)  # its join budget is not
    assert joined.participant_id


# ----- the identity provider and its allow-list -----


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "ann.organiser@example.org", "sub": "g-1"},  # case does not matter
        {"is_logged_in": True, "email": "someone@else.org", "sub": "2480917345"},  # listed by subject
    ],
)
def test_an_account_on_the_allow_list_opens_the_detail(
    user: dict[str, Any], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ORGANISER_ACCOUNTS_ENV, ACCOUNTS)
    monkeypatch.setenv(ORGANISER_KEY_ENV, KEY)  # the provider replaces the key: it is not asked for
    at = page(user=user, auth=True)
    assert item_detail_shown(at) and any("instrument_csv" in k for k in downloads(at))
    assert not [t for t in at.text_input if t.key == "instrument_key"]


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "bob@example.org", "sub": "g-2"},  # signed in, not on the list
        {"is_logged_in": True, "email": "ann.organiser@example.org", "email_verified": False, "sub": "g-3"},
    ],
)
def test_a_signed_in_account_not_on_the_list_is_refused(
    user: dict[str, Any], store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(ORGANISER_ACCOUNTS_ENV, ACCOUNTS)
    logger = logging.getLogger("assessment")
    monkeypatch.setattr(logger, "propagate", False)
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="assessment"):
            at = page(user=user, auth=True)
    finally:
        logger.removeHandler(caplog.handler)
    assert not item_detail_shown(at) and not downloads(at)
    assert "not on this deployment's list of organisers" in texts(at)
    assert [b for b in at.button if b.key == "instrument_logout"]
    fmt = JsonFormatter()
    lines = [json.loads(fmt.format(r)) for r in caplog.records if r.name == "assessment.audit"]
    refused = [x for x in lines if x["event"] == "organiser_account_refused"]
    assert refused and all(user["email"] not in json.dumps(x) for x in lines)  # a hash, never the address
    # nor may that account create a workshop
    at = page(user=user, auth=True, where=routes.WORKSHOP_NEW)
    assert not [t for t in at.text_input if t.key == "wsn_title"]


def test_signed_out_the_page_offers_the_sign_in(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORGANISER_ACCOUNTS_ENV, ACCOUNTS)
    at = page(user={"is_logged_in": False}, auth=True)
    assert not item_detail_shown(at)
    assert [b for b in at.button if b.key == "instrument_login"]


def test_a_provider_without_an_allow_list_keeps_row_level_data_closed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = {"is_logged_in": True, "email": "anyone@example.org", "sub": "g-4"}
    at = page(user=user, auth=True)
    assert not item_detail_shown(at) and "No organiser sign-in is set up" in texts(at)
    at = page(user=user, auth=True, where=routes.WORKSHOP_NEW)  # creating a workshop: any signed-in account
    assert [t for t in at.text_input if t.key == "wsn_title"]


def test_an_account_on_the_list_may_create_a_workshop(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORGANISER_ACCOUNTS_ENV, ACCOUNTS)
    at = page(user={"is_logged_in": True, "email": "ann.organiser@example.org"}, auth=True, where=routes.WORKSHOP_NEW)
    assert [t for t in at.text_input if t.key == "wsn_title"]


# ----- the start-up log -----


@pytest.mark.parametrize(
    ("key", "accounts", "provider", "expected"),
    [
        ("", "", False, "closed"),
        (KEY, "", False, "key"),
        ("", ACCOUNTS, False, "closed"),  # an allow-list without a provider opens nothing
        (KEY, ACCOUNTS, True, "identity_provider"),
        (KEY, "", True, "closed"),  # a provider without an allow-list: the key is not used either
    ],
)
def test_the_start_up_log_names_the_gate_in_force(
    key: str,
    accounts: str,
    provider: bool,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from assessment import cli
    from assessment.ui import organiser_gate

    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'start.sqlite'}")
    monkeypatch.setenv(ORGANISER_KEY_ENV, key)
    monkeypatch.setenv(ORGANISER_ACCOUNTS_ENV, accounts)
    monkeypatch.setattr(organiser_gate, "identity_provider_configured", lambda: provider)
    started: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execve", lambda _exe, argv, _env: started.append(argv))
    logger = logging.getLogger("assessment")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="assessment"):
            assert main(["serve"]) == 0
    finally:
        logger.removeHandler(caplog.handler)
    fmt = JsonFormatter()
    # caplog's handler sits on the root logger and, added above, on "assessment": while that logger still
    # propagates (before any configure_logging in this worker), each record reaches it twice
    records = list({id(r): r for r in caplog.records}.values())
    lines = [json.loads(fmt.format(r)) for r in records if r.name == "assessment.audit"]
    (start,) = [x for x in lines if x["event"] == "server_starting"]
    assert start["organiser_gate"] == expected and started
    assert key not in json.dumps(lines) if key else True
