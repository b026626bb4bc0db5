"""A role whose own answers cannot decide a strategy: the group report still builds and says so in words.

Found by the type check: a role group's strategy is an outcome ("insufficient_evidence" included), but the
report's RoleRecommendation accepted only the three strategies, so such a workshop's group report failed.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from assessment.answers import AnswerSet, Context, ItemAnswer
from assessment.bank import default_bank
from assessment.report import WorkshopSection, render_report
from assessment.vocabulary import STRATEGY_LABELS
from assessment.workshop import summarise_answer_sets


def _sets() -> list[AnswerSet]:
    bank = default_bank()
    items = bank.items_for("full")
    sets = []
    for role, value in (("executive", 4), ("doctor", "dont_know")):
        for _ in range(4):
            ctx = Context(respondent_role=role, stage="adoption", innovation_title="Virtual ward")
            answers = {i.id: ItemAnswer(value=value) for i in items}
            sets.append(AnswerSet(bank_version=bank.bank_version, mode="full", context=ctx, answers=answers))
    return sets


def test_a_role_without_enough_answers_of_its_own_is_reported_not_refused() -> None:
    bank = default_bank()
    sets = _sets()
    summary = summarise_answer_sets(sets, bank, min_group=3)
    doctors = next(g for g in summary.role_groups if g.role == "doctor")
    assert summary.result.recommendation.strategy != "insufficient_evidence"
    assert doctors.enough and doctors.strategy == "insufficient_evidence" and doctors.differs_from_group

    section = WorkshopSection.from_summary(summary)
    assert [(r.role, r.strategy) for r in section.role_recommendations] == [("doctor", "insufficient_evidence")]

    pdf = render_report(summary.result, bank, sets, section)
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Wheretheroleswoulddiffer" in text
    assert re.sub(r"\s+", "", STRATEGY_LABELS["insufficient_evidence"]) in text
    assert "insufficient_evidence" not in text
