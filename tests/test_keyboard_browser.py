"""Keyboard and screen-reader use of the questionnaire (issue 19, finding 2) in headless Chromium.

- a section change puts the keyboard focus on the new section's first statement (not back on the page's body);
- every answer group is named in plain text (no Markdown), and no icon is announced;
- focus rings have at least 3:1 contrast against what is behind them, and a focused sidebar link looks different
  from the current page;
- the quick scan is answered with the keyboard alone (Tab, Space or an arrow key, Enter on "Next section"), on the
  single-respondent questionnaire and on the workshop participant page, and ends with every question answered;
  axe-core finds nothing on either page afterwards.

Screenshots of the focused states (1280x800 and 390x844) go to tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_accessibility import violations
from test_workshop_browser import TIMEOUT_MS, drawn, main, settle, statement, until

from assessment import default_bank
from assessment.answers import Context
from assessment.store import Store
from assessment.ui import keyboard
from assessment.ui.sections import PLAN_QUESTIONS, SECTION_BY_ID, SECTION_IDS, section_items

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_TABS = 400  # a walk that needs more is lost
FIRST_DRAW_MS = 60_000  # a session's first page: every component loaded for the first time, on a busy machine
MIN_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11 (non-text contrast) and 2.4.13 (focus appearance)
BANK = default_bank()
QUICK_TOTAL = len(BANK.items_for("quick")) + len(PLAN_QUESTIONS)


@pytest.fixture(autouse=True, scope="module")
def _expect_timeout() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


# what has the focus: a radio input (its group's name and whether the group has an answer), else its tag and name
# (a button's words, without its icon)
_FOCUSED = """() => {
  const a = document.activeElement;
  const group = a && a.closest('[role=radiogroup]');
  if (a && a.tagName === 'INPUT' && a.type === 'radio' && group) {
    return {kind: 'radio', name: group.getAttribute('aria-label') || '',
            answered: !!group.querySelector('input:checked'), main: !!a.closest('[data-testid=stMain]')};
  }
  const text = a && (a.querySelector('[data-testid=stMarkdownContainer]') || a);  // not the icon's ligature
  return {kind: a ? a.tagName.toLowerCase() : 'none',
          name: a ? (a.getAttribute('aria-label') || text.innerText || '').trim() : '',
          answered: false, main: !!(a && a.closest('[data-testid=stMain]'))};
}"""

# the focus ring of an element as drawn (outline, else the first colour of a box shadow) and the colour behind it
# (the first ancestor with an opaque background: an outline is drawn around the element, over its parent)
_RING = """el => {
  const cs = getComputedStyle(el);
  let ring = null, width = 0;
  if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) {
    ring = cs.outlineColor; width = parseFloat(cs.outlineWidth);
  } else if (cs.boxShadow && cs.boxShadow !== 'none') {
    ring = (cs.boxShadow.match(/rgba?\\([^)]*\\)/) || [null])[0]; width = 1;
  }
  let bg = 'rgb(255, 255, 255)';
  for (let n = el.parentElement; n; n = n.parentElement) {
    const b = getComputedStyle(n).backgroundColor;
    const alpha = b.startsWith('rgba') ? parseFloat(b.split(',')[3]) : 1;
    if (alpha > 0.99) { bg = b; break; }
  }
  return {ring, width, bg, background: cs.backgroundColor, decoration: cs.textDecorationLine
          + ' ' + getComputedStyle(el.querySelector('p') || el).textDecorationLine};
}"""


def _rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fore: str, back: str) -> float:
    """WCAG contrast ratio of a CSS colour (its alpha blended over the background) against an opaque background."""
    fr, fg, fb, fa = _rgb(fore)
    br, bg, bb, _ = _rgb(back)
    blended = (fr * fa + br * (1 - fa), fg * fa + bg * (1 - fa), fb * fa + bb * (1 - fa))
    hi, lo = sorted((_luminance(blended), _luminance((br, bg, bb))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_matches_known_pairs() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(255, 255, 255)", "rgb(255, 255, 255)") == pytest.approx(1.0)
    assert contrast("rgb(11, 79, 138)", "rgb(255, 255, 255)") == pytest.approx(8.4, abs=0.05)  # the ring colour
    assert contrast("rgba(11, 79, 138, 0)", "rgb(255, 255, 255)") == pytest.approx(1.0)  # transparent: no ring


def ring_contrast(locator: Any) -> tuple[float, dict[str, Any]]:
    drawn_ring = locator.evaluate(_RING)
    assert drawn_ring["ring"], f"no focus ring: {drawn_ring}"
    return contrast(drawn_ring["ring"], drawn_ring["bg"]), drawn_ring


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(_FOCUSED)


def first_input(page: Any) -> Any:
    return statement(page, 1).locator("input").first


def plain_names(page: Any) -> list[str]:
    """The accessible names of the answer groups in the main block (not the section switcher's)."""
    groups = main(page).get_by_test_id("stRadio").get_by_role("radiogroup")
    return groups.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")


def open_questionnaire(page: Any, url: str) -> None:
    page.goto(f"{url}/questionnaire")
    expect(page.get_by_role("heading", name="Questionnaire", level=1)).to_be_visible(timeout=FIRST_DRAW_MS)
    expect(first_input(page)).to_be_attached(timeout=FIRST_DRAW_MS)
    drawn(page)


@pytest.mark.parametrize("size", ["1280x800", "390x844"])
def test_a_section_change_focuses_its_first_statement(app_url: str, browser: Any, artifacts: Path, size: str) -> None:
    viewport = DESKTOP if size == "1280x800" else PHONE
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        open_questionnaire(page, app_url)
        for n, section_id in enumerate(SECTION_IDS[1:], start=1):  # "Next section", with the keyboard
            main(page).get_by_role("button", name="Next section").focus()
            page.keyboard.press("Enter")
            expect(main(page).get_by_role("heading", name=SECTION_BY_ID[section_id].title)).to_be_visible()
            expect(first_input(page)).to_be_focused()
            expect(page.locator("body")).to_have_attribute("data-kb-focused", re.compile(rf" {n}$"))
            drawn(page)
            expect(first_input(page)).to_be_focused()  # still there once the run is over
            # and in sight: the question's text and its options on the screen
            first = page.get_by_test_id("stRadio").filter(has_text=re.compile(r"^1\. "))
            question = main(page).get_by_test_id("stVerticalBlock").filter(has=first).last  # the innermost
            box = question.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (section_id, box)
            if n == 1:
                page.screenshot(path=str(artifacts / f"keyboard-next-section-{size}.png"))
        main(page).get_by_role("button", name="Previous section").focus()
        page.keyboard.press("Enter")
        expect(main(page).get_by_role("heading", name=SECTION_BY_ID[SECTION_IDS[-2]].title)).to_be_visible()
        expect(first_input(page)).to_be_focused()
        # the section switcher too (here clicked, as a mouse user does): the focus follows to the new section
        main(page).get_by_role("radio", name=SECTION_BY_ID[SECTION_IDS[0]].title).click()
        expect(main(page).get_by_role("heading", name=SECTION_BY_ID[SECTION_IDS[0]].title)).to_be_visible()
        expect(first_input(page)).to_be_focused()
        drawn(page)
        # a run that no section change asked for leaves the focus where the person put it
        second = statement(page, 2).locator("input").first
        second.focus()
        page.keyboard.press("Space")
        expect(second).to_be_checked()
        drawn(page)
        expect(second).to_be_focused()
    except Exception:
        page.screenshot(path=str(artifacts / "keyboard-section-focus-failure.png"))
        raise
    finally:
        context.close()


def test_answer_groups_are_named_in_plain_text(app_url: str, browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        open_questionnaire(page, app_url)
        items = section_items(BANK, "quick", SECTION_IDS[0])
        names = plain_names(page)
        # innovation title not given: the statements read "this innovation"
        assert names == [f"{n}. {item.render('')}" for n, item in enumerate(items, start=1)], names
        assert not any(re.search(r"[*\\_`]", name) for name in names), names
        # what the eye reads is the same words once (the group's own label is collapsed), with the number in bold
        expect(main(page).get_by_text(names[0], exact=True).filter(visible=True)).to_have_count(1)
        expect(main(page).locator("strong", has_text=re.compile(r"^1\.$"))).to_have_count(1)
    finally:
        context.close()


def test_focus_rings_have_3_to_1_contrast(app_url: str, browser: Any, artifacts: Path) -> None:
    for size, viewport in (("1280x800", DESKTOP), ("390x844", PHONE)):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            open_questionnaire(page, app_url)
            # a radio option, reached with the keyboard
            first_input(page).focus()
            page.keyboard.press("Tab")
            page.keyboard.press("Shift+Tab")
            expect(first_input(page)).to_be_focused()
            option = statement(page, 1).get_by_test_id("stRadioOption").first
            ratio, ring = ring_contrast(option)
            assert ratio >= MIN_CONTRAST, (size, "radio", ring, ratio)
            page.screenshot(path=str(artifacts / f"keyboard-focus-radio-{size}.png"))
            # the primary button
            button = main(page).get_by_role("button", name="Next section")
            button.focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")
            expect(button).to_be_focused()
            ratio, ring = ring_contrast(button)
            assert ratio >= MIN_CONTRAST, (size, "button", ring, ratio)
            button.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"keyboard-focus-button-{size}.png"))
            if size == "390x844":
                continue  # the sidebar is closed on a phone
            # a sidebar link, and the current page's link beside it
            sidebar = page.get_by_test_id("stSidebar")
            current = sidebar.get_by_role("link", name="Questionnaire", exact=True)
            other = sidebar.get_by_role("link", name="Results", exact=True)
            current_look = current.evaluate(_RING)
            current.focus()
            page.keyboard.press("Tab")
            expect(other).to_be_focused()
            ratio, ring = ring_contrast(other)
            assert ratio >= MIN_CONTRAST, ("sidebar link", ring, ratio)
            assert "underline" in ring["decoration"]
            assert "underline" not in current_look["decoration"] and current_look["width"] == 0
            assert (ring["background"], ring["width"]) != (current_look["background"], current_look["width"])
            page.screenshot(path=str(artifacts / "keyboard-focus-sidebar-1280x800.png"))
        except Exception:
            page.screenshot(path=str(artifacts / f"keyboard-focus-rings-{size}-failure.png"))
            raise
        finally:
            context.close()


