"""Benchmark: time to build the full PDF report, against a bare document of the same length.

Run: .venv/bin/python bench/bench_report.py [REPEATS]

In one process, after one warm-up build of each (font registration and data files are loaded once per
process and excluded), the median of REPEATS builds (default 7) of:
  1. the full report for examples/riverside_two_step.json (full bank): `build_report` = assess + render;
  2. the report alone (`render_report` on an already computed result);
  3. a bare document in the same library: Platypus paragraphs in the same DejaVu font, with page breaks so
     that it has exactly as many pages as the report, and no charts, tables, forms or bookmarks.
Goals: the full report under 1 s (wall clock), and within 2x of the bare document. The ratio is judged on
CPU time: both builds are single-threaded, and on a shared machine the wall clock also counts the time other
processes hold the CPU, which can swing the wall-clock ratio either way. Both are printed.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from rows import Row, emit  # bench/rows.py (this script's folder is on sys.path)

from assessment import assess, default_bank, load_answers
from assessment.report import build_report, render_report
from assessment.report.fonts import REGULAR, register_fonts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
SENTENCE = (
    "Clinicians, managers and executives each see a different part of the organisation, and the assessment "
    "brings those views together so that the leadership team can discuss them. "
)


def bare_document(pages: int) -> bytes:
    """A plain document of `pages` pages: a screenful of text per page, nothing else."""
    register_fonts()
    style = ParagraphStyle("bare", fontName=REGULAR, fontSize=9.5, leading=13.2)
    story: list[object] = []
    for p in range(pages):
        story += [Paragraph(SENTENCE * 4, style) for _ in range(5)]
        if p < pages - 1:
            story.append(PageBreak())
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title="bare").build(story)
    return buf.getvalue()


def interleaved(runs: dict[str, Callable[[], bytes]], repeats: int) -> dict[str, tuple[float, float, bytes]]:
    """Median wall-clock and CPU seconds per build, the builds of each kind taking turns, so that load from
    other processes falls on all of them alike. One warm-up build of each first."""
    out = {name: run() for name, run in runs.items()}
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            w0, c0 = time.perf_counter(), time.process_time()
            out[name] = run()
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name]), out[name]) for name in runs}


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    bank = default_bank()
    answer_set = load_answers(EXAMPLE, bank)
    result = assess(answer_set, bank)

    pages = page_count(build_report(answer_set, bank))
    timed = interleaved(
        {
            "full": lambda: build_report(answer_set, bank),
            "render": lambda: render_report(result, bank, [answer_set]),
            "bare": lambda: bare_document(pages),
        },
        repeats,
    )
    (full_s, full_cpu, pdf), (render_s, render_cpu, _), (bare_s, bare_cpu, bare) = (
        timed["full"],
        timed["render"],
        timed["bare"],
    )
    assert page_count(pdf) == pages == page_count(bare), (page_count(pdf), pages, page_count(bare))

    ratio = full_s / bare_s
    cpu_ratio = full_cpu / bare_cpu
    under_1s = full_s < 1.0
    within_2x = cpu_ratio <= 2.0
    print(f"report: {EXAMPLE.relative_to(ROOT)} ({len(bank.items)} items); median of {repeats} interleaved builds")
    print("                                    wall       cpu")
    print(f"full report (assess + render):  {full_s * 1000:7.1f} ms {full_cpu * 1000:7.1f} ms  {pages} pages, "
          f"{len(pdf) / 1024:.0f} KiB")
    print(f"render only:                    {render_s * 1000:7.1f} ms {render_cpu * 1000:7.1f} ms")
    print(f"bare document, same pages/font: {bare_s * 1000:7.1f} ms {bare_cpu * 1000:7.1f} ms  {pages} pages, "
          f"{len(bare) / 1024:.0f} KiB")
    print(f"ratio full / bare:              {ratio:7.2f} x  {cpu_ratio:7.2f} x")
    verdict = {True: "met", False: "NOT met"}
    print(f"goal < 1 s: {verdict[under_1s]}; goal within 2x of the bare document (CPU): {verdict[within_2x]}")
    emit(Row("report", "full PDF report (assess + render), wall", "< 1 s", full_s * 1000, bare_s * 1000, "ms",
             under_1s, cpu_ms=full_cpu * 1000, wall_ms=full_s * 1000))  # fmt: skip
    emit(Row("report", "full PDF report, CPU vs a bare document", "within 2x of bare", full_cpu * 1000,
             bare_cpu * 1000, "ms", within_2x, cpu_ms=full_cpu * 1000, wall_ms=full_s * 1000))  # fmt: skip
    return 0 if under_1s and within_2x else 1


if __name__ == "__main__":
    sys.exit(main())
