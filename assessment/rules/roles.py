"""Which ingredients decide the strategy, in one sentence read from the rules table (never written by hand):
the results page, the board, the PDF and the README all show this sentence (a test holds the README to it)."""

from __future__ import annotations

from ..bank import QuestionBank
from ..vocabulary import INGREDIENTS
from .grammar import dimensions_in
from .table import RuleBook

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")


def _names(ids: list[str], bank: QuestionBank) -> str:
    words = [bank.dimension_by_id[i].short_label for i in ids]
    words = [w if w[:2].isupper() else w[:1].lower() + w[1:] for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def ingredient_roles(book: RuleBook, bank: QuestionBank) -> str:
    """One sentence: the ingredients the strategy rules read, the others they read beside them, the ingredients
    that can only lower confidence through a warning, and the rest."""
    deciding = [i for i in INGREDIENTS if i in book.decision_dimensions]
    others = [d for d in book.decision_dimensions if d not in INGREDIENTS]
    capping = [
        i
        for i in INGREDIENTS
        if i not in deciding and any(w.caps_confidence and i in dimensions_in(w.when) for w in book.warning_rules)
    ]
    rest = [i for i in INGREDIENTS if i not in deciding and i not in capping]
    n = len(INGREDIENTS)
    if deciding:
        head = f"Of the Manual's {NUMBER_WORDS[n]} ingredients, {'only ' if len(deciding) == 1 else ''}"
        head += f"{_names(deciding, bank)} {'decides' if len(deciding) == 1 else 'decide'} the strategy"
    else:
        head = f"None of the Manual's {NUMBER_WORDS[n]} ingredients decides the strategy"
    if others:
        head += f", together with {_names(others, bank)} from the two-step paper"
    parts = [head]
    if capping:
        parts.append(f"{_names(capping, bank)} can only lower confidence, through a warning")
    if rest:
        parts.append(
            f"the other {NUMBER_WORDS[len(rest)]} ({_names(rest, bank)}) shape the readiness index and the action "
            "plan, not the strategy"
        )
    sentence = "; ".join(parts) + "."
    return sentence[:1].upper() + sentence[1:]
