"""Issue 20's leftover: the PDF's "What would change it" lists the single answers that would change the result
(`Result.item_changes`: statement, answer now, answer needed), as the results page does, read back with pypdf."""

from __future__ import annotations

import io
import re
from functools import cache

from helpers import ROOT
from pypdf import PdfReader

from assessment import assess, default_bank, load_answers
from assessment.report import build_report
from assessment.report.rationale import ITEM_CHANGES_SHOWN, answer_words
from assessment.results import Result

BANK = default_bank()
HEADING = "Single answers that would change it"


def squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


@cache
def rendered(name: str) -> tuple[Result, str]:
    answers = load_answers(ROOT / "examples" / f"{name}.json", BANK)
    pdf = build_report(answers, BANK)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    return assess(answers, BANK), squash(" ".join(pages))


def section(text: str) -> str:
    """The text from the item-level list to the next section heading of 'Why this recommendation'."""
    start = text.index(squash(HEADING))
    return text[start : text.index(squash("Confidence and evidence base"), start)]


def test_the_pdf_lists_each_answer_that_would_change_the_result_with_from_and_to() -> None:
    result, text = rendered("eastvale_centralized")
    assert 0 < len(result.item_changes) <= ITEM_CHANGES_SHOWN
    listed = section(text)
    position = 0
    for change in result.item_changes:
        statement = squash(change.statement)
        at = listed.index(statement, position)  # in the order the result gives them, nearest first
        row = listed[at : at + len(statement) + 200]
        assert squash(answer_words(BANK, change.item, change.current)) in row
        assert squash(answer_words(BANK, change.item, change.target)) in row
        position = at + len(statement)
    assert change.item not in listed  # statements by their text, never their ids


def test_a_long_list_is_cut_with_a_count_of_the_rest() -> None:
    result, text = rendered("riverside_two_step")
    more = len(result.item_changes) - ITEM_CHANGES_SHOWN
    assert more > 0
    listed = section(text)
    assert squash(result.item_changes[ITEM_CHANGES_SHOWN - 1].statement) in listed
    assert squash(result.item_changes[ITEM_CHANGES_SHOWN].statement) not in listed
    assert squash(f"And {more} more answers, each further from the one given.") in listed


def test_no_list_when_no_single_answer_would_change_it() -> None:
    result, text = rendered("northmoor_hold_back")
    assert result.item_changes == []
    assert squash(HEADING) not in text


def test_answers_in_words() -> None:
    item = BANK.items[0]
    anchors = BANK.scales[item.scale].anchors
    assert answer_words(BANK, item.id, 2) == f"2 ({anchors[2]})"
    assert answer_words(BANK, item.id, "dont_know") == "Don't know"
    assert answer_words(BANK, item.id, None) == "No answer"
