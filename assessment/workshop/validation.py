"""Checking what people type into a workshop: text, roles, titles and agreed scores."""

from __future__ import annotations

import math
from typing import cast

import numpy as np

from ..answers import MAX_COMMENT, MAX_NAME, MAX_TEXT, Context
from ..disclosure.policy import HIGHEST_MIN_GROUP, LOWEST_MIN_GROUP
from ..vocabulary import (
    DIMENSION_IDS,
    MIN_COVERAGE,
    ROLE_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    Role,
)
from .errors import InvalidInput, TextTooLong
from .models import ConsensusScore

# ----- text ----------------------------------------------------------------------------------------------


# Invisible format characters that belong in real text: zero-width non-joiner and joiner (Persian and other
# scripts; emoji sequences such as the health worker), the left-to-right, right-to-left and Arabic letter marks.
# Emoji tag characters (U+E0020-U+E007F, subdivision flags) are kept too. Everything else that is not printable
# is dropped: C0 and C1 control characters (except newline and tab), and the bidirectional embedding, override
# and isolate controls (U+202A-U+202E, U+2066-U+2069), which can make text display differently from what is
# stored. This is the cleaning of `answers._clean_text`, which drops the joiners as well, widened so that emoji
# and right-to-left text are stored and read back exactly.
_KEEP_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def _keep(ch: str) -> bool:
    return ch.isprintable() or ch in "\n\t" or ch in _KEEP_FORMAT or "\U000e0020" <= ch <= "\U000e007f"


def clean_text(value: str | None, what: str, limit: int) -> str:
    """Drop control characters and enforce a length limit with a clear message.

    The text is otherwise kept exactly as given (HTML, Markdown, right-to-left scripts, emoji): the UI
    escapes it when showing it. Leading and trailing white space is removed, as for saved answers.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.")
    cleaned = "".join(ch for ch in value if _keep(ch)).strip()
    if len(cleaned) > limit:
        raise TextTooLong(
            f"The {what} is too long: {len(cleaned):,} characters, and the limit is {limit:,}. "
            "Please shorten it and save again."
        )
    return cleaned


MAX_EXPECTED_SIZE = 1000


def check_group_sizes(min_group_size: object, expected_size: object) -> tuple[int, int | None]:
    """The anonymity threshold k (2-20) and the expected group size (k-1000, or None for no cap)."""
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int):
        raise InvalidInput("The minimum group size must be a whole number.")
    if not LOWEST_MIN_GROUP <= min_group_size <= HIGHEST_MIN_GROUP:
        raise InvalidInput(
            f"The minimum group size must be from {LOWEST_MIN_GROUP} to {HIGHEST_MIN_GROUP}: below "
            f"{LOWEST_MIN_GROUP} a figure could show one person's answers."
        )
    if expected_size is None:
        return min_group_size, None
    if isinstance(expected_size, bool) or not isinstance(expected_size, int):
        raise InvalidInput("The expected number of participants must be a whole number.")
    if not min_group_size <= expected_size <= MAX_EXPECTED_SIZE:
        raise InvalidInput(
            f"The expected number of participants must be from {min_group_size} (the minimum group size, or "
            f"no results could ever be shown) to {MAX_EXPECTED_SIZE:,}."
        )
    return min_group_size, expected_size


def submission_minimum(asked: int) -> int:
    """Answers a submission needs: at least half of the statements asked (the coverage rule, MIN_COVERAGE, that
    a dimension score needs too); "don't know" counts as an answer."""
    return math.ceil(MIN_COVERAGE * asked)


def check_role(role: str) -> Role:
    if role not in ROLE_LABELS:
        raise InvalidInput(f"Unknown role '{str(role)[:40]}'. Choose one of: {', '.join(ROLE_LABELS.values())}.")
    return cast(Role, role)


def innovation_context(context: Context | None) -> Context:
    """The workshop's shared context: what is assessed, without any respondent's personal fields."""
    ctx = context or Context()
    return ctx.model_copy(
        update={
            "respondent_role": "other",
            "respondent_name": "",
            "department": "",
            "political_work_first": None,
            "step_one_evidence": None,
        }
    )


def check_workshop_fields(title: str, context: Context | None) -> tuple[str, Context]:
    """Validate a new workshop's title and context (lengths re-checked after cleaning)."""
    clean_title = clean_text(title, "workshop title", MAX_NAME)
    if not clean_title:
        raise InvalidInput("Give the workshop a title, so participants know they joined the right one.")
    ctx = innovation_context(context)
    for fld, label, limit in (
        ("innovation_title", "innovation title", MAX_NAME),
        ("innovation_description", "innovation description", MAX_TEXT),
        ("organisation_name", "organisation name", MAX_NAME),
    ):
        clean_text(getattr(ctx, fld), label, limit)
    return clean_title, ctx


def check_consensus(dimension: str, score: float, note: str = "") -> ConsensusScore:
    """Validate a consensus score with messages for people (dimension known, 1-5, note length)."""
    if dimension not in DIMENSION_IDS:
        raise InvalidInput(f"Unknown dimension '{str(dimension)[:40]}'.")
    if isinstance(score, bool) or not isinstance(score, int | float) or not np.isfinite(score):
        raise InvalidInput("An agreed score must be a number from 1 to 5.")
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise InvalidInput(f"An agreed score must be from {SCORE_MIN:g} to {SCORE_MAX:g}; {score:g} is outside.")
    return ConsensusScore(dimension=dimension, score=round(float(score), 2), note=clean_text(note, "note", MAX_COMMENT))
