"""The Streamlit app, driven headless with AppTest: the quick scan through the widgets, resuming from a file,
corrupt files, moving between pages, the board view, the compare page and hostile text.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from helpers import APP, HOSTILE, ROOT, plain
from hypothesis import given
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from assessment import AnswerSet, assess, default_bank, load_answers
from assessment.ui import routes, state
from assessment.ui.sections import PLAN_FIELDS, SECTION_IDS, section_items
from assessment.ui.widgets import esc, label_text

EXAMPLES = ROOT / "examples"
TEXT_FIELDS = ("innovation_title", "organisation_name", "department")
SELECT_FIELDS = ("organisation_type", "respondent_role", "stage")


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def example(name: str) -> AnswerSet:
    return load_answers(EXAMPLES / f"{name}.json", default_bank())


def fill_start(at: AppTest, answer_set: AnswerSet) -> None:
    ctx = answer_set.context
    for field in TEXT_FIELDS:
        at.text_input(key=state.context_key(field)).set_value(getattr(ctx, field))
    at.text_area(key=state.context_key("innovation_description")).set_value(ctx.innovation_description)
    for field in SELECT_FIELDS:
        at.selectbox(key=state.context_key(field)).set_value(getattr(ctx, field))
    at.radio(key=state.context_key("radicalness")).set_value(ctx.radicalness)
    at.radio(key=state.MODE_WIDGET).set_value(answer_set.mode)
    at.run()
    assert not at.exception


def fill_questionnaire(at: AppTest, answer_set: AnswerSet) -> None:
    """Answer every section through its widgets, moving on with the 'Next section' button."""
    bank = default_bank()
    at.button(key="start_questionnaire").click().run()
    assert [t.value for t in at.title] == ["Questionnaire"]
    for section_id in SECTION_IDS:
        assert at.session_state[state.SECTION] == section_id
        if section_id == "plan":
            for field in PLAN_FIELDS:
                choice = answer_set.context.plan_answer(field) or "not_sure"
                at.radio(key=state.plan_key(field)).set_value(choice)
        else:
            for item in section_items(bank, answer_set.mode, section_id):
                given = answer_set.answers.get(item.id)
                if given is not None and given.value is not None:
                    at.radio(key=state.item_key(item.id)).set_value(given.value)
                if given is not None and given.comment:
                    at.text_input(key=state.comment_key(item.id)).set_value(given.comment)
        at.run()
        assert not at.exception
        if section_id != SECTION_IDS[-1]:
            at.button(key="next_section").click().run()


def shown_strategy(at: AppTest) -> str:
    headings = [plain(v)[4:] for v in texts(at) if v.startswith("### ")]
    assert headings, "no recommendation card on the page"
    return headings[0]


# ----- the main flow -----------------------------------------------------------------------------------


def test_quick_scan_through_the_widgets_gives_the_engines_recommendation():
    answer_set = example("riverside_quick_scan")
    at = new_app()
    fill_start(at, answer_set)
    fill_questionnaire(at, answer_set)
    at.button(key="to_results").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Results"]

    expected = assess(answer_set, default_bank()).recommendation
    assert shown_strategy(at) == expected.strategy_label
    assert any(plain(v) == expected.reason for v in texts(at))
    assert not at.error

    # the canonical state is the same answer set the engine saw
    rebuilt = state.current_answer_set(default_bank(), at.session_state)  # type: ignore[arg-type]
    assert rebuilt.ratings() == answer_set.ratings()
    assert assess(rebuilt).recommendation.strategy == expected.strategy


def test_answers_survive_switching_pages():
    answer_set = example("riverside_quick_scan")
    at = new_app()
    fill_start(at, answer_set)
    fill_questionnaire(at, answer_set)
    before = copy.deepcopy(at.session_state[state.ANSWERS])
    for page in (routes.START, routes.RESULTS, routes.BOARD, routes.COMPARE, routes.QUESTIONNAIRE):
        at.switch_page(page).run()
        assert not at.exception
    assert at.session_state[state.ANSWERS] == before
    # back in the section the respondent left, with the widgets seeded from the kept answers
    assert at.session_state[state.SECTION] == "plan"
    at.button(key="prev_section").click().run()
    for item in section_items(default_bank(), "quick", "conditions"):
        assert at.radio(key=state.item_key(item.id)).value == answer_set.answers[item.id].value
    at.switch_page(routes.START).run()
    assert at.text_input(key=state.context_key("innovation_title")).value == answer_set.context.innovation_title


def test_switching_mode_keeps_the_answers_already_given():
    at = new_app()
    at.switch_page(routes.QUESTIONNAIRE).run()
    first = section_items(default_bank(), "quick", "ingredients")[0]
    at.radio(key=state.item_key(first.id)).set_value(4).run()
    at.switch_page(routes.START).run()
    at.radio(key=state.MODE_WIDGET).set_value("full").run()
    at.switch_page(routes.QUESTIONNAIRE).run()
    assert at.radio(key=state.item_key(first.id)).value == 4
    assert len(at.radio) > len(section_items(default_bank(), "quick", "ingredients"))


# ----- resuming from a file --------------------------------------------------------------------------


def fresh_store() -> dict[str, Any]:
    store: dict[str, Any] = {}
    state.init_state(store)
    return store


def test_apply_upload_restores_everything_saved():
    bank = default_bank()
    saved = example("riverside_two_step").model_copy(update={"section": "conditions"})
    saved.answers["sl_commissioners_early"].comment = "Discussed at the March board"
    store = fresh_store()
    store[state.item_key("sl_commissioners_early")] = 1  # a stale widget value must not survive a resume
    assert state.apply_upload(saved.to_json().encode(), "saved.json", bank, store) is None
    assert store[state.MODE] == saved.mode
    assert store[state.SECTION] == "conditions"
    assert state.item_key("sl_commissioners_early") not in store
    restored = state.current_answer_set(bank, store)
    assert restored.answers == saved.answers
    assert restored.context == saved.context
    assert json.loads(restored.to_json())["answers"] == json.loads(saved.to_json())["answers"]


def test_a_not_sure_plan_answer_survives_save_and_resume():
    bank = default_bank()
    store = fresh_store()
    store[state.PLAN] = {"political_work_first": "not_sure", "step_one_evidence": "no"}
    saved = state.current_answer_set(bank, store)
    assert saved.context.plan_answer("political_work_first") == "not_sure"
    assert saved.context.step_one_evidence == "no"
    again = fresh_store()
    assert state.apply_upload(saved.to_json().encode(), "saved.json", bank, again) is None
    assert again[state.PLAN] == {"political_work_first": "not_sure", "step_one_evidence": "no"}
    assert state.current_answer_set(bank, again).context == saved.context


def test_a_file_without_a_section_resumes_at_the_first_open_section():
    bank = default_bank()
    saved = example("riverside_quick_scan")
    ingredients = {i.id for i in section_items(bank, "quick", "ingredients")}
    answered = {k: v for k, v in saved.answers.items() if k in ingredients}
    assert len(answered) == len(ingredients)  # the first section complete, the next one untouched
    partial = saved.model_copy(update={"answers": answered, "section": None})
    store = fresh_store()
    assert state.apply_upload(partial.to_json().encode(), "partial.json", bank, store) is None
    assert store[state.SECTION] == "affordances"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not a UTF-8 text file"),
        (b"[1, 2]", "must hold a JSON object"),
        (json.dumps({"schema_version": 3, "bank_version": "x"}).encode(), "schema version 3"),
        (
            json.dumps({"schema_version": 1, "bank_version": "x", "answers": {"zz_unknown": {"value": 3}}}).encode(),
            "does not have",
        ),
        (
            json.dumps(
                {"schema_version": 1, "bank_version": "x", "answers": {"sl_commissioners_early": {"value": 9}}}
            ).encode(),
            "invalid value",
        ),
    ],
)
def test_a_corrupt_or_foreign_file_leaves_the_answers_untouched(data: bytes, expected: str):
    bank = default_bank()
    store = fresh_store()
    assert state.apply_upload(example("northmoor_hold_back").to_json().encode(), "mine.json", bank, store) is None
    before = copy.deepcopy({k: store[k] for k in (state.ANSWERS, state.CONTEXT, state.PLAN, state.MODE, state.SECTION)})
    problem = state.apply_upload(data, "bad.json", bank, store)
    assert problem is not None and expected in problem
    assert {k: store[k] for k in before} == before


def test_the_resume_uploader_restores_and_opens_the_saved_section():
    saved = example("riverside_two_step").model_copy(update={"section": "affordances"})
    at = new_app()
    at.file_uploader(key=state.uploader_key_for("upload_resume_start", 0)).upload(
        "riverside.json", saved.to_json().encode(), "application/json"
    )
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Questionnaire"]
    assert at.session_state[state.SECTION] == "affordances"
    assert any("Resumed from riverside" in plain(s.value) for s in at.success)
    item = section_items(default_bank(), "full", "affordances")[0]
    assert at.radio(key=state.item_key(item.id)).value == saved.answers[item.id].value
    at.switch_page(routes.RESULTS).run()
    assert shown_strategy(at) == assess(saved).recommendation.strategy_label


def test_a_corrupt_upload_shows_a_clear_message_and_keeps_the_answers():
    at = new_app()
    at.switch_page(routes.QUESTIONNAIRE).run()
    first = section_items(default_bank(), "quick", "ingredients")[0]
    at.radio(key=state.item_key(first.id)).set_value(5).run()
    at.switch_page(routes.START).run()
    at.file_uploader(key=state.uploader_key_for("upload_resume_start", 0)).upload(
        "broken.json", b'{"schema_version": 1, "bank_version": ', "application/json"
    )
    at.run()
    assert not at.exception
    messages = [plain(e.value) for e in at.error]
    assert any("Could not resume" in m and "not valid JSON" in m for m in messages)
    assert at.session_state[state.ANSWERS][first.id]["value"] == 5
    assert [t.value for t in at.title] == ["Innovation readiness self-assessment"]
    # the message also sits beside the uploaders (and in a toast), and the rejected file is not left in them
    assert sum("Could not resume" in m for m in messages) >= 2
    assert any("Could not resume" in plain(t.proto.body) for t in at.get("toast"))
    assert at.session_state[state.UPLOADS] == 1


# ----- results, board and compare pages -----------------------------------------------------------


def app_with(answer_set: AnswerSet) -> AppTest:
    at = new_app()
    store = fresh_store()
    state.restore(answer_set, default_bank(), store)
    for key in (state.ANSWERS, state.CONTEXT, state.CHOSEN, state.PLAN, state.MODE, state.SECTION):
        at.session_state[key] = store[key]
    return at


@pytest.mark.parametrize("name", ["riverside_two_step", "eastvale_centralized", "northmoor_hold_back"])
def test_results_page_shows_recommendation_warnings_and_plan(name: str):
    answer_set = example(name)
    rec = assess(answer_set).recommendation
    at = app_with(answer_set)
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    assert shown_strategy(at) == rec.strategy_label
    alerts = [plain(a.value) for a in (*at.error, *at.warning)]
    for w in rec.warnings:
        assert any(w.title in a for a in alerts)
    page = "\n".join(plain(v) for v in texts(at))
    for rule in rec.fired_rules:
        assert rule.title in page
    for change in rec.sensitivity:
        assert change.description in page
    assert rec.disclaimer in "\n".join(plain(c.value) for c in at.caption)
    assert "Action plan" in [s.value for s in at.subheader]
    assert len(at.get("plotly_chart")) == 2
    if rec.strategy == "two_step":
        assert "Step one" in page and "Step two" in page
        assert any("When to move on to step two" in plain(i.value) for i in at.info)


def test_the_results_table_prints_each_score_as_every_other_output_does():
    """Looked at on the results page: its table printed 3.25 and 3.33 where the reason, the PDF and the board print
    3.2 and 3.3 (`plain.score_text`: one decimal, two only when one would cross a cut point)."""
    from assessment.plain import score_text

    answer_set = example("eastvale_centralized")
    result = assess(answer_set)
    at = app_with(answer_set)
    at.switch_page(routes.RESULTS).run()
    (table,) = [d.value for d in at.dataframe if "Score (1-5)" in d.value.columns]
    shown = dict(zip(table["Dimension"], table["Score (1-5)"], strict=True))
    for score in result.scores.values():
        want = score_text(score.mean) if score.mean is not None and score.sufficient else "not scored"
        assert shown[score.label] == want, score.label


def test_results_page_offers_pdf_or_says_it_is_not_there_yet():
    at = app_with(example("riverside_two_step"))
    at.switch_page(routes.RESULTS).run()
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("download_csv" in k for k in keys)
    try:
        import assessment.report  # noqa: F401
    except ImportError:
        assert any("PDF report is not available" in i.value for i in at.info)
    else:
        assert any("download_pdf" in k for k in keys)


def test_board_page_has_title_and_at_most_three_messages():
    at = app_with(example("northmoor_hold_back"))
    at.switch_page(routes.BOARD).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Innovation readiness: board summary"]
    lists = [v for v in texts(at) if v.startswith("1. ")]
    assert len(lists) == 1
    assert 1 <= len(lists[0].splitlines()) <= 3
    assert len(at.get("plotly_chart")) == 1
    assert shown_strategy(at) == assess(example("northmoor_hold_back")).recommendation.strategy_label
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("board_radar_png" in k for k in keys) and any("board_radar_pdf" in k for k in keys)


def test_board_presentation_mode_shows_only_the_slide():
    at = app_with(example("northmoor_hold_back"))
    at.switch_page(routes.BOARD).run()
    at.toggle(key="board_radar_present").set_value(True).run()
    assert not at.exception
    assert not at.title and not at.get("plotly_chart")  # the slide image replaces the page
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert 'class="board-slide"' in shown and "data:image/svg+xml;base64," in shown
    assert 'alt="Innovation readiness: board summary.' in shown
    at.toggle(key="board_radar_present").set_value(False).run()
    assert [t.value for t in at.title] == ["Innovation readiness: board summary"]


def test_compare_page_shows_deltas_and_the_move():
    at = app_with(example("riverside_two_step"))
    at.switch_page(routes.COMPARE).run()
    earlier = example("northmoor_hold_back")
    at.file_uploader(key=state.uploader_key_for("upload_earlier", 0)).upload(
        "earlier.json", earlier.to_json().encode(), "application/json"
    )
    at.run()
    assert not at.exception
    # two different organisations: said so, both named, and the recommendations set side by side, not as a move
    assert any("two different organisations" in plain(w.value) for w in at.warning)
    boxes = [plain(b.value) for b in (*at.warning, *at.info, *at.success)]
    assert not any("moved from" in b for b in boxes)
    assert any(
        "The earlier file recommends Hold back; the current one recommends Two-step institutional work." in b
        for b in boxes
    )
    text = " ".join(plain(m.value) for m in at.markdown)
    assert earlier.context.organisation_name in text and "Riverside" in text
    table = at.dataframe[0].value
    assert list(table.columns) == ["Dimension", "Earlier", "Current", "Change", "Direction"]
    assert len(table) == 15
    assert table["Change"].notna().any()
    assert len(at.get("plotly_chart")) == 1


def test_compare_page_rejects_a_corrupt_earlier_file():
    at = app_with(example("riverside_two_step"))
    at.switch_page(routes.COMPARE).run()
    at.file_uploader(key=state.uploader_key_for("upload_earlier", 0)).upload("x.json", b"nonsense", "text/plain")
    at.run()
    assert not at.exception
    assert any("Could not read the earlier assessment" in plain(e.value) for e in at.error)
    assert state.EARLIER not in at.session_state


# ----- safety -----------------------------------------------------------------------------------------


def test_hostile_text_is_shown_as_text():
    answer_set = example("riverside_quick_scan")
    answer_set.context.innovation_title = HOSTILE
    answer_set.context.organisation_name = HOSTILE
    at = app_with(answer_set)
    for page in (routes.QUESTIONNAIRE, routes.RESULTS, routes.BOARD):
        at.switch_page(page).run()
        assert not at.exception
        for md in texts(at):
            assert "<script>" not in md
            assert "[click](" not in md and "**bold**" not in md
    at.switch_page(routes.RESULTS).run()
    assert any(HOSTILE in plain(v) for v in texts(at))


def test_esc_round_trips_every_markdown_character():
    nasty = r"\`*_{}[]()#+-.!|~<>$:&= plain words"
    assert plain(esc(nasty)) == nasty
    assert "\n" not in esc("one line")


@given(hs.text(hs.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")))
def test_a_label_reads_as_typed(text: str) -> None:
    assert plain(label_text(text)) == text


def test_an_ordinary_sentence_reaches_a_screen_reader_unescaped() -> None:
    """Streamlit's aria-label is the label string itself: `label_text` leaves a sentence with ordinary punctuation
    as it is (`esc` would put a backslash before every full stop), and escapes what inline Markdown would change."""
    sentence = "1. Clinicians (not managers) in A&E lead it - it's agreed: ~5 people, $5,000 a year, 3.5 / 5; yes!"
    assert label_text(sentence) == sentence
    assert label_text("**x** _y_ [z](u) :red[r] $m$ `c` ~~s~~ &amp; &#65; <b>") == (
        r"\*\*x\*\* \_y\_ \[z\](u) \:red\[r\] \$m\$ \`c\` \~\~s\~\~ \&amp; \&#65; \<b>"
    )
    # emoji codes: Streamlit finds `:name:` in the raw label, so a backslash must break every such run
    assert label_text("Use :smile:, :+1: and :100:") == r"Use \:smile\:, :+1\: and :100\:"
    assert not re.search(r":[\w+-][\w+-]*:", label_text(":a:b:c: 10:100:1000"))


def test_an_unexpected_error_shows_a_message_not_a_traceback():
    def page() -> None:
        from assessment.ui.widgets import guarded

        guarded(lambda: 1 / 0)

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.error and "Something went wrong" in at.error[0].value


def test_glossary_page_explains_the_terms_and_results_link_to_it():
    at = app_with(example("riverside_two_step"))
    at.switch_page(routes.GLOSSARY).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    for term in ("Meso level", "Affordances", "r_wg", "Centralized project", "Two-step institutional work"):
        assert term in text
    at.switch_page(routes.RESULTS).run()
    assert any(link.proto.page.endswith("glossary.py") or "glossary" in link.proto.page for link in at.get("page_link"))
    text = " ".join(plain(m.value) for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert not re.search(r"\bL\d{2,}", text), "line locators belong in the report's method section only"


@pytest.mark.parametrize("name", ["riverside_two_step", "northmoor_hold_back", "eastvale_centralized"])
def test_results_and_board_show_no_raw_ids_or_python_literals(name):
    raw = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|not_sure|\b[a-z]+_[a-z_]+\b|\bL\d{2,}")
    at = app_with(example(name))
    for route in (routes.RESULTS, routes.BOARD):
        at.switch_page(route).run()
        shown = [plain(m.value) for m in at.markdown] + [c.value for c in at.caption]
        shown += [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
        shown += [str(v) for t in at.table for v in t.value.to_numpy().ravel()]
        shown = [re.sub(r":material/[a-z_]+:", "", text) for text in shown]  # icon names are not shown as text
        found = {m.group(0) for text in shown for m in raw.finditer(text)} - {"r_wg"}
        assert not found, (route, found)
