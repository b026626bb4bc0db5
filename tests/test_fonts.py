"""Every script, or a visible warning (issue 21): the font chain covers Indic scripts, Thai, CJK and emoji from the
Noto packages that .ci/run and the Dockerfile both install; a character no font covers is named in the command line,
on the cover or the slide, and in the app, and the PDF's properties keep the text as written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hostile import base
from pypdf import PdfReader

from assessment import AnswerSet, assess, cli, default_bank
from assessment.report import build_report
from assessment.report.board import slide_data, slide_unprintable
from assessment.report.fonts import FONT_PACKAGES, families, installed, printable, unprintable

ROOT = Path(__file__).resolve().parent.parent
WORLD = "हिन्दी अस्पताल বাংলা தமிழ் โรงพยาบาล 北京协和医院 日本語 한국어 🏥 🇬🇧 😀 👩‍⚕️"
UNCOVERED = "\U00013000"  # an Egyptian hieroglyph: no family in the chain has it


def named(text: str) -> AnswerSet:
    a = base()
    a.context.innovation_title = text
    return AnswerSet.model_validate(a.model_dump())


def test_ci_and_the_image_install_the_same_font_packages_the_chain_names() -> None:
    ci = re.search(r'FONT_PACKAGES="([^"]+)"', (ROOT / ".ci" / "run").read_text())
    assert ci is not None
    docker = re.findall(r"\b(fonts-[a-z-]+)=", (ROOT / "Dockerfile").read_text())
    assert set(ci.group(1).split()) == set(docker) == set(FONT_PACKAGES)


def test_the_chain_covers_indic_scripts_thai_cjk_and_emoji() -> None:
    assert len(installed()) >= 10, f"install {' '.join(FONT_PACKAGES)} (as .ci/run does)"
    assert {"Noto Sans Devanagari", "Noto Sans Thai", "Noto Color Emoji", "Noto Sans CJK SC"} <= set(families())
    assert unprintable([WORLD]) == []
    assert printable(WORLD) == WORLD


def test_a_devanagari_chinese_and_emoji_title_prints_without_replacement_characters() -> None:
    pdf = build_report(named(WORLD[:150]), default_bank())
    reader = PdfReader(io.BytesIO(pdf))
    cover = reader.pages[0].extract_text()
    assert "\ufffd" not in cover and "北京协和医院" in cover and "🏥" in cover
    assert "Some characters have no font" not in cover


def test_an_uncovered_character_is_noted_on_the_cover_and_kept_in_the_properties() -> None:
    pdf = build_report(named(f"Clinic {UNCOVERED} ⁦isolated⁩"), default_bank())
    reader = PdfReader(io.BytesIO(pdf))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Some characters have no font on this system and print as \ufffd: U+13000." in cover
    assert reader.metadata is not None and reader.metadata.title is not None
    assert UNCOVERED in reader.metadata.title and "\ufffd" not in reader.metadata.title
    assert "⁦" not in cover  # bidi isolates draw nothing: dropped from the print, not printed as U+FFFD


def test_an_uncovered_character_is_a_warning_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(named(f"Clinic {UNCOVERED}").model_dump_json())
    assert cli.main(["report", str(answers), "-o", str(tmp_path / "r.pdf")]) == 0
    assert "warning: no font here has U+13000" in capsys.readouterr().err
    answers.write_text(named("Clinic हिन्दी").model_dump_json())
    assert cli.main(["report", str(answers), "-o", str(tmp_path / "r.pdf")]) == 0
    assert "warning" not in capsys.readouterr().err


def test_an_uncovered_character_is_noted_on_the_slide() -> None:
    bank = default_bank()
    result = assess(named(f"Clinic {UNCOVERED}"), bank)
    assert slide_unprintable(result) == [UNCOVERED]
    note = slide_data(result, bank, notes=["A workshop note."])["notes"][0]
    assert note.startswith("No font here for U+13000: printed as \ufffd. A workshop")
    assert slide_unprintable(assess(named(WORLD), bank)) == []
