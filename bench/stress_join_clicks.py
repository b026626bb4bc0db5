"""Stress: participants join a workshop and answer the first statements the moment the first one is drawn; every
click must reach the store, on the statement aimed at (issue 11, finding 0).

Run:  .venv/bin/python bench/stress_join_clicks.py [--participants 60] [--burn 2]

The quick-click browser test (tests/test_workshop_browser.py) does the same ten times; this runs it as often as
asked, optionally with `--burn N` busy-looping processes beside it, since the lost clicks showed on busy
machines. It serves app.py with a database of its own and drives one Chromium tab per participant, as the test
does. It also watches each tab for the moment that lost the clicks: a statement's radio drawn while a statement
above it is still a placeholder (a Streamlit skeleton), so that "the first radio on the page" is not statement 1.

Not part of bench/run_all.py: it measures no speed goal, and takes about 10 s per participant on a busy 2-core
machine. Exit status 1 if any click was lost or landed on another statement.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from assessment import default_bank  # noqa: E402
from assessment.store import Store  # noqa: E402
from assessment.ui.sections import SECTION_IDS, section_items  # noqa: E402

CLICKS = 3
TIMEOUT_MS = 30_000
STORE_WAIT_S = 15.0

# Counts the moments when a statement's radio is on the page but statement 1's is not (yet).
WATCH = """
window.__early = 0;
new MutationObserver(() => {
  const main = document.querySelector('[data-testid=stMain]');
  if (!main) return;
  const numbers = [...main.querySelectorAll('[data-testid=stRadio]')]
    .map(r => (r.innerText.match(/^(\\d+)\\./) || [])[1]).filter(Boolean);
  if (numbers.length && !numbers.includes('1')) window.__early += 1;
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def _burn() -> None:
    while True:
        pass


def _join(page: Any, url: str, code: str) -> str:
    from playwright.sync_api import expect

    page.goto(f"{url}/join?join={code}")
    expect(page.get_by_label("Workshop code")).to_have_value(code)
    page.get_by_label("Your role").click()
    page.get_by_role("option", name="Nurse", exact=True).click()
    page.get_by_role("button", name="Join the workshop").click()
    expect(page.get_by_test_id("stMain").get_by_text("Your personal link.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"resume="))
    return page.url.rsplit("resume=", 1)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--burn", type=int, default=0, help="busy-looping processes to run beside it")
    args = parser.parse_args()
    import conftest  # tests/conftest.py: serve()
    from playwright.sync_api import expect, sync_playwright

    exe = conftest.chromium_path()  # CHROMIUM_PATH or Debian's chromium
    if not exe:
        print("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)")
        return 2
    bank = default_bank()
    items = section_items(bank, "quick", SECTION_IDS[0])[:CLICKS]
    lost: list[str] = []
    early = 0
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.burn)]
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'stress.sqlite'}"
        server = conftest.serve(Path(tmp) / "app.log", {"ASSESSMENT_DATABASE_URL": db_url})
        url = next(server)
        store = Store(db_url)
        try:
            for burner in burners:
                burner.start()
            code = store.create_workshop("Quick clicks", None, "quick").workshop.join_code
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, headless=True)
                context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
                context.set_default_timeout(TIMEOUT_MS)
                context.add_init_script(WATCH)
                expect.set_options(timeout=TIMEOUT_MS)
                for n in range(args.participants):
                    page = context.new_page()
                    token = _join(page, url, code)
                    groups = page.get_by_test_id("stMain").get_by_test_id("stRadio")
                    groups.first.wait_for()  # no settling: click the moment the statements are drawn
                    aimed = {item.id: 1 + (n + k) % 5 for k, item in enumerate(items)}
                    for k, item in enumerate(items):
                        groups.nth(k).get_by_text(bank.scales[item.scale].anchors[aimed[item.id]], exact=True).click()
                    deadline = time.monotonic() + STORE_WAIT_S
                    while (held := {i: a.value for i, a in store.load_participant(token).answers.items()}) != aimed:
                        if time.monotonic() > deadline:
                            lost.append(f"participant {n}: aimed {aimed}, stored {held}")
                            break
                        time.sleep(0.1)
                    moments = int(page.evaluate("window.__early"))
                    early += moments > 0
                    print(f"participant {n}: {'ok' if held == aimed else 'LOST'}, early-radio moments {moments}")
                    page.close()
                browser.close()
        finally:
            for burner in burners:
                burner.terminate()
            store.close()
            server.close()
    clicks = CLICKS * args.participants
    print(
        f"{len(lost)} of {args.participants} participants lost a click or had one land on another statement "
        f"({clicks} clicks); {early} saw a statement's radio before statement 1's (burn {args.burn})"
    )
    for line in lost:
        print("  " + line)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
