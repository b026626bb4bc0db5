"""The PDF report: content, escaping, fonts, metadata, structure, workshop section and the CLI."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream

import assessment
from assessment import AnswerSet, assess, assess_profile, default_bank, load_answers, parse_profile
from assessment.chart_data import conditions_bar_data, radar_data
from assessment.report import (
    AgendaItem,
    DimensionSpread,
    RoleRecommendation,
    WorkshopSection,
    build_report,
    render_report,
)
from assessment.report.charts import FixedScaleSpider, conditions_drawing, radar_drawing
from assessment.report.context import SECTIONS
from assessment.report.fonts import BOLD, REGULAR

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
MARKUP = "<b>bold</b> & <script>alert('x')</script>"


def squash(text: str) -> str:
    """Text without any whitespace, so that line wrapping in the PDF does not matter."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


@cache
def example_pdf(name: str) -> bytes:
    bank = default_bank()
    return build_report(load_answers(ROOT / "examples" / name, bank), bank)


def answers(name: str = "riverside_two_step.json") -> AnswerSet:
    return load_answers(ROOT / "examples" / name, default_bank())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_reports_have_every_section_and_the_recommendation(path: Path) -> None:
    pdf = example_pdf(path.name)
    assert pdf.startswith(b"%PDF-")
    pages = pdf_text(pdf)
    assert 8 <= len(pages) <= 40
    body = squash("\n".join(pages[1:]))  # skip the cover: its contents list names every section too
    for _, title in SECTIONS:
        assert squash(title) in body, title
    result = assess(answers(path.name), default_bank())
    assert squash(result.recommendation.strategy_label) in squash(pages[1])
    for heading in ("Keymessages", "Readinessindex", "Whatwouldchangeit", "References", "Thedecidingrule"):
        assert heading in body
    for warning in result.recommendation.warnings:
        assert squash(warning.title) in squash(pages[1])


def test_executive_summary_is_one_page_and_contents_match_the_outline() -> None:
    pdf = example_pdf("northmoor_hold_back.json")  # two warnings: the fullest summary page
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    assert pages[1].lstrip().startswith("1. Executive summary")
    assert "Key messages" in pages[1]
    assert pages[2].lstrip().startswith("2. Why this recommendation")
    outline = [o for o in reader.outline if isinstance(o, dict)]
    assert [o["/Title"] for o in outline] == [title for _, title in SECTIONS]
    cover = pages[0]
    for o in outline:
        page = reader.get_destination_page_number(o) + 1
        # the contents list prints the title, dotted leaders, then the page number
        assert re.search(re.escape(o["/Title"]) + r"\s*\.+\s*" + str(page) + r"\b", cover), o["/Title"]
    total = len(reader.pages)
    assert f"Page 3 of \n{total}" in pages[2] or f"Page 3 of {total}" in pages[2]


def test_metadata() -> None:
    meta = PdfReader(io.BytesIO(example_pdf("eastvale_centralized.json"))).metadata
    assert meta is not None
    assert meta.title and meta.title.startswith("Innovation readiness report")
    assert meta.author == "Eastvale General Hospital (fictional)"
    assert meta.subject and "Centralized project" in meta.subject
    assert meta.creator == f"Innovation-readiness self-assessment {assessment.__version__}"


def _fonts_used(pdf: bytes) -> dict[str, bool]:
    """BaseFont name -> embedded?, for every font a text operator selects (pages and the forms they draw)."""
    reader = PdfReader(io.BytesIO(pdf))
    used: dict[str, bool] = {}

    def walk(stream: object, resources: object) -> None:
        fonts = resources.get("/Font", {}) if resources else {}  # type: ignore[attr-defined]
        xobjects = resources.get("/XObject", {}) if resources else {}  # type: ignore[attr-defined]
        for operands, op in ContentStream(stream, reader).operations:
            if op == b"Tf":
                font = fonts[operands[0]].get_object()
                desc = font.get("/FontDescriptor")
                embedded = bool(desc) and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                used[str(font["/BaseFont"])] = embedded
            elif op == b"Do":
                xo = xobjects[operands[0]].get_object()
                if xo.get("/Subtype") == "/Form":
                    walk(xo, xo.get("/Resources"))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return used


