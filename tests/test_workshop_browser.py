"""Workshops in headless Chromium, against the app served with its own database, which the tests share:

- end to end: the facilitator sets up a workshop and one participant answers it in the browser, while the
  other participants are seeded through the store; the dashboard is refreshed with "Refresh now" (no waiting
  on its 10-second timer), and every download is checked;
- 10 participants answer the moment they have joined, and every answer the page shows is in the store (the
  issue's finding 0: the first answer after joining was lost now and then);
- a phone (390 x 844): the sidebar is closed and nothing covers the join form or the answers.

Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import ORGANISER_KEY
from playwright.sync_api import expect

from assessment import default_bank
from assessment.store import Store
from assessment.ui.context_choices import STAGE_QUESTION
from assessment.ui.labels import RADICALNESS_LABELS, STAGE_CHOICES
from assessment.ui.sections import SECTION_BY_ID, SECTION_IDS, section_items
from assessment.vocabulary import PLAN_ANSWER_LABELS

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1600, "height": 900}
TIMEOUT_MS = 60_000  # a ceiling, not a wait: expectations return as soon as they hold (CI is busy)
STORE_POLL_MS = 100

# the participant in the browser: role, name, department, rating of the k-th quick-scan item, plan answers, and a
# comment on the second item (the one the group disagrees on most, so it heads the agenda)
BROWSER_PERSON = ("doctor", "", "Surgery", lambda k: 1 if k % 2 else 2, ("yes", "no"), "Nobody asked the surgeons")
# seeded through the store: role, name, department, rating of the k-th item, comment on the second item
SEEDED = [
    ("executive", "Erin Exec", "Board", lambda k: 5 if k % 3 else 4, "Board approved it in March"),
    ("executive", "", "Board", lambda k: 4, ""),
    ("executive", "", "Board", lambda k: 5, ""),
    ("doctor", "", "Surgery", lambda k: 2, ""),
    ("doctor", "Dan", "Surgery", lambda k: 1, ""),
]
ROLE_NAMES = {"executive": "Executive", "doctor": "Doctor", "nurse": "Nurse"}


@pytest.fixture(autouse=True, scope="module")
def _expect_timeout() -> None:
    pytest.importorskip("playwright.sync_api").expect.set_options(timeout=TIMEOUT_MS)


def settle(page: Any) -> None:
    """Wait until the script has finished its rerun (call once what the rerun draws is seen to have started)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def drawn(page: Any) -> None:
    """Wait until the run is over and every widget is drawn (no placeholder left where a widget will be)."""
    settle(page)
    expect(main(page).get_by_test_id("stSkeleton")).to_have_count(0)


