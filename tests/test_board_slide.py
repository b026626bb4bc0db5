"""The board slide: the same Typst source gives a 3840 x 2160 PNG and a 16:9 vector PDF; any text renders."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from hostile import hostile_single
from pypdf import PdfReader

from assessment import assess, default_bank, load_answers
from assessment.report.board import render_slide, slide_data
from assessment.results import Result

ROOT = Path(__file__).resolve().parent.parent


def result(name: str = "northmoor_hold_back") -> Result:
    bank = default_bank()
    return assess(load_answers(ROOT / "examples" / f"{name}.json", bank), bank)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_slide_png_is_3840_by_2160() -> None:
    assert png_size(render_slide(result(), default_bank(), facts=["20 March 2026"])) == (3840, 2160)


def test_slide_pdf_is_one_tagged_16_by_9_vector_page_with_the_board_text() -> None:
    r = result()
    pdf = render_slide(r, default_bank(), facts=["20 March 2026", "Adoption stage"], fmt="pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 1e-3
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(reader.pages[0].extract_text().split())
    assert r.recommendation.strategy_label in text
    assert "Key messages" in text and "20 March 2026 · Adoption stage" in text
    assert "%" not in text.split("Key messages")[0].split(r.recommendation.headline)[-1]  # confidence: no percent


def test_slide_data_is_the_board_view_content() -> None:
    r = result()
    data = slide_data(r, default_bank())
    assert data["strategy"] == r.recommendation.strategy_label
    assert data["confidence"] == r.recommendation.confidence.statement
    assert 1 <= len(data["messages"]) <= 3


def test_hostile_names_render_on_the_slide() -> None:
    bank = default_bank()
    r = assess(hostile_single(), bank)
    assert png_size(render_slide(r, bank)) == (3840, 2160)
    assert render_slide(r, bank, fmt="pdf").startswith(b"%PDF-")
