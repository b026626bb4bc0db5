"""Phone-first answering (issue 19, finding 1) in headless Chromium at 390 x 844: one participant on a phone, the
others seeded through the store.

The quick scan is measured as a person does it: every tap is counted, and the page's scroll position is read at
each tap (Streamlit scrolls inside its main block). The test never scrolls: before each tap it checks that what it
is about to tap is on the screen already, where the page put it. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_workshop_browser import ROLE_NAMES, TIMEOUT_MS, drawn, main, settle, statement, until

from assessment import default_bank
from assessment.answers import Context
from assessment.store import Store
from assessment.ui import participant
from assessment.ui import workshop_state as ws
from assessment.ui.questions import question_key
from assessment.ui.sections import PLAN_QUESTIONS, SECTION_BY_ID, SECTION_IDS, section_items
from assessment.vocabulary import PLAN_ANSWER_LABELS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# the statement the quick scan leaves for the check-your-answers step: the section's last, so that skipping it takes
# no scrolling either (the page shows it, and the "Next section" button below it)
SKIPPED = ("ingredients", len(section_items(default_bank(), "quick", "ingredients")))


@pytest.fixture(autouse=True, scope="module")
def _expect_timeout() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


class Phone:
    """One participant's phone: taps are counted, with the scroll position each was made at."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.taps = 0
        self.positions: list[int] = []

    def scroll_top(self) -> int:
        return round(self.page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop"))

    def on_screen(self, locator: Any) -> bool:
        box = locator.bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]

    def readable(self, locator: Any, what: str) -> None:
        """The element is on the screen and not under Streamlit's header (which stays over the page's top)."""
        header = self.page.get_by_test_id("stHeader").bounding_box()
        box = locator.bounding_box()
        assert self.on_screen(locator) and box["y"] >= header["y"] + header["height"], f"{what}: {box}, {header}"

    def tap(self, locator: Any, what: str) -> None:
        """Tap what is on the screen now (never scrolled to by the test)."""
        assert self.on_screen(locator), f"{what} is not on the screen: {locator.bounding_box()}"
        self.positions.append(self.scroll_top())
        self.taps += 1
        locator.tap()

    def shown(self, key: str) -> None:
        """Wait until the page has moved to show the widget or block keyed `key` (participant.scroll_script)."""
        expect(self.page.locator("body")).to_have_attribute("data-wk-shown", key)

    @property
    def screens(self) -> int:
        return len(set(self.positions))


def _seed_others(store: Store, code: str) -> None:
    items = [i.id for i in store.bank.items_for("quick")]
    for n, role in enumerate(("executive", "nurse")):
        joined = store.join_workshop(code, role, client_key=f"phone-seed{n}")
        store.save_answers(joined.participant_token, {item: 2 + (k + n) % 3 for k, item in enumerate(items)})
        store.submit(joined.participant_token)