def until(page: Any, condition: Callable[[], bool], what: str) -> None:
    """Wait for the store's truth: poll `condition` (a store read) until it holds."""
    for _ in range(TIMEOUT_MS // STORE_POLL_MS):
        if condition():
            return
        page.wait_for_timeout(STORE_POLL_MS)
    raise AssertionError(f"the store never showed {what}")


def main(page: Any) -> Any:
    return page.get_by_test_id("stMain")


def full_screenshot(page: Any, path: Path) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the page's height for one shot."""
    before = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": before["width"], "height": min(int(height) + 50, 12_000)})
    drawn(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(before)


def create_workshop(page: Any, url: str) -> tuple[str, str]:
    page.goto(f"{url}/workshop")
    expect(page.get_by_role("heading", name="Run a group workshop")).to_be_visible()
    settle(page)
    page.get_by_label("Workshop title").fill("Frailty pathway: readiness workshop")
    page.get_by_label("Innovation title").fill("Integrated frailty pathway")
    page.get_by_label("Organisation name").fill("Riverside NHS Trust")
    page.get_by_role("textbox", name="Organiser key").fill(ORGANISER_KEY)  # also signs in for the responses CSV
    # how big a change and the stage are asked, not preselected (issue 19)
    main(page).get_by_text(RADICALNESS_LABELS["radical"], exact=True).click()
    settle(page)
    page.get_by_label(STAGE_QUESTION).click()
    page.get_by_role("option", name=STAGE_CHOICES["adoption"], exact=True).click()
    settle(page)
    expect(main(page).get_by_role("radio", name="Quick scan")).to_be_checked()
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_text("Workshop created")).to_be_visible()
    codes = main(page).get_by_test_id("stCode")
    expect(codes).to_have_count(3)
    for n in range(3):  # a busy machine can still be drawing them
        expect(codes.nth(n)).to_contain_text(re.compile(r"\S"))
    join_link, key, dashboard_link = [c.strip() for c in codes.all_inner_texts()]
    assert re.fullmatch(rf"{re.escape(url)}/\?join=[2-9A-Z]{{4}}-[2-9A-Z]{{4}}", join_link), join_link
    assert key not in join_link and key not in dashboard_link
    expect(main(page).get_by_text("only way back to the dashboard")).to_be_visible()
    page.get_by_role("button", name="I have saved the key: open the dashboard").click()
    expect(page.get_by_role("heading", name="Participants")).to_be_visible()
    settle(page)
    assert "facilitate=" in page.url and key not in page.url
    return join_link, key


def statement(page: Any, number: int) -> Any:
    """The radio group of the statement numbered `number` on the page (by its label, not its position)."""
    return main(page).get_by_test_id("stRadio").filter(has_text=re.compile(rf"^{number}\. "))


def answer_section(page: Any, section_id: str, wanted: list[str]) -> None:
    expect(main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title)).to_be_visible()
    drawn(page)
    expect(main(page).get_by_test_id("stRadio")).to_have_count(len(wanted))
    for n, label in enumerate(wanted, start=1):
        statement(page, n).get_by_text(label, exact=True).click()
    for n, label in enumerate(wanted, start=1):
        expect(statement(page, n).get_by_role("radio", name=label, exact=True)).to_be_checked()
    # the section's count (in the section switcher) is the count of answers the store confirmed
    done = f"{SECTION_BY_ID[section_id].short} {len(wanted)}/{len(wanted)}"
    expect(main(page).get_by_text(done, exact=True)).to_be_visible()
    settle(page)


