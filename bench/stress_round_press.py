"""Stress: the facilitator presses "Open the second round" while the dashboard's automatic refresh is running;
the round must open, and the dashboard must say so.

Run:  .venv/bin/python bench/stress_round_press.py [--trials 10] [--delays 0,30,80,150,300] [--burn 3]

Why: once, in one of nine `make test` runs, such a press was lost (the round did not open, no message, and the
dashboard's "Updated at" froze). The reveal browser test now pauses the refresh first, as the dashboard suggests;
this tool looks for the fault itself. Each trial seeds a workshop of six through the store (as
tests/test_reveal_browser.py does), opens the dashboard with the refresh on (every 10 s, in a fragment), picks the
two agenda statements, then waits in the page for the next refresh to start and clicks the button that many
milliseconds after it started (`--delays`, taken in turn), with `--burn N` busy-looping processes beside it.

`--after-pick` looks at the other moment a press was lost: with the refresh paused (as the reveal test does), the
button is pressed as the test presses it, right after the last statement is picked (`--delays` then delays the
press after it). When the picker was a multiselect, 4 of 5 presses 0 ms after the last pick were lost (burn 1): the
multiselect is a line taller while it has the focus, so the button moved up under the click that took the focus
away. With a box per statement, none.

Not part of bench/run_all.py: it measures no speed goal (about 15 s a trial). Exit status 1 if any press was lost.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from assessment.store import Store  # noqa: E402

TIMEOUT_MS = 60_000
OPENED_WAIT_MS = 25_000  # two refreshes and more: a press that worked shows by then

# Resolves once it has clicked: `delay` ms after the page's script state turns to "running" (a refresh begins).
CLICK_INTO_A_REFRESH = """(delay) => new Promise(resolve => {
  const app = document.querySelector('[data-testid=stApp]');
  const button = [...document.querySelectorAll('button')].find(b => b.innerText.includes('Open the second round'));
  if (!button) { resolve('no button'); return; }
  const watch = new MutationObserver(() => {
    if (app.dataset.testScriptState !== 'running') return;
    watch.disconnect();
    setTimeout(() => { button.click(); resolve('clicked'); }, delay);
  });
  watch.observe(app, {attributes: true});
})"""


def _burn() -> None:
    while True:
        pass


def _trial(browser: object, url: str, db_url: str, delay: int, after_pick: bool) -> bool:
    """One press timed into a refresh (or after the last pick); whether the round opened and the dashboard said so."""
    from playwright.sync_api import expect
    from test_reveal_browser import pick_statements, seed

    code, key, _tokens, _split = seed(db_url)
    store = Store(db_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        agenda = store.summary(code, key).agenda
        page.goto(f"{url}/?facilitate={code}")
        page.get_by_label("Facilitator key").fill(key)
        page.get_by_role("button", name="Open the dashboard").click()
        expect(page.get_by_role("heading", name="Disagreement agenda")).to_be_visible()
        if after_pick:  # paused, as the reveal test does
            auto = page.get_by_role("switch", name="Refresh automatically every 10 seconds")
            page.get_by_text("Refresh automatically every 10 seconds", exact=True).click()
            expect(auto).not_to_be_checked()
            expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
        page.get_by_text("Second round: re-rate the agenda after the discussion").click()
        pick_statements(page, agenda)
        if after_pick:
            open_round = page.get_by_role("button", name="Open the second round")
            expect(open_round).to_be_enabled()
            page.wait_for_timeout(delay)
            open_round.click()
        elif page.evaluate(CLICK_INTO_A_REFRESH, delay) != "clicked":
            raise RuntimeError("the dashboard has no 'Open the second round' button")
        try:
            expect(page.get_by_text("Second round open: 0 of 6 people")).to_be_visible(timeout=OPENED_WAIT_MS)
            shown = True
        except AssertionError:
            shown = False
            page.screenshot(path=str(ROOT / "tests" / "artifacts" / f"round-press-lost-{code}.png"))
        return shown and store.open_workshop(code, key).second_round is not None
    finally:
        context.close()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--delays", default="0,30,80,150,300", help="ms after a refresh starts, taken in turn")
    parser.add_argument("--burn", type=int, default=0, help="busy-looping processes to run beside it")
    parser.add_argument("--after-pick", action="store_true", help="press after the last pick, the refresh paused")
    args = parser.parse_args()
    delays = [int(d) for d in args.delays.split(",")]
    import conftest  # tests/conftest.py: serve(), chromium_path()
    from playwright.sync_api import sync_playwright

    exe = conftest.chromium_path()
    if exe is None:
        print("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)")
        return 2
    (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.burn)]
    lost: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'stress.sqlite'}"
        server = conftest.serve(Path(tmp) / "app.log", {"ASSESSMENT_DATABASE_URL": db_url})
        url = next(server)
        try:
            for burner in burners:
                burner.start()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, headless=True)
                for t in range(args.trials):
                    delay = delays[t % len(delays)]
                    ok = _trial(browser, url, db_url, delay, args.after_pick)
                    moment = "after the last pick" if args.after_pick else "into a refresh"
                    print(f"trial {t + 1}: pressed {delay} ms {moment}: {'opened' if ok else 'LOST'}", flush=True)
                    if not ok:
                        lost.append((t + 1, delay))
                browser.close()
        finally:
            for burner in burners:
                burner.terminate()
            server.close()
    moment = "after the last pick" if args.after_pick else "timed into a refresh"
    print(f"lost {len(lost)} of {args.trials} presses {moment} (burn {args.burn}): {lost or 'none'}")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