def test_all_text_is_set_in_embedded_dejavu() -> None:
    used = _fonts_used(example_pdf("riverside_two_step.json"))
    assert used, "no text operators found"
    assert all(name.split("+")[-1] in (REGULAR, BOLD) for name in used), used
    assert all(used.values()), used
    assert not any("Helvetica" in name for name in used)


def test_charts_are_vector_only() -> None:
    reader = PdfReader(io.BytesIO(example_pdf("riverside_two_step.json")))
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())


def test_user_text_is_printed_as_written_and_non_latin_survives() -> None:
    bank = default_bank()
    a = answers()
    a.context.innovation_title = "Ελληνικά: οδηγός φροντίδας"
    a.context.department = "Кардиология & неврология"
    a.context.innovation_description = "X" * 400 + " " + "long words " * 120
    first = next(iter(a.answers))
    a.answers[first].comment = f"{MARKUP} Привет 😀 ✓ 中文 " + "W" * 250
    a.context.organisation_name = f"Org {MARKUP} " + "Very long organisation name " * 5
    pdf = build_report(a, bank)
    pages = pdf_text(pdf)
    text = squash("\n".join(pages))
    assert squash(MARKUP) in text
    assert squash("Ελληνικά: οδηγός φροντίδας") in text
    assert squash("Кардиология & неврология") in text
    assert "Привет" in text
    assert "😀" in text  # beyond U+FFFF: needs the ToUnicode fix in fonts.py to be copyable
    assert "W" * 40 in text.replace("\n", "")  # a 250-character word is cut into lines, not lost
    # long names and descriptions shrink the cover; its contents list stays on page 1
    assert "Contents" in pages[0] and "Appendix: the answers" in pages[0]
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.title is not None and "Ελληνικά" in meta.title


def test_quick_scan_with_many_dont_know_and_unanswered_still_builds() -> None:
    bank = default_bank()
    a = answers("riverside_quick_scan.json")
    ids = list(a.answers)
    for i, item_id in enumerate(ids):
        if i % 4 == 0:
            del a.answers[item_id]
        elif i % 4 != 3:
            a.answers[item_id].value = "dont_know"
    pdf = build_report(a, bank)
    text = "\n".join(pdf_text(pdf))
    assert "Don't know" in text
    assert "No answer" in text
    assert "Insufficient evidence" in text
    assert "This was a quick scan" in text
    assert 6 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 30


def test_empty_answer_set_builds() -> None:
    bank = default_bank()
    pdf = build_report(AnswerSet(bank_version=bank.bank_version), bank)
    text = "\n".join(pdf_text(pdf))
    assert "No answer" in text
    assert "not available" in text  # no readiness index


def test_profile_result_without_answer_files_builds() -> None:
    bank = default_bank()
    profile = parse_profile({"scores": {"professional_resistance": 4.5, "multiplicity": 2.0}, "context": {}})
    text = "\n".join(pdf_text(render_report(assess_profile(profile, bank), bank, [])))
    assert "Scores entered directly" in text
    assert "No answers file was supplied" in text


def test_appendix_shows_anchor_labels_and_comments() -> None:
    bank = default_bank()
    a = answers()
    item_id, ans = next((k, v) for k, v in a.answers.items() if isinstance(v.value, int))
    item = bank.item_by_id[item_id]
    anchor = bank.scales[item.scale].anchors[ans.value]  # type: ignore[index]
    a.answers[item_id].comment = "A very particular comment about this item"
    text = squash("\n".join(pdf_text(build_report(a, bank))))
    assert squash(f"{ans.value} · {anchor}") in text
    assert squash("A very particular comment about this item") in text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=120))
def test_arbitrary_unicode_in_comments_and_names_never_crashes(text: str) -> None:
    bank = default_bank()
    a = answers("riverside_quick_scan.json")
    a.context.organisation_name = text[:200]
    a.answers[next(iter(a.answers))].comment = text
    a = AnswerSet.model_validate(a.model_dump())  # the models clean control characters, as on load
    assert build_report(a, bank).startswith(b"%PDF-")