def tab_walk(page: Any, answered: Callable[[str, int], None], stop: str) -> int:
    """Walk the page with the keyboard only, from wherever the focus is: answer each unanswered question reached
    (Space on odd counts, the right arrow on even ones), press Enter on "Next section", and stop at the button named
    `stop`. `answered(section, k)` waits until the page shows the k-th answer of the walk saved. The Tab count."""
    tabs, given, section = 0, 0, SECTION_IDS[0]
    while True:
        now = focused(page)
        if now["kind"] == "radio" and now["main"] and not now["answered"]:
            given += 1
            page.keyboard.press("Space" if given % 2 else "ArrowRight")
            answered(section, given)
            settle(page)
            assert focused(page)["answered"], f"the focus left answer {given} ({section}): {focused(page)}"
        elif now["kind"] == "button" and now["name"] == "Next section":
            section = SECTION_IDS[SECTION_IDS.index(section) + 1]
            page.keyboard.press("Enter")
            expect(main(page).get_by_role("heading", name=SECTION_BY_ID[section].title)).to_be_visible()
            expect(first_input(page)).to_be_focused()
            drawn(page)
            continue
        elif now["kind"] == "button" and now["name"] == stop:
            return tabs
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < MAX_TABS, f"{tabs} Tabs and not at {stop!r}: {now}"


