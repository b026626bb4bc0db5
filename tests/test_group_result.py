"""A group result that tells the truth (finding 5): the group PDF printed coverage "100% (1 of 1)" for every
ingredient, said all scores were agreed when 1 of 15 was, and never showed perception gaps, pockets or the
role-disagreement index."""

from __future__ import annotations

import io

from pypdf import PdfReader
from test_workshop import HOLD_BACK, TWO_STEP, person

from assessment import default_bank
from assessment.report import WorkshopSection, render_report
from assessment.vocabulary import DIMENSION_IDS
from assessment.workshop import ConsensusScore, summarise_answer_sets

BANK = default_bank()


def group() -> list:
    unsure = {i.id: "dont_know" for i in BANK.items_by_dimension["partnerships"]}
    sets = [person("executive", TWO_STEP, department="Board") for _ in range(3)]
    sets += [person("doctor", HOLD_BACK, department="Surgery") for _ in range(3)]
    sets += [person("nurse", HOLD_BACK, department="Surgery", items=unsure) for _ in range(3)]
    return sets


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_group_coverage_counts_respondents_and_items() -> None:
    s = summarise_answer_sets(group(), BANK)
    per_person = len(BANK.items_by_dimension["partnerships"])
    cov = s.result.scores["partnerships"]
    assert (cov.asked, cov.answered, cov.dont_know) == (9 * per_person, 6 * per_person, 3 * per_person)
    assert cov.coverage == round(6 / 9, 3)
    full = s.result.scores["system_leadership"]
    assert full.asked == 9 * len(BANK.items_by_dimension["system_leadership"]) and full.coverage == 1.0
    assert all(s.result.scores[d].asked > 1 for d in DIMENSION_IDS)  # never the profile path's "1 of 1"


def test_the_pdf_says_which_scores_are_agreed_and_shows_the_role_findings() -> None:
    agreed = [ConsensusScore(dimension="top_down_support", score=2.0)]
    s = summarise_answer_sets(group(), BANK, title="Truthful workshop", consensus=agreed)
    assert s.consensus_dimensions == ["top_down_support"] and "top_down_support" not in s.averaged_dimensions
    section = WorkshopSection.from_summary(s)
    assert section.agreed_dimensions == ["top_down_support"] and len(section.averaged_dimensions) == 14
    text = " ".join(pdf_text(render_report(s.result, BANK, group(), section)).split())
    assert "Agreed scores recorded by the facilitator are used for 1 of 15 dimensions" in text
    assert "the other 14 are the mean of the respondents' own scores" in text
    assert "are the agreed scores the facilitator recorded" not in text
    assert "(1 of 1)" not in text
    assert "Role-disagreement index:" in text and f"{s.role_disagreement.index:.2f} points" in text
    assert "Perception gap on clinician incentives and engagement" in text
    assert "Department pockets" in text and "No figure describes fewer than 3 people" in text
