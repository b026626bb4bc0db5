"""The PDF report: content, escaping, scripts, tagging (PDF/UA-1), metadata, workshop section and the CLI."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hostile import MARKUP, SCRIPTS, group, hostile_single
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream

from assessment import AnswerSet, assess, assess_profile, cli, default_bank, load_answers, parse_profile
from assessment.answers import MAX_COMMENT, MAX_NAME, MAX_TEXT
from assessment.errors import ReportError
from assessment.report import (
    AgendaItem,
    DimensionSpread,
    RoleRecommendation,
    WorkshopSection,
    build_report,
    render,
    render_report,
)
from assessment.report.context import SECTIONS
from assessment.report.fonts import cjk_font, printable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
RAW = re.compile(r"\bNone\b|is True|is False|not_sure|\b[a-z]+_[a-z_]+\b|\bL\d{2,}")


def squash(text: str) -> str:
    """Text without any whitespace, so that line wrapping in the PDF does not matter."""
    return re.sub(r"[\s\u200b]+", "", text)


def pdf_text(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


@cache
def example_pdf(name: str) -> bytes:
    bank = default_bank()
    return build_report(load_answers(ROOT / "examples" / name, bank), bank)


def answers(name: str = "riverside_two_step.json") -> AnswerSet:
    return load_answers(ROOT / "examples" / name, default_bank())


def group_pdf(sets: list[AnswerSet], title: str = "Workshop") -> bytes:
    from assessment.workshop import summarise_answer_sets

    bank = default_bank()
    summary = summarise_answer_sets(sets, bank, title=title)
    return render_report(summary.result, bank, sets, WorkshopSection.from_summary(summary))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_reports_have_every_section_and_the_recommendation(path: Path) -> None:
    pdf = example_pdf(path.name)
    assert pdf.startswith(b"%PDF-")
    pages = pdf_text(pdf)
    assert 8 <= len(pages) <= 40
    body = squash("\n".join(pages[1:]))
    for _, title in SECTIONS:
        assert squash(title) in body, title
    result = assess(answers(path.name), default_bank())
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.get_destination_page_number(reader.outline[0])  # the summary heading's page
    assert "Key messages" in pages[first] and "2. Why this recommendation" in pages[first + 1]  # one page
    summary = pages[first]
    assert squash(result.recommendation.strategy_label) in squash(summary)
    for heading in ("Keymessages", "Readinessindex", "Whatwouldchangeit", "References", "Thedecidingrule"):
        assert heading in body
    for warning in result.recommendation.warnings:
        assert squash(warning.title) in squash(summary)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_raw_ids_python_literals_or_line_locators_before_the_method(path: Path) -> None:
    """What people read before the method section: no ids, no True/None, no 'L457-520'."""
    text = "\n".join(pdf_text(example_pdf(path.name)))
    before_method = text.split("6. Method and references\nHow the scores")[0]
    appendix = text.split("Appendix: the answers")[-1]
    for part in (before_method, appendix):
        found = {m.group(0) for m in RAW.finditer(part)} - {"r_wg"}
        assert not found, found


def test_outline_lists_the_sections_and_pages_are_numbered() -> None:
    pdf = example_pdf("northmoor_hold_back.json")
    reader = PdfReader(io.BytesIO(pdf))
    titles = [o["/Title"] for o in reader.outline if isinstance(o, dict)]
    assert titles == [title for _, title in SECTIONS]
    pages = pdf_text(pdf)
    assert "Contents" in pages[0]
    total = len(reader.pages)
    assert f"Page 3 of {total}" in pages[2]


def _struct_types(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    seen: set[str] = set()
    stack = [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(k.get_object() for k in node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend(k.get_object() for k in kids) if isinstance(kids, list) else stack.append(kids)
    return seen


def test_report_is_tagged_pdf_ua_with_headings_tables_and_figures() -> None:
    pdf = example_pdf("riverside_two_step.json")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("en")
    assert b"pdfuaid:part" in pdf  # PDF/UA-1 identification in the XMP metadata
    kinds = _struct_types(pdf)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds, kinds
    assert b"/Alt" in pdf


def test_metadata() -> None:
    meta = PdfReader(io.BytesIO(example_pdf("eastvale_centralized.json"))).metadata
    assert meta is not None
    assert meta.title and meta.title.startswith("Innovation readiness report")
    assert meta.author == "Eastvale General Hospital (fictional)"


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
                desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
                desc = desc.get_object()
                used[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            elif op == b"Do":
                xo = xobjects[operands[0]].get_object()
                if xo.get("/Subtype") == "/Form":
                    walk(xo, xo.get("/Resources"))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return used


def test_all_text_is_set_in_embedded_dejavu_and_charts_are_vector() -> None:
    pdf = example_pdf("riverside_two_step.json")
    used = _fonts_used(pdf)
    assert used and all(used.values()), used
    assert all("DejaVuSans" in name for name in used), used
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())


def test_user_text_is_printed_as_written_and_scripts_survive() -> None:
    bank = default_bank()
    a = answers()
    a.context.innovation_title = "Ελληνικά: οδηγός φροντίδας"
    a.context.department = "Кардиология & неврология"
    first = next(iter(a.answers))
    a.answers[first].comment = f"{MARKUP} Привет 😀 ✓ مرحبا שלום 中文 " + "W" * 250
    a.context.organisation_name = f"Org {MARKUP}"[:MAX_NAME]
    pdf = build_report(a, bank)
    text = squash("\n".join(pdf_text(pdf)))
    assert squash(MARKUP) in text
    for word in ("Ελληνικά:οδηγόςφροντίδας", "Кардиология&неврология", "Привет", "😀", "שלום", "W" * 40):
        assert word in text, word
    assert "مرحبا" in text or "ابحرم" not in text  # Arabic copies out in reading order
    if cjk_font() is not None:
        assert "中文" in text
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.title is not None and "Ελληνικά" in meta.title


def test_characters_no_font_has_are_replaced_and_blank_line_runs_collapse() -> None:
    assert printable("a\n\n\n\n\nb") == "a\n\nb"
    assert printable("x\U0010fffdy") == "x\ufffdy"  # a private-use character no font covers
    assert printable("line\nline") == "line\nline"
    # Control characters never reach Typst (PDF/UA refuses them), whoever forgot to clean the text upstream.
    assert printable("\x1f") == ""
    assert printable("a\x00b\x7fc\x9fd") == "abcd"
    assert printable("one\r\ntwo\x0bthree\x85four") == "one\ntwo\nthree\nfour"
    assert printable("W" * 45) == "W" * 45  # it wraps in its column without an added character (lib.typ)


def test_hostile_single_report_builds_without_blank_pages() -> None:
    pdf = build_report(hostile_single(), default_bank())
    pages = pdf_text(pdf)
    assert len(pages) < 80
    assert all(len(squash(p)) > 200 for p in pages), [i for i, p in enumerate(pages) if len(squash(p)) <= 200]


@pytest.mark.parametrize(("n", "length"), [(30, 2), (20, 60), (7, 300)])
def test_a_room_commenting_on_every_statement_builds(n: int, length: int) -> None:
    pdf = group_pdf(group(n, ("c" * length)))
    text = "\n".join(pdf_text(pdf))
    assert "Workshop: spread of the answers" in text
    assert squash(text).count("c" * length) >= n


def test_quick_scan_with_many_dont_know_and_unanswered_still_builds() -> None:
    bank = default_bank()
    a = answers("riverside_quick_scan.json")
    for i, item_id in enumerate(list(a.answers)):
        if i % 4 == 0:
            del a.answers[item_id]
        elif i % 4 != 3:
            a.answers[item_id].value = "dont_know"
    text = "\n".join(pdf_text(build_report(a, bank)))
    for phrase in ("Don't know", "No answer", "Insufficient evidence", "This was a quick scan"):
        assert phrase in text


def test_empty_answer_set_and_profile_build() -> None:
    bank = default_bank()
    text = "\n".join(pdf_text(build_report(AnswerSet(bank_version=bank.bank_version), bank)))
    assert "No answer" in text and "not available" in text
    profile = parse_profile({"scores": {"professional_resistance": 4.5, "multiplicity": 2.0}, "context": {}})
    text = "\n".join(pdf_text(render_report(assess_profile(profile, bank), bank, [])))
    assert "Scores entered directly" in text and "No answers file was supplied" in text


def test_a_score_just_below_a_cut_point_prints_below_it_in_every_table_and_chart() -> None:
    """One formatter for a score (`plain.score_text`) in the PDF too: a group's or a profile's 2.47 is "2.47"
    beside its band word "Weak", never "2.5", which would read as meeting "2.5 or more"."""
    bank = default_bank()
    scores = {"multiplicity": 2.47, "system_leadership": 3.46, "professional_resistance": 2.48}
    profile = parse_profile({"scores": scores, "context": {}})
    text = " ".join(" ".join(pdf_text(render_report(assess_profile(profile, bank), bank, []))).split())
    for shown in ("2.47", "3.46", "2.48"):
        assert text.count(shown) >= 2, shown  # the table or chart row, and the sentences
    assert not re.search(r"\b(?:2\.5|3\.5) [▲■▼?] (?:Weak|Developing)\b", text), "a score printed across its cut point"


def test_appendix_shows_anchor_labels_and_comments() -> None:
    bank = default_bank()
    a = answers()
    item_id, ans = next((k, v) for k, v in a.answers.items() if isinstance(v.value, int))
    anchor = bank.scales[bank.item_by_id[item_id].scale].anchors[ans.value]  # type: ignore[index]
    a.answers[item_id].comment = "A very particular comment about this item"
    text = squash("\n".join(pdf_text(build_report(a, bank))))
    assert squash(f"{ans.value} · {anchor}") in text
    assert squash("A very particular comment about this item") in text


TEXT = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
    | st.sampled_from(["\n", "\n\n\n", " ", "W" * 120, SCRIPTS, MARKUP]),
    max_size=8,
).map("".join)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, comment=TEXT, lines=st.integers(0, 70), repeat=st.integers(1, 16))
@example(name="\x1f", comment="", lines=0, repeat=1)  # CI found it: a control character in a workshop title
def test_any_text_within_the_limits_renders_in_single_and_group_reports(
    name: str, comment: str, lines: int, repeat: int
) -> None:
    """Property: whatever text the schemas accept (newlines, long words, mixed scripts), a PDF comes out."""
    bank = default_bank()
    a = answers("riverside_quick_scan.json")
    a.context.organisation_name = (name * repeat)[:MAX_NAME]
    a.context.innovation_title = name[:MAX_NAME]
    a.context.innovation_description = ((comment + "\n" * lines) * repeat)[:MAX_TEXT]
    for item in a.answers.values():
        item.comment = ((comment + "\n") * lines + comment)[:MAX_COMMENT]
    a = AnswerSet.model_validate(a.model_dump())  # the models clean control characters, as on load
    assert build_report(a, bank).startswith(b"%PDF-")
    b2 = AnswerSet.model_validate(a.model_dump())
    b2.context.respondent_role = "doctor"
    assert group_pdf([a, b2], title=name[:200]).startswith(b"%PDF-")


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
    first_item = next(iter(sets[1].answers))
    sets[1].answers[first_item].comment = "Second respondent's note"
    sets[0].answers[first_item].comment = "Zoned out: first respondent's note"
    pdf = render_report(assess(sets[0], bank), bank, sets, _workshop())
    pages = pdf_text(pdf)
    text = squash("\n".join(pages))
    assert squash("Workshop with 7 respondents: Executive 2, Doctor 3, Nurse 2") in squash(pages[0])
    assert squash("Board workshop <March> & review") in squash(pages[0])
    assert squash("Agreed scores recorded by the facilitator are used") in squash(pages[0])
    assert "Workshop:spreadoftheanswers" in text and "Workshop:agendaofdisagreements" in text
    assert "0.41" in text and "0.91" in text and "0.88" in text
    assert squash("Named clinicians are ready to champion the pathway") in text
    assert squash("Doctor: 1.7") in text and squash("Doctors <i>disagree</i>") in text
    assert "Wheretheroleswoulddiffer" in text and "Holdback" in text
    # comments are listed without who wrote them, in alphabetical order (not in the order people answered)
    second, first = squash("Second respondent's note"), squash("Zoned out: first respondent's note")
    assert second in text and first in text and text.index(second) < text.index(first)
    assert squash("Doctor: Second respondent's note") not in text
    assert "2×" in text  # answers are counted across respondents
    # the workshop parts are in the contents
    titles = [o["/Title"] for o in PdfReader(io.BytesIO(pdf)).outline if isinstance(o, dict)]
    assert "Appendix: the answers" in titles


def test_cli_report_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "tmp.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "assessment", "report", "examples/eastvale_centralized.json", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(PdfReader(out).pages) >= 8


def test_cli_report_rejects_a_corrupt_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "innovation-readiness-answers", "schema_version": 1, "answers": ', encoding="utf-8")
    out = tmp_path / "never.pdf"
    assert cli.main(["report", str(bad), "-o", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert not out.exists()


def test_cli_turns_a_layout_failure_into_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Broken:
        def compile(self, *args: object, **kwargs: object) -> bytes:
            raise RuntimeError("layout exploded\nwith a second line")

    monkeypatch.setattr(render, "compiler", lambda: Broken())
    out = tmp_path / "never.pdf"
    assert cli.main(["report", "examples/eastvale_centralized.json", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "layout exploded" in err[0], err
    assert not out.exists()
    with pytest.raises(ReportError):
        build_report(answers(), default_bank())


def test_no_strategy_outcome_names_what_to_answer_first() -> None:
    bank = default_bank()
    a = answers("riverside_quick_scan.json")
    for i, item_id in enumerate(list(a.answers)):
        if i % 2 == 0:
            del a.answers[item_id]
    rec = assess(a, bank).recommendation
    assert rec.strategy == "insufficient_evidence"  # the engine's cautious outcome for this pattern
    pages = pdf_text(build_report(a, bank))
    summary = squash(pages[1])
    assert squash("Not enough answers to recommend a strategy") in summary
    assert squash("Answering these would decide it") in summary
    for unknown in rec.decisive_unknown_details:
        assert squash(unknown.description)[:40] in summary
    assert squash(rec.confidence.statement) in summary
    assert "%" not in pages[1].split("Confidence")[1].split("Key messages")[0]
