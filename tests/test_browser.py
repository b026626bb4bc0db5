"""End to end in headless Chromium: context, quick scan, every statement, results, board view screenshot.

Screenshots go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assessment import assess, default_bank, load_answers, parse_answers
from assessment.ui.context_choices import STAGE_QUESTION
from assessment.ui.labels import RADICALNESS_LABELS, STAGE_CHOICES
from assessment.ui.sections import (
    PLAN_FIELDS,
    SECTION_BY_ID,
    SECTION_IDS,
    section_items,
)
from assessment.vocabulary import PLAN_ANSWER_LABELS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "riverside_quick_scan.json"
VIEWPORT = {"width": 1600, "height": 900}  # 16:9
TIMEOUT_MS = 60_000  # a ceiling, not a wait: expectations return as soon as they hold (CI is busy)


_TEXT_OUTSIDE_ITS_CHART = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('text.bartext, .textpoint text, .annotation-text, .angularaxistick text')]
        .map(t => [t.textContent, t.getBoundingClientRect()])
        .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1).map(([text]) => text);
})"""


_CHARTS_FIT_THE_WINDOW = """() => [...document.querySelectorAll('.js-plotly-plot')].every(plot =>
    Math.abs(plot.querySelector('.main-svg').getBoundingClientRect().width - plot.getBoundingClientRect().width) < 2
    && plot.getBoundingClientRect().right <= window.innerWidth)"""


