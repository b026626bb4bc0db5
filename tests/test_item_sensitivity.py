"""Item-level "what would change it" (issue 20): the fast search, which rescores only the changed answer's
dimension, finds exactly what scoring every answer again finds, for any answers the schema accepts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.answers import Context
from assessment.bank import default_bank
from assessment.engine import given_context
from assessment.item_sensitivity import RATINGS, item_changes, outcome_rescored

BANK = default_bank()
ANSWER = st.one_of(st.sampled_from(RATINGS), st.just("dont_know"), st.none())


def reference(ratings: dict[str, int | str], mode: str, context: dict[str, object]) -> dict[str, tuple[int, str]]:
    """Every answer of every item asked, tried one at a time and scored from scratch: the nearest that changes
    the outcome (ties to the lower answer), per item."""
    asked = list(BANK.items_for(mode))
    now = outcome_rescored(BANK, ratings, asked, context)
    found = {}
    for item in asked:
        old = ratings.get(item.id)
        tries = [v for v in RATINGS if v != old]
        if isinstance(old, int):
            tries.sort(key=lambda v: (abs(v - old), v))
        for v in tries:
            new = outcome_rescored(BANK, {**ratings, item.id: v}, asked, context)
            if new != now:
                found[item.id] = (v, new)
                break
    return found


@settings(max_examples=150, deadline=None)
@given(
    mode=st.sampled_from(["quick", "full"]),
    answers=st.data(),
    radicalness=st.sampled_from([None, "radical", "incremental"]),
    stage=st.sampled_from(["ideation", "adoption", "sustainability"]),
    plan=st.sampled_from([None, "yes", "no", "not_sure"]),
    base=st.sampled_from([1, 2, 3, 4, 5]),
)
def test_the_fast_search_finds_what_rescoring_everything_finds(
    mode: str, answers: st.DataObject, radicalness: str | None, stage: str, plan: str | None, base: int
) -> None:
    # answers near one level (a realistic respondent), with some items moved, skipped or "don't know"
    ratings: dict[str, int | str] = {}
    for item in BANK.items_for(mode):
        value = answers.draw(st.one_of(st.just(base), ANSWER), label=item.id)
        if value is not None:
            ratings[item.id] = value
    given = {"radicalness": radicalness, "political_work_first": plan, "step_one_evidence": plan}
    ctx = given_context(Context(stage=stage, **{k: v for k, v in given.items() if v is not None}))
    asked = list(BANK.items_for(mode))
    current = outcome_rescored(BANK, ratings, asked, ctx)
    fast = {c.item: (c.target, c.new_strategy) for c in item_changes(BANK, ratings, asked, ctx, current)}
    assert fast == reference(ratings, mode, ctx)
