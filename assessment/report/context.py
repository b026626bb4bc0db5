"""Everything the sections need, gathered once: the result, the bank, the answers, the action plan,
and small formatting helpers shared across sections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from ..advice import ActionPlan, action_plan
from ..answers import ORGANISATION_TYPE_LABELS, AnswerSet
from ..bank import Citation, QuestionBank
from ..instrument.present import MethodLines
from ..plain import citation_for_people, value_text
from ..results import Result
from ..rules import load_rulebook
from ..sources import SOURCE_NAMES
from ..vocabulary import ROLE_LABELS, STAGE_LABELS
from .workshop_section import WorkshopSection

# The report's main sections: (bookmark key, heading). The cover's contents list and the tests use these.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "1. Executive summary"),
    ("why", "2. Why this recommendation"),
    ("ingredients", "3. Ingredients of innovation success"),
    ("conditions", "4. Affordances and conditions"),
    ("plan", "5. Action plan"),
    ("method", "6. Method and references"),
    ("appendix", "Appendix: the answers"),
    ("glossary", "Glossary"),
)
SECTION_TITLES = dict(SECTIONS)
MULTILINE = frozenset({"innovation_description"})  # the context fields that may keep their line breaks


def fmt_value(value: object) -> str:
    """A rule input's value for print: scores to one decimal, booleans as yes/no, ids as words."""
    return value_text(value, missing="not known")


def cite(citation: Citation | str) -> str:
    """'Source: ...' for people: the source and any table or sentence, never line numbers."""
    return f"Source: {citation_for_people(citation)}"


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.replace("_", " ").capitalize())


def roles_label(roles: Sequence[str]) -> str:
    return ", ".join(role_label(r) for r in roles) or "–"


@dataclass
class ReportData:
    result: Result
    bank: QuestionBank
    answer_sets: list[AnswerSet]
    workshop: WorkshopSection | None = None
    reliability: MethodLines | None = None
    """The method section's lines on how well the items agree in use (`instrument.present.method_lines`), loaded
    by the caller from the store; None: the section says that no figures are available."""
    today: date = field(default_factory=date.today)
    citations: set[str] = field(default_factory=set)
    """Short names of every source cited so far, for the reference list (filled by `cite`)."""

    # ----- context -----
    def ctx(self, key: str, default: str = "") -> str:
        """A context field as text; a one-line field (a name or title) with its newlines and runs of spaces
        flattened to single spaces, so a 100-line title is one line on the cover and in the headers."""
        value = self.result.context.get(key)
        text = "" if value is None else str(value)
        if key not in MULTILINE:
            text = " ".join(text.split())
        return text or default

    @property
    def innovation(self) -> str:
        return self.ctx("innovation_title", "this innovation")

    @property
    def organisation(self) -> str:
        return self.ctx("organisation_name", "Organisation not named")

    @property
    def organisation_type(self) -> str:
        t = self.ctx("organisation_type")
        return ORGANISATION_TYPE_LABELS.get(t, t)

    @property
    def stage(self) -> str:
        return self.result.readiness.stage

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def report_date(self) -> date:
        stamps: list[datetime] = [a.saved_at for a in self.answer_sets if a.saved_at is not None]
        return max(stamps).date() if stamps else self.today

    @property
    def respondent_summary(self) -> str:
        if self.workshop is not None:
            n = self.workshop.respondents
            parts = [f"{role_label(r)} {k}" for r, k in self.workshop.respondents_by_role.items() if k]
            return f"Workshop with {n} respondent{'s' if n != 1 else ''}: " + ", ".join(parts)
        if len(self.answer_sets) > 1:
            counts: dict[str, int] = {}
            for a in self.answer_sets:
                counts[a.context.respondent_role] = counts.get(a.context.respondent_role, 0) + 1
            parts = [f"{role_label(r)} {k}" for r, k in counts.items()]
            return f"{len(self.answer_sets)} respondents: " + ", ".join(parts)
        role = role_label(self.ctx("respondent_role", "other"))
        name = self.ctx("respondent_name")
        return f"Single respondent: {role}" + (f" ({name})" if name else "")

    @property
    def mode(self) -> str:
        """quick / full / profile; a workshop result is a profile, so take the mode from the answer files."""
        if self.result.mode != "profile" or not self.answer_sets:
            return self.result.mode
        return "full" if any(a.mode == "full" for a in self.answer_sets) else "quick"

    @property
    def mode_label(self) -> str:
        labels = {
            "quick": "Quick scan (core items only)",
            "full": "Full assessment",
            "profile": "Scores entered directly",
        }
        return labels.get(self.mode, self.mode)

    @property
    def no_strategy(self) -> bool:
        return self.result.recommendation.strategy == NO_STRATEGY

    @property
    def outcome_intro(self) -> str:
        return "Outcome:" if self.no_strategy else "Recommended strategy:"

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.result)

    # ----- derived, computed once -----
    @cached_property
    def plan(self) -> ActionPlan:
        return action_plan(self.result)

    @cached_property
    def short_labels(self) -> dict[str, str]:
        return {d.id: d.short_label for d in self.bank.dimensions}

    def cite(self, citation: Citation | str) -> str:
        """'Source: ...' for print, noting every source named in it (a locator may name a second source)."""
        text = str(citation)
        self.citations.update(source for source in SOURCE_NAMES if source in text)
        return cite(citation)


NO_STRATEGY = "insufficient_evidence"


def strategy_label(strategy: str) -> str:
    """A strategy's (or the no-strategy outcome's) label, from rules.yaml: the one source the app uses too."""
    for outcome, text in load_rulebook().strategies.items():
        if outcome == strategy:
            return text.label
    return strategy.replace("_", " ").capitalize()


def outcome_label(result: Result) -> str:
    return strategy_label(result.recommendation.strategy)


def confidence_statement(result: Result) -> str:
    """One sentence on how far to trust the result, joining its confidence and the evidence (no percentage)."""
    return result.recommendation.confidence.statement


def decisive_unknowns(result: Result) -> list[str]:
    """One plain sentence per open question to answer first (those that could settle the result), then one line
    naming the others that would only narrow it."""
    rec = result.recommendation
    out = [d.description for d in rec.answer_first]
    if rec.also_open:
        out.append("Also still open: " + ", ".join(d.label.lower() for d in rec.also_open) + ".")
    return out
