"""Benchmark: time to build the full PDF report, against a bare Typst document with the same pages, tables
and charts, in one run.

Run: .venv/bin/python bench/bench_report.py [REPEATS]

In one process, after one warm-up build of each (fonts and data files load once per process and are
excluded), the median of REPEATS builds (default 7) of:
  1. the full report for examples/riverside_two_step.json (full bank): `build_report` = assess + data + compile;
  2. the report alone (`render_report` on an already computed result);
  3. a bare Typst document compiled by the same compiler: as many pages as the report, the same tables
     (rows and columns, header repeated) and the same two charts (a polygon radar and a bar chart), plain text
     otherwise, no tagging standard, no JSON, no running headers, no outline.
Goals: the full report under 1 s (wall clock), and within 2x of the bare document. Both CPU and wall time are
printed; the ratio is judged on CPU time, which a shared machine disturbs less.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import typst
from pypdf import PdfReader

from assessment import assess, default_bank, load_answers
from assessment.report import build_report, render_report
from assessment.report.context import ReportData
from assessment.report.fonts import FONT_DIR
from assessment.report.render import report_data

ROOT = Path(__file__).resolve().parent.parent


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def tables_of(blocks: object) -> list[tuple[int, int]]:
    """(rows, columns) of every table in the report's data."""
    out: list[tuple[int, int]] = []
    if isinstance(blocks, dict):
        if blocks.get("k") == "table":
            out.append((len(blocks["rows"]), len(blocks["head"])))
        for v in blocks.values():
            out += tables_of(v)
    elif isinstance(blocks, list):
        for v in blocks:
            out += tables_of(v)
    return out


def bare_source(pages: int, tables: list[tuple[int, int]], padding: int) -> str:
    """A plain Typst document: the same page count, tables of the same shape, a radar and a bar chart."""
    parts = ['#set text(font: "DejaVu Sans", size: 10pt)', '#set page(paper: "a4", margin: 18mm)']
    radar = (
        "#polygon(fill: blue.lighten(70%), stroke: blue, "
        + ", ".join(f"({60 + 50 * k % 7}pt, {20 + 13 * k}pt)" for k in range(8))
        + ")"
    )
    parts.append(radar)
    parts.append(
        "#grid(columns: (150pt, 1fr), row-gutter: 5pt, "
        + ", ".join(f"[Dimension {k}], rect(width: {20 + 9 * k}%, height: 12pt, fill: green)" for k in range(7))
        + ")"
    )
    for rows, cols in tables:
        cells = ", ".join("[cell text of a usual length]" for _ in range(rows * cols))
        parts.append(
            f"#table(columns: {cols}, table.header(" + ", ".join("[*Head*]" for _ in range(cols)) + f"), {cells})"
        )
    body = "\n".join(parts)
    # pad to the report's page count with plain paragraphs, then break pages
    return body + "\n" + "\n".join(["#pagebreak()\n" + "Plain paragraph text. " * 40] * padding)


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main(repeats: int = 7) -> None:
    bank = default_bank()
    answer_set = load_answers(ROOT / "examples" / "riverside_two_step.json", bank)
    result = assess(answer_set, bank)
    pdf = build_report(answer_set, bank)
    pages = page_count(pdf)
    tables = tables_of(report_data(ReportData(result=result, bank=bank, answer_sets=[answer_set])))
    compiler = typst.Compiler(root="/tmp", font_paths=[str(FONT_DIR)])
    bare_path = Path("/tmp") / "bench_bare_report.typ"
    bare_path.write_text(bare_source(pages, tables, 0), encoding="utf-8")
    padding = max(0, pages - page_count(compiler.compile(str(bare_path))))
    bare_path.write_text(bare_source(pages, tables, padding), encoding="utf-8")
    bare_pages = page_count(compiler.compile(str(bare_path)))
    results = {
        "full": timed(lambda: build_report(answer_set, bank), repeats),
        "render": timed(lambda: render_report(result, bank, [answer_set]), repeats),
        "bare": timed(lambda: compiler.compile(str(bare_path)), repeats),
    }
    print(f"report: {pages} pages, {len(tables)} tables, 2 charts; bare Typst document: {bare_pages} pages")
    for name, (wall, cpu) in results.items():
        print(f"{name:>7}: wall {wall * 1000:7.1f} ms   cpu {cpu * 1000:7.1f} ms")
    full_wall, full_cpu = results["full"]
    bare_wall, bare_cpu = results["bare"]
    print(f"ratio full/bare: cpu {full_cpu / bare_cpu:.2f}x, wall {full_wall / bare_wall:.2f}x (goal <= 2x)")
    print(f"full report under 1 s: {'yes' if full_wall < 1 else 'NO'} ({full_wall:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
