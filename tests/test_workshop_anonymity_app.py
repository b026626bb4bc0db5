"""The anonymity threshold in every view of the app: the dashboard, the JSON export, the group PDF and the join
page. The group of the issue's acceptance test: 30 people, among them one doctor, one nurse and one manager, each
giving a score nobody else gives (1.0, 5.0 and 2.0 while the other 27 give 4)."""

from __future__ import annotations

import io
import json

import pandas as pd
from pypdf import PdfReader
from test_anonymity import small_figures
from test_workshop_app import app, open_dashboard, page_text, store, view, workshop  # noqa: F401

from assessment.bank import default_bank
from assessment.store import Store
from assessment.ui import dashboard_admin as admin
from assessment.ui import workshop_views as views

LONE = {"doctor": (1, "Cardiology"), "nurse": (5, "Maternity"), "middle_manager": (2, "Finance")}


def thirty(store: Store, code: str) -> None:  # noqa: F811
    items = [i.id for i in store.bank.items_for("quick")]
    for n in range(27):
        t = store.join_workshop(code, "allied_health", department="Therapies", client_key=f"a{n}").participant_token
        store.save_answers(t, dict.fromkeys(items, 4))
        store.submit(t)
    for role, (rating, dept) in LONE.items():
        t = store.join_workshop(code, role, name=f"The {role}", department=dept, client_key=role).participant_token
        store.save_answers(t, {i: (rating, f"{role} alone says so" if k == 0 else "") for k, i in enumerate(items)})
        store.submit(t)


def figure_ends(at: object) -> list[float]:
    """Every plotted value of the dashboard's charts, and the ends of their error bars."""
    ends: list[float] = []
    for chart in at.get("plotly_chart"):  # type: ignore[attr-defined]
        for trace in json.loads(chart.proto.spec)["data"]:
            xs = [x for x in trace.get("x") or [] if isinstance(x, int | float)]
            ends += xs
            err = trace.get("error_x") or {}
            for x, up, down in zip(xs, err.get("array") or [], err.get("arrayminus") or [], strict=False):
                ends += [x + up, x - down]
    return ends


def test_the_dashboard_shows_no_lone_persons_score(store: Store) -> None:  # noqa: F811
    code, key = workshop(store)
    thirty(store, code)
    at = open_dashboard(code, key)
    assert not at.error
    text = page_text(at)
    for label in ("Doctor", "Nurse", "Middle or quality manager"):
        assert f"{label} **" not in text and f"{label} 1." not in text and f"{label} 5." not in text
    assert "(n = 1)" not in text and "(n = 2)" not in text
    assert "Other roles (merged)" in text or any("Other roles" in str(c) for c in at.get("plotly_chart"))
    assert "fewer than 3 people" in text
    for frame in (d.value for d in at.dataframe):
        if "Department" in frame.columns and "Participants" in frame.columns:  # department pockets
            assert set(frame["Department"]) == {"Therapies", "Other departments"}
    # every view: no lowest or highest score (the lone doctor's 1 and the lone nurse's 5 would be them), in the
    # text, the tables or the charts
    for name in ("Live results", "Agreed scores", "Board view", "Downloads"):  # the page runs when imported
        view(at, name)
        text = page_text(at)
        assert " range " not in text and "Lowest" not in text and "Highest" not in text, name
        for frame in (d.value for d in at.dataframe):
            assert not {"Lowest", "Highest", "Range"} & set(frame.columns), name
        plotted = figure_ends(at)
        assert not [v for v in plotted if any(abs(v - lone) < 0.005 for lone in (1.0, 5.0))], name


def test_the_csv_export_singles_nobody_out(store: Store) -> None:  # noqa: F811
    code, key = workshop(store)
    thirty(store, code)
    text = admin._csv(code, key, default_bank(), 3)
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False)
    # no role and no department column: the rows of the release are numbered, nothing else
    assert list(frame.columns) == ["respondent", "item_id", "dimension", "value", "comment"]
    assert frame.respondent.nunique() == 30
    for role, (_, dept) in LONE.items():  # neither the lone people's roles, nor their names, nor their wards
        assert f",{role}," not in text and f"The {role}" not in text and dept not in text
        assert f"{role} alone says so" in set(frame.comment)  # the comment is kept, without its author's role
    assert "allied_health" not in text and "Therapies" not in text
    participant_ids = {p.participant_id for p in store.participants(code, key)}
    assert not participant_ids & set(frame.respondent) or set(frame.respondent) == set(range(1, 31))


def test_the_json_export_shows_no_lone_persons_score(store: Store) -> None:  # noqa: F811
    code, key = workshop(store)
    thirty(store, code)
    data = json.loads(admin._json(code, key))
    assert small_figures(data, 3) == []
    assert data["min_group"] == 3 and [e["action"] for e in data["audit_log"]] == ["created", "exported"]
    dumped = json.dumps(data)
    assert '"doctor"' not in dumped  # not even in the participation counts: a lone role's completion is one person's
    assert [r["role"] for r in data["participation"]["by_role"]] == ["allied_health", "other_roles"]


def test_the_group_pdf_shows_no_lone_persons_score_or_role(store: Store) -> None:  # noqa: F811
    code, key = workshop(store)
    thirty(store, code)
    pdf = views.group_report(code, key, default_bank())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for role in LONE:
        assert f"{role} alone says so" in text  # the comment is kept, without its author's role
    for label in ("Doctor:", "Nurse:", "Middle or quality manager:", "The doctor", "Cardiology"):
        assert label not in text, label


def test_fewer_than_k_answers_show_no_result(store: Store) -> None:  # noqa: F811
    code, key = workshop(store)
    items = [i.id for i in store.bank.items_for("quick")]
    for n in range(3):  # three have answered, two of them submitted: fewer than k submitted, so no release
        t = store.join_workshop(code, "nurse", client_key=f"n{n}").participant_token
        store.save_answers(t, dict.fromkeys(items, 5 - 2 * n))
        if n < 2:
            store.submit(t)
    at = open_dashboard(code, key)
    assert not at.error
    text = page_text(at)
    assert "No results yet: results appear once at least 3 people have submitted their answers." in text
    assert "2 more people have submitted" in text
    assert not at.get("plotly_chart")


def test_the_join_page_states_the_rule_and_the_workshops_own_k(store: Store) -> None:  # noqa: F811
    created = store.create_workshop("Strict", None, "quick", min_group_size=5)
    at = app(join=created.workshop.join_code)
    assert "No figure describes fewer than the workshop's minimum group size" in page_text(at)
    at.selectbox(key="wkw_role").set_value("nurse")
    at.button(key="wk_join").click().run()
    assert "No figure describes fewer than 5 people" in page_text(at)
