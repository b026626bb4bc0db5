"""Render every example, the hostile single report, a quick scan with 6 answers, 30-person groups (one with half
the statements answered) and their board slides to PDF and PNG pages for a look.

Run: .venv/bin/python bench/render_all.py OUT_DIR   (needs pdftoppm from poppler-utils)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile import SCRIPTS, group, hostile_single  # noqa: E402
from outcome_states import half_answered_group, quick_scan_states  # noqa: E402

from assessment import assess, default_bank, load_answers  # noqa: E402
from assessment.report import WorkshopSection, build_report, render_report  # noqa: E402
from assessment.report.board import GroupAgreement, render_slide  # noqa: E402
from assessment.workshop import summarise_answer_sets  # noqa: E402


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    bank = default_bank()
    pdfs: dict[str, bytes] = {}
    for path in sorted((ROOT / "examples").glob("*.json")):
        pdfs[path.stem] = build_report(load_answers(path, bank), bank)
    pdfs["hostile"] = build_report(hostile_single(), bank)
    quick6 = dict(quick_scan_states())["quick_first_6"]
    pdfs["quick6"] = build_report(quick6, bank)
    pdfs["slide_quick6"] = render_slide(assess(quick6, bank), bank, facts=["quick scan", "6 answers"], fmt="pdf")
    groups = (
        ("group30", group(30, "ok")),
        ("group30_long", group(30, SCRIPTS + " " + "comment " * 30)),
        ("group30_half", half_answered_group(30)),
    )
    for name, sets in groups:
        summary = summarise_answer_sets(sets, bank, title="Board workshop " + SCRIPTS)
        pdfs[name] = render_report(summary.result, bank, sets, WorkshopSection.from_summary(summary))
        agreement = GroupAgreement.from_summary(summary)
        pdfs[f"slide_{name}"] = render_slide(summary.result, bank, group=agreement, fmt="pdf")
    for name, pdf in pdfs.items():
        (out / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "45", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True)
        print(name, len(pdf))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/report_pages"))