def _workshop() -> WorkshopSection:
    return WorkshopSection(
        title="Board workshop <March> & review",
        respondents_by_role={"executive": 2, "doctor": 3, "nurse": 2},
        spread={
            "early_adopters": DimensionSpread(mean=3.2, sd=0.91, r_wg=0.41, n=7),
            "professional_resistance": DimensionSpread(mean=2.6, sd=0.35, r_wg=0.88, n=7),
        },
        agenda=[
            AgendaItem(
                item_id="ea_named_champions",
                text="Named clinicians are ready to champion the pathway",
                sd=1.62,
                means_by_role={"executive": 4.5, "doctor": 1.7},
                comments=["Doctors <i>disagree</i>"],
            )
        ],
        role_recommendations=[RoleRecommendation(role="doctor", strategy="hold_back", n=3)],
        consensus_used=True,
    )


def test_workshop_section_renders_spread_agenda_and_role_differences() -> None:
    bank = default_bank()
    sets = [answers(), answers()]
    sets[1].context.respondent_role = "doctor"
    sets[1].answers[next(iter(sets[1].answers))].comment = "Second respondent's note"
    result = assess(sets[0], bank)
    pages = pdf_text(render_report(result, bank, sets, _workshop()))
    text = squash("\n".join(pages))
    assert squash("Workshop with 7 respondents: Executive 2, Doctor 3, Nurse 2") in squash(pages[0])
    assert squash("Board workshop <March> & review") in squash(pages[0])
    assert squash("Agreed scores recorded by the facilitator are used") in squash(pages[0])
    assert "Workshop:spreadoftheanswers" in text
    assert "0.41" in text and "0.91" in text and "0.88" in text
    assert "Workshop:agendaofdisagreements" in text
    assert squash("Named clinicians are ready to champion the pathway") in text
    assert squash("Doctor: 1.7") in text
    assert squash("Doctors <i>disagree</i>") in text
    assert "Wheretheroleswoulddiffer" in text and "Holdback" in text
    assert squash("Doctor: Second respondent's note") in text
    assert "2×" in text  # answers are counted across respondents


def test_workshop_section_from_the_workshop_summary() -> None:
    workshop = pytest.importorskip("assessment.workshop")
    bank = default_bank()
    sets = [answers(), answers(), answers()]
    for role, a in zip(("executive", "doctor", "nurse"), sets, strict=True):
        a.context.respondent_role = role
    sets[1].answers["ea_named_champions"].value = 1
    summary = workshop.summarise_answer_sets(sets, bank, title="Summary workshop")
    section = WorkshopSection.from_summary(summary)
    assert section.respondents == 3
    assert set(section.spread) <= set(summary.dimensions)
    pdf = render_report(summary.result, bank, sets, section)
    text = "\n".join(pdf_text(pdf))
    assert "Summary workshop" in text and "Full assessment" in text


def test_charts_are_built_from_chart_data() -> None:
    result = assess(answers(), default_bank())
    rd = radar_data(result)
    drawing = radar_drawing(rd)
    spider = next(c for c in drawing.contents if isinstance(c, FixedScaleSpider))
    assert spider.data == [rd.plotted, rd.weights_scaled]
    bars = conditions_bar_data(result)
    strings = [s.text for s in conditions_drawing(bars).contents if hasattr(s, "text")]
    for score in bars.scores:
        assert score is None or any(t.startswith(f"{score:.1f} ") for t in strings)
    assert "(higher = worse)" in strings


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_report_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "tmp.pdf"
    proc = _cli("report", "examples/eastvale_centralized.json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(out).pages) >= 8


def test_cli_report_rejects_a_corrupt_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "innovation-readiness-answers", "schema_version": 1, "answers": ', encoding="utf-8")
    out = tmp_path / "never.pdf"
    proc = _cli("report", str(bad), "-o", str(out))
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
