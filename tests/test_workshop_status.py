"""The participant page's saved count after an answer comes from the save's own transaction (the status
`save_answers` returns), not from a second read; a run that saved nothing reads the store (the facilitator may
have reopened or changed something). Either way, what is shown as saved is what the store holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import APP
from streamlit.testing.v1 import AppTest

from assessment import store as store_module
from assessment.bank import default_bank
from assessment.store import Store
from assessment.store.participants import ParticipantOps
from assessment.ui import workshop_state as ws
from assessment.ui.sections import section_items


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'workshop.sqlite'}")
    monkeypatch.delenv(ws.BASE_URL_ENV, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    yield s
    s.close()


def _saved_line(at: AppTest) -> str:
    return str([p.proto.text for p in at.get("progress")][0])


def test_an_answer_shows_the_count_its_save_returned_without_reading_it_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = store.create_workshop("Status", None, "quick").workshop.join_code
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["join"] = code
    at.run()
    at.selectbox(key="wkw_role").set_value("nurse")
    at.button(key="wk_join").click().run()
    token = at.session_state[ws.TOKEN]
    reads: list[str] = []
    real = ParticipantOps.participant_status
    monkeypatch.setattr(ParticipantOps, "participant_status", lambda self, t: reads.append(t) or real(self, t))
    asked = len(default_bank().items_for("quick"))
    items = section_items(default_bank(), "quick", "ingredients")[:3]
    for n, item in enumerate(items, start=1):
        at.radio(key=ws.item_key(item.id)).set_value(n).run()  # the answer's run: the saved count only
        assert not at.exception
        assert _saved_line(at) == f"Your answers saved: {n} of {asked} statements"
        assert len(store.load_participant(token).answers) == n  # what is shown is what the store holds
        assert reads == []  # the answer's run saved, and took the count from its save
        at.run()  # the whole page again (AppTest shows only what the last run drew), which saves nothing: it reads
        assert reads == [token]
        reads.clear()
    at.radio(key=ws.item_key(items[0].id)).set_value(5).run()
    assert reads == []
    assert store.load_participant(token).answers[items[0].id].value == 5
    at.run()
    reads.clear()
    # someone else (a second tab on the same link) answers: a run that saves nothing reads the store
    store.save_answer(token, section_items(default_bank(), "quick", "ingredients")[3].id, "dont_know")
    at.run()
    assert reads == [token]
    assert _saved_line(at) == f"Your answers saved: 4 of {asked} statements"
