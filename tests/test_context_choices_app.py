"""Issue 19, 7 and 9: radicalness and stage are asked, not preselected, the same way on the Start page and the
workshop form; the results wait for both; the Start page's counts are the sidebar's."""

from __future__ import annotations

from helpers import APP, plain
from streamlit.testing.v1 import AppTest

from assessment.bank import default_bank
from assessment.ui import routes, state
from assessment.ui.context_choices import RADICALNESS_WHY, STAGE_WHY
from assessment.ui.sections import overall_progress


def _start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(routes.START).run()
    assert not at.exception
    return at


def test_start_asks_radicalness_and_stage_with_nothing_preselected_and_results_wait():
    at = _start()
    radical = at.radio(key=state.context_key("radicalness"))
    stage = at.selectbox(key=state.context_key("stage"))
    assert radical.index is None and radical.value is None
    assert stage.index is None and stage.value is None
    captions = [c.value for c in at.caption]
    assert RADICALNESS_WHY in captions and STAGE_WHY in captions
    at.switch_page(routes.RESULTS).run()
    assert any("both decide the strategy" in plain(i.value) for i in at.info)
    assert not at.get("plotly_chart")
    at.switch_page(routes.START).run()
    at.radio(key=state.context_key("radicalness")).set_value("radical")
    at.selectbox(key=state.context_key("stage")).set_value("diffusion")
    at.run()
    assert at.session_state[state.CONTEXT]["radicalness"] == "radical"
    at.switch_page(routes.RESULTS).run()
    assert not any("both decide the strategy" in plain(i.value) for i in at.info)
    at.switch_page(routes.START).run()  # the choice is kept, not reset to nothing
    assert at.radio(key=state.context_key("radicalness")).value == "radical"


def test_the_workshop_form_asks_the_same_questions():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(routes.WORKSHOP_NEW).run()
    radical, stage = at.radio(key="wsn_radicalness"), at.selectbox(key="wsn_stage")
    assert radical.index is None and stage.index is None
    start = _start()
    assert radical.label == start.radio(key=state.context_key("radicalness")).label
    assert radical.options == start.radio(key=state.context_key("radicalness")).options
    assert stage.label == start.selectbox(key=state.context_key("stage")).label
    captions = [c.value for c in at.caption]
    assert RADICALNESS_WHY in captions and STAGE_WHY in captions


def test_start_counts_agree_with_the_sidebar():
    at = _start()
    bank = default_bank()
    mode = at.radio(key=state.MODE_WIDGET)
    for caption, m in zip(mode.proto.captions, ("quick", "full"), strict=True):
        total = overall_progress(bank, m, {}, {}).total  # the sidebar's "0 of N answered"
        assert caption.startswith(f"{total} questions")
    assert f"0 of {overall_progress(bank, 'quick', {}, {}).total} answered" in at.sidebar.get("progress")[0].proto.text
