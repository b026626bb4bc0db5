"""Issue 19, 6 and 10: the facilitator's controls (numbers 1..N, exclusion with a reason and a confirmation,
nothing preselected) and plain words on the dashboard (no None, no line numbers, agreement explained)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from test_workshop_app import open_dashboard, page_text, populate, store, view, workshop  # noqa: F401

from assessment.store import Store


def test_participants_are_numbered_1_to_n_and_nobody_is_preselected(store: Store):  # noqa: F811
    other, _ = workshop(store, title="Another")
    for _ in range(5):  # ids in this workshop no longer start at 1
        store.join_workshop(other, "nurse", client_key="y")
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    assert list(at.dataframe[0].value["#"]) == list(range(1, 10))
    at = view(at, "Settings")
    who = at.selectbox(key="wd_exclude_who")
    assert who.index is None and who.value is None
    assert at.selectbox(key="wd_reopen_who").value is None
    assert at.button(key="wd_exclude").disabled and at.button(key="wd_reopen").disabled
    assert all(o.startswith(f"#{n} ") for n, o in enumerate(who.options, start=1))


def test_excluding_needs_a_choice_a_reason_and_a_confirmation(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Settings")
    ninth = store.participants(code, key)[8].participant_id
    at.selectbox(key="wd_exclude_who").set_value(ninth).run()
    at.button(key="wd_exclude").click().run()  # no reason, no confirmation yet: the press says what is missing
    assert not any(p.excluded for p in store.participants(code, key))
    assert "Nobody was excluded: give a reason and tick \u2018Yes, exclude #9\u2019 first." in page_text(at)
    at.text_input(key="wd_exclude_reason").set_value("joined twice").run()
    at.button(key="wd_exclude").click().run()
    assert not any(p.excluded for p in store.participants(code, key))
    assert "Nobody was excluded: tick \u2018Yes, exclude #9\u2019 first." in page_text(at)
    at.checkbox(key="wd_exclude_confirm").check().run()
    assert "#9" in at.checkbox(key="wd_exclude_confirm").label
    at.button(key="wd_exclude").click().run()
    assert not at.exception
    assert [p.participant_id for p in store.participants(code, key) if p.excluded] == [ninth]
    assert "Participant #9 excluded." in page_text(at)
    assert any(e.action.startswith("exclu") and "joined twice" in e.detail for e in store.audit_log(code, key)) or any(
        "exclu" in e.action for e in store.audit_log(code, key)
    )
    assert at.selectbox(key="wd_exclude_who").value is None  # the form is cleared after use


LINE_NUMBER = re.compile(r"\bL\d{2,4}\b")


def test_the_dashboard_shows_no_none_and_no_line_numbers(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    text = page_text(at)
    cells = " ".join(str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel())
    for shown in (text, cells):
        assert "None" not in shown and not LINE_NUMBER.search(shown)
    assert "nan" not in cells.split()
    assert text.count("agreement (r_wg, 0 = none, 1 = full)") >= 1


def test_a_reason_typed_last_counts_with_the_press_that_takes_the_focus_from_it(store: Store):  # noqa: F811
    """Confirmed first, then the reason typed and Exclude clicked at once: the reason reaches the server with the
    press (its box sends it as it loses the focus). The button was once disabled until the reason was in, so that
    click met a disabled button and did nothing."""
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Settings")
    ninth = store.participants(code, key)[8].participant_id
    at.selectbox(key="wd_exclude_who").set_value(ninth).run()
    at.checkbox(key="wd_exclude_confirm").check().run()
    assert not at.button(key="wd_exclude").disabled  # drawn before any reason is in
    at.text_input(key="wd_exclude_reason").set_value("joined twice")
    at.button(key="wd_exclude").click().run()
    assert [p.participant_id for p in store.participants(code, key) if p.excluded] == [ninth]


def test_a_press_that_arrives_with_a_new_choice_never_excludes_the_wrong_person(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Settings")
    people = store.participants(code, key)
    ninth, eighth = people[8].participant_id, people[7].participant_id
    at.selectbox(key="wd_exclude_who").set_value(ninth).run()
    at.text_input(key="wd_exclude_reason").set_value("joined twice").run()
    at.checkbox(key="wd_exclude_confirm").check().run()  # confirmed for #9
    at.selectbox(key="wd_exclude_who").set_value(eighth)  # changed, and pressed before the page redrew
    at.button(key="wd_exclude").click().run()
    assert not at.exception
    assert not any(p.excluded for p in store.participants(code, key))
    assert "Nobody was excluded" in page_text(at)
    assert not at.checkbox(key="wd_exclude_confirm").value  # asked to confirm again, for #8 this time
    at.checkbox(key="wd_exclude_confirm").check().run()
    assert "#8" in at.checkbox(key="wd_exclude_confirm").label
    at.button(key="wd_exclude").click().run()
    assert [p.participant_id for p in store.participants(code, key) if p.excluded] == [eighth]


def test_another_choice_takes_back_the_confirmation_given_for_the_one_before(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Settings")
    people = store.participants(code, key)
    at.selectbox(key="wd_exclude_who").set_value(people[8].participant_id).run()
    at.checkbox(key="wd_exclude_confirm").check().run()  # "Yes, exclude #9"
    at.selectbox(key="wd_exclude_who").set_value(people[7].participant_id).run()
    assert not at.checkbox(key="wd_exclude_confirm").value and "#8" in at.checkbox(key="wd_exclude_confirm").label
    at.text_input(key="wd_exclude_reason").set_value("joined twice")
    at.button(key="wd_exclude").click().run()
    assert not any(p.excluded for p in store.participants(code, key))
    assert "Nobody was excluded: tick \u2018Yes, exclude #8\u2019 first." in page_text(at)


def test_extend_and_reopen_use_the_values_sent_with_the_press(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Settings")
    at.number_input(key="wd_extend_days").set_value(3)  # typed, then the button pressed straight away
    at.button(key="wd_extend").click().run()
    assert not at.exception
    left = store.workshop_view(code, key)[0].info.expires_at - datetime.now(UTC)  # open for another 3 days from now
    assert round(left.total_seconds() / 86400) == 3
    assert "Extended by 3 days." in page_text(at)
    submitted = [p.participant_id for p in store.participants(code, key) if p.submitted]
    at.selectbox(key="wd_reopen_who").set_value(submitted[1]).run()
    at.selectbox(key="wd_reopen_who").set_value(submitted[0])  # changed as the button was pressed
    at.button(key="wd_reopen").click().run()
    assert not at.exception
    reopened = {p.participant_id for p in store.participants(code, key) if not p.submitted}
    assert submitted[0] in reopened and submitted[1] not in reopened


def test_an_agreed_score_is_not_recorded_for_a_dimension_changed_as_the_button_was_pressed(store: Store):  # noqa: F811
    code, key = workshop(store)
    populate(store, code)
    at = view(open_dashboard(code, key), "Agreed scores")
    at.selectbox(key="wd_cons_dim").set_value("early_adopters").run()
    at.number_input(key="wd_cons_score_early_adopters").set_value(4.5).run()
    at.selectbox(key="wd_cons_dim").set_value("partnerships")  # chosen, and the button pressed before a redraw
    at.button(key="wd_cons_record").click().run()
    assert not at.exception
    assert store.summary(code, key).consensus_dimensions == []
    assert "Nothing was recorded" in page_text(at)
    at.button(key="wd_cons_record").click().run()  # now drawn for partnerships: recorded for it, as shown
    assert store.summary(code, key).consensus_dimensions == ["partnerships"]
