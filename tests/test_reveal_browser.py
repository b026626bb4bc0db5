"""The live reveal and the second round in headless Chromium (issue 19), with six participants: the facilitator
opens the room screen, reveals the disagreement agenda one statement at a time (its answers, agreement in words and
the role split), opens a second round from the dashboard; one participant re-rates on a phone (390 x 844) and two
more through the store; the room screen and the dashboard then show agreement before and after, and the group
result uses the second round. One user drives the browser at a time; the others are seeded through the store.
Screenshots: tests/artifacts/reveal-1280x720.png, reveal-after-1280x720.png, round-phone-390x844.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from assessment.store import Store

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000  # a ceiling, not a wait: expectations return as soon as they hold (CI is busy)
ROLES = ["doctor", "doctor", "doctor", "executive", "executive", "executive"]
LOW, HIGH = [1, 2, 1], [5, 4, 5]  # doctors and executives see the first two statements far apart


def seed(db_url: str) -> tuple[str, str, list[str], list[str]]:
    store = Store(db_url)
    try:
        created = store.create_workshop("Frailty pathway: reveal", None, "quick", min_group_size=3)
        code, key = created.workshop.join_code, created.facilitator_key
        items = [i.id for i in store.bank.items_for("quick")]
        split = items[:2]
        tokens = []
        for n, role in enumerate(ROLES):
            token = store.join_workshop(code, role, client_key=f"rv{n}").participant_token
            value = LOW[n] if n < 3 else HIGH[n - 3]
            store.save_answers(token, {**{i: (3, "") for i in items}, **{i: (value, "") for i in split}})
            store.submit(token)
            tokens.append(token)
        return code, key, tokens, split
    finally:
        store.close()


def pick_statements(page: Any, agenda: list[Any]) -> None:
    """Tick the agenda's statements in the second-round picker with the keyboard (focus, then Space), as a keyboard
    user would, each tick's rerun awaited."""
    for a in agenda:
        box = page.get_by_role("checkbox", name=f"{a.rank}. {a.text}")
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def test_a_reveal_and_a_second_round_end_to_end(
    workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path
) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    code, key, tokens, split = seed(workshop_db_url)
    store = Store(workshop_db_url)
    agenda = store.summary(code, key).agenda
    assert {a.item_id for a in agenda} == set(split)
    room = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
    page = room.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{workshop_app_url}/?facilitate={code}")
        page.get_by_label("Facilitator key").fill(key)
        page.get_by_role("button", name="Open the dashboard").click()
        expect(page.get_by_role("heading", name="Disagreement agenda")).to_be_visible()
        page.get_by_role("link", name="Show to the room").click()
        page.get_by_role("button", name="Reveal results").click()
        text = page.locator(".rv-text")
        expect(text).to_have_text(agenda[0].text)
        expect(page.locator(".rv-step")).to_contain_text(f"Statement 1 of {len(agenda)} on the agenda")
        expect(page.locator(".rv-count")).to_have_count(6)  # five ratings and "don't know"
        expect(page.locator(".rv-roles")).to_contain_text("Doctor 1.3 (n = 3)")
        expect(page.locator(".rv-roles")).to_contain_text("Executive 4.7 (n = 3)")
        body = page.evaluate("document.body.innerText")
        assert "r_wg" not in body and "None" not in body
        page.screenshot(path=str(artifacts / "reveal-1280x720.png"))
        page.get_by_role("button", name="Next").click()
        expect(text).to_have_text(agenda[1].text)
        page.get_by_role("button", name="Previous").click()
        expect(text).to_have_text(agenda[0].text)

        page.get_by_role("button", name="Dashboard").click()
        # paused while the room discusses, as the dashboard suggests: a press that met a refresh was once lost (the
        # page stopped updating and the round did not open; see the closing note of this change)
        auto = page.get_by_role("switch", name="Refresh automatically every 10 seconds")
        page.get_by_text("Refresh automatically every 10 seconds", exact=True).click()  # its label, as a person does
        expect(auto).not_to_be_checked()
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
        page.get_by_text("Second round: re-rate the agenda after the discussion").click()
        open_round = page.get_by_role("button", name="Open the second round")
        expect(open_round).to_be_disabled()  # nothing is chosen for the facilitator
        pick_statements(page, agenda)
        expect(open_round).to_be_enabled()
        # the button stays under the pointer when the focus leaves the picker: under a multiselect, a line taller while
        # it has the focus, it moved up 33 px of its 40 as the click took the focus away, and the click met no button
        # (a focus ring may shift it a pixel)
        before = open_round.bounding_box()
        page.evaluate(
            "() => { document.activeElement.blur();"
            " return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))); }"
        )
        after = open_round.bounding_box()
        assert before is not None and after is not None and abs(after["y"] - before["y"]) <= 2
        open_round.click()
        expect(page.get_by_text("Second round open: 0 of 6 people have re-rated 2 statements")).to_be_visible()
        opened = store.open_workshop(code, key).second_round
        assert opened is not None and opened.items == [a.item_id for a in agenda]

        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
        mobile = phone.new_page()
        mobile.set_default_timeout(TIMEOUT_MS)
        try:
            mobile.goto(f"{workshop_app_url}/?resume={tokens[0]}")
            card = mobile.locator(".st-key-wk_round")
            expect(card).to_contain_text(f"Second round: {len(agenda)} statements to look at again")
            for item_id in opened.items:
                group = mobile.locator(f".st-key-wk_round_{item_id}")
                expect(group.get_by_role("radio", name="Strongly disagree")).to_be_checked()  # their first answer
                group.get_by_text("Neither agree nor disagree", exact=True).click()
                expect(group.get_by_role("radio", name="Neither agree nor disagree")).to_be_checked()
            mobile.screenshot(path=str(artifacts / "round-phone-390x844.png"))
            mobile.get_by_role("button", name="Submit my second-round answers").click()
            expect(mobile.get_by_text("Your second-round answers are in. Thank you!")).to_be_visible()
        finally:
            phone.close()
        task = store.second_round_task(tokens[0])
        assert task is not None and task.done and set(task.answers.values()) == {3}
        for token in tokens[1:3]:
            store.submit_second_round(token, dict.fromkeys(opened.items, 3))

        page.get_by_role("link", name="Show to the room").click()  # back where the facilitator left it: the reveal
        expect(page.locator(".rv-progress")).to_contain_text("3 of 6 have re-rated")
        expect(page.locator(".rv-round")).to_contain_text("After the second round:")
        fits = page.evaluate(
            "() => [...document.querySelectorAll('.rv-main p, .rv-bars')].every(el => {"
            " const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })"
        )
        assert fits, "the reveal fits a 1280 x 720 projector without scrolling"
        page.screenshot(path=str(artifacts / "reveal-after-1280x720.png"))
        page.get_by_role("button", name="Dashboard").click()
        expect(page.get_by_text("3 of 6 people have re-rated 2 statements")).to_be_visible()
        after = store.summary(code, key)
        assert after.second_round is not None and after.second_round.used
    except Exception:
        page.screenshot(path=str(artifacts / "reveal-failure.png"))
        raise
    finally:
        room.close()
        store.close()
