"""The question bank: its pydantic models, and loading `questions.yaml` with clear errors."""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import BankError, describe_validation_error
from .safeio import MAX_BANK_BYTES, decode_utf8, load_yaml, read_limited
from .sources import SOURCE_NAMES
from .vocabulary import DIMENSION_IDS, GROUPS, Mode

# questions.yaml stays at the top of the checkout, where it is edited; building the package copies it to
# assessment/data/questions.yaml (setup.py). The installed package reads that copy, a checkout the file itself.
_PACKAGED_BANK = Path(__file__).resolve().parent / "data" / "questions.yaml"
DEFAULT_BANK_PATH = _PACKAGED_BANK if _PACKAGED_BANK.is_file() else _PACKAGED_BANK.parents[2] / "questions.yaml"
PLACEHOLDER = "{innovation}"
MIN_ITEMS_PER_DIMENSION = 3
MAX_ITEMS_PER_DIMENSION = 6
MIN_ITEMS = 55
MAX_ITEMS = 75
MAX_CORE_PER_DIMENSION = 3  # the quick scan asks the core items; at least one per dimension must be scored
_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    source: str
    locator: str = Field(min_length=1)

    @field_validator("source")
    @classmethod
    def _known_source(cls, v: str) -> str:
        if v not in SOURCE_NAMES:
            raise ValueError(f"unknown source '{v}' (known: {', '.join(SOURCE_NAMES)})")
        return v

    def __str__(self) -> str:
        return f"{self.source}, {self.locator}"


class Scale(Strict):
    label: str
    anchors: dict[int, str]

    @field_validator("anchors")
    @classmethod
    def _five_levels(cls, v: dict[int, str]) -> dict[int, str]:
        if sorted(v) != [1, 2, 3, 4, 5]:
            raise ValueError("a scale needs one anchor for each level 1 to 5")
        return v


class Dimension(Strict):
    id: str
    group: Literal["ingredients", "affordances", "conditions"]
    label: str
    short_label: str = Field(max_length=22)
    description: str
    higher_is: Literal["better", "worse"] = "better"
    citation: Citation

    @field_validator("id")
    @classmethod
    def _known_dimension(cls, v: str) -> str:
        if v not in DIMENSION_IDS:
            raise ValueError(f"unknown dimension '{v}'")
        return v

    @model_validator(mode="after")
    def _group_matches(self) -> Dimension:
        if self.id not in GROUPS[self.group]:
            raise ValueError(f"dimension '{self.id}' does not belong to group '{self.group}'")
        return self


class Item(Strict):
    id: str
    dimension: str
    text: str = Field(min_length=10)
    help: str | None = None
    scale: str = "agreement"
    reverse: bool = False
    core: bool = False
    # Asked and shown, but not averaged into its dimension's score: the rules read it as a signal for the
    # second step of two-step work (e.g. money committed to the innovation itself, which step one avoids).
    step_two_signal: bool = False
    citation: Citation

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"item id '{v}' must be snake_case letters, digits and underscores")
        return v

    @field_validator("dimension")
    @classmethod
    def _known_dimension(cls, v: str) -> str:
        if v not in DIMENSION_IDS:
            raise ValueError(f"unknown dimension '{v}'")
        return v

    @field_validator("text", "help")
    @classmethod
    def _only_known_placeholder(cls, v: str | None) -> str | None:
        if v is not None and re.sub(re.escape(PLACEHOLDER), "", v).count("{"):
            raise ValueError(f"only the placeholder {PLACEHOLDER} may use braces")
        return v

    def render(self, innovation: str) -> str:
        """The statement with the innovation's title in it; without a title, "this innovation" (capitalised when
        it opens the sentence). A title keeps its own spelling ("eHealth record")."""
        title = innovation.strip()
        text = self.text.replace(PLACEHOLDER, title or "this innovation")
        if not title and self.text.startswith(PLACEHOLDER):
            text = text[:1].upper() + text[1:]
        return text


