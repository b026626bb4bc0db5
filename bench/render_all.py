"""Render every example, the hostile single report and a 30-person group to PDF and PNG pages for a look.

Run: .venv/bin/python bench/render_all.py OUT_DIR   (needs pdftoppm from poppler-utils)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile import SCRIPTS, group, hostile_single  # noqa: E402

from assessment import default_bank, load_answers  # noqa: E402
from assessment.report import WorkshopSection, build_report, render_report  # noqa: E402
from assessment.workshop import summarise_answer_sets  # noqa: E402


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    bank = default_bank()
    pdfs: dict[str, bytes] = {}
    for path in sorted((ROOT / "examples").glob("*.json")):
        pdfs[path.stem] = build_report(load_answers(path, bank), bank)
    pdfs["hostile"] = build_report(hostile_single(), bank)
    for name, sets in (("group30", group(30, "ok")), ("group30_long", group(30, SCRIPTS + " " + "comment " * 30))):
        summary = summarise_answer_sets(sets, bank, title="Board workshop " + SCRIPTS)
        pdfs[name] = render_report(summary.result, bank, sets, WorkshopSection.from_summary(summary))
    for name, pdf in pdfs.items():
        (out / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "45", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True)
        print(name, len(pdf))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/report_pages"))