def test_tab_walk_answers_the_whole_questionnaire(app_url: str, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        open_questionnaire(page, app_url)

        def answered(section: str, k: int) -> None:
            expect(main(page).get_by_text(f"Whole questionnaire: {k} of {QUICK_TOTAL} answered")).to_be_visible()

        tabs = tab_walk(page, answered, "See the results")
        expect(main(page).get_by_text(f"Whole questionnaire: {QUICK_TOTAL} of {QUICK_TOTAL} answered")).to_be_visible()
        page.screenshot(path=str(artifacts / "keyboard-walk-questionnaire.png"))
        (artifacts / "keyboard-walk-questionnaire.txt").write_text(
            f"questionnaire, quick scan by keyboard: {QUICK_TOTAL} answers, {tabs} Tab presses\n", "utf-8"
        )
        assert violations(page) == []
    except Exception:
        page.screenshot(path=str(artifacts / "keyboard-walk-questionnaire-failure.png"))
        raise
    finally:
        context.close()


def test_tab_walk_answers_the_workshop_quick_scan(
    workshop_app_url: str, workshop_db_url: str, browser: Any, artifacts: Path
) -> None:
    store = Store(workshop_db_url)
    ctx = Context(organisation_name="Riverside NHS Trust", innovation_title="Integrated frailty pathway")
    code = store.create_workshop("Keyboard workshop", ctx, "quick").workshop.join_code
    token = store.join_workshop(code, "nurse", client_key="keyboard-walk").participant_token
    asked = store.participant_status(token).asked
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{workshop_app_url}/?resume={token}")
        expect(first_input(page)).to_be_attached(timeout=FIRST_DRAW_MS)
        drawn(page)
        # icons decorate words that say the same: none is announced (the header's "bookmark", the research note's
        # "lock")
        expect(page.locator("[data-testid=stMain] [aria-label$=' icon']")).not_to_have_count(0)
        expect(page.locator("[aria-label$=' icon']:not([aria-hidden=true])")).to_have_count(0)

        statements = len(BANK.items_for("quick"))

        def answered(section: str, k: int) -> None:
            if section == "plan":
                done = k - statements
                expect(main(page).get_by_role("radio", name=f"{SECTION_BY_ID['plan'].short} {done}/")).to_be_visible()
            else:
                expect(main(page).get_by_text(f"Your answers saved: {k} of {asked} statements")).to_be_visible()

        tabs = tab_walk(page, answered, "Submit my answers…")
        until(page, lambda: store.participant_status(token).answered == asked, f"{asked} answers saved")
        expect(main(page).get_by_text("Every statement is answered.")).to_be_visible()
        page.screenshot(path=str(artifacts / "keyboard-walk-participant.png"))
        (artifacts / "keyboard-walk-participant.txt").write_text(
            f"workshop participant, quick scan by keyboard: {asked} statements and {len(PLAN_QUESTIONS)} plan "
            f"questions, {tabs} Tab presses\n",
            "utf-8",
        )
        assert violations(page) == []
    except Exception:
        page.screenshot(path=str(artifacts / "keyboard-walk-participant-failure.png"))
        raise
    finally:
        store.close()
        context.close()


def test_the_focus_script_names_no_typed_text() -> None:
    """The script takes a widget key, JSON-encoded: a quote cannot end its string."""
    script = keyboard.focus_script("w_item_x'];alert(1);//", 3)
    assert '["w_item_x\'];alert(1);//", 3]' in script
