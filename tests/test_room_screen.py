"""The room screen ("Show to the room") and the dashboard's projector-safe mode, without a browser: the QR code reads
back as the join link (decoded with zxing-cpp), the screen shows counts and never a name, department or role, it
is reached only from a facilitator's session (the key is never in its URL), and projector-safe mode leaves names
and departments out of the dashboard. The browser test (fits 1280 x 720 and 1920 x 1080, no chrome, the QR read
from a screenshot) is tests/test_room_browser.py.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from helpers import APP, plain
from PIL import Image
from streamlit.testing.v1 import AppTest

from assessment import store as store_module
from assessment.answers import Context
from assessment.store import Store
from assessment.ui import room, routes
from assessment.ui import workshop_state as ws
from assessment.ui.room import RoomCounts, qr_code, qr_data_uri, qr_svg, room_counts, room_markup

BASE = "https://readiness.example.org"
# name, department, role, submitted
PEOPLE = [
    ("Erin Exec", "Board Office", "executive", True),
    ("Dana Doctor", "Surgery Ward", "doctor", True),
    ("Nell Nurse", "Elderly Care", "nurse", False),
    ("", "Acute Medicine", "nurse", False),
]
NAMES = [p[0] for p in PEOPLE if p[0]]
DEPARTMENTS = [p[1] for p in PEOPLE]


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/?join=ABCD-EFGH",
        "http://127.0.0.1:8501/?join=2345-6789",
        "https://a-rather-long-host-name.trust.nhs.example.org/innovation/readiness/?join=WXYZ-KMNP",
    ],
)
def test_the_qr_code_reads_back_as_the_link(url: str) -> None:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=6, border=room.QR_BORDER)
    assert decode(buffer.getvalue()) == [url]


def test_the_svg_scales_with_the_screen_and_holds_the_same_code() -> None:
    url = f"{BASE}/?join=ABCD-EFGH"
    svg = qr_svg(url)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')  # a document of its own, for an <img>
    assert not re.search(r"<svg[^>]*\b(width|height)=", svg)  # sized by the page's CSS, not the SVG
    modules = qr_code(url).symbol_size(scale=1, border=room.QR_BORDER)[0]
    assert f'viewBox="0 0 {modules} {modules}"' in svg
    assert "<script" not in svg and "<text" not in svg
    uri = qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg


def _person(store: Store, code: str, key: str, name: str, dept: str, role: str, submit: bool) -> None:
    token = store.join_workshop(code, role, name=name, department=dept, client_key=f"c-{name}-{dept}")
    items = [i.id for i in store.bank.items_for("quick")]
    store.save_answers(token.participant_token, {i: (3, "") for i in items})
    if submit:
        store.submit(token.participant_token)


def test_counts_leave_out_excluded_people(store: Store) -> None:
    code, key = _workshop(store)
    for person in PEOPLE:
        _person(store, code, key, *person)
    people = store.participants(code, key)
    assert room_counts(people) == RoomCounts(joined=4, submitted=2)
    store.exclude_participant(code, key, people[0].participant_id)
    assert room_counts(store.participants(code, key)) == RoomCounts(joined=3, submitted=1)
    assert RoomCounts(4, 2).text() == "4 joined · 2 submitted"


def test_the_markup_escapes_the_title_and_shows_no_people() -> None:
    markup = room_markup("<b>Frailty</b> & more", "ABCD-EFGH", f"{BASE}/?join=ABCD-EFGH", RoomCounts(4, 2))
    assert "&lt;b&gt;Frailty&lt;/b&gt; &amp; more" in markup and "<b>Frailty" not in markup
    assert "ABCD-EFGH" in markup and "<b>4</b> joined · <b>2</b> submitted" in markup


# ----- in the app (AppTest) ----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'room.sqlite'}")
    monkeypatch.delenv(ws.BASE_URL_ENV, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def _workshop(store: Store) -> tuple[str, str]:
    created = store.create_workshop("Frailty workshop", Context(innovation_title="Frailty pathway"), mode="quick")
    return created.workshop.join_code, created.facilitator_key


def _dashboard(code: str, key: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["url"] = f"{BASE}/"
    at.query_params[routes.FACILITATE_PARAM] = code
    at.run()
    at.text_input(key="wdw_key").set_value(key)
    at.button(key="wd_open").click().run()
    assert not at.exception and not at.error
    return at


def _text(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.subheader, *at.info, *at.warning)]
    parts += [str(d.value.to_numpy().tolist()) + " ".join(d.value.columns) for d in at.dataframe]
    parts += [m.value for m in at.get("html")]
    return "\n".join(plain(str(p)) for p in parts)


def test_projector_safe_mode_hides_names_and_departments_and_keeps_the_counts(store: Store) -> None:
    code, key = _workshop(store)
    for person in PEOPLE:
        _person(store, code, key, *person)
    at = _dashboard(code, key)
    before = _text(at)
    assert all(n in before for n in NAMES) and "Surgery Ward" in before  # the facilitator's own view has them
    at.toggle(key=room.PROJECTOR_SAFE_WIDGET).set_value(True).run()
    assert not at.exception
    text = _text(at)
    for word in [*NAMES, *DEPARTMENTS]:
        assert word not in text, word
    people = at.dataframe[0].value
    assert list(people.columns) == ["#", "Role", "Status"] and len(people) == 4
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Joined"] == "4" and metrics["Submitted"] == "2 of 4"
    # it stays on after a visit to another page (the room screen) and back
    at.switch_page(routes.WORKSHOP_ROOM).run()
    at.switch_page(routes.WORKSHOP_DASHBOARD).run()
    assert at.toggle(key=room.PROJECTOR_SAFE_WIDGET).value is True
    assert not any(n in _text(at) for n in NAMES)
    at.toggle(key=room.PROJECTOR_SAFE_WIDGET).set_value(False).run()
    assert all(n in _text(at) for n in NAMES)


def test_the_room_screen_shows_code_link_and_counts_but_no_people(store: Store) -> None:
    code, key = _workshop(store)
    for person in PEOPLE[:3]:
        _person(store, code, key, *person)
    at = _dashboard(code, key)
    assert any(p.proto.page == routes.WORKSHOP_ROOM or "Show to the room" in p.label for p in at.get("page_link"))
    at.switch_page(routes.WORKSHOP_ROOM).run()
    assert not at.exception and not at.error
    screen = next(h.value for h in at.get("html") if "room-screen" in h.value)
    assert code in screen and f"{BASE}/?join={code}" in screen
    assert "<b>3</b> joined · <b>2</b> submitted" in screen
    assert f'src="{qr_data_uri(f"{BASE}/?join={code}")}"' in screen
    text = _text(at)
    for word in [*NAMES, *DEPARTMENTS, "Executive", "Doctor", "Nurse", key]:
        assert word not in text, word
    # a new person and a submission show on the next run (the page reads the store; its timer only reruns it)
    _person(store, code, key, *PEOPLE[3][:3], True)
    at.run()
    screen = next(h.value for h in at.get("html") if "room-screen" in h.value)
    assert "<b>4</b> joined · <b>3</b> submitted" in screen


def test_the_room_screen_needs_the_facilitators_session(store: Store) -> None:
    code, key = _workshop(store)
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["url"] = f"{BASE}/"
    at.run()
    at.switch_page(routes.WORKSHOP_ROOM).run()
    assert not at.exception
    assert not [h for h in at.get("html") if "room-screen" in h.value]
    assert "opens from the workshop dashboard" in _text(at)
    assert code not in _text(at)