_LEGEND_OVER_A_NOTE = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const entries = [...plot.querySelectorAll('.legend .traces')].map(t => t.getBoundingClientRect());
    return [...plot.querySelectorAll('.annotation-text, .angularaxistick text')]
        .map(a => [a.textContent, a.getBoundingClientRect()])
        .filter(([, r]) => entries.some(l => r.left < l.right && l.left < r.right
                                          && r.top < l.bottom && l.top < r.bottom))
        .map(([text]) => text);
})"""


def settle(page: Any) -> None:
    """Wait until the script has finished its rerun."""
    page.wait_for_timeout(120)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)


def full_screenshot(page: Any, path: Path) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the page's height for one shot."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 50, 12_000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)


def main(page: Any) -> Any:
    return page.get_by_test_id("stMain")


def open_start(browser: Any, url: str, **options: Any) -> tuple[Any, Any]:
    """A new browser context (`options`: viewport and the like) on the start page, drawn; (context, page)."""
    context = browser.new_context(device_scale_factor=1, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(url)
        page.get_by_role("heading", name="Innovation readiness self-assessment").wait_for()
        settle(page)
    except Exception:
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "start-page-failure.png"))
        context.close()
        raise
    return context, page


def test_quick_scan_to_board_view(app_url: str, browser: Any, artifacts: Path) -> None:
    bank = default_bank()
    answer_set = load_answers(EXAMPLE, bank)
    expected = assess(answer_set, bank).recommendation
    context, page = open_start(browser, app_url, viewport=VIEWPORT)
    try:
        # context
        page.get_by_label("Innovation title").fill(answer_set.context.innovation_title)
        page.get_by_label("Innovation title").press("Tab")
        settle(page)
        page.get_by_label("Organisation name").fill(answer_set.context.organisation_name)
        page.get_by_label("Organisation name").press("Tab")
        settle(page)
        page.get_by_label("Department or service (optional)").fill(answer_set.context.department)
        page.get_by_label("Department or service (optional)").press("Tab")
        settle(page)
        # the example's context: the strategy depends on how big a change it is
        main(page).get_by_text(RADICALNESS_LABELS[answer_set.context.radicalness], exact=True).click()
        settle(page)
        page.get_by_label(STAGE_QUESTION).click()  # asked, not preselected (issue 19)
        page.get_by_role("option", name=STAGE_CHOICES[answer_set.context.stage], exact=True).click()
        settle(page)
        main(page).get_by_text("Quick scan", exact=True).click()
        settle(page)
        page.get_by_role("button", name="Start the questionnaire").click()
        page.get_by_role("heading", name="Questionnaire").wait_for()
        settle(page)

        # every statement, section by section
        for section_id in SECTION_IDS:
            main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title).wait_for()
            settle(page)
            groups = main(page).get_by_test_id("stRadio")
            if section_id == "plan":
                wanted = [PLAN_ANSWER_LABELS[answer_set.context.plan_answer(f) or "not_sure"] for f in PLAN_FIELDS]
            else:
                anchors = {i.id: bank.scales[i.scale].anchors for i in bank.items}
                wanted = [
                    anchors[i.id][answer_set.answers[i.id].value]  # type: ignore[index]
                    for i in section_items(bank, "quick", section_id)
                ]
            assert groups.count() == len(wanted)
            for n, label in enumerate(wanted, start=1):
                groups.nth(n - 1).get_by_text(label, exact=True).click()
                main(page).get_by_text(f"This section: {n} of {len(wanted)} answered").wait_for()
            if section_id == "ingredients":
                page.screenshot(path=str(artifacts / "questionnaire.png"), full_page=False)
            if section_id != SECTION_IDS[-1]:
                page.get_by_role("button", name="Next section").click()
                settle(page)
        total = len(bank.items_for("quick")) + len(PLAN_FIELDS)
        main(page).get_by_text(f"Whole questionnaire: {total} of {total} answered").wait_for()

        # results
        page.get_by_role("button", name="See the results").click()
        page.get_by_role("heading", name="Results").wait_for()
        settle(page)
        main(page).get_by_role("heading", name=expected.strategy_label).wait_for()
        assert main(page).get_by_text(expected.headline).first.is_visible()
        page.locator(".js-plotly-plot").first.wait_for()
        full_screenshot(page, artifacts / "results.png")
        # Every score drawn past its bar stays inside its chart, on a laptop's screen too (side by side at 1280 px,
        # they ran past the column's edge and were cut off).
        page.locator(".js-plotly-plot text.bartext").first.wait_for(state="attached")
        # And no spoke's name or note overlaps the radar's legend (the note did at every width, a name on the board).
        for width in (390, 1280, VIEWPORT["width"]):
            page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
            page.wait_for_function(_CHARTS_FIT_THE_WINDOW)  # Plotly redraws for the new width
            outside = page.evaluate(_TEXT_OUTSIDE_ITS_CHART)
            assert outside == [], (width, outside)
            overlaps = page.evaluate(_LEGEND_OVER_A_NOTE)
            assert overlaps == [], (width, overlaps)

        # downloads whose contents are built on click: the saved answers and the PDF report
        with page.expect_download() as saved:
            page.get_by_role("button", name="Save answers (JSON)").click()
        resumed = parse_answers(Path(saved.value.path()).read_bytes(), bank)
        assert resumed.ratings() == answer_set.ratings()
        assert resumed.context.innovation_title == answer_set.context.innovation_title
        pdf_button = main(page).get_by_role("button", name="Download PDF report")
        if pdf_button.count():
            with page.expect_download() as report:
                pdf_button.click()
            assert Path(report.value.path()).read_bytes()[:5] == b"%PDF-"

        # board view, for a 16:9 screenshot
        page.get_by_test_id("stSidebar").get_by_role("link", name="Board view").click()
        page.get_by_role("heading", name="Innovation readiness: board summary").wait_for()
        settle(page)
        page.locator(".js-plotly-plot").first.wait_for()
        assert main(page).get_by_role("heading", name=expected.strategy_label).is_visible()
        page.get_by_test_id("stSidebar").hover()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()  # as a user would, for a clean shot
        page.wait_for_timeout(600)  # the sidebar slides away; the radar finishes drawing
        page.screenshot(path=str(artifacts / "board.png"))
        assert page.evaluate(_TEXT_OUTSIDE_ITS_CHART) == [] and page.evaluate(_LEGEND_OVER_A_NOTE) == []
        assert (artifacts / "board.png").stat().st_size > 10_000
        assert not re.search(r"Traceback|Error:", main(page).inner_text())
    except Exception:
        page.screenshot(path=str(artifacts / "failure.png"))  # for diagnosing a failure after the fact
        raise
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
def test_board_presentation_mode_fills_one_screen(app_url: str, browser: Any, artifacts: Path, size: tuple) -> None:
    """Presentation mode: the whole board on one 16:9 screen, no scrolling, no Streamlit header, sidebar or
    chart toolbar in the shot."""
    width, height = size
    context, page = open_start(browser, app_url, viewport={"width": width, "height": height})
    try:
        page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(EXAMPLE))
        page.get_by_role("heading", name="Questionnaire").wait_for()  # a resumed file opens the questionnaire
        settle(page)
        heading = page.get_by_role("heading", name="Innovation readiness: board summary")
        for _ in range(3):  # a click that lands during a rerun can be dropped by the frontend: click again
            page.get_by_test_id("stSidebar").get_by_role("link", name="Board view").click()
            try:
                heading.wait_for(timeout=5_000)
                break
            except Exception:
                settle(page)
        heading.wait_for()
        settle(page)
        page.get_by_text("Presentation mode").first.click()
        page.locator(".board-slide img").wait_for()
        settle(page)
        page.wait_for_timeout(300)
        box = page.locator(".board-slide img").bounding_box()
        assert box is not None and box["width"] >= width - 1 and box["height"] >= height - 1
        for testid in ("stHeader", "stSidebar", "stToolbar"):
            assert not page.get_by_test_id(testid).is_visible()
        assert page.locator(".modebar").count() == 0 or not page.locator(".modebar").first.is_visible()
        scroll = page.evaluate("Math.max(document.scrollingElement.scrollHeight, document.body.scrollHeight)")
        assert scroll <= height + 1
        page.screenshot(path=str(artifacts / f"board-present-{width}x{height}.png"))
    except Exception:
        page.screenshot(path=str(artifacts / f"board-present-{width}x{height}-failed.png"))
        raise
    finally:
        context.close()


def test_on_a_phone_the_menu_closes_when_a_page_is_chosen(app_url: str, browser: Any, artifacts: Path) -> None:
    """Looked at on a 390 px phone: after choosing a page in the menu, the sidebar stayed over the page chosen (the
    menu is page links, and Streamlit closes the sidebar only for its own menu). It closes; on a wide screen it
    stays open, as it was."""
    sidebar_open = (
        "() => { const s = document.querySelector('[data-testid=stSidebar]');"
        " return !!s && s.getBoundingClientRect().right > 1; }"
    )
    for viewport, mobile, stays_open in (({"width": 390, "height": 844}, True, False), (VIEWPORT, False, True)):
        context, page = open_start(browser, app_url, viewport=viewport, is_mobile=mobile, has_touch=mobile)
        try:
            if not page.evaluate(sidebar_open):
                page.get_by_test_id("stExpandSidebarButton").click()
                page.wait_for_function(sidebar_open)
            page.get_by_test_id("stSidebar").get_by_role("link", name="Glossary").click()
            page.get_by_role("heading", name="Glossary").first.wait_for()
            settle(page)
            if stays_open:
                assert page.evaluate(sidebar_open)
            else:
                page.wait_for_function(f"() => !({sidebar_open})()")
                assert page.get_by_role("heading", name="Glossary").first.is_visible()
                page.screenshot(path=str(artifacts / "phone-menu-closed.png"))
        finally:
            context.close()
