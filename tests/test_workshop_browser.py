"""A quick-scan workshop end to end in headless Chromium: a facilitator and three participants (executive,
doctor, nurse) in separate browser contexts, against the app served with its own empty database.

Screenshots go to tests/artifacts/ (gitignored): the participant page, the dashboard and the board view.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from assessment import default_bank
from assessment.ui.sections import PLAN_CHOICE_LABELS, SECTION_BY_ID, SECTION_IDS, section_items

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1600, "height": 900}
TIMEOUT_MS = 20_000
REFRESH_WAIT_MS = 25_000  # the dashboard refreshes itself every 10 s

# role, name, department, rating for the k-th quick-scan item, plan answers, a comment on the second item (the
# one they disagree on most, so it heads the agenda)
PARTICIPANTS = [
    ("executive", "Erin Exec", "Board", lambda k: 5 if k % 3 else 4, ("no", "yes"), "Board approved it in March"),
    ("doctor", "", "Surgery", lambda k: 1 if k % 2 else 2, ("yes", "no"), "Nobody asked the surgeons"),
    ("nurse", "Nadia", "Acute medicine", lambda k: 3 if k % 2 else 2, ("yes", "not_sure"), ""),
]
ROLE_NAMES = {"executive": "Executive", "doctor": "Doctor", "nurse": "Nurse"}


def settle(page: Any) -> None:
    """Wait until the script has finished its rerun."""
    page.wait_for_timeout(120)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)


def main(page: Any) -> Any:
    return page.get_by_test_id("stMain")


def full_screenshot(page: Any, path: Path) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the page's height for one shot."""
    before = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": before["width"], "height": min(int(height) + 50, 12_000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.set_viewport_size(before)


def create_workshop(page: Any, url: str) -> tuple[str, str]:
    page.goto(f"{url}/workshop")
    page.get_by_role("heading", name="Run a group workshop").wait_for()
    settle(page)
    page.get_by_label("Workshop title").fill("Frailty pathway: readiness workshop")
    page.get_by_label("Innovation title").fill("Integrated frailty pathway")
    page.get_by_label("Organisation name").fill("Riverside NHS Trust")
    assert main(page).get_by_role("radio", name="Quick scan").is_checked()
    page.get_by_role("button", name="Create the workshop").click()
    page.get_by_text("Workshop created").wait_for()
    settle(page)
    main(page).get_by_test_id("stCode").nth(2).wait_for()  # a busy machine may draw the codes a moment later
    codes = [c.strip() for c in main(page).get_by_test_id("stCode").all_inner_texts()]
    join_link, key, dashboard_link = codes
    assert re.fullmatch(rf"{re.escape(url)}/\?join=[2-9A-Z]{{4}}-[2-9A-Z]{{4}}", join_link), join_link
    assert key not in join_link and key not in dashboard_link
    assert main(page).get_by_text("only way back to the dashboard").is_visible()
    page.get_by_role("button", name="I have saved the key: open the dashboard").click()
    page.get_by_role("heading", name="Participants").wait_for()
    settle(page)
    assert "facilitate=" in page.url and key not in page.url
    return join_link, key


def answer_section(page: Any, section_id: str, wanted: list[str]) -> None:
    main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title).wait_for()
    settle(page)
    groups = main(page).get_by_test_id("stRadio")
    assert groups.count() == len(wanted)
    done = main(page).get_by_text(f"This section: {len(wanted)} of {len(wanted)} answered")
    for attempt in range(3):
        for n, label in enumerate(wanted):
            option = groups.nth(n).get_by_text(label, exact=True)
            if attempt == 0 or not groups.nth(n).locator("input:checked").count():
                option.click()
        try:
            done.wait_for(timeout=5_000)
            break
        except Exception:
            # Clicks in the first moments after a page loads can be lost by Streamlit's frontend (the radio shows
            # nothing and no rerun is sent; the plain questionnaire does the same): click those again.
            if attempt == 2:
                raise
    settle(page)


