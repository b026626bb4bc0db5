"""The questionnaire's sections and progress counts. Pure: no Streamlit here, so tests can use it directly."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from .. import vocabulary
from ..answers import Context
from ..bank import Item, QuestionBank
from ..vocabulary import AFFORDANCES, CONDITIONS, GROUP_LABELS, INGREDIENTS, Mode, PlanFact

DONT_KNOW = "dont_know"
SCALE_VALUES: tuple[int | str, ...] = (1, 2, 3, 4, 5, DONT_KNOW)
DONT_KNOW_LABEL = "Don't know"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    short: str
    intro: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class PlanQuestion:
    field: PlanFact  # a Context field; answered with a vocabulary.PlanAnswer
    question: str  # may contain {innovation}
    help: str

    def render(self, innovation: str) -> str:
        return self.question.replace("{innovation}", innovation.strip() or "this innovation")


SECTIONS: tuple[Section, ...] = (
    Section(
        "ingredients",
        GROUP_LABELS["ingredients"],
        "Ingredients",
        "Eight ingredients that successful innovations in health services had in common. "
        "Rate how far each statement holds for your organisation today.",
        INGREDIENTS,
    ),
    Section(
        "affordances",
        GROUP_LABELS["affordances"],
        "Affordances",
        "Features of the professional setting that leave room for doing things differently.",
        AFFORDANCES,
    ),
    Section(
        "conditions",
        GROUP_LABELS["conditions"],
        "Conditions",
        "How much resistance to expect, and what support for change already exists. "
        "For professional resistance a higher score is worse.",
        CONDITIONS,
    ),
    Section(
        "plan",
        "Your plan so far",
        "Plan",
        "Two plain questions about how you intend to go about the change. They do not score anything; "
        "they decide which warnings apply and which step of the plan you are in.",
        (),
    ),
)
SECTION_IDS: tuple[str, ...] = tuple(s.id for s in SECTIONS)
SECTION_BY_ID: dict[str, Section] = {s.id: s for s in SECTIONS}

PLAN_QUESTIONS: tuple[PlanQuestion, ...] = (
    PlanQuestion(
        "political_work_first",
        "Does your plan begin with new rules, targets, incentives or structures for {innovation}, "
        "before clinicians have had a real say in how it works in practice?",
        "For example a new policy, a payment or performance target, or a new unit set up from the top "
        "before front-line clinicians have tried the change and shaped it.",
    ),
    PlanQuestion(
        "step_one_evidence",
        "Have early trials of {innovation} already spread beyond the first enthusiasts, so that clinicians "
        "in several departments now use the new ways of working and regard them as their own?",
        "Answer yes only if the change has reached clinicians beyond the usual volunteers.",
    ),
)
PLAN_FIELDS: tuple[str, ...] = vocabulary.PLAN_FACTS  # the questions above ask them in this order


def plan_context(choices: Mapping[str, str | None]) -> dict[str, object]:
    """The Context fields of the plan answers: the widgets' values as they are (one shape, vocabulary.PlanAnswer)."""
    return {f: choices.get(f) for f in PLAN_FIELDS}


def plan_choices_from(context: Context) -> dict[str, str | None]:
    """The plan answers as the widgets show them, from a saved context."""
    return {f: context.plan_answer(f) for f in PLAN_FIELDS}


# per bank: (a weak reference to it, its items by (mode, section)). Keyed by id(bank) for a cheap lookup (a frozen
# model hashes and compares all its fields), and the entry is used only for the very bank it was made for: an id is
# reused once a bank is gone, and the entry goes with the bank.
_SECTION_ITEMS: dict[int, tuple[weakref.ref[QuestionBank], dict[tuple[str, str], tuple[Item, ...]]]] = {}


def _forget(key: int, ref: weakref.ref[QuestionBank]) -> None:
    entry = _SECTION_ITEMS.get(key)
    if entry is not None and entry[0] is ref:
        del _SECTION_ITEMS[key]


def section_items(bank: QuestionBank, mode: Mode, section_id: str) -> tuple[Item, ...]:
    """The items a section asks in this mode, in bank order (computed once per bank; banks are frozen)."""
    entry = _SECTION_ITEMS.get(id(bank))
    if entry is None or entry[0]() is not bank:
        entry = _SECTION_ITEMS[id(bank)] = (weakref.ref(bank, partial(_forget, id(bank))), {})
    found = entry[1].get((mode, section_id))
    if found is None:
        dims = set(SECTION_BY_ID[section_id].dimensions)
        found = entry[1][(mode, section_id)] = tuple(i for i in bank.items_for(mode) if i.dimension in dims)
    return found


def items_by_dimension(bank: QuestionBank, mode: Mode, section_id: str) -> list[tuple[str, list[Item]]]:
    items = section_items(bank, mode, section_id)
    return [(d, [i for i in items if i.dimension == d]) for d in SECTION_BY_ID[section_id].dimensions]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    def text(self) -> str:
        return f"{self.done} of {self.total} answered"


def _answered(answers: Mapping[str, Mapping[str, object]], item_id: str) -> bool:
    entry = answers.get(item_id)
    return entry is not None and entry.get("value") is not None


def sections_summary(progress: Mapping[str, Progress]) -> str:
    """'Ingredients 3/8 · Affordances 0/4 · ...': the answered count of every section, for a caption."""
    return " · ".join(f"{SECTION_BY_ID[sid].short} {progress[sid].done}/{progress[sid].total}" for sid in SECTION_IDS)


def section_progress(
    bank: QuestionBank,
    mode: Mode,
    section_id: str,
    answers: Mapping[str, Mapping[str, object]],
    plan: Mapping[str, str | None],
) -> Progress:
    if section_id == "plan":
        return Progress(sum(1 for f in PLAN_FIELDS if plan.get(f)), len(PLAN_FIELDS))
    items = section_items(bank, mode, section_id)
    return Progress(sum(1 for i in items if _answered(answers, i.id)), len(items))


def all_progress(
    bank: QuestionBank,
    mode: Mode,
    answers: Mapping[str, Mapping[str, object]],
    plan: Mapping[str, str | None],
) -> dict[str, Progress]:
    """Progress per section id, plus the whole questionnaire under the key 'all'."""
    parts = {s.id: section_progress(bank, mode, s.id, answers, plan) for s in SECTIONS}
    parts["all"] = Progress(sum(p.done for p in parts.values()), sum(p.total for p in parts.values()))
    return parts


def overall_progress(
    bank: QuestionBank,
    mode: Mode,
    answers: Mapping[str, Mapping[str, object]],
    plan: Mapping[str, str | None],
) -> Progress:
    return all_progress(bank, mode, answers, plan)["all"]


def first_open_section(
    bank: QuestionBank,
    mode: Mode,
    answers: Mapping[str, Mapping[str, object]],
    plan: Mapping[str, str | None],
) -> str:
    """The first section with something left to answer (the last one when all are done)."""
    for s in SECTIONS:
        if not section_progress(bank, mode, s.id, answers, plan).complete:
            return s.id
    return SECTIONS[-1].id


def question_counts(bank: QuestionBank, mode: Mode) -> tuple[int, int]:
    """(statements, all questions) asked in a mode: the same totals the sidebar's progress counts."""
    total = overall_progress(bank, mode, {}, {}).total
    return total - len(PLAN_FIELDS), total
