"""The room screen in headless Chromium (issue 19): a facilitator opens the dashboard with the join code and key,
presses "Show to the room", and the screen fits 1280 x 720 and 1920 x 1080 with no scrolling, no app chrome, no
names or departments, the counts of the people seeded through the store, and a QR code that zxing-cpp reads back
from a screenshot as the join link. Screenshots: tests/artifacts/room-1280x720.png and room-1920x1080.png.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from assessment.store import Store

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000  # a ceiling, not a wait: expectations return as soon as they hold (CI is busy)
SCREENS = [(1280, 720), (1920, 1080)]
# name, department, role, submitted: two submitted, two still answering
PEOPLE = [
    ("Erin Exec", "Board Office", "executive", True),
    ("Dana Doctor", "Surgery Ward", "doctor", True),
    ("Nell Nurse", "Elderly Care", "nurse", False),
    ("Mo Manager", "Acute Medicine", "middle_manager", False),
]

_SCROLL = """() => {
  const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
  return {docH: doc.scrollHeight, docW: doc.scrollWidth, h: innerHeight, w: innerWidth,
          mainH: main.scrollHeight, mainClientH: main.clientHeight,
          mainW: main.scrollWidth, mainClientW: main.clientWidth};
}"""
# every part of the screen lies inside the window (nothing cut off at an edge)
_OUTSIDE = """() => [...document.querySelectorAll('.room-screen p, .room-qr')]
  .map(el => [el.className, el.getBoundingClientRect()])
  .filter(([, r]) => r.width === 0 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
  .map(([c]) => c)"""
_CHROME = """() => ['[data-testid=stSidebar]', '[data-testid=stHeader]', '[data-testid=stToolbar]',
  '[data-testid=stSidebarCollapsedControl]', 'footer']
  .filter(s => [...document.querySelectorAll(s)]
    .some(el => el.checkVisibility() && el.getBoundingClientRect().width > 0))"""


def seed(db_url: str) -> tuple[str, str]:
    """A quick-scan workshop and four people joined through the store, two of whom submitted."""
    store = Store(db_url)
    try:
        created = store.create_workshop("Frailty pathway: room screen", None, "quick")
        code, key = created.workshop.join_code, created.facilitator_key
        items = [i.id for i in store.bank.items_for("quick")]
        for n, (name, department, role, submit) in enumerate(PEOPLE):
            token = store.join_workshop(code, role, name=name, department=department, client_key=f"room{n}")
            store.save_answers(token.participant_token, {i: (3, "") for i in items})
            if submit:
                store.submit(token.participant_token)
        return code, key
    finally:
        store.close()


def decode_screen(page: Any) -> list[str]:
    shot = page.screenshot()
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


def test_the_room_screen_fits_the_projector_and_its_qr_code_opens_the_join_link(
    workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path
) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    code, key = seed(workshop_db_url)
    width, height = SCREENS[0]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{workshop_app_url}/?facilitate={code}")
        page.get_by_label("Facilitator key").fill(key)
        page.get_by_role("button", name="Open the dashboard").click()
        expect(page.get_by_role("heading", name="Participants")).to_be_visible()
        page.get_by_role("link", name="Show to the room").click()
        counts = page.locator(".room-counts")
        expect(counts).to_have_text("4 joined · 2 submitted")
        expect(page.locator(".room-code")).to_have_text(code)
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
        assert key not in page.url and page.url.rstrip("/").endswith("/room")
        join_link = f"{workshop_app_url}/?join={code}"
        expect(page.locator(".room-url")).to_have_text(join_link)

        for width, height in SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(f"() => innerWidth === {width} && innerHeight === {height}")
            sizes = page.evaluate(_SCROLL)
            assert sizes["docH"] <= sizes["h"] and sizes["docW"] <= sizes["w"], sizes
            assert sizes["mainH"] <= sizes["mainClientH"] and sizes["mainW"] <= sizes["mainClientW"], sizes
            assert page.evaluate(_OUTSIDE) == []
            assert page.evaluate(_CHROME) == []
            text = page.evaluate("document.body.innerText")
            for name, department, _, _ in PEOPLE:
                assert name not in text and department not in text
            assert not re.search(r"Executive|Doctor|Nurse|Manager", text)  # no roles either
            assert "4 joined · 2 submitted" in text and code in text and key not in text
            qr = page.locator(".room-qr").bounding_box()
            assert qr is not None and qr["height"] >= 0.5 * height  # readable from the back of a room
            assert decode_screen(page) == [join_link]
            page.screenshot(path=str(artifacts / f"room-{width}x{height}.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "room-failure.png"))
        raise
    finally:
        context.close()
