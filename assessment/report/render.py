"""Assemble the sections into the data the Typst template reads, and compile it to PDF.

One PDF engine: the `typst` package (a pinned wheel with the compiler inside, no external binary). The
template reads everything from JSON through `sys.inputs`, so user text is data and never markup. Every
report is tagged PDF/UA-1: structure tree, headings, table header cells, alt text on charts, language.
"""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import typst

from ..answers import AnswerSet
from ..bank import QuestionBank
from ..engine import assess
from ..errors import ReportError
from ..instrument.present import MethodLines
from ..results import Result
from ..vocabulary import long_date
from .appendix import appendix, glossary
from .conditions import conditions
from .context import ReportData
from .cover import cover
from .fit import fit_lines
from .fonts import FONT_DIR, clean_tree, describe, families, unprintable
from .ingredients import ingredients
from .method import method
from .plan import plan
from .rationale import rationale
from .summary import summary
from .workshop_findings import workshop_findings
from .workshop_section import WorkshopSection

if TYPE_CHECKING:  # only in the binding's type stub
    from typst import PDFStandard

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_STANDARDS: list[PDFStandard] = ["ua-1"]
Format = Literal["pdf", "png", "svg"]
_LOCK = threading.Lock()  # one compiler, shared; Typst's compiler object is not meant for parallel use


@cache
def compiler() -> typst.Compiler:
    """A compiler kept warm across reports: fonts are scanned once per process."""
    return typst.Compiler(root=str(TEMPLATES), font_paths=[str(FONT_DIR)])


def compile_template(name: str, data: dict[str, Any], fmt: Format = "pdf", ppi: float | None = None) -> bytes:
    """Compile templates/<name> with `data` as its JSON input; any failure becomes a ReportError.

    Every printed string is made printable (`fonts.clean_tree`); `data["document"]`, the PDF's properties (title,
    author, ...), keeps the text as written, less control characters: a viewer shows it in its own fonts."""
    document = clean_tree(data.get("document", {}), glyphs=False)
    printed = cast(dict[str, Any], clean_tree(data))
    payload = json.dumps({**printed, "document": document, "fonts": families()}, ensure_ascii=False)
    try:
        with _LOCK:
            out = compiler().compile(
                str(TEMPLATES / name),
                format=fmt,
                ppi=ppi,
                sys_inputs={"data": payload},
                pdf_standards=PDF_STANDARDS if fmt == "pdf" else [],
            )
    except Exception as exc:  # the typst binding raises its own error types; callers get one kind
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"the document could not be laid out ({first})") from exc
    if isinstance(out, list):  # image formats give one image per page: an image is of a one-page document only
        if len(out) != 1:
            raise ReportError(f"the document could not be laid out (it took {len(out)} pages, not one)")
        out = out[0]
    if out is None:  # only when compiling to a file, which this never asks for
        raise ReportError("the document could not be laid out (the compiler returned nothing)")
    return bytes(out)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_CATALOG_END = b">>\nendobj\nxref\n"
OPEN_OUTLINES = b"/PageMode/UseOutlines"


def open_bookmarks(pdf: bytes) -> bytes:
    """The PDF with its bookmarks shown on opening (/PageMode /UseOutlines in the catalog), which Typst does not
    set. Typst writes the catalog last, just before the cross-reference table, so the entry goes inside it and only
    the table's own offset moves; a PDF laid out otherwise is returned as it is."""
    at = pdf.rfind(b"/Type/Catalog")
    end = pdf.find(_CATALOG_END, at)
    found = _STARTXREF.search(pdf)
    if (
        at < 0
        or end < 0
        or found is None
        or b"/PageMode" in pdf[at:end]
        or int(found.group(1)) != end + len(b">>\nendobj\n")
    ):
        return pdf
    start = int(found.group(1)) + len(OPEN_OUTLINES)
    tail = pdf[end : found.start()] + b"startxref\n%d\n%%%%EOF\n" % start
    return pdf[:end] + OPEN_OUTLINES + tail


def shorten(text: str, limit: int) -> str:
    """One line for a running header or footer: whole words up to `limit` characters, then an ellipsis.
    The full text is on the cover and in the document's metadata."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[: limit // 2 * 2] else text[:limit]
    return (cut if len(cut) > limit // 2 else text[:limit]).rstrip(" ,;·") + "…"


def missing_note(chars: list[str]) -> str:
    """The note a document carries when some characters have no font here."""
    return (
        f"Some characters have no font on this system and print as \ufffd: {describe(chars)}. "
        "The document's properties keep the text as written."
    )


def report_data(data: ReportData) -> dict[str, Any]:
    """The JSON the template reads: metadata, the cover and the sections as blocks."""
    rec = data.result.recommendation
    sections = [section(data) for section in (summary, workshop_findings, rationale, ingredients, conditions, plan)]
    # method lists the references cited by the sections before it, so it comes after them
    sections += [method(data), appendix(data), glossary(data)]
    front = cover(data)
    missing = unprintable([front, sections])
    if missing:
        front["notes"].append(missing_note(missing))
    return {
        "document": {
            "title": f"Innovation readiness report: {data.innovation}",
            "author": data.organisation if data.ctx("organisation_name") else "Innovation-readiness self-assessment",
            "description": f"{data.outcome_intro} {data.outcome_label}; {data.respondent_summary}",
            "keywords": ["innovation readiness", "self-assessment", rec.strategy_label],
        },
        "meta": {
            # running lines at 9 pt within their budgets (the section's name and the page number sit beside them)
            "header": fit_lines(
                f"Innovation readiness report · {shorten(data.innovation, 70)} · {shorten(data.organisation, 50)}",
                360,
                9,
                2,
            ),
            "footer": f"{fit_lines(data.organisation, 400, 9, 1)}\n{long_date(data.report_date)} · "
            "self-assessment, not a prediction",
        },
        "cover": front,
        "sections": sections,
    }


def render_report(
    result: Result,
    bank: QuestionBank,
    answer_sets: list[AnswerSet],
    workshop: WorkshopSection | None = None,
    *,
    reliability: MethodLines | None = None,
) -> bytes:
    """The full report as PDF bytes (tagged PDF/UA-1).

    `reliability`: the method section's lines on how well the items agree in this tool's use
    (`assessment.instrument.present.method_lines`); the caller reads them from the store, so this module never
    touches it. None: the section says that no reliability figures are available yet.
    """
    data = ReportData(
        result=result, bank=bank, answer_sets=list(answer_sets), workshop=workshop, reliability=reliability
    )
    return open_bookmarks(compile_template("report.typ", report_data(data)))


def build_report(answer_set: AnswerSet, bank: QuestionBank, *, reliability: MethodLines | None = None) -> bytes:
    """Score one respondent's answers and render their report."""
    return render_report(assess(answer_set, bank), bank, [answer_set], reliability=reliability)
