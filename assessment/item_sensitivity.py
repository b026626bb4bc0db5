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
from .rules.grammar import ItemCond, leaves
from .rules.open_questions import outcome_words
from .scoring import is_sufficient, tally, usable_means
from .vocabulary import Outcome

RATINGS = (1, 2, 3, 4, 5)


class _Trial:
    """The outcome with one answer changed, from the totals of the answers as given: only the changed item's
    dimension is scored again (its sum and counts adjusted), and only what the strategy rules read is rebuilt
    (the answer pattern only if a strategy rule reads it). The same result as scoring every answer again
    (`outcome_rescored`; a property test holds them together), about fifty times faster."""

    def __init__(
        self, bank: QuestionBank, ratings: Mapping[str, int | str], asked: list[Item], context: Mapping[str, object]
    ) -> None:
        self.book = load_rulebook()
        self.bank, self.ratings, self.context = bank, ratings, context
        self.totals = tally(bank, ratings, asked)
        self.scores = usable_means(self.totals)
        self.items = {k: v for k, v in ratings.items() if v.__class__ is int}
        self.facts = facts_from(context, answer_pattern(ratings, bank.reverse_items))
        self.reads_pattern = "answer_pattern" in self.book.decision_facts
        self.read_items = {
            leaf.item for r in self.book.strategy_rules for leaf in leaves(r.when) if isinstance(leaf, ItemCond)
        }
        self.read_dimensions = set(self.book.decision_dimensions)

    def can_matter(self, item: Item) -> bool:
        """Whether any answer to `item` could change what the strategy rules read."""
        scored = not item.step_two_signal and item.dimension in self.read_dimensions
        return scored or item.id in self.read_items or self.reads_pattern

    def outcome(self, item: Item, value: int) -> Outcome:
        scores = self.scores
        if not item.step_two_signal:
            total, rated, dont_know, n_asked = self.totals[item.dimension]
            old = self.ratings.get(item.id)
            if isinstance(old, int) and 1 <= old <= 5:
                total -= 6 - old if item.reverse else old
                rated -= 1
            total += 6 - value if item.reverse else value
            rated += 1
            mean = round(total / rated, 2) if is_sufficient(rated, n_asked) else None
            scores = {**scores, item.dimension: mean}
        facts = self.facts
        if self.reads_pattern:
            facts = facts_from(self.context, answer_pattern({**self.ratings, item.id: value}, self.bank.reverse_items))
        env = Inputs(scores=scores, items={**self.items, item.id: value}, facts=facts)
        return decide_outcome(self.book, env).outcome


def outcome_rescored(
    bank: QuestionBank, ratings: Mapping[str, int | str], asked: list[Item], context: Mapping[str, object]
) -> Outcome:
    """The outcome of `ratings`, scored from scratch: the reference `_Trial` is checked against."""
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
    trial = _Trial(bank, ratings, asked, context)
    out: list[ItemChange] = []
    for item in asked:
        if not trial.can_matter(item):
            continue
        now = ratings.get(item.id)
        now_int = now if isinstance(now, int) else None
        candidates = [v for v in RATINGS if v != now_int]
        if now_int is not None:
            candidates.sort(key=lambda v: (abs(v - now_int), v))
        for value in candidates:
            new = trial.outcome(item, value)
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
