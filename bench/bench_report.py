"""Benchmark: time to build the full PDF report, against a bare Typst document with the same pages, tables
and charts, in one run.

Run: .venv/bin/python bench/bench_report.py [REPEATS]

In one process, after one warm-up build of each (fonts and data files load once per process and are
excluded), the median of REPEATS builds (default 7) of:
  1. the full report for examples/riverside_two_step.json (full bank): `build_report` = assess + data + compile;
  2. the report alone (`render_report` on an already computed result);
  3. a bare tagged Typst document compiled by the same compiler: the report's own texts as plain paragraphs and
     lists, the same tables (same cells, header row repeated) and the two charts as plain shapes, with a page break
     between sections, on the same A4 page and margins, with the innovation's name in a running header and the
     same PDF/UA-1 standard; no styling, JSON or outline.
Every build gets a new innovation name (it is in every page's header), so each one is laid out anew: Typst
memoises a compile of unchanged input, which is not what a user meets.
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
from rows import Row, emit  # bench/rows.py (this script's folder is on sys.path)

from assessment import AnswerSet, assess, default_bank, load_answers
from assessment.report import build_report, render_report
from assessment.report.context import ReportData
from assessment.report.fonts import FONT_DIR
from assessment.report.render import report_data

ROOT = Path(__file__).resolve().parent.parent


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _plain(x: object) -> str:
    """A rich text (string or runs) as one plain string."""
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return _plain(x.get("t", ""))
    if isinstance(x, list):
        return "".join(_plain(r) for r in x)
    return ""


def _lit(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _bare_blocks(blocks: list[dict[str, object]], out: list[str], counts: dict[str, int]) -> None:
    for b in blocks:
        k = b.get("k")
        if k == "table":
            counts["tables"] += 1
            head = ", ".join(_lit(_plain(h)) for h in b["head"])
            cells = ", ".join(_lit(_plain(c)) for row in b["rows"] for c in row)
            out.append(f"#table(columns: {len(b['head'])}, table.header({head}), {cells})")
        elif k in ("p", "h"):
            out.append(f"#par({_lit(_plain(b['text']))})")
        elif k in ("bullets", "numbered"):
            out.append("#list(" + ", ".join(_lit(_plain(i)) for i in b["items"]) + ")")
        elif k == "radar":
            counts["charts"] += 1
            pts = ", ".join(f"({100 + 60 * (i % 3)}pt, {20 + 15 * i}pt)" for i in range(8))
            out.append(f"#polygon(fill: blue.lighten(70%), stroke: blue, {pts})")
        elif k == "bars":
            counts["charts"] += 1
            rows = [r for g in b["groups"] for r in g["rows"]]
            out.append(
                "#grid(columns: (150pt, 1fr), row-gutter: 5pt, "
                + ", ".join(
                    f"{_lit(_plain(r['label']))}, rect(width: {int(((r['score'] or 1) - 1) * 25)}%, height: 12pt)"
                    for r in rows
                )
                + ")"
            )
        elif k == "pagebreak":
            out.append("#pagebreak(weak: true)")
        for key in ("body", "left", "right"):
            if isinstance(b.get(key), list):
                _bare_blocks(b[key], out, counts)  # type: ignore[arg-type]


def bare_source(data: dict[str, object], name: str) -> tuple[str, dict[str, int]]:
    """The report's own texts as plain paragraphs, lists and tables (header rows repeated), the same two charts as
    plain shapes, and page breaks between the sections, tagged to the same standard, with `name` in a running
    header on the report's page and margins: no styling, JSON or outline."""
    counts = {"tables": 0, "charts": 0}
    out = [
        f"#set document(title: {_lit(name)})",
        '#set text(font: "DejaVu Sans", size: 10pt, lang: "en", region: "GB")',
        '#set page(paper: "a4", margin: (left: 18mm, right: 18mm, top: 26mm, bottom: 20mm), '
        f"header: {_lit('Innovation readiness report · ' + name)})",
    ]
    for row in data["cover"]["rows"]:  # type: ignore[index]
        out.append(f"#par({_lit(row[0] + ': ' + row[1])})")
    for section in data["sections"]:  # type: ignore[union-attr]
        out.append("#pagebreak(weak: true)")
        _bare_blocks(section, out, counts)
    return "\n".join(out), counts


def timed(fn: Callable[[int], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of `fn(run)`, each run with its own number (so its own input)."""
    fn(0)  # warm-up
    wall, cpu = [], []
    for run in range(1, repeats + 1):
        w, c = time.perf_counter(), time.process_time()
        fn(run)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def named(answer_set: AnswerSet, run: int) -> AnswerSet:
    """The answers with an innovation name of their own (a new input for Typst)."""
    copy = answer_set.model_copy(deep=True)
    copy.context.innovation_title = f"Integrated frailty pathway, run {run} of {time.time_ns()}"
    return copy


def main(repeats: int = 7) -> None:
    bank = default_bank()
    answer_set = load_answers(ROOT / "examples" / "riverside_two_step.json", bank)
    result = assess(answer_set, bank)
    pdf = build_report(answer_set, bank)
    pages = page_count(pdf)
    data = report_data(ReportData(result=result, bank=bank, answer_sets=[answer_set]))
    compiler = typst.Compiler(root="/tmp", font_paths=[str(FONT_DIR)])
    bare_path = Path("/tmp") / "bench_bare_report.typ"

    def bare(run: int) -> bytes:
        src, _ = bare_source(data, named(answer_set, run).context.innovation_title)
        bare_path.write_text(src, encoding="utf-8")
        return bytes(compiler.compile(str(bare_path), pdf_standards=["ua-1"]))  # type: ignore[arg-type]

    def render(run: int) -> bytes:
        renamed = named(answer_set, run)
        return render_report(result.model_copy(update={"context": renamed.context.model_dump()}), bank, [renamed])

    counts = bare_source(data, "x")[1]
    bare_pages = page_count(bare(0))
    results = {
        "full": timed(lambda run: build_report(named(answer_set, run), bank), repeats),
        "render": timed(render, repeats),
        "bare": timed(bare, repeats),
    }
    print(
        f"report: {pages} pages; bare Typst document with the same texts, {counts['tables']} tables and "
        f"{counts['charts']} charts: {bare_pages} pages"
    )
    for name, (wall, cpu) in results.items():
        print(f"{name:>7}: wall {wall * 1000:7.1f} ms   cpu {cpu * 1000:7.1f} ms")
    full_wall, full_cpu = results["full"]
    bare_wall, bare_cpu = results["bare"]
    print(f"ratio full/bare: cpu {full_cpu / bare_cpu:.2f}x, wall {full_wall / bare_wall:.2f}x (goal <= 2x)")
    print(f"full report under 1 s: {'yes' if full_wall < 1 else 'NO'} ({full_wall:.3f} s)")
    emit(
        Row(
            "report",
            "full PDF report, CPU vs a bare Typst document",
            "within 2x of bare",
            full_cpu * 1000,
            bare_cpu * 1000,
            "ms",
            full_cpu / bare_cpu <= 2.0,
            cpu_ms=full_cpu * 1000,
            wall_ms=full_wall * 1000,
        )
    )
    emit(
        Row(
            "report",
            "full PDF report, wall",
            "< 1 s",
            full_wall * 1000,
            bare_wall * 1000,
            "ms",
            full_wall < 1.0,
            cpu_ms=full_cpu * 1000,
            wall_ms=full_wall * 1000,
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
