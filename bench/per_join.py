"""Server CPU per join, before against after, in one run: a baseline commit's app process and this tree's, taking
turns (as `per_answer` does for answers), each turn `joins` participants joining one new quick-scan workshop.

A join is what a participant's browser does over Streamlit's websocket (`loadgen.join_link_page` and
`loadgen.joined`): the join link's page drawn, then the join form submitted with a role, until the answering page
is drawn. The app process's CPU (user + system, /proc) over a turn is divided by its joins.

Run:  .venv/bin/python bench/per_join.py [--baseline REF] [--rounds 7] [--joins 8]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import cluster  # noqa: E402
import loadgen  # noqa: E402
import per_answer  # noqa: E402
from rows import Row, emit  # noqa: E402

from assessment.store import Store  # noqa: E402


async def _joins(base_url: str, code: str, joins: int, pid: int) -> float:
    """Server CPU seconds per join over `joins` participants joining one after another."""
    c0 = cluster.cpu_seconds(pid)
    for _ in range(joins):
        run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))
        async with loadgen.join_link_page(base_url, code, run.device) as page:
            await loadgen.joined(page, run, "Nurse")
    await asyncio.sleep(per_answer.SETTLE_S)
    return (cluster.cpu_seconds(pid) - c0) / joins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="the commit to compare this tree with")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--joins", type=int, default=8, help="joins per turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = f"sqlite:///{tmp / 'joins.sqlite'}"
        store = Store(url)
        turns: dict[str, list[float]] = {"before": [], "after": []}
        with per_answer.both_trees(url, tmp, args.baseline) as (sha, before, after):
            for k in range(args.rounds + 1):  # round 0 warms both up (imports, compiled pages) and is not counted
                order = [("before", before), ("after", after)]
                for label, app in order if k % 2 == 0 else order[::-1]:
                    code = store.create_workshop(f"Per join {label} {k}", None, "quick").workshop.join_code
                    ms = 1000 * loadgen.run_sync(_joins(app.url, code, args.joins, app.pid))
                    if k:
                        turns[label].append(ms)
                    print(f"  round {k} {label:<6}: {ms:5.1f} ms of server CPU per join", flush=True)
    before_ms, after_ms = (statistics.median(turns[k]) for k in ("before", "after"))
    print(f"server CPU per join (median of {args.rounds}): before ({sha}) {before_ms:.1f} ms, after (this tree) "
          f"{after_ms:.1f} ms; ratio {after_ms / before_ms:.2f}x")  # fmt: skip
    emit(Row("capacity", "server CPU per join", "(reported)", after_ms, before_ms, "ms", None, cpu_ms=after_ms))


if __name__ == "__main__":
    main()
