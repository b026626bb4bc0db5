"""The workshop pages, driven headless with AppTest against a fresh SQLite file per test: creating a workshop,
joining from a link, every answer in the store as it is given, resuming, wrong codes and rate limiting, the
dashboard behind its key, hidden results, agreed scores, downloads and hostile text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import APP, HOSTILE, answer_statement, plain
from streamlit.testing.v1 import AppTest

from assessment import store as store_module
from assessment.answers import Context
from assessment.bank import default_bank
from assessment.plain import score_text
from assessment.store import Store
from assessment.ui import routes, state
from assessment.ui import workshop_state as ws
from assessment.ui import workshop_views as views
from assessment.ui.sections import PLAN_FIELDS, PLAN_QUESTIONS, SECTION_BY_ID, SECTION_IDS, section_items
from assessment.workshop import ConsensusScore, summarise_answer_sets

BASE = "https://readiness.example.org"


def shown(at: AppTest) -> list[str]:
    """Every Markdown source on the page: markdown, captions, alerts and titles."""
    out = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    out += [m.value for m in (*at.info, *at.warning, *at.error, *at.success)]
    return out


def page_text(at: AppTest) -> str:
    return "\n".join(plain(v) for v in shown(at))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh database file for each test; get_store() is reset so the app cannot keep a stale one."""
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'workshop.sqlite'}")
    monkeypatch.delenv(ws.BASE_URL_ENV, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    s = store_module.get_store()
    assert s.url.endswith("workshop.sqlite")
    yield s
    s.close()


def app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["url"] = f"{BASE}/"
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def workshop(store: Store, *, title: str = "Frailty workshop", hide: bool = False, **ctx: Any) -> tuple[str, str]:
    created = store.create_workshop(
        title,
        Context(innovation_title=ctx.pop("innovation_title", "Integrated frailty pathway"), **ctx),
        mode="quick",
        hide_until_submitted=hide,
    )
    return created.workshop.join_code, created.facilitator_key


PEOPLE = [  # role, department, base rating: managers rate higher than clinicians
    ("executive", "Board", 5),
    ("executive", "Board", 4),
    ("middle_manager", "Quality", 4),
    ("doctor", "Surgery", 2),
    ("doctor", "Acute medicine", 1),
    ("doctor", "Surgery", 2),
    ("nurse", "Acute medicine", 2),
    ("nurse", "Elderly care", 3),
    ("nurse", "Surgery", 1),
]


def populate(
    store: Store, code: str, *, submit: bool = True, comment: str = "Only on paper", shift: int = 0
) -> list[str]:
    """Nine participants answer every quick-scan item (each rating moved by `shift`); returns their tokens."""
    items = [i.id for i in store.bank.items_for("quick")]
    tokens = []
    for n, (role, dept, base) in enumerate(PEOPLE):
        joined = store.join_workshop(code, role, name="" if n % 2 else f"Person {n}", department=dept, client_key="x")
        ratings = {
            i: (max(1, min(5, base + shift + (k % 3) - 1)), comment if k == 0 else "") for k, i in enumerate(items)
        }
        store.save_answers(joined.participant_token, ratings)
        if submit:
            store.submit(joined.participant_token)
        tokens.append(joined.participant_token)
    return tokens


def open_dashboard(code: str, key: str) -> AppTest:
    at = app(facilitate=code)
    at.text_input(key="wdw_key").set_value(key)
    at.button(key="wd_open").click().run()
    assert not at.exception
    return at


def view(at: AppTest, name: str) -> AppTest:
    at.segmented_control(key="wd_view").set_value(name).run()
    assert not at.exception
    return at


# ----- routing -----------------------------------------------------------------------------------------------


def test_no_page_path_ends_another_pages_path():
    """st.context.url trims any page path that the URL ends with, so "dashboard" would lose its "board"."""
    inferred = [Path(p).stem for p in (routes.QUESTIONNAIRE, routes.RESULTS, routes.BOARD, routes.COMPARE)]
    paths = [*inferred, *routes.WORKSHOP_PATHS]
    for a in paths:
        for b in paths:
            assert a == b or not a or not b or not a.endswith(b), (a, b)


def test_links_at_the_root_open_their_pages(store: Store):
    code, _ = workshop(store)
    at = app(join=code)
    assert [t.value for t in at.title] == ["Join a workshop"]
    assert at.text_input(key=ws.CODE_WIDGET).value == code
    at = app(facilitate=code)
    assert [t.value for t in at.title] == ["Workshop dashboard"]
    assert at.text_input(key="wdw_code").value == code
    at = app()
    assert [t.value for t in at.title] == ["Innovation readiness self-assessment"]


# ----- facilitator: create -----------------------------------------------------------------------------------


def test_creating_a_workshop_shows_code_links_and_the_key_once(store: Store):
    at = app()
    at.context["url"] = f"{BASE}/{routes.WORKSHOP_NEW_PATH}"
    at.switch_page(routes.WORKSHOP_NEW).run()
    at.text_input(key="wsn_title").set_value("Frailty pathway workshop")
    at.text_input(key="wsn_innovation").set_value("Integrated frailty pathway")
    at.text_input(key="wsn_organisation").set_value("Riverside NHS Trust")
    at.selectbox(key="wsn_stage").set_value("diffusion")
    at.radio(key="wsn_radicalness").set_value("radical")
    at.radio(key="wsn_mode").set_value("quick")
    at.toggle(key="wsn_hide").set_value(True)
    at.button(key="wsn_create").click().run()
    assert not at.exception and not at.error

    created = at.session_state[ws.CREATED]
    code, key = created["code"], created["key"]
    info = store.open_workshop(code, key)  # the key shown is the real key
    assert info.title == "Frailty pathway workshop"
    assert info.mode == "quick" and info.hide_until_submitted and info.context.stage == "diffusion"
    codes = [c.value for c in at.code]
    assert f"{BASE}/?join={code}" in codes  # built from the page URL, without the page path
    assert key in codes
    assert f"{BASE}/?facilitate={code}" in codes
    assert not any(key in c and "?" in c for c in codes)  # the key is in no link
    assert any(code in m.value and "font-size" in m.value for m in at.markdown)  # big code
    assert "only way back to the dashboard" in page_text(at)

    at.button(key="ws_open_created").click().run()
    assert not at.exception
    assert at.query_params == {routes.FACILITATE_PARAM: code}
    assert plain(at.title[0].value) == "Workshop: Frailty pathway workshop"
    # the key is never shown again, not even on the set-up page
    at.switch_page(routes.WORKSHOP_NEW).run()
    assert key not in [c.value for c in at.code]
    assert ws.CREATED not in at.session_state


def choose_deciding(at: AppTest) -> None:
    at.selectbox(key="wsn_stage").set_value("adoption")
    at.radio(key="wsn_radicalness").set_value("incremental")


def test_creating_a_workshop_needs_a_title(store: Store):
    at = app()
    at.switch_page(routes.WORKSHOP_NEW).run()
    at.button(key="wsn_create").click().run()
    assert not at.exception  # radicalness and stage are asked first, with nothing preselected
    assert any("both decide the strategy" in plain(e.value) for e in at.error)
    choose_deciding(at)
    at.button(key="wsn_create").click().run()
    assert any("Give the workshop a title" in plain(e.value) for e in at.error)
    assert ws.CREATED not in at.session_state


def test_join_link_falls_back_to_the_configured_base(store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ws.BASE_URL_ENV, "https://workshops.example.net/app/")
    at = app()
    at.switch_page(routes.WORKSHOP_NEW).run()
    at.text_input(key="wsn_title").set_value("W")
    choose_deciding(at)
    at.button(key="wsn_create").click().run()
    code = at.session_state[ws.CREATED]["code"]
    assert f"https://workshops.example.net/app/?join={code}" in [c.value for c in at.code]


def test_reopening_a_dashboard_needs_the_right_key(store: Store):
    code, key = workshop(store)
    at = app()
    at.switch_page(routes.WORKSHOP_NEW).run()
    at.text_input(key="wsn_reopen_code").set_value(code.lower().replace("-", " "))
    at.text_input(key="wsn_reopen_key").set_value("not the key")
    at.button(key="wsn_reopen").click().run()
    assert any("facilitator key does not match" in plain(e.value) for e in at.error)
    at.text_input(key="wsn_reopen_key").set_value(f" {key} ")
    at.button(key="wsn_reopen").click().run()
    assert not at.exception
    assert plain(at.title[0].value) == "Workshop: Frailty workshop"


# ----- participant -------------------------------------------------------------------------------------------


def join(at: AppTest, role: str, name: str = "", department: str = "") -> AppTest:
    at.selectbox(key="wkw_role").set_value(role)
    at.text_input(key="wkw_name").set_value(name)
    at.text_input(key="wkw_department").set_value(department)
    at.button(key="wk_join").click().run()
    assert not at.exception
    return at


def test_a_participant_joins_from_the_link_and_every_answer_reaches_the_store(store: Store):
    code, key = workshop(store)
    at = app(join=code)
    join(at, "nurse", "Nora", "Acute medicine")
    assert not at.error
    token = at.session_state[ws.TOKEN]
    assert at.query_params == {routes.RESUME_PARAM: token}  # a reload comes back to the answers
    assert f"{BASE}/?resume={token}" in [c.value for c in at.code]
    assert [p.name for p in store.participants(code, key)] == ["Nora"]

    bank = default_bank()
    first, second = section_items(bank, "quick", "ingredients")[:2]
    at.radio(key=ws.item_key(first.id)).set_value(4).run()
    # the answer reran the saved count only (the browser keeps the statements as drawn), which saved it
    assert not at.radio and [p.proto.text for p in at.get("progress")] == ["Your answers saved: 1 of 30 statements"]
    assert [w.value for w in at.get("button_group")] == ["ingredients"]  # the switcher, with its counts
    at.run()
    answer_statement(at, ws.item_key(second.id), "dont_know")
    answer_statement(at, ws.comment_key(second.id), "Never discussed with us", comment=True)
    saved = store.load_participant(token).answers
    assert saved[first.id].value == 4
    assert (saved[second.id].value, saved[second.id].comment) == ("dont_know", "Never discussed with us")
    # changing an answer updates it; clearing nothing else
    answer_statement(at, ws.item_key(first.id), 2)
    assert store.load_participant(token).answers[first.id].value == 2
    # the plan questions too
    at.button(key="wk_next").click().run()
    at.button(key="wk_next").click().run()
    at.button(key="wk_next").click().run()
    assert at.session_state[ws.SECTION] == "plan"
    at.radio(key=ws.plan_key("political_work_first")).set_value("yes").run()
    assert store.load_participant(token).context.political_work_first == "yes"
    assert not at.error
    # the single-respondent answers are untouched, and the workshop page has no single-respondent sidebar
    assert at.session_state[state.ANSWERS] == {}
    assert not at.sidebar.get("download_button")


def test_the_section_switcher_shows_the_section_chosen(store: Store):
    """The switcher sits in the saved count's fragment; choosing a section reruns the whole page."""
    code, _ = workshop(store)
    at = app(join=code)
    join(at, "nurse")
    bank = default_bank()
    at.segmented_control(key=ws.SECTION_WIDGET).set_value("conditions").run()
    assert not at.exception and at.session_state[ws.SECTION] == "conditions"
    shown = [r.key for r in at.radio]
    assert shown == [ws.item_key(i.id) for i in section_items(bank, "quick", "conditions")]
    assert [h.value for h in at.subheader] == [SECTION_BY_ID["conditions"].title]
    at.segmented_control(key=ws.SECTION_WIDGET).set_value("plan").run()
    assert [r.key for r in at.radio] == [ws.plan_key(f.field) for f in PLAN_QUESTIONS]


def test_the_resume_link_restores_the_answers_and_the_place(store: Store):
    code, _ = workshop(store)
    bank = default_bank()
    joined = store.join_workshop(code, "doctor", client_key="x")
    ingredients = section_items(bank, "quick", "ingredients")
    store.save_answers(joined.participant_token, {i.id: (3, "") for i in ingredients})
    store.save_answer(joined.participant_token, ingredients[0].id, 5, "Board minutes say so")
    at = app(resume=joined.participant_token)
    assert not at.error
    assert at.session_state[ws.SECTION] == "affordances"  # the first section with something left
    at.button(key="wk_prev").click().run()
    assert at.radio(key=ws.item_key(ingredients[0].id)).value == 5
    assert at.text_input(key=ws.comment_key(ingredients[0].id)).value == "Board minutes say so"
    assert all(at.radio(key=ws.item_key(i.id)).value == 3 for i in ingredients[1:])
    at.radio(key=ws.item_key(ingredients[1].id)).set_value(1).run()
    assert store.load_participant(joined.participant_token).answers[ingredients[1].id].value == 1


def test_a_broken_resume_link_says_so_and_offers_the_join_form(store: Store):
    at = app(resume="not-a-token")
    assert any("resume link is not valid" in plain(e.value) for e in at.error)
    assert [t.value for t in at.title] == ["Join a workshop"]


def test_a_wrong_or_malformed_code_shows_the_stores_message(store: Store):
    workshop(store)
    at = app(join="ABCD-EFGH")
    join(at, "doctor")
    assert any("No workshop has the code ABCD-EFGH" in plain(e.value) for e in at.error)
    at.text_input(key=ws.CODE_WIDGET).set_value("10IL-OOOO")
    join(at, "doctor")
    assert any("Codes never use 0, 1, I, L or O" in plain(e.value) for e in at.error)
    at.text_input(key=ws.CODE_WIDGET).set_value("ABCD-EFGH")
    at.selectbox(key="wkw_role").set_value(None)
    at.button(key="wk_join").click().run()
    assert any("Choose your role" in plain(e.value) for e in at.error)
    assert ws.TOKEN not in at.session_state


def test_an_unexpected_failure_while_joining_keeps_the_form_and_says_so_in_plain_words(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The join button's callback runs before the page's script, outside its `guarded`: it catches for itself."""
    code, _ = workshop(store)

    def locked(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(Store, "join_workshop", locked)
    at = app(join=code)
    join(at, "doctor")
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [plain(ws.UNEXPECTED)]
    assert at.title[0].value == "Join a workshop" and at.button(key="wk_join")
    assert ws.TOKEN not in at.session_state


def test_too_many_wrong_codes_pause_joining_for_this_browser_session(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    limited = Store(store.url, join_max_failures=2)
    monkeypatch.setattr(store_module, "_default", limited)
    code, _ = workshop(limited)
    at = app(join="ABCD-EFGH")
    join(at, "doctor")
    join(at, "doctor")
    at.text_input(key=ws.CODE_WIDGET).set_value(code)  # even the right code, until the window has passed
    join(at, "doctor")
    assert any("Too many wrong workshop codes" in plain(e.value) for e in at.error)
    assert ws.TOKEN not in at.session_state
    other = app(join=code)  # another browser session has its own client key
    join(other, "doctor")
    assert ws.TOKEN in other.session_state
    limited.close()


def _to_last_section(at: AppTest) -> AppTest:
    while at.session_state[ws.SECTION] != SECTION_IDS[-1]:
        at.button(key="wk_next").click().run()
    return at


def test_submit_only_from_the_last_section_after_a_review_and_a_confirmation(store: Store):
    """Finding 2: "Submit my answers" was on every section, the first included, with no confirmation, and a
    participant submitted 0 of 19."""
    code, key = workshop(store)
    at = app(join=code)
    join(at, "executive")
    assert "wk_submit" not in [b.key for b in at.button]  # not on the first section
    _to_last_section(at)
    assert "wk_submit" not in [b.key for b in at.button]  # nothing answered: refused, with the reason
    quick = len(default_bank().items_for("quick"))
    assert any(f"Answer at least {math.ceil(quick / 2)}" in plain(w.value) for w in at.warning)
    assert [p.submitted for p in store.participants(code, key)] == [False]
    at.button(key="wk_prev").click().run()
    token = at.session_state[ws.TOKEN]
    store.save_answers(token, {i.id: 4 for i in default_bank().items_for("quick")[: quick - 2]})
    _to_last_section(at)
    # check your answers: what this page holds unanswered (the answers above were saved behind its back), each by
    # its text with a link to it, the last two statements and the plan questions among them
    assert "not answered yet." in page_text(at)
    links = {b.key: b.label for b in at.button if b.key.startswith("wk_goto_")}
    for item in default_bank().items_for("quick")[quick - 2 :]:
        assert item.render("Integrated frailty pathway")[:40] in plain(links[f"wk_goto_{ws.item_key(item.id)}"])
    assert {f"wk_goto_{ws.plan_key(f)}" for f in PLAN_FIELDS} <= set(links)
    at.button(key="wk_submit").click().run()
    at.button(key="wk_submit_cancel").click().run()  # changed their mind: nothing submitted
    assert [p.submitted for p in store.participants(code, key)] == [False]
    at.button(key="wk_submit").click().run()
    assert any(f"Submit {quick - 2} of {quick} statements now?" in plain(i.value) for i in at.info)
    at.button(key="wk_submit_confirm").click().run()
    assert not at.exception
    assert any("Thank you" in plain(s.value) for s in at.success)
    assert [p.submitted for p in store.participants(code, key)] == [True]
    first = section_items(default_bank(), "quick", "ingredients")[0]
    at.button(key="wk_prev").click().run()
    at.button(key="wk_prev").click().run()
    at.button(key="wk_prev").click().run()
    assert at.radio(key=ws.item_key(first.id)).disabled
    # reopened by the facilitator: editable again after the next rerun
    store.reopen_participant(code, key, store.participants(code, key)[0].participant_id)
    at.run()
    assert not at.radio(key=ws.item_key(first.id)).disabled


def test_progress_shows_what_the_store_holds(store: Store):
    code, key = workshop(store)
    at = app(join=code)
    join(at, "nurse")
    store.save_answers(at.session_state[ws.TOKEN], {i.id: 3 for i in default_bank().items_for("quick")[:5]})
    at.run()
    quick = len(default_bank().items_for("quick"))
    assert f"Your answers saved: 5 of {quick} statements" in [p.proto.text for p in at.get("progress")][0]


def test_the_dashboard_refuses_without_the_key(store: Store):
    code, key = workshop(store)
    populate(store, code)
    at = app(facilitate=code)
    assert not at.get("plotly_chart") and not at.dataframe
    at.button(key="wd_open").click().run()
    assert any("Enter the facilitator key" in plain(e.value) for e in at.error)
    at.text_input(key="wdw_key").set_value("guess")
    at.button(key="wd_open").click().run()
    assert any("facilitator key does not match" in plain(e.value) for e in at.error)
    assert not at.get("plotly_chart") and not at.dataframe
    assert ws.F_KEY not in at.session_state
    # another workshop's code in the link asks for that workshop's key
    other, _ = workshop(store, title="Other")
    at = open_dashboard(code, key)
    at.query_params[routes.FACILITATE_PARAM] = other
    at.run()
    assert [t.value for t in at.title] == ["Workshop dashboard"]


def test_the_dashboard_shows_participants_spread_roles_and_agenda(store: Store):
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    assert not at.error
    summary = store.summary(code, key)
    # participants: role, department, name or anonymous, and the progress as a status, never a count of answers
    # (a count could match a line here with a row of an export)
    people = at.dataframe[0].value
    assert list(people.columns) == ["#", "Role", "Department", "Name", "Status"]
    assert len(people) == len(PEOPLE)
    assert people["Name"].tolist()[:2] == ["Person 0", "anonymous"]
    assert set(people["Status"]) == {"submitted"}
    n_quick = len(default_bank().items_for("quick"))
    assert not [v for v in people.to_numpy().ravel() if str(n_quick) in str(v)]
    # aggregate scores with their spread, as a chart and a table
    spread = next(d.value for d in at.dataframe if "r_wg" in d.value.columns)
    assert len(spread) == 15
    ce = summary.dimensions["clinician_engagement"]
    row = spread[spread["Dimension"] == default_bank().dimension_by_id["clinician_engagement"].short_label].iloc[0]
    assert row["Group score"] == score_text(ce.mean) and row["SD"] == f"{ce.sd:.2f}"  # text: never "None"
    assert not any(str(v) in ("None", "nan") for v in spread.to_numpy().ravel())
    assert len(at.get("plotly_chart")) == 2  # spread and the role heatmap
    text = page_text(at)
    # the recommendation, the agenda with means by role and comments
    assert summary.result.recommendation.strategy_label in text
    assert summary.agenda and summary.agenda[0].text in text
    assert "Only on paper" in text or not any(a.comments for a in summary.agenda)
    # roles: recommendations per role as a finding, disagreement index beside heterogeneity, perception gaps
    assert "Finding:" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Role-disagreement index"] == f"{summary.role_disagreement.index:.2f}"
    assert metrics["Heterogeneity as answered"] == f"{summary.role_disagreement.heterogeneity_score:.1f}"
    assert summary.perception_gap_flagged
    flagged = next(g for g in summary.perception_gaps if g.flagged)  # which one depends on the quick scan's items
    assert any(f"Perception gap on {flagged.label.lower()}" in plain(w.value) for w in at.warning)
    assert "Micro-politics (2023)" in text
    assert summary.department_pockets.explanation in text


def test_hidden_results_show_participation_only_until_everyone_has_submitted(store: Store):
    code, key = workshop(store, hide=True)
    tokens = populate(store, code, submit=False)
    at = open_dashboard(code, key)
    assert not at.exception
    assert len(at.dataframe) == 1  # the participant list only
    assert not at.get("plotly_chart")
    assert any("hidden until everyone has submitted" in plain(i.value) for i in at.info)
    view(at, "Downloads")
    assert all(b.proto.disabled for b in at.get("download_button"))
    for t in tokens:
        store.submit(t)
    view(at, "Live results")
    assert len(at.get("plotly_chart")) == 2
    # switched off from the settings
    store.reopen_participant(code, key, store.participants(code, key)[0].participant_id)
    view(at, "Settings")
    at.toggle(key="wd_hide").set_value(False).run()
    assert not store.open_workshop(code, key).hide_until_submitted
    view(at, "Live results")
    assert len(at.get("plotly_chart")) == 2


def _strategy_changing_score(store: Store, code: str, key: str, tokens: list[str]) -> tuple[str, float, str]:
    """A dimension and a one-decimal score that change the group's strategy, found from the sensitivity (tried on
    the participants' own answers, read with their tokens: no facilitator call returns one person's answers)."""
    summary = store.summary(code, key)
    assert summary.release is not None and summary.release.people == len(tokens)  # everyone submitted: released
    for change in summary.group_result.recommendation.sensitivity:
        if change.kind != "score" or change.key not in summary.dimensions:
            continue
        target = float(change.target)  # type: ignore[arg-type]
        current = summary.dimensions[change.key].mean or 3.0
        score = math.ceil(target * 10) / 10 if target > current else math.floor(target * 10) / 10
        score = min(5.0, max(1.0, score))
        sets = [store.load_participant(t) for t in tokens]
        agreed = [ConsensusScore(dimension=change.key, score=score)]
        trial = summarise_answer_sets(sets, context=store.open_workshop(code, key).context, consensus=agreed)
        if trial.result.recommendation.strategy != summary.group_result.recommendation.strategy:
            return change.key, score, trial.result.recommendation.strategy_label
    raise AssertionError("no single agreed score changes this workshop's strategy")


def test_an_agreed_score_just_below_a_cut_point_prints_below_it(store: Store):
    """An agreed score is kept to two decimals and sets its dimension's status: 2.47 is weak, so every line that
    prints it says 2.47, never "2.5" (the cut point it does not reach)."""
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    view(at, "Agreed scores")
    dim = "flexible_leadership"
    at.selectbox(key="wd_cons_dim").set_value(dim).run()
    at.number_input(key=f"wd_cons_score_{dim}").set_value(2.47).run()
    at.button(key="wd_cons_record").click().run()
    assert not at.exception and not at.error
    assert store.consensus(code, key)[dim].score == 2.47
    text = page_text(at)
    assert "recorded: 2.47" in text and "agreed 2.47" in text and "agreed score 2.47" in text
    assert not re.search(r"agreed (score )?2\.5\b|recorded: 2\.5\b", text)


def test_agreed_scores_change_the_result_and_every_view_says_so(store: Store):
    code, key = workshop(store)
    tokens = populate(store, code, shift=1)  # a group that acts, so that one agreed score can change its strategy
    dim, score, new_label = _strategy_changing_score(store, code, key, tokens)
    before = store.summary(code, key).result.recommendation.strategy_label
    at = open_dashboard(code, key)
    view(at, "Agreed scores")
    at.selectbox(key="wd_cons_dim").set_value(dim).run()
    at.number_input(key=f"wd_cons_score_{dim}").set_value(score).run()
    at.text_input(key=f"wd_cons_note_{dim}").set_value("Agreed after the ward managers spoke").run()
    at.button(key="wd_cons_record").click().run()
    assert not at.exception and not at.error
    summary = store.summary(code, key)
    assert summary.consensus_used and summary.consensus_dimensions == [dim]
    assert summary.consensus_changed_strategy
    assert summary.result.recommendation.strategy_label == new_label
    label = default_bank().dimension_by_id[dim].label
    notice = f"The agreed scores changed the recommended strategy from {before} to {new_label}"
    assert any(notice in plain(i.value) for i in at.info)
    assert "Agreed after the ward managers spoke" in page_text(at)
    # live view and board view say so too
    view(at, "Live results")
    assert any(notice in plain(i.value) for i in at.info)
    assert f"### {new_label}" in [plain(m.value) for m in at.markdown]
    view(at, "Board view")
    text = page_text(at)
    assert f"Agreed (consensus) scores used for: {label}" in text
    assert f"changed the recommendation from {before} to {new_label}" in text
    assert "agreed scores for 1 dimension" in text
    # the report's workshop section records it
    assert views.WorkshopSection.from_summary(summary).consensus_used
    # and clearing brings the computed result back
    view(at, "Agreed scores")
    at.button(key=f"wd_cons_clear_{dim}").click().run()
    assert store.consensus(code, key) == {}
    assert not store.summary(code, key).consensus_used


def test_downloads_hold_every_answer_and_the_report_is_a_pdf(store: Store, monkeypatch: pytest.MonkeyPatch):
    organiser_key = "Vq8mZ2rT_x4LkN7pW3cY9hJd"
    monkeypatch.setenv("ASSESSMENT_ORGANISER_KEY", organiser_key)
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    view(at, "Downloads")
    keys = {b.proto.id for b in at.get("download_button")}
    assert not any("wd_csv" in i for i in keys)  # row-level: only for a signed-in organiser
    at.text_input(key="wd_organiser_key").set_value(organiser_key)
    at.button(key="wd_organiser_open").click().run()
    assert not at.exception
    keys = {b.proto.id for b in at.get("download_button")}
    assert all(any(k in i for i in keys) for k in ("wd_csv", "wd_json", "wd_pdf"))
    assert not any(b.proto.disabled for b in at.get("download_button"))
    pdf = views.group_report(code, key, default_bank())
    assert pdf[:5] == b"%PDF-"


def test_with_no_organiser_gate_the_responses_csv_is_off_and_the_dashboard_says_how_to_open_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("ASSESSMENT_ORGANISER_KEY", raising=False)
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    view(at, "Downloads")
    keys = {b.proto.id for b in at.get("download_button")}
    assert not any("wd_csv" in i for i in keys)  # row-level, and no organiser sign-in is configured
    assert all(any(k in i for i in keys) for k in ("wd_json", "wd_pdf"))  # the figures stay available
    text = page_text(at)
    assert "No organiser sign-in is set up" in text and "ASSESSMENT_ORGANISER_KEY" in text
    assert not [t for t in at.text_input if t.key == "wd_organiser_key"]


def test_the_board_view_reuses_the_board_page(store: Store):
    code, key = workshop(store)
    populate(store, code)
    at = open_dashboard(code, key)
    view(at, "Board view")
    assert [t.value for t in at.title] == ["Innovation readiness: board summary"]
    assert len(at.get("plotly_chart")) == 1
    lists = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert len(lists) == 1 and 1 <= len(lists[0].splitlines()) <= 3
    assert "workshop of 9 participants" in page_text(at)
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("wd_board_radar_png" in k for k in keys) and any("wd_board_radar_pdf" in k for k in keys)


# ----- safety ------------------------------------------------------------------------------------------------


def test_hostile_text_is_shown_as_text_everywhere(store: Store):
    code, key = workshop(store, title=HOSTILE, innovation_title=HOSTILE, organisation_name=HOSTILE)
    populate(store, code, comment=HOSTILE)
    joined = store.join_workshop(code, "nurse", name=HOSTILE, department=HOSTILE, client_key="x")
    store.save_answer(joined.participant_token, store.bank.items_for("quick")[0].id, 1, HOSTILE)
    pages = [open_dashboard(code, key)]
    for name in ("Agreed scores", "Board view", "Downloads", "Settings"):
        pages.append(view(open_dashboard(code, key), name))
    pages.append(app(resume=joined.participant_token))
    for at in pages:
        assert not at.exception
        for md in shown(at):
            assert "<script>" not in md
            assert "[click](" not in md and "**bold**" not in md and ":red[" not in md
    live = pages[0]
    assert any(HOSTILE in plain(v) for v in shown(live))  # the comment, verbatim
    assert HOSTILE in live.dataframe[0].value["Name"].tolist()  # plain cells
    assert any(HOSTILE in plain(t.value) for t in pages[-1].title)


def test_a_failing_store_never_shows_a_traceback(store: Store, monkeypatch: pytest.MonkeyPatch):
    code, _ = workshop(store)
    at = app(join=code)
    join(at, "doctor")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database is on fire")

    monkeypatch.setattr(Store, "save_answers", broken)
    first = section_items(default_bank(), "quick", "ingredients")[0]
    at.radio(key=ws.item_key(first.id)).set_value(4).run()
    assert not at.exception
    assert any(ws.SAVE_FAILED in plain(e.value) for e in at.error)
    assert at.radio(key=ws.item_key(first.id)).value is None  # the widget shows what is really saved
    assert "database is on fire" not in page_text(at)


def test_an_answer_whose_callback_was_dropped_is_still_saved(store: Store):
    """Streamlit can deliver a widget's value without calling its on_change (quick clicks during reruns); the
    page catches up before it counts the answers. Setting the widget through session state does the same."""
    code, _ = workshop(store)
    at = app(join=code)
    join(at, "nurse")
    token = at.session_state[ws.TOKEN]
    first, second = section_items(default_bank(), "quick", "ingredients")[:2]
    at.session_state[ws.item_key(first.id)] = 2
    at.session_state[ws.comment_key(second.id)] = "  Said in passing  "
    at.run()
    saved = store.load_participant(token).answers
    assert saved[first.id].value == 2
    assert (saved[second.id].value, saved[second.id].comment) == (None, "Said in passing")
    assert any("Your answers saved: 1 of" in p.proto.text for p in at.get("progress"))


def test_the_single_respondent_questionnaire_catches_up_too(store: Store):
    at = app()
    at.switch_page(routes.QUESTIONNAIRE).run()
    first = section_items(default_bank(), "quick", "ingredients")[0]
    at.session_state[state.item_key(first.id)] = 5
    at.run()
    assert at.session_state[state.ANSWERS][first.id]["value"] == 5
    n = len(section_items(default_bank(), "quick", "ingredients"))
    assert any(f"1 of {n} answered" in p.proto.text for p in at.get("progress"))


def test_an_expired_workshop_says_so_to_its_participants(store: Store, monkeypatch: pytest.MonkeyPatch):
    code, _ = workshop(store)
    at = app(join=code)
    join(at, "doctor")
    later = Store(store.url, clock=lambda: datetime.now(UTC) + timedelta(days=31))
    monkeypatch.setattr(store_module, "_default", later)
    at.run()
    assert not at.exception
    assert any("closed on" in plain(e.value) for e in at.error)
    at.button(key="wk_leave_gone").click().run()
    assert ws.TOKEN not in at.session_state
    assert [t.value for t in at.title] == ["Join a workshop"]
    later.close()
