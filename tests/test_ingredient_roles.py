"""Issue 20, finding 9: one sentence, generated from the rules table, says which ingredients decide the strategy,
and the README, the results page, the board and the PDF all show that sentence."""

from __future__ import annotations

from pathlib import Path

from assessment import default_bank
from assessment.rules import load_rulebook
from assessment.rules.roles import ingredient_roles

ROOT = Path(__file__).resolve().parents[1]


def test_the_sentence_follows_the_rules_table() -> None:
    sentence = ingredient_roles(load_rulebook(), default_bank())
    assert sentence.startswith("Of the Manual's eight ingredients, only top-down support decides the strategy")
    assert "mediating managers" in sentence and "from the two-step paper" in sentence  # not an ingredient
    assert "system leadership" in sentence.split(";")[1]  # a capping warning reads it
    assert "_" not in sentence  # no raw ids


def test_the_readme_says_what_the_function_says() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert ingredient_roles(load_rulebook(), default_bank()) in readme
    assert "weigh these more heavily than the ingredients" not in readme


def test_results_page_board_and_pdf_use_the_one_function() -> None:
    for path in ("assessment/ui/page_scripts/results.py", "assessment/ui/board.py", "assessment/report/conditions.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "ingredient_roles(" in text, path
        assert "weigh these more heavily than the" not in text, path


def test_the_pdf_prints_the_sentence() -> None:
    import io
    import re

    from pypdf import PdfReader

    from assessment import load_answers
    from assessment.report import build_report

    bank = default_bank()
    pdf = build_report(load_answers(ROOT / "examples" / "eastvale_centralized.json", bank), bank)
    text = re.sub(r"[\s\u200b]+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assert re.sub(r"\s+", "", ingredient_roles(load_rulebook(), bank)) in text