class QuestionBank(Strict):
    schema_version: Literal[1]
    bank_version: str
    scales: dict[str, Scale]
    dimensions: list[Dimension]
    items: list[Item]
    # item id an earlier version asked -> why it went; answers to it are set aside when a file is loaded
    retired_items: dict[str, str] = {}
    # old item id -> new id, the statement unchanged; answers under the old id are read as the new one
    renamed_items: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> QuestionBank:
        problems: list[str] = []
        live = {i.id for i in self.items}
        problems += [f"retired item '{r}' is still in the bank" for r in self.retired_items if r in live]
        problems += [
            f"renamed item '{old}' -> '{new}': the old id is still in the bank or the new one is not"
            for old, new in self.renamed_items.items()
            if old in live or new not in live
        ]
        dim_ids = [d.id for d in self.dimensions]
        for dup, n in Counter(dim_ids).items():
            if n > 1:
                problems.append(f"dimension '{dup}' is defined {n} times")
        for missing in sorted(set(DIMENSION_IDS) - set(dim_ids)):
            problems.append(f"dimension '{missing}' is missing")
        for dup, n in Counter(i.id for i in self.items).items():
            if n > 1:
                problems.append(f"item id '{dup}' is used {n} times")
        for item in self.items:
            if item.scale not in self.scales:
                problems.append(f"item '{item.id}': unknown scale '{item.scale}'")
        per_dim = Counter(i.dimension for i in self.items)
        core_per_dim = Counter(i.dimension for i in self.items if i.core)
        scored_core_per_dim = Counter(i.dimension for i in self.items if i.core and not i.step_two_signal)
        for dim in DIMENSION_IDS:
            n = per_dim.get(dim, 0)
            if not MIN_ITEMS_PER_DIMENSION <= n <= MAX_ITEMS_PER_DIMENSION:
                problems.append(
                    f"dimension '{dim}' has {n} items; it needs {MIN_ITEMS_PER_DIMENSION} to {MAX_ITEMS_PER_DIMENSION}"
                )
            c = core_per_dim.get(dim, 0)
            if not 1 <= c <= MAX_CORE_PER_DIMENSION:
                problems.append(f"dimension '{dim}' has {c} core items; it needs 1 to {MAX_CORE_PER_DIMENSION}")
            elif not scored_core_per_dim.get(dim, 0):
                problems.append(
                    f"dimension '{dim}' has no scored core item (a step-two signal is not scored), "
                    "so a quick scan could not score it"
                )
        if not MIN_ITEMS <= len(self.items) <= MAX_ITEMS:
            problems.append(f"the bank has {len(self.items)} items; it needs {MIN_ITEMS} to {MAX_ITEMS}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # ----- lookups (computed once; the model is frozen) -----
    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def items_by_dimension(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {d: [] for d in DIMENSION_IDS}
        for item in self.items:
            out[item.dimension].append(item)
        return out

    @cached_property
    def explanation_labels(self) -> dict[str, str]:
        """Dimension id -> label and item id -> "Statement: text", as explanations name the inputs of a rule for
        people. The id stays in the explanation's own field (`DrivingInput.key`), never in the words."""
        out = {d.id: d.label for d in self.dimensions}
        out.update({i.id: f"Statement: {i.render('the innovation')}" for i in self.items})
        return out

    @cached_property
    def item_dimensions(self) -> dict[str, str]:
        return {i.id: i.dimension for i in self.items}

    @cached_property
    def reverse_items(self) -> frozenset[str]:
        """Negatively worded items (their ratings are flipped when scored)."""
        return frozenset(i.id for i in self.items if i.reverse)

    def items_for(self, mode: Mode) -> list[Item]:
        """The items asked in a quick scan (core only) or a full assessment, in bank order."""
        return [i for i in self.items if mode == "full" or i.core]


def parse_bank(raw: object) -> QuestionBank:
    """Validate an already-parsed YAML document as a question bank."""
    if not isinstance(raw, dict):
        raise BankError("the question bank must be a YAML mapping at the top level")
    try:
        return QuestionBank.model_validate(raw)
    except ValidationError as err:
        problems = describe_validation_error(err, raw)
        raise BankError(f"invalid question bank ({len(problems)} problem(s))", problems) from None


def load_bank(path: str | Path | None = None) -> QuestionBank:
    """Load and validate a question bank file; raise BankError with specific messages."""
    p = Path(path) if path is not None else DEFAULT_BANK_PATH
    data = read_limited(p, MAX_BANK_BYTES, "question bank", BankError)
    raw = load_yaml(decode_utf8(data, f"question bank {p.name}", BankError), p.name, BankError)
    return parse_bank(raw)


@lru_cache(maxsize=4)
def default_bank() -> QuestionBank:
    return load_bank(DEFAULT_BANK_PATH)
