"""One call from answers (or a profile of dimension scores) to an explained, cited result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, ValidationError, field_validator

from .answers import AnswerSet, Context
from .bank import QuestionBank, default_bank
from .errors import AnswersError, describe_validation_error
from .item_sensitivity import item_changes
from .results import Result
from .rules import Inputs, answer_pattern, facts_from, inputs_from, load_rulebook, recommend
from .rules import decide as decide_outcome
from .scoring import mode_plan, readiness_index, score_dimensions, scores_from_profile, tally_plan, usable_means
from .vocabulary import DIMENSION_IDS, SCORE_MAX, SCORE_MIN


def labels_for(bank: QuestionBank) -> dict[str, str]:
    return bank.explanation_labels


def given_context(context: Context) -> dict[str, object]:
    """The context as the rules and the result read it: a radicalness nobody gave is None (unknown), not the
    model's default, so that no sentence asserts it and the engine tries it both ways."""
    ctx = context.model_dump()
    if "radicalness" not in context.model_fields_set:
        ctx["radicalness"] = None
    return ctx


def assess(answer_set: AnswerSet, bank: QuestionBank | None = None, with_sensitivity: bool = True) -> Result:
    """Score an answer set and recommend a strategy, with the reasons."""
    bank = bank or default_bank()
    ratings = answer_set.ratings()
    scores = score_dimensions(bank, ratings, bank.items_for(answer_set.mode))
    ctx = given_context(answer_set.context)
    env = inputs_from(scores, ratings, ctx, bank.item_dimensions, bank.reverse_items)
    rec = recommend(env, labels_for(bank), load_rulebook(), with_sensitivity)
    asked = bank.items_for(answer_set.mode)
    changes = (
        item_changes(bank, ratings, asked, ctx, rec.strategy, answer_set.context.innovation_label)
        if with_sensitivity
        else []
    )
    return Result(
        bank_version=bank.bank_version,
        mode=answer_set.mode,
        context=ctx,
        scores=scores,
        readiness=readiness_index(scores, answer_set.context.stage),
        recommendation=rec,
        item_changes=changes,
    )


@dataclass(frozen=True)
class Decision:
    """The bare decision, without the explanation objects: for bulk use (simulation, benchmarks)."""

    scores: dict[str, float | None]
    strategy: str  # a strategy, or "insufficient_evidence"
    rule_id: str | None
    warnings: tuple[str, ...]


def decide(answer_set: AnswerSet, bank: QuestionBank) -> Decision:
    """Score and choose the outcome with its warnings; `assess` adds reasons, confidence and sensitivity.
    The same rules and the same cautious handling of missing answers as `assess` (a property test holds them
    together)."""
    ratings = answer_set.ratings()
    means = usable_means(tally_plan(mode_plan(bank, answer_set.mode), ratings))
    env = Inputs(
        scores=means,
        items={k: v for k, v in ratings.items() if v.__class__ is int},
        # the context's field values as they are (no model_dump on the hot path): facts_from reads four of them
        facts=facts_from(
            {**vars(answer_set.context), "radicalness": _given_radicalness(answer_set.context)},
            answer_pattern(ratings, bank.reverse_items),
        ),
    )
    book = load_rulebook()
    decided = decide_outcome(book, env)
    env = env.with_fact("strategy", decided.outcome)
    warnings = tuple(w.id for w, test in book.compiled_warning_rules if test(env) is True)
    return Decision(
        scores=means, strategy=decided.outcome, rule_id=decided.rule.id if decided.rule else None, warnings=warnings
    )


def _given_radicalness(context: Context) -> str | None:
    return context.radicalness if "radicalness" in context.model_fields_set else None


class Profile(BaseModel):
    """Dimension scores given directly, as read by `python -m assessment recommend`."""

    model_config = ConfigDict(extra="forbid")
    scores: dict[str, StrictFloat]  # a JSON number; true and "3" are refused
    context: Context = Field(default_factory=Context)

    @field_validator("scores")
    @classmethod
    def _valid_scores(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(DIMENSION_IDS))
        if unknown:
            raise ValueError(f"unknown dimension id(s): {', '.join(unknown)}")
        bad = {k: x for k, x in v.items() if not SCORE_MIN <= x <= SCORE_MAX}
        if bad:
            shown = ", ".join(f"{k}={x}" for k, x in bad.items())
            raise ValueError(f"scores must be between {SCORE_MIN:g} and {SCORE_MAX:g}: {shown}")
        return v


def parse_profile(raw: Any) -> Profile:
    if not isinstance(raw, Mapping):
        raise AnswersError("a profile must be a JSON object with 'scores' and 'context'")
    try:
        return Profile.model_validate(raw)
    except ValidationError as err:
        problems = describe_validation_error(err, raw)
        raise AnswersError(f"invalid profile: {problems[0]}", problems) from None


def assess_profile(profile: Profile, bank: QuestionBank | None = None) -> Result:
    bank = bank or default_bank()
    scores = scores_from_profile(bank, profile.scores)
    ctx = given_context(profile.context)
    env = inputs_from(scores, {}, ctx)
    return Result(
        bank_version=bank.bank_version,
        mode="profile",
        context=ctx,
        scores=scores,
        readiness=readiness_index(scores, profile.context.stage),
        recommendation=recommend(env, labels_for(bank), load_rulebook()),
    )


__all__ = ["Decision", "Inputs", "Profile", "assess", "assess_profile", "decide", "labels_for", "parse_profile"]