def join(page: Any, join_link: str, role: str, name: str = "", department: str = "") -> str:
    """Open a join link, fill in the form and join; the participant's token (from the resume link in the URL)."""
    page.goto(join_link)
    expect(page.get_by_role("heading", name="Join a workshop")).to_be_visible()
    # under load the field can be drawn before its value arrives (finding 9)
    expect(page.get_by_label("Workshop code")).to_have_value(join_link.rsplit("=", 1)[1])
    page.get_by_label("Your role").click()
    page.get_by_role("option", name=ROLE_NAMES[role], exact=True).click()
    if name:
        page.get_by_label("Your name (optional)").fill(name)
    if department:
        page.get_by_role("textbox", name="Department or team (optional)").fill(department)
    page.get_by_role("button", name="Join the workshop").click()
    expect(main(page).get_by_text("Your personal link.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"resume="))
    return page.url.rsplit("resume=", 1)[1]


def take_part(browser: Any, join_link: str, person: tuple, db_url: str, artifacts: Path, *, screenshot: bool) -> None:
    role, name, department, rating, plan, comment = person
    bank = default_bank()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    store = Store(db_url)
    try:
        token = join(page, join_link, role, name, department)
        main(page).get_by_text("Your personal link.").click()  # folded into one line above the statements
        expect(main(page).get_by_test_id("stCode").first).to_contain_text("resume=")
        resume_link = main(page).get_by_test_id("stCode").first.inner_text().strip()
        assert resume_link.endswith(f"?resume={token}")

        items = list(bank.items_for("quick"))
        index = {item.id: k for k, item in enumerate(items)}
        for section_id in SECTION_IDS:
            if section_id == "plan":
                wanted = [PLAN_ANSWER_LABELS[c] for c in plan]
            else:
                wanted = [
                    bank.scales[i.scale].anchors[rating(index[i.id])] for i in section_items(bank, "quick", section_id)
                ]
            answer_section(page, section_id, wanted)
            if section_id == "ingredients" and comment:
                box = main(page).get_by_placeholder("Optional comment").nth(1)
                box.fill(comment)
                box.press("Tab")
                second = section_items(bank, "quick", section_id)[1].id
                until(page, lambda i=second: store.load_participant(token).answers[i].comment == comment, "the comment")
                settle(page)
            if section_id == "ingredients" and screenshot:
                full_screenshot(page, artifacts / "workshop_participant.png")
            if section_id == "ingredients" and role == "doctor":
                # a closed tab loses nothing: the resume link brings back the answers and the place
                page.close()
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(resume_link)
                expect(main(page).get_by_text("Your personal link.")).to_be_visible()
                n_ing = len(section_items(bank, "quick", "ingredients"))
                n_aff = len(section_items(bank, "quick", "affordances"))
                expect(main(page).get_by_text(f"Ingredients {n_ing}/{n_ing}", exact=True)).to_be_visible()
                expect(main(page).get_by_text(f"Affordances 0/{n_aff}", exact=True)).to_be_visible()
                # the switcher opens the section chosen (it sits in the saved count's part: the whole page reruns)
                n_con = len(section_items(bank, "quick", "conditions"))
                for chosen, n_shown in (("conditions", n_con), ("affordances", n_aff)):
                    main(page).get_by_text(f"{SECTION_BY_ID[chosen].short} 0/{n_shown}", exact=True).click()
                    expect(main(page).get_by_role("heading", name=SECTION_BY_ID[chosen].title)).to_be_visible()
                    expect(main(page).get_by_test_id("stRadio")).to_have_count(n_shown)
                continue  # the first open section is shown
            if section_id != SECTION_IDS[-1]:
                page.get_by_role("button", name="Next section").click()
        page.get_by_role("button", name="Submit my answers…").click()
        expect(main(page).get_by_text(re.compile(r"Submit (\d+) of \1 statements now\?"))).to_be_visible()
        # a person reads the question before confirming: a confirmation clicked the instant it was drawn, during the
        # rerun that drew it, once did nothing under heavy load (the page went on asking; nothing was submitted)
        settle(page)
        page.get_by_role("button", name="Yes, submit my answers").click()
        expect(main(page).get_by_text("You submitted your answers")).to_be_visible()
        assert store.participant_status(token).submitted
        assert not re.search(r"Traceback|Error:", main(page).inner_text())
    except Exception:
        page.screenshot(path=str(artifacts / f"workshop_failure_{role}.png"))
        raise
    finally:
        store.close()
        context.close()


def seed(db_url: str, code: str, key: str) -> None:
    """The seeded people submit: the three executives first, released together (as the dashboard's timer might
    release them; here at once, so the test does not depend on when the timer runs), then the two doctors, who
    wait for a third person (the browser's doctor) before the next release can add them (k = 3)."""
    store = Store(db_url)
    items = [i.id for i in store.bank.items_for("quick")]
    for n, (role, name, department, rating, comment) in enumerate(SEEDED):
        token = store.join_workshop(code, role, name=name, department=department, client_key=f"seed{n}")
        answers = {item: (rating(k), comment if k == 1 else "") for k, item in enumerate(items)}
        store.save_answers(token.participant_token, answers)
        store.submit(token.participant_token)
        if n == 2:
            first = store.summary(code, key).release
            assert first is not None and (first.number, first.people) == (1, 3)
    waiting = store.summary(code, key).release
    assert waiting is not None and (waiting.number, waiting.people, waiting.waiting) == (1, 3, 2)
    store.close()


def test_quick_scan_workshop_end_to_end(
    workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path
) -> None:
    bank = default_bank()
    n_items = len(bank.items_for("quick"))
    facilitator = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
    page = facilitator.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        join_link, key = create_workshop(page, workshop_app_url)
        seed(workshop_db_url, join_link.rsplit("=", 1)[1], key)
        take_part(browser, join_link, BROWSER_PERSON, workshop_db_url, artifacts, screenshot=True)

        # "Refresh now" instead of waiting for the 10-second timer
        page.get_by_role("button", name="Refresh now").click()
        total = len(SEEDED) + 1
        expect(main(page).get_by_test_id("stMetricValue").filter(has_text=f"{total} of {total}")).to_be_visible()
        expect(main(page).get_by_role("heading", name="Disagreement agenda")).to_be_visible()
        drawn(page)
        expect(page.locator(".js-plotly-plot .main-svg").nth(1)).to_be_attached()
        text = main(page).inner_text()  # (table cells are drawn on a canvas: names and departments are in the CSV)
        # the browser's doctor and the two seeded doctors were released together, after the three executives
        assert f"Results from the submitted answers of {total} people (release 2" in text
        assert "Nobody asked the surgeons" in text  # a comment on the agenda
        assert "By role: " in text
        assert "Perception gap on" in text or "needs answers from at least 3 managers" in text
        assert not re.search(r"Traceback|Error:", text)
        full_screenshot(page, artifacts / "workshop_dashboard.png")
        assert (artifacts / "workshop_dashboard.png").stat().st_size > 50_000

        # every answer in the CSV: participants x items answered
        main(page).get_by_text("Downloads", exact=True).click()
        settle(page)
        with page.expect_download() as got:
            main(page).get_by_role("button", name="All responses (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text("utf-8"))))
        assert len(rows) == total * n_items
        role, name, department, rating, _, comment = BROWSER_PERSON
        # respondents are numbered afresh for each download (not the participant list's numbers): find the
        # browser participant by their comment
        me = next(r["respondent"] for r in rows if r["comment"] == comment)
        mine = [r for r in rows if r["respondent"] == me]
        assert "name" not in rows[0] and "Erin Exec" not in {v for r in rows for v in r.values()}
        assert [r["item_id"] for r in mine] == [i.id for i in bank.items_for("quick")]
        assert [int(r["value"]) for r in mine] == [rating(k) for k in range(n_items)]
        assert "role" not in rows[0] and "department" not in rows[0]  # a release's rows carry neither
        cells = {v for r in rows for v in r.values()}
        assert role not in cells and department not in cells
        assert [r["comment"] for r in mine] == ["", comment] + [""] * (n_items - 2)

        with page.expect_download() as got:
            main(page).get_by_role("button", name="Workshop results (JSON)").click()
        results = json.loads(Path(got.value.path()).read_text("utf-8"))
        assert results["participation"]["submitted"] == total and results["agenda"]
        assert "exported" in [e["action"] for e in results["audit_log"]]
        with page.expect_download() as got:
            main(page).get_by_role("button", name="Group report (PDF)").click()
        assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"

        # the board view of the group result
        main(page).get_by_text("Board view", exact=True).click()
        expect(page.get_by_role("heading", name="Innovation readiness: board summary")).to_be_visible()
        drawn(page)
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
        page.screenshot(path=str(artifacts / "workshop_board.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "workshop_failure.png"))
        raise
    finally:
        facilitator.close()


QUICK_PARTICIPANTS = 10  # each joins and answers at once: ten repetitions of the moment that lost answers
QUICK_ANSWERS = 3  # the first statements of the first section


def test_answers_given_right_after_joining_all_reach_the_store(
    workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path
) -> None:
    """Finding 0: 4 of 1,449 answers never reached the store, each the first a participant gave right after
    joining. Ten participants click the first statements by their place on the page the moment the first one is
    drawn (as a person aims at what they see): every click reaches the store, on the statement aimed at, and the
    page shows exactly what the store holds. (The last click lost, 1 in 30 on a CI run, was aimed at statement 1
    while it was still a placeholder and landed on statement 2, the first radio drawn: see ui/preload.py.)"""
    store = Store(workshop_db_url)
    code = store.create_workshop("Quick clicks", None, "quick").workshop.join_code
    bank = default_bank()
    items = section_items(bank, "quick", SECTION_IDS[0])[:QUICK_ANSWERS]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        for n in range(QUICK_PARTICIPANTS):
            page = context.new_page()  # a tab of its own is a Streamlit session of its own
            try:
                # the join page's own address (the end-to-end test follows the link to the app's root)
                token = join(page, f"{workshop_app_url}/join?join={code}", "nurse")
                groups = main(page).get_by_test_id("stRadio")
                groups.first.wait_for()  # no settling: click the moment the statements are drawn
                aimed = {item.id: 1 + (n + k) % 5 for k, item in enumerate(items)}
                labels = [bank.scales[item.scale].anchors[aimed[item.id]] for item in items]
                for k, label in enumerate(labels):
                    groups.nth(k).get_by_text(label, exact=True).click()

                def stored(token: str = token) -> dict[str, Any]:
                    return {i: a.value for i, a in store.load_participant(token).answers.items()}

                # every click reached the store, on the statement aimed at: none lost, none on another statement
                try:
                    until(page, lambda a=aimed: stored() == a, f"participant {n}'s answers {aimed}")
                except AssertionError as exc:
                    raise AssertionError(f"{exc}; it holds {stored()}") from None
                drawn(page)
                # The page shows exactly what the store holds: the count and every radio (the worst failure was a
                # page counting an answer the store never got).
                expect(main(page).get_by_text(f"Your answers saved: {len(aimed)} of")).to_be_visible()
                for k, label in enumerate(labels, start=1):
                    expect(statement(page, k).get_by_role("radio", name=label, exact=True)).to_be_checked()
                expect(main(page).locator("input[type=radio]:checked")).to_have_count(len(aimed))
            except Exception:
                page.screenshot(path=str(artifacts / f"workshop_quick_clicks_{n}.png"))
                raise
            finally:
                page.close()
    finally:
        context.close()
        store.close()


def _covered(page: Any, locator: Any) -> bool:
    """Whether something else is drawn over the middle of an element."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return not page.evaluate(
        "([x, y, el]) => { const top = document.elementFromPoint(x, y); return el === top || el.contains(top); }",
        [x, y, locator.element_handle()],
    )


def _offset(page: Any, locator: Any) -> float:
    """An element's place on the page (not on the screen: Streamlit scrolls inside its main block)."""
    return page.evaluate(
        "el => el.getBoundingClientRect().top + document.querySelector('[data-testid=stMain]').scrollTop",
        locator.element_handle(),
    )


_SIDEBAR_CLOSED = (
    "() => { const s = document.querySelector('[data-testid=stSidebar]'); "
    "return !s || s.getBoundingClientRect().right <= 1; }"
)


def test_a_phone_can_join_and_answer(workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path):
    """Finding 7: on a 390 px screen the sidebar opened over the join form and blocked it."""
    store = Store(workshop_db_url)
    code = store.create_workshop("On the ward", None, "quick").workshop.join_code
    phone = {"width": 390, "height": 844}
    context = browser.new_context(viewport=phone, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{workshop_app_url}/?join={code}")
        expect(page.get_by_role("heading", name="Join a workshop")).to_be_visible()
        field = page.get_by_label("Workshop code")
        expect(field).to_have_value(code)
        drawn(page)
        page.wait_for_function(_SIDEBAR_CLOSED)  # collapsed: off the screen
        field.scroll_into_view_if_needed()
        assert not _covered(page, field)
        page.screenshot(path=str(artifacts / "workshop_join_phone.png"))
        page.get_by_label("Your role").click()
        page.get_by_role("option", name="Nurse", exact=True).click()
        button = page.get_by_role("button", name="Join the workshop")
        button.scroll_into_view_if_needed()
        assert not _covered(page, button)
        button.click()
        expect(main(page).get_by_text("Your personal link.")).to_be_visible()
        expect(page).to_have_url(re.compile(r"resume="))
        token = page.url.rsplit("resume=", 1)[1]
        drawn(page)
        page.wait_for_function(_SIDEBAR_CLOSED)
        first = statement(page, 1)
        first.scroll_into_view_if_needed()
        option = first.get_by_text("Agree", exact=True)
        assert not _covered(page, option)
        second = statement(page, 2)
        aimed_at = _offset(page, second)
        option.tap()
        expect(first.get_by_role("radio", name="Agree", exact=True)).to_be_checked()
        item = section_items(default_bank(), "quick", SECTION_IDS[0])[0].id
        until(page, lambda: item in store.load_participant(token).answers, "the tapped answer")
        expect(main(page).get_by_text("Your answers saved: 1 of")).to_be_visible()
        drawn(page)
        # the first answer saved moves nothing: the next statement is still where the participant saw it
        assert abs(_offset(page, second) - aimed_at) < 1, (aimed_at, _offset(page, second))
        page.screenshot(path=str(artifacts / "workshop_answer_phone.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "workshop_phone_failure.png"))
        raise
    finally:
        store.close()
        context.close()
