"""What would change it, item by item: the single answers that, changed on their own, would change the result.

For each question asked, the nearest other answer (on its own scale) that would give a different outcome, with
the statement, the answer now and the answer that would change it. The same scoring and rules as `engine.assess`
(a test holds them together); "don't know" and a skipped question count as no answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .bank import Item, QuestionBank
from .results import ItemChange
from .rules import Inputs, answer_pattern, facts_from, load_rulebook
from .rules import decide as decide_outcome
from .rules.open_questions import outcome_words
from .scoring import tally, usable_means
from .vocabulary import Outcome

RATINGS = (1, 2, 3, 4, 5)


def _outcome(
    bank: QuestionBank, ratings: Mapping[str, int | str], asked: list[Item], context: Mapping[str, object]
) -> Outcome:
    env = Inputs(
        scores=usable_means(tally(bank, ratings, asked)),
        items={k: v for k, v in ratings.items() if v.__class__ is int},
        facts=facts_from(context, answer_pattern(ratings, bank.reverse_items)),
    )
    return decide_outcome(load_rulebook(), env).outcome


def _answer_words(bank: QuestionBank, item: Item, value: int | str | None) -> str:
    if isinstance(value, int):
        return bank.scales[item.scale].anchors[value]
    return "Don't know" if value == "dont_know" else "no answer"


def item_changes(
    bank: QuestionBank,
    ratings: Mapping[str, int | str],
    asked: Iterable[Item],
    context: Mapping[str, object],
    current: Outcome,
    innovation: str = "",
) -> list[ItemChange]:
    """Per question asked, the nearest single answer that changes the outcome (none when no answer would)."""
    asked = list(asked)
    out: list[ItemChange] = []
    for item in asked:
        now = ratings.get(item.id)
        now_int = now if isinstance(now, int) else None
        candidates = [v for v in RATINGS if v != now_int]
        if now_int is not None:
            candidates.sort(key=lambda v: (abs(v - now_int), v))
        for value in candidates:
            new = _outcome(bank, {**ratings, item.id: value}, asked, context)
            if new != current:
                target = _answer_words(bank, item, value)
                out.append(
                    ItemChange(
                        item=item.id,
                        statement=item.render(innovation),
                        current=now if now is None or isinstance(now, int | str) else None,
                        target=value,
                        new_strategy=new,
                        description=(
                            f"If “{item.render(innovation)}” were answered “{target}” instead of "
                            f"“{_answer_words(bank, item, now)}”, the result would be {outcome_words(new)}."
                        ),
                    )
                )
                break
    out.sort(key=lambda c: abs(c.target - c.current) if isinstance(c.current, int) else 9)
    return out
