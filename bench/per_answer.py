"""Server CPU per answer, before against after, in one run: the same participant session driven through an app
process started from a baseline commit and one started from this tree, taking turns, so that load on the machine
hits both alike.

Used by `bench/bench_capacity.py --per-answer` (see there). Each turn is one participant on its own workshop (a
quick scan, as in the capacity levels: 27 statements in three sections): it joins (not counted), then answers
`answers` statements back to back over Streamlit's websocket (`loadgen.answer_next`: the browser's own protocol,
moving to the next section when one is done), and the app process's CPU time (user + system, /proc) over those
answers is divided by their number. Every answer is then checked in the store. The baseline is the tree of a
commit (`git archive`, unpacked in a temporary folder) run with the same interpreter and venv, on the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import statistics
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import cluster
import loadgen

from assessment.store import Store

ROOT = Path(__file__).resolve().parent.parent
SETTLE_S = 0.3  # after the last answer, before reading the CPU: work the server does after a run finished


@dataclass(frozen=True)
class Turn:
    label: str
    answers: int
    cpu_s: float
    lost: int

    @property
    def ms_per_answer(self) -> float:
        return 1000 * self.cpu_s / max(self.answers, 1)


def unpack_commit(ref: str, into: Path) -> str:
    """The tree of commit `ref` unpacked into `into`; its short hash."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True, text=True)
    tar = subprocess.run(["git", "archive", "--format=tar", sha.stdout.strip()], cwd=ROOT, check=True,
                         capture_output=True)  # fmt: skip
    with tarfile.open(fileobj=BytesIO(tar.stdout)) as archive:
        archive.extractall(into, filter="tar")
    return sha.stdout.strip()


def baseline_root(tmp: Path, ref: str) -> tuple[Path, str]:
    """Commit `ref`'s tree unpacked into `tmp/base`: its folder and short hash."""
    root = tmp / "base"
    root.mkdir()
    return root, unpack_commit(ref, root)


@contextlib.contextmanager
def both_trees(url: str, tmp: Path, baseline: str) -> Iterator[tuple[str, cluster.App, cluster.App]]:
    """One app process of commit `baseline` and one of this tree, on the database `url`, started together (logs in
    `tmp/logs`): the baseline's short hash, then the two apps (before, after)."""
    root, sha = baseline_root(tmp, baseline)
    (tmp / "logs").mkdir(exist_ok=True)
    with (
        cluster.apps(url, 1, tmp / "logs", root=root) as (before,),
        cluster.apps(url, 1, tmp / "logs") as (after,),
    ):
        yield sha, before, after


async def _session(base_url: str, code: str, answers: int, pid: int, seed: int) -> tuple[loadgen.ParticipantRun, float]:
    run = loadgen.ParticipantRun(0, secrets.token_urlsafe(16))
    rng = random.Random(seed)
    async with loadgen.join_link_page(base_url, code, run.device) as page:
        await loadgen.joined(page, run, "Nurse")
        await asyncio.sleep(SETTLE_S)
        c0 = cluster.cpu_seconds(pid)
        for _ in range(answers):
            if not await loadgen.answer_next(page, run, rng):
                break
        await asyncio.sleep(SETTLE_S)
        return run, cluster.cpu_seconds(pid) - c0


def turn(label: str, app: cluster.App, store: Store, answers: int, seed: int) -> Turn:
    code = store.create_workshop(f"Per answer {label}", None, "quick").workshop.join_code
    run, cpu = loadgen.run_sync(_session(app.url, code, answers, app.pid, seed))
    return Turn(label, len(run.latencies), cpu, len(loadgen.lost_answers(store, [run])))


def compare(url: str, store: Store, tmp: Path, baseline: str, answers: int, rounds: int) -> tuple[float, float]:
    """Print each turn, the medians and their ratio; the median CPU per answer in ms, (before, after)."""
    with both_trees(url, tmp, baseline) as (sha, before, after):
        for label, app in (("before", before), ("after", after)):  # warm-up: imports, compiled pages
            turn(label, app, store, 4, seed=0)
        turns: dict[str, list[Turn]] = {"before": [], "after": []}
        for k in range(rounds):
            order = [("before", before), ("after", after)]
            for label, app in order if k % 2 == 0 else order[::-1]:
                t = turn(label, app, store, answers, seed=k + 1)
                turns[label].append(t)
                print(f"  round {k + 1} {label:<6}: {t.answers} answers, server CPU {t.cpu_s:5.2f} s, "
                      f"{t.ms_per_answer:5.1f} ms per answer, lost {t.lost}", flush=True)  # fmt: skip
    med = {k: statistics.median(t.ms_per_answer for t in v) for k, v in turns.items()}
    lost = sum(t.lost for v in turns.values() for t in v)
    ratio = med["after"] / med["before"]
    print(f"server CPU per answer (median of {rounds}): before ({sha}) {med['before']:.1f} ms, after (this tree) "
          f"{med['after']:.1f} ms; ratio {ratio:.2f}x; lost {lost}")  # fmt: skip
    return med["before"], med["after"]
