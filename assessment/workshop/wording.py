"""What the dashboard and report say about the findings, as pure functions of the summary's parts.

A finding never claims from missing data: when its inputs are missing or held back by the disclosure gate it says
what it needs instead, and a role whose own answers give no recommendation is never counted as differing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from ..vocabulary import INGREDIENTS
from .models import (
    MIN_ROLE_GROUP,
    PERCEPTION_GAP_POINTS,
    Agreement,
    DimensionAggregate,
    PerceptionGap,
    RoleGroupResult,
)

Kind = Literal["flagged", "clear", "missing"]
NO_RECOMMENDATION = ("insufficient_evidence",)


def _names(labels: Sequence[str]) -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def gap_needs(k: int) -> str:
    return (
        f"at least {k} executives or managers and {k} clinicians (doctors, nurses, allied health professionals) "
        "with usable scores, in groups the anonymity rules allow to be shown"
    )


def perception_gap_finding(gaps: Sequence[PerceptionGap], k: int) -> tuple[Kind, list[str], str]:
    """(kind, the finding's sentences, what the dimensions not compared need). The kind is 'flagged' (one sentence
    per flagged gap), 'clear' (a sentence over the dimensions actually compared) or 'missing' (nothing compared:
    no finding, only what is needed)."""
    flagged = [g.explanation for g in gaps if g.flagged]
    compared = [g for g in gaps if g.gap is not None]
    missing = [g for g in gaps if g.gap is None]
    needs = (
        f"{_names([g.label for g in missing])}: not compared yet; "
        f"{'it needs' if len(missing) == 1 else 'they need'} {gap_needs(k)}."
        if missing
        else ""
    )
    if flagged:
        return "flagged", flagged, needs
    if compared:
        return (
            "clear",
            [
                f"No perception gap on {_names([g.label.lower() for g in compared])}: executives and managers do not "
                f"rate {'it' if len(compared) == 1 else 'them'} {PERCEPTION_GAP_POINTS:.1f} points or more above "
                "clinicians."
            ],
            needs,
        )
    return "missing", [], needs


def has_recommendation(g: RoleGroupResult) -> bool:
    """A role with enough respondents whose own answers decide a strategy."""
    return g.enough and g.strategy is not None and g.strategy not in NO_RECOMMENDATION


def role_verdict(g: RoleGroupResult) -> tuple[str, str]:
    """(their own recommendation, compared with the group) for one row of the role table."""
    if not g.enough:
        return "–", f"too few respondents for a recommendation of their own ({MIN_ROLE_GROUP} needed)"
    if not has_recommendation(g):
        return "no recommendation", "not compared: their answers alone give no recommendation"
    return g.strategy_label or "–", "differs from the group" if g.differs_from_group else "same as the group"


def role_finding(roles: Sequence[RoleGroupResult], group_strategy: str) -> tuple[Kind, str]:
    """Whether the roles point the same way as the group; roles without a recommendation are never counted as
    differing, and are named as giving none."""
    judged = [g for g in roles if has_recommendation(g)]
    differ = [g for g in judged if g.differs_from_group]
    undecided = [g for g in roles if g.enough and not has_recommendation(g)]
    none_note = (
        f" {_names([g.label for g in undecided])} respondents' answers alone give no recommendation (too few usable "
        "answers), so they are not compared."
        if undecided
        else ""
    )
    if differ:
        parts = [f"{g.label} respondents' answers alone point to {g.strategy_label}" for g in differ]
        return "flagged", (
            f"Finding: the roles do not point the same way. The group's answers recommend {group_strategy}, but "
            + "; ".join(parts)
            + ". Discuss why before settling on a strategy."
            + none_note
        )
    if judged:
        return "clear", (
            f"Finding: every role with a recommendation of its own ({_names([g.label for g in judged])}) points to "
            f"the same strategy as the group: {group_strategy}." + none_note
        )
    return "missing", (
        f"No role can be compared with the group yet: a role needs at least {MIN_ROLE_GROUP} respondents whose "
        "answers alone give a recommendation." + none_note
    )


# ----- the group board and slide: disagreement a board must see ---------------------------------------------

# The summary's agreement bands, read in the board's three words (strong counts very strong; "none" is below weak).
BOARD_BANDS: dict[str, tuple[Agreement, ...]] = {
    "weak": ("weak", "none"),
    "moderate": ("moderate",),
    "strong": ("strong", "very_strong"),
}


def ingredient_agreement(dimensions: Mapping[str, DimensionAggregate]) -> dict[str, Agreement]:
    """Each ingredient's agreement band as the summary carries it (never re-derived from r_wg here)."""
    return {d: dimensions[d].agreement for d in INGREDIENTS if d in dimensions}


def agreement_line(dimensions: Mapping[str, DimensionAggregate]) -> str:
    """One sentence on how far the group agreed on the eight ingredients, weakest first, e.g. "Agreement was weak
    on 5 of 8 ingredients, moderate on 2 and strong on 1." Never more agreement than the bands say."""
    bands = [dimensions[d].agreement for d in INGREDIENTS if d in dimensions]
    total = len(INGREDIENTS)
    parts = []
    for word, members in BOARD_BANDS.items():
        count = sum(b in members for b in bands)
        if count:
            absent = word == "weak" and "none" in bands
            parts.append((("weak or absent" if absent else word), count))
    unknown = sum(b == "unknown" for b in bands) + total - len(bands)
    if not parts:
        return f"Too few answers to judge agreement on any of the {total} ingredients."
    words = [f"{w} on {n}" + (f" of {total} ingredients" if i == 0 else "") for i, (w, n) in enumerate(parts)]
    line = "Agreement was " + (", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0])
    if unknown:
        line += f"; too few answers to judge {unknown}"
    return line + "."


def role_board_message(roles: Sequence[RoleGroupResult], strategy: str) -> str | None:
    """One key message naming every role whose own answers give another recommendation than the board's
    `strategy` (the group's final outcome), or none; None when every role with a recommendation of its own agrees.
    Only roles the summary gives a recommendation of their own (`enough`) are named: a role too small to be shown
    is never described."""
    parts = []
    for g in roles:
        if not g.enough:
            continue
        if not has_recommendation(g):
            parts.append(f"{g.label} respondents' own answers give no recommendation")
        elif g.strategy != strategy:
            parts.append(f"{g.label} respondents' own answers point to {(g.strategy_label or '').lower()}")
    if not parts:
        return None
    return ". ".join(parts) + "."
