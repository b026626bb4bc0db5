"""An answer on the participant page reruns only what it changes: a statement's answer the saved count and the move
to the next question (`ui.answering._after_statement`), a plan answer the answering part (`ui.answering._answers`),
a press the whole page (`ui.participant.whole_page`); the first two are st.fragments, and they save, count and move
on as the whole page did.

The join button is a callback too (`page_scripts/workshop_join._join`): a press that arrives after the join (a
double click) is ignored, not a second join or a message nobody asked for.

Driven over Streamlit's websocket as a phone's browser does (bench/loadgen.py: a widget drawn in a fragment asks
for that fragment's run), against one `assessment serve` process on SQLite; every answer checked in the store.
"""

from __future__ import annotations

import random
import secrets
import sys
from collections.abc import Iterator

import pytest
from conftest import ROOT
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(ROOT / "bench"))

import cluster
import loadgen

from assessment.store import Store
from assessment.ui import workshop_state as ws
from assessment.ui.widgets import esc
from assessment.ui.workshop_state import SAVE_FAILED

LEAVE_BUTTON = "-wk_leave"  # outside the fragment: the page's own run draws it
SWITCHER = "-wkw_section"  # the section switcher, in the saved count's fragment
COMMENT_WIDGET = "-wkw_comment_"  # a statement's comment box: widget id "$$ID-<hash>-wkw_comment_<item id>"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    folder = tmp_path_factory.mktemp("fragment")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    store = Store(url)
    with cluster.apps(url, 1, folder) as (started,):
        yield started.url, store


def test_an_answer_reruns_only_its_part_and_is_saved_counted_and_followed(app: tuple[str, Store]) -> None:
    base_url, store = app
    code = store.create_workshop("Fragment", None, "quick").workshop.join_code
    run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))
    rng = random.Random(7)

    async def session() -> None:
        async with loadgen.join_link_page(base_url, code, run.device) as page:
            await loadgen.joined(page, run, "Nurse")
            # the page's own run drew everything: the page around the part (the leave button) and the part
            leave = page.find(LEAVE_BUTTON)
            assert page.widgets[leave].fragment == ""
            statements = [w for w in page.widgets.values() if loadgen.ITEM_WIDGET in w.proto.id]
            part = {w.fragment for w in statements}
            assert len(part) == 1 and "" not in part
            assert page.progress.startswith("Your answers saved: 0 of ")
            asked = int(page.progress.split(" of ")[1].split()[0])
            first_section = {loadgen.item_of(w.proto.id) for w in statements}
            # each statement of the first section: a run of the saved count and the move on alone (its callback
            # chose them), which saved it; the statements stay as drawn
            for n in range(1, len(first_section) + 1):
                assert await loadgen.answer_next(page, run, rng)
                switcher = page.widgets[page.find(SWITCHER)]
                assert len(page.reran) == 2 and switcher.fragment in page.reran and not page.reran & part
                assert page.drawn_by <= page.reran, f"answer {n} redrew {page.drawn_by}"
                assert page.progress == f"Your answers saved: {n} of {asked} statements"
                assert any(f" {n}/{len(first_section)}" in o.content for o in switcher.proto.options)
                assert leave in page.widgets
            # "Next section" (the whole page: the next section's statements), then its first statement
            assert await loadgen.answer_next(page, run, rng)
            assert next(reversed(run.sent)) not in first_section
            assert page.progress == f"Your answers saved: {len(first_section) + 1} of {asked} statements"
            assert leave in page.widgets

    loadgen.run_sync(session())
    assert len(run.sent) > 1
    assert loadgen.lost_answers(store, [run]) == []


def test_a_press_that_arrives_with_a_statements_change_redraws_the_whole_page(app: tuple[str, Store]) -> None:
    """A comment committed as "Next section" is tapped reaches the server as one request: the comment's callback
    asks for the saved count alone, the press's for the whole page, which reruns (the next section's statements
    drawn, the comment saved). Before, the press changed the section under the old statements."""
    base_url, store = app
    code = store.create_workshop("Comment and press", None, "quick").workshop.join_code
    run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))

    async def session() -> None:
        async with loadgen.join_link_page(base_url, code, run.device) as page:
            await loadgen.joined(page, run, "Nurse")
            first = {loadgen.item_of(w) for w in page.widgets if loadgen.ITEM_WIDGET in w}
            comment = next(w for w in page.widgets if COMMENT_WIDGET in w)
            press = page.find(loadgen.NEXT_BUTTON)
            part = page.widgets[press].fragment
            page.states[comment] = WidgetState(id=comment, string_value="Typed, then Next")
            await page.run([WidgetState(id=press, trigger_value=True)], part)
            assert page.reran == set() and "" in page.drawn_by  # the whole page
            shown = {loadgen.item_of(w) for w in page.widgets if loadgen.ITEM_WIDGET in w}
            assert shown and not shown & first  # the next section's statements, drawn
            return comment.split(COMMENT_WIDGET, 1)[1]

    item = loadgen.run_sync(session())
    assert store.load_participant(run.token or "").answers[item].comment == "Typed, then Next"


