"""Issue 20, finding 7: data-quality warnings hold when the reverse-worded statements are skipped, and their
wording fits what was given (statements, or dimension scores)."""

from __future__ import annotations

from assessment import AnswerSet, ItemAnswer, assess, assess_profile, default_bank, parse_profile
from assessment.rules.inputs import answer_pattern

BANK = default_bank()
CTX = {"radicalness": "radical", "political_work_first": "no", "step_one_evidence": "no"}


def test_skipping_every_reverse_item_does_not_evade_the_check() -> None:
    """ "Don't know" on the reverse-worded statements plus three varied answers is not a clean scan."""
    quick = BANK.items_for("quick")
    ratings: dict[str, object] = {i.id: ("dont_know" if i.reverse else 4) for i in quick}
    forward = [i.id for i in quick if not i.reverse and i.dimension != "professional_resistance"]
    ratings |= {forward[0]: 5, forward[1]: 3, forward[2]: 5}
    assert answer_pattern(ratings, BANK.reverse_items) == "reverse_skipped"
    answers = {k: ItemAnswer(value=v) for k, v in ratings.items()}
    rec = assess(AnswerSet(bank_version=BANK.bank_version, mode="quick", context=CTX, answers=answers), BANK)
    r = rec.recommendation
    assert "uniform_answers" in {w.id for w in r.warnings}
    assert r.confidence.level == "low"


def test_reverse_items_answered_in_a_varied_scan_are_not_flagged() -> None:
    quick = BANK.items_for("quick")
    ratings: dict[str, object] = {i.id: [1, 2, 3, 4, 5][n % 5] for n, i in enumerate(quick)}
    assert answer_pattern(ratings, BANK.reverse_items) == "varied"
    some_dk = ratings | {i.id: "dont_know" for i in quick if i.reverse}
    assert answer_pattern(some_dk, BANK.reverse_items) == "varied"  # skipped, but the rest genuinely varied


def test_a_uniform_profile_is_described_as_scores_not_statements() -> None:
    scores = {d: 3.0 for d in BANK.dimension_by_id}
    rec = assess_profile(parse_profile({"scores": scores, "context": CTX})).recommendation
    ids = {w.id for w in rec.warnings}
    assert "uniform_scores" in ids and "uniform_answers" not in ids
    (w,) = [w for w in rec.warnings if w.id == "uniform_scores"]
    assert "statement" not in w.message and "score" in w.message