def take_part(browser: Any, join_link: str, person: tuple, artifacts: Path, *, screenshot: bool) -> None:
    role, name, department, rating, plan, comment = person
    bank = default_bank()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(join_link)
        page.get_by_role("heading", name="Join a workshop").wait_for()
        settle(page)
        code = join_link.rsplit("=", 1)[1]
        expect(page.get_by_label("Workshop code")).to_have_value(code)  # filled in from the link, maybe a moment later
        page.get_by_label("Your role").click()
        page.get_by_role("option", name=ROLE_NAMES[role], exact=True).click()
        if name:
            page.get_by_label("Your name (optional)").fill(name)
        page.get_by_role("textbox", name="Department or team (optional)").fill(department)
        page.get_by_role("button", name="Join the workshop").click()
        main(page).get_by_text("Your personal link.").wait_for()
        settle(page)
        resume_link = main(page).get_by_test_id("stCode").first.inner_text().strip()
        assert "?resume=" in resume_link

        items = list(bank.items_for("quick"))
        index = {item.id: k for k, item in enumerate(items)}
        for section_id in SECTION_IDS:
            if section_id == "plan":
                wanted = [PLAN_CHOICE_LABELS[c] for c in plan]
            else:
                wanted = [
                    bank.scales[i.scale].anchors[rating(index[i.id])] for i in section_items(bank, "quick", section_id)
                ]
            answer_section(page, section_id, wanted)
            if section_id == "ingredients" and comment:
                box = main(page).get_by_placeholder("Optional comment").nth(1)
                box.fill(comment)
                box.press("Tab")
                settle(page)
            if section_id == "ingredients" and screenshot:
                full_screenshot(page, artifacts / "workshop_participant.png")
            if section_id == "ingredients" and role == "doctor":
                # a closed tab loses nothing: the resume link brings back the answers and the place
                page.close()
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(resume_link)
                main(page).get_by_text("Your personal link.").wait_for()
                settle(page)
                n_ing, n_aff = (len(section_items(bank, "quick", s)) for s in ("ingredients", "affordances"))
                assert main(page).get_by_text(f"Ingredients {n_ing}/{n_ing} · Affordances 0/{n_aff}").is_visible()
                continue  # the first open section is shown
            if section_id != SECTION_IDS[-1]:
                page.get_by_role("button", name="Next section").click()
                settle(page)
        page.get_by_role("button", name="Submit my answers").click()  # then the review and a confirmation
        page.get_by_role("button", name="Yes, submit my answers").click()
        main(page).get_by_text("You submitted your answers").wait_for()
        assert not re.search(r"Traceback|Error:", main(page).inner_text())
    except Exception:
        page.screenshot(path=str(artifacts / f"workshop_failure_{role}.png"))
        raise
    finally:
        context.close()


def test_quick_scan_workshop_end_to_end(workshop_app_url: str, browser: Any, artifacts: Path) -> None:
    bank = default_bank()
    n_items = len(bank.items_for("quick"))
    facilitator = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
    page = facilitator.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        join_link, _ = create_workshop(page, workshop_app_url)
        for n, person in enumerate(PARTICIPANTS):
            take_part(browser, join_link, person, artifacts, screenshot=n == 0)

        # the dashboard picks everyone up by itself (auto-refresh), then shows the spread and the agenda
        main(page).get_by_test_id("stMetricValue").filter(has_text="3 of 3").wait_for(timeout=REFRESH_WAIT_MS)
        main(page).get_by_role("heading", name="Disagreement agenda").wait_for()
        settle(page)
        page.locator(".js-plotly-plot").nth(1).wait_for()
        text = main(page).inner_text()  # (table cells are drawn on a canvas: names and departments are in the CSV)
        assert "Executive 1 answering, 1 submitted" in text and "Nurse 1 answering, 1 submitted" in text
        assert "Nobody asked the surgeons" in text  # a comment on the agenda
        assert text.count("By role: ") >= 3
        assert "Perception gap on" in text
        assert not re.search(r"Traceback|Error:", text)
        page.wait_for_timeout(500)  # the charts finish drawing
        full_screenshot(page, artifacts / "workshop_dashboard.png")
        assert (artifacts / "workshop_dashboard.png").stat().st_size > 50_000

        # every answer in the CSV: participants x items answered
        main(page).get_by_text("Downloads", exact=True).click()
        settle(page)
        with page.expect_download() as got:
            main(page).get_by_role("button", name="All responses (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text("utf-8"))))
        assert len(rows) == len(PARTICIPANTS) * n_items
        items = [i.id for i in bank.items_for("quick")]
        for role, name, department, rating, _, comment in PARTICIPANTS:
            mine = [r for r in rows if r["role"] == role]
            assert [r["item_id"] for r in mine] == items
            assert [int(r["value"]) for r in mine] == [rating(k) for k in range(n_items)]
            assert {r["name"] for r in mine} == {name} and {r["department"] for r in mine} == {department}
            assert [r["comment"] for r in mine] == ["", comment] + [""] * (n_items - 2)

        with page.expect_download() as got:
            main(page).get_by_role("button", name="Workshop results (JSON)").click()
        results = json.loads(Path(got.value.path()).read_text("utf-8"))
        assert results["participation"]["submitted"] == len(PARTICIPANTS) and results["agenda"]
        with page.expect_download() as got:
            main(page).get_by_role("button", name="Group report (PDF)").click()
        assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"

        # the board view of the group result
        main(page).get_by_text("Board view", exact=True).click()
        page.get_by_role("heading", name="Innovation readiness: board summary").wait_for()
        settle(page)
        page.locator(".js-plotly-plot").first.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / "workshop_board.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "workshop_failure.png"))
        raise
    finally:
        facilitator.close()