def test_a_workshop_deleted_meanwhile_redraws_the_whole_page_which_says_so(app: tuple[str, Store]) -> None:
    base_url, store = app
    created = store.create_workshop("Deleted meanwhile", None, "quick")
    run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))

    async def session() -> None:
        async with loadgen.join_link_page(base_url, created.workshop.join_code, run.device) as page:
            await loadgen.joined(page, run, "Nurse")
            assert await loadgen.answer_next(page, run, random.Random(1))
            assert page.drawn_by != {""}  # a run of the part alone
            store.delete_workshop(created.workshop.join_code, created.facilitator_key)
            assert await loadgen.answer_next(page, run, random.Random(2))
            assert "" in page.drawn_by, "the whole page should be redrawn once the workshop is gone"
            assert any("workshop" in alert.lower() for alert in page.alerts), page.alerts
            # and why the answer just given was not saved, once
            assert sum(alert.startswith("Not saved") for alert in page.alerts) == 1, page.alerts
            assert not any(loadgen.ITEM_WIDGET in wid for wid in page.widgets)  # no statement left to answer
            assert page.find("-wk_leave_gone") and not any(w.endswith(LEAVE_BUTTON) for w in page.widgets)

    loadgen.run_sync(session())


def test_a_failure_in_the_saved_counts_own_run_shows_the_plain_message_not_a_traceback(
    app: tuple[str, Store],
) -> None:
    """The saved count's own runs (after an answer) start outside the page's guard: a database that fails under it
    (here its participants table gone) gives the page's plain message, as a failure in the page's run does. The
    failed save put the answer's widget back, which only the statements' redraw shows: the whole page reruns."""
    base_url, store = app
    code = store.create_workshop("Fails meanwhile", None, "quick").workshop.join_code
    run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))

    async def session() -> None:
        async with loadgen.join_link_page(base_url, code, run.device) as page:
            await loadgen.joined(page, run, "Nurse")
            assert await loadgen.answer_next(page, run, random.Random(3))
            with store.engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE participants RENAME TO participants_away")
            try:
                assert await loadgen.answer_next(page, run, random.Random(4))
            finally:
                with store.engine.begin() as conn:
                    conn.exec_driver_sql("ALTER TABLE participants_away RENAME TO participants")
            assert page.reran == set() and "" in page.drawn_by  # the whole page
            assert page.tracebacks == []
            assert ws.UNEXPECTED in page.alerts, page.alerts
            assert esc(SAVE_FAILED) in page.alerts  # and why the answer was not saved, in one toast too
            assert page.toasts == [esc(SAVE_FAILED)], page.toasts

    loadgen.run_sync(session())


def test_a_join_press_arriving_after_the_join_neither_joins_again_nor_leaves_a_message(app: tuple[str, Store]) -> None:
    """Streamlit keeps a button's callback after the button has left the page, so the second press of a double
    click reached `_join` after the first had joined: the form's values were cleared by then, and "Choose your role"
    appeared on the next page that drew the form."""
    base_url, store = app
    created = store.create_workshop("Joined once", None, "quick")
    first = created.workshop.join_code
    other = store.create_workshop("Another", None, "quick").workshop.join_code
    device = secrets.token_urlsafe(16)

    async def session() -> None:
        async with loadgen.join_link_page(base_url, first, device) as page:
            await page.run()
            role = WidgetState(id=page.find(loadgen.ROLE_WIDGET), string_value="Nurse")
            press = WidgetState(id=page.find(loadgen.JOIN_BUTTON), trigger_value=True)
            link = page.query
            await page.run([role, press])
            assert page.query.startswith("resume=") and page.progress.startswith("Your answers saved: 0 of ")
            page.query = link  # the second press, sent by the browser before the first run's new address came
            await page.run([role, press])
            assert page.progress.startswith("Your answers saved: 0 of ") and not page.alerts
            page.query = f"join={other}"  # the same tab then follows another workshop's join link
            await page.run()
            assert page.find(loadgen.JOIN_BUTTON)
            assert not [a for a in page.alerts if "Choose your role" in a], page.alerts

    loadgen.run_sync(session())
    assert len(store.participants(first, created.facilitator_key)) == 1
