"""Sentences read from the rules table and the engine, never written by hand: which ingredients decide the
strategy (the results page, the board, the PDF and the README; a test holds the README to it), and what a "Not
sure" answer to a plan question does (the questionnaire and the participant page)."""

from __future__ import annotations

from ..bank import QuestionBank
from ..vocabulary import INGREDIENTS, PLAN_FACTS, plan_reading
from .grammar import FactCond, Inputs, dimensions_in, leaves
from .recommend import current_step
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


def not_sure_line(book: RuleBook) -> str:
    """What answering "Not sure" to a plan question does, read from the engine (`plan_reading`, the warning
    rules and the step logic), for the questionnaire and the participant page."""
    unsure, no, yes = plan_reading("not_sure"), plan_reading("no"), plan_reading("yes")
    if unsure == no:
        return "If you answer “Not sure”, the rules read it as “No”."
    flagged = [
        w
        for w in book.warning_rules
        if any(isinstance(leaf, FactCond) and leaf.fact in PLAN_FACTS and leaf.is_ == unsure for leaf in leaves(w.when))
    ]
    said = ["If you answer “Not sure”, the rules do not read it as “No”: the question stays open"]
    if flagged:
        said.append("the results flag it for checking")
        caps = {w.caps_confidence for w in flagged} - {None}
        yes_caps = {
            w.caps_confidence
            for w in book.warning_rules
            if any(isinstance(leaf, FactCond) and leaf.is_ is yes for leaf in leaves(w.when))
        } - {None}
        if caps and caps <= yes_caps:
            said.append("confidence is lowered as far as a “Yes” would lower it")
        elif caps:
            said.append("confidence is lowered")
    step_one = Inputs(scores={}, facts={"step_one_evidence": unsure})
    if current_step("two_step", step_one, []) == 1:
        said.append("two-step work stays in step one")
    return ", ".join(said[:-1]) + (", and " if len(said) > 2 else " and ") + said[-1] + "."