def test_phone_first_answering(workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path) -> None:
    bank = default_bank()
    store = Store(workshop_db_url)
    context = Context(organisation_name="Riverside NHS Trust", innovation_title="Integrated frailty pathway")
    code = store.create_workshop("Frailty pathway: readiness workshop", context, "quick").workshop.join_code
    _seed_others(store, code)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    me = Phone(page)
    try:
        page.goto(f"{workshop_app_url}/?join={code}")
        expect(page.get_by_label("Workshop code")).to_have_value(code)
        settle(page)
        page.get_by_label("Your role").click()
        page.get_by_role("option", name=ROLE_NAMES["doctor"], exact=True).click()
        page.get_by_role("button", name="Join the workshop").click()
        expect(main(page).get_by_text("Your personal link.")).to_be_visible()
        token = page.url.rsplit("resume=", 1)[1]
        drawn(page)

        # the first statement and all its options on the first screen, one option per line, big enough to tap
        page.wait_for_function("document.querySelector('[data-testid=stMain]').scrollTop === 0")
        first = statement(page, 1)
        options = first.locator("[role=radiogroup] label")
        expect(options).to_have_count(6)
        boxes = [options.nth(k).bounding_box() for k in range(6)]
        assert all(b["y"] + b["height"] <= PHONE["height"] for b in boxes), boxes
        assert all(b["height"] >= participant.TAP_PX for b in boxes), boxes
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes) and len({b["y"] for b in boxes}) == 6
        page.screenshot(path=str(artifacts / "phone-first-statement.png"))

        # the quick scan: one tap per statement; the page brings the next unanswered one (or the section's foot)
        answered = 0
        for section_id in SECTION_IDS:
            if section_id != SECTION_IDS[0]:
                me.tap(main(page).get_by_role("button", name="Next section"), "Next section")
                expect(main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title)).to_be_visible()
                page.wait_for_function("document.querySelector('[data-testid=stMain]').scrollTop === 0")
                drawn(page)
            if section_id == "plan":
                keys = [ws.plan_key(f.field) for f in PLAN_QUESTIONS]
                labels = [PLAN_ANSWER_LABELS["no"]] * len(keys)
            else:
                items = section_items(bank, "quick", section_id)
                keys = [ws.item_key(i.id) for i in items]
                labels = [bank.scales[i.scale].anchors[4] for i in items]
            todo = [n for n in range(1, len(keys) + 1) if (section_id, n) != SKIPPED]
            for n in todo:
                me.tap(statement(page, n).get_by_text(labels[n - 1], exact=True), f"{section_id} statement {n}")
                if section_id != "plan":  # (the plan questions are not statements: the count is the statements')
                    answered += 1
                    expect(main(page).get_by_text(f"Your answers saved: {answered} of")).to_be_visible()
                # the next statement below (all are unanswered: they are answered in order), or the section's foot
                me.shown(keys[n] if n < len(keys) else participant.FOOT_KEY)
                drawn(page)
                if n < len(keys):  # shown with its text, below the header that stays over the page's top
                    me.readable(main(page).locator(f".st-key-{question_key(keys[n])}"), f"{section_id} {n + 1}")
        scan_taps, scan_screens = me.taps, me.screens

        # check your answers: the skipped statement by its text, with a link that brings it into view
        section_id, n = SKIPPED
        skipped = section_items(bank, "quick", section_id)[n - 1]
        text = skipped.render(context.innovation_title)
        expect(main(page).get_by_text("1 not answered yet.")).to_be_visible()
        link = main(page).get_by_role("button", name=re.compile(re.escape(text[:40])))
        expect(link).to_have_count(1)
        expect(main(page).get_by_role("button", name="Submit my answers…")).to_be_visible()
        page.screenshot(path=str(artifacts / "phone-check-answers.png"))
        me.tap(link, "the link to the skipped statement")
        expect(main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title)).to_be_visible()
        me.shown(ws.item_key(skipped.id))
        me.readable(main(page).locator(f".st-key-{question_key(ws.item_key(skipped.id))}"), "the skipped statement")
        target = statement(page, n)
        expect(target.locator("input").first).to_be_focused()
        label = bank.scales[skipped.scale].anchors[4]
        me.tap(target.get_by_text(label, exact=True), "the skipped statement")
        answered += 1
        expect(main(page).get_by_text(f"Your answers saved: {answered} of")).to_be_visible()
        me.shown(participant.FOOT_KEY)
        drawn(page)
        me.tap(main(page).get_by_role("button", name="Back to check your answers"), "Back to check your answers")
        me.shown(participant.FOOT_KEY)
        expect(main(page).get_by_text("Every statement is answered.")).to_be_visible()
        drawn(page)
        me.tap(main(page).get_by_role("button", name="Submit my answers…"), "Submit my answers…")
        confirm = main(page).get_by_role("button", name="Yes, submit my answers")
        expect(confirm).to_be_visible()
        settle(page)
        me.tap(confirm, "Yes, submit my answers")

        # the confirmation in view, at the top; the read-only answers folded away below it
        thanks = main(page).get_by_text("You submitted your answers")
        expect(thanks).to_be_visible()
        page.wait_for_function("document.querySelector('[data-testid=stMain]').scrollTop === 0")
        drawn(page)
        assert me.on_screen(thanks)
        assert not any(me.on_screen(r) for r in main(page).get_by_test_id("stRadio").all() if r.is_visible())
        expect(main(page).get_by_text("See your submitted answers (read-only)")).to_be_visible()
        until(page, lambda: store.participant_status(token).submitted, "the submission")
        page.screenshot(path=str(artifacts / "phone-submitted.png"))

        statements_asked = len(bank.items_for("quick")) + len(PLAN_QUESTIONS)
        sections = len(SECTION_IDS)
        report = (
            f"quick scan on a 390x844 phone: {statements_asked} questions, {scan_taps} taps "
            f"({statements_asked - 1} answers + {sections - 1} 'Next section'), {scan_screens} scroll positions; "
            f"with the check step and submitting: {me.taps} taps in all"
        )
        print(report)
        (artifacts / "phone-quick-scan.txt").write_text(report + "\n", "utf-8")
        # one tap per statement, plus one per section change: nothing scrolled by hand, no extra taps
        assert scan_taps == statements_asked - 1 + sections - 1
        assert me.taps == scan_taps + 5  # the link, its answer, back to the check, submit, confirm
    except Exception:
        page.screenshot(path=str(artifacts / "phone-failure.png"))
        raise
    finally:
        store.close()
        phone.close()
