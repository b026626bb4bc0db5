"""axe-core (WCAG 2.0/2.1 A and AA rules) injected into every page in headless Chromium.

The engine is vendored (tests/vendor/axe-core, 4.14.1 from npm, MPL-2.0). A violation the app controls fails
the test; the few that come from Streamlit's own markup and cannot be worked around are listed in UPSTREAM
with a link, and only those exact rule/element pairs are tolerated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "Start",
    "Questionnaire",
    "Results",
    "Board view",
    "Compare",
    "Glossary",
    "Run a workshop",
    "Join a workshop",
    "Workshop dashboard",
    "Instrument quality",
]
# (rule id, CSS selector fragment of the offending element): violations in Streamlit's own markup.
UPSTREAM: dict[tuple[str, str], str] = {}


def settle(page: Any) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)


# Streamlit dims the elements of a page while its script reruns (opacity 0.33) and fades them back in with a CSS
# transition of up to 1.5 s once the run is over. On a busy machine a rerun is slow enough for that, and axe, which
# measures colours as drawn, then reports half-faded text as too faint. So axe runs only on a quiet page: the script
# not running, no element marked stale, and every finite animation or transition finished (an endless one, such as
# a spinner, is not waited for); and if the page was not quiet any more when axe finished, it runs again.
_QUIET = """() => document.querySelector("[data-testid='stApp']").dataset.testScriptState === "notRunning"
    && document.querySelectorAll("[data-stale='true']").length === 0
    && document.getAnimations().every(a => !a.effect || a.effect.getComputedTiming().endTime === Infinity
                                           || a.playState === "finished")"""
AXE_TRIES = 3
CLICK_TRIES = 3


def quiet(page: Any) -> None:
    """Wait until what the page draws has stopped changing."""
    page.wait_for_function(_QUIET, polling=100)


def open_page(page: Any, app_url: str, name: str) -> None:
    """Follow the sidebar link to a page and wait until the page's own run is over (a click is not a run: settling
    right after it can see the old page's finished run)."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True)
    path = urlparse(urljoin(f"{app_url}/", link.get_attribute("href") or "")).path  # the first page's is ""
    for _ in range(CLICK_TRIES):  # a click that lands during a rerun can be dropped by the frontend: click again
        link.click()
        try:
            page.wait_for_function("path => location.pathname === path", arg=path, polling=100, timeout=10_000)
            break
        except PlaywrightTimeoutError:
            settle(page)
    else:
        raise AssertionError(f"the link to {name} did not open {path} in {CLICK_TRIES} clicks")
    settle(page)


def violations(page: Any) -> list[dict[str, Any]]:
    for _ in range(AXE_TRIES):
        quiet(page)
        found = _axe(page)
        if page.evaluate(_QUIET):  # still as drawn when axe looked: the colours it measured are the page's
            return found
    return found


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    out = []
    for v in result["violations"]:
        for node in v["nodes"]:
            target = " ".join(node["target"]) if isinstance(node["target"][0], str) else json.dumps(node["target"])
            if not any(rule == v["id"] and frag in target for rule, frag in UPSTREAM):
                out.append({"rule": v["id"], "impact": v["impact"], "target": target, "html": node["html"][:160]})
    return out


# What a screen reader would announce that axe does not flag (issue 19, finding 2): a name with Markdown in it (a
# widget's label string is its accessible name as given: "**1.** ... settled\."), and an icon drawn in Markdown
# announced by its name ("bookmark icon"; keyboard.install hides them).
_UNSPOKEN = r"""() => [...document.querySelectorAll('[aria-label]')]
    .filter(e => !e.closest('[aria-hidden=true]'))
    .map(e => e.getAttribute('aria-label'))
    .filter(name => /\*\*|\\[\\`*_{}\[\]()#+\-.!|~<>$:&=]|^[a-z_]+ icon$/.test(name))"""


def unspoken(page: Any) -> list[str]:
    """Accessible names a person should not hear: Markdown, and icons named as such."""
    return page.evaluate(_UNSPOKEN)


def test_unspoken_finds_markdown_and_icon_names(browser: Any) -> None:
    page = browser.new_page()
    try:
        page.set_content(
            '<div role="radiogroup" aria-label="**1.** Settled\\."></div>'
            '<span role="img" aria-label="lock icon"></span>'
            '<span aria-hidden="true"><span role="img" aria-label="bookmark icon"></span></span>'
            '<div role="radiogroup" aria-label="1. Settled (for now)."></div><button aria-label="Help"></button>'
        )
        assert unspoken(page) == ["**1.** Settled\\.", "lock icon"]
    finally:
        page.close()


def test_every_page_passes_axe_wcag_21_aa(app_url: str, browser: Any, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    found: dict[str, list[dict[str, Any]]] = {}
    heard: dict[str, list[str]] = {}
    try:
        page.goto(app_url)
        settle(page)
        page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(EXAMPLE))
        settle(page)
        for name in PAGES:
            open_page(page, app_url, name)
            page.wait_for_timeout(400)  # charts finish drawing
            v = violations(page)
            if v:
                found[name] = v
            if said := unspoken(page):
                heard[name] = said
    finally:
        (artifacts / "axe.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
        context.close()
    assert not found, json.dumps(found, indent=1)[:6000]
    assert not heard, json.dumps(heard, indent=1)[:6000]
