"""Open questions, in words: for each unanswered dimension whose answer could change the result, what each
range of answers would give ("Early adopters: below 2.5 would give holding back; ...")."""

from __future__ import annotations

from collections.abc import Mapping

from ..results import BandAnswer, DecisiveUnknown
from ..vocabulary import INSUFFICIENT, Outcome
from .grammar import FACT_LABELS, FACT_VALUE_WORDS, Inputs
from .outcome import BandOutcome, decisive, outcome_of
from .table import RuleBook


def lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def outcome_words(outcome: Outcome | str) -> str:
    if outcome == INSUFFICIENT:
        return "that there are not enough answers to recommend a strategy"
    return {
        "hold_back": "holding back",
        "centralized_project": "a centralized project",
        "two_step": "two-step institutional work",
    }[outcome]


def join_words(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def range_text(low: float, high: float | None, first: bool) -> str:
    """A range of scores between cut points in words: 'below 2.5', '2.5 to 3.49', '3.5 or higher'."""
    if first and high is None:
        return "any answer"
    if first:
        return f"below {high:g}"
    if high is None:
        return f"{low:g} or higher"
    return f"{low:g} to {high - 0.01:.2f}"


def label_of(key: str, labels: Mapping[str, str]) -> str:
    """A dimension's label, or a fact's plain label (never a raw id)."""
    return FACT_LABELS.get(key) or labels.get(key, key)


def band_text(b: BandOutcome) -> str:
    if b.low is None:
        return f"“{FACT_VALUE_WORDS.get(b.value, str(b.value))}”"
    return range_text(b.low, b.high, b.band == 0)


def _runs(bands: list[BandOutcome]) -> list[tuple[str, Outcome | None]]:
    """Adjacent bands with the same settled outcome merged (None: still depends on other open questions)."""
    runs: list[tuple[BandOutcome, BandOutcome, Outcome | None]] = []
    for b in bands:
        settled = outcome_of(b.possible) if len(b.possible) == 1 else None
        if runs and runs[-1][2] == settled and b.low is not None:
            runs[-1] = (runs[-1][0], b, settled)
        else:
            runs.append((b, b, settled))
    out = [
        (band_text(first) if first.low is None else range_text(first.low, last.high, first.band == 0), settled)
        for first, last, settled in runs
    ]
    return sorted(reversed(out), key=lambda r: r[1] is None)  # ranges that settle the result first


def decisive_details(book: RuleBook, env: Inputs, labels: Mapping[str, str]) -> list[DecisiveUnknown]:
    out: list[DecisiveUnknown] = []
    for dim, bands in decisive(book, env):
        answers = [
            BandAnswer(
                low=b.low,
                high=b.high,
                range=band_text(b),
                outcome=outcome_of(b.possible) if len(b.possible) == 1 else None,
            )
            for b in bands
        ]
        parts = [
            f"{text} would give {outcome_words(settled)}"
            if settled
            else f"{text} would still depend on other open questions"
            for text, settled in _runs(bands)
        ]
        label = label_of(dim, labels)
        out.append(
            DecisiveUnknown(
                dimension=dim,
                kind="fact" if dim in FACT_LABELS else "score",
                label=label,
                bands=answers,
                description=f"{label}: " + "; ".join(parts) + ".",
            )
        )
    return out
