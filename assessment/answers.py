"""Answers and context: the pydantic models of a saved assessment, and reading them from files."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from . import vocabulary
from .bank import QuestionBank
from .errors import AnswersError, describe_validation_error
from .safeio import MAX_UPLOAD_BYTES, check_nesting, loads_json, read_limited
from .vocabulary import PlanAnswer, Radicalness, Role, Stage, migrate_plan_answer

ANSWERS_FORMAT: Final = "innovation-readiness-answers"
# Version 2: plan answers are "yes" / "no" / "not_sure". Version 1 files (plan answers true / false, and a
# `plan_unsure` list of the facts answered "not sure") still load: `Context` migrates them.
ANSWERS_SCHEMA_VERSION: Final = 2
READABLE_SCHEMA_VERSIONS: Final = (1, 2)
MAX_NAME = 200
MAX_TEXT = 2000
MAX_COMMENT = 1000
MAX_FILE_BYTES = MAX_UPLOAD_BYTES

OrganisationType = Literal[
    "acute_trust",
    "community_or_mental_health",
    "primary_care",
    "integrated_care_system",
    "private_provider",
    "social_care",
    "other",
]
ORGANISATION_TYPE_LABELS: dict[str, str] = {
    "acute_trust": "Acute hospital or trust",
    "community_or_mental_health": "Community or mental health provider",
    "primary_care": "Primary care",
    "integrated_care_system": "Integrated care system or commissioner",
    "private_provider": "Private provider",
    "social_care": "Social care",
    "other": "Other",
}

PlanFact = vocabulary.PlanFact
PLAN_FACTS = vocabulary.PLAN_FACTS

DontKnow = Literal["dont_know"]
DONT_KNOW: DontKnow = "dont_know"
# Strict: a rating is a JSON integer; true, 3.0 and "3" are refused here, as the workshop store refuses them.
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


T = TypeVar("T")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # Cc except \t \n, and Cs


def _clean_text(v: str | None) -> str | None:
    """Drop control characters (except newlines and tabs) and lone surrogates; keep everything else,
    including right-to-left marks and the joiners that emoji sequences and some scripts need."""
    if not v:
        return v
    return _CONTROL.sub("", v).strip()


# What the models did while validating, per thread, for the one-pass reading of a file (`parse_one_pass` reads the
# counts as differences around its one call): the defaults `ItemAnswer` made for keys a file left out (a dataclass
# keeps no record of the fields it was given), and the older shapes `Context` rewrote (keys it removed or added).
_marks = threading.local()


def _counted_default(default: T) -> T:
    _marks.defaults = getattr(_marks, "defaults", 0) + 1
    return default


def _count_rewrite() -> None:
    _marks.rewrites = getattr(_marks, "rewrites", 0) + 1


def validation_marks() -> tuple[int, int]:
    """(defaults `ItemAnswer` made, older shapes `Context` rewrote) in this thread, so far."""
    return getattr(_marks, "defaults", 0), getattr(_marks, "rewrites", 0)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Context(Strict):
    """What is being assessed and by whom. Not scored; some fields drive rules and caveats."""

    innovation_title: str = Field(default="", max_length=MAX_NAME)
    innovation_description: str = Field(default="", max_length=MAX_TEXT)
    organisation_name: str = Field(default="", max_length=MAX_NAME)
    organisation_type: OrganisationType = "acute_trust"
    # Unset means incremental: the reading that never leads to the boldest strategy (a missing answer never
    # makes the advice bolder). The forms ask for it explicitly.
    radicalness: Radicalness = "incremental"
    stage: Stage = "adoption"
    respondent_role: Role = "executive"
    respondent_name: str = Field(default="", max_length=MAX_NAME)
    department: str = Field(default="", max_length=MAX_NAME)
    # The plan questions (None = not answered yet; `vocabulary.plan_reading` says how the rules read them).
    political_work_first: PlanAnswer | None = None
    step_one_evidence: PlanAnswer | None = None

    @model_validator(mode="before")
    @classmethod
    def _older_plan_shapes(cls, data: Any) -> Any:
        """Schema version 1 held a plan answer as true / false / null, with the facts answered "not sure" listed
        in `plan_unsure` (their value then null). Read into today's one shape; a new file never has them."""
        if not isinstance(data, dict) or (
            "plan_unsure" not in data and not any(isinstance(data.get(f), bool) for f in PLAN_FACTS)
        ):
            return data
        _count_rewrite()  # keys removed and added: the one pass cannot count this file's pairs (parse_one_pass)
        data = dict(data)
        unsure = data.pop("plan_unsure", None) or []
        if not isinstance(unsure, list) or any(f not in PLAN_FACTS for f in unsure):
            raise ValueError(f"plan_unsure may only list the plan questions {', '.join(PLAN_FACTS)}")
        for fact in PLAN_FACTS:
            if fact in unsure:
                data[fact] = "not_sure"
            elif fact in data:
                data[fact] = migrate_plan_answer(data[fact])
        return data

    @field_validator("innovation_title", "innovation_description", "organisation_name", "respondent_name", "department")
    @classmethod
    def _clean(cls, v: str) -> str:
        return _clean_text(v) or ""

    def plan_answer(self, fact: str) -> PlanAnswer | None:
        """The answer to one plan question by its id (None: not answered)."""
        if fact not in PLAN_FACTS:
            raise KeyError(fact)
        answer: PlanAnswer | None = getattr(self, fact)
        return answer

    @property
    def innovation_label(self) -> str:
        return self.innovation_title or "this innovation"


@dataclass(config=ConfigDict(extra="forbid"), slots=True)
class ItemAnswer:
    """One statement's answer and comment. A slotted pydantic dataclass, validated as a model is: a workshop of
    300 holds 22,500 of them, each kept in 57 bytes instead of a `BaseModel`'s 488, and one read back from the
    store (`stored`) is made in about a sixteenth of the CPU of `BaseModel.model_construct` (bench/bench_engine.py)."""

    # A default is made by a factory that counts it (`validation_marks`): a dataclass keeps no record of the
    # fields it was given, and the one-pass reading of a file needs to know how many keys each answer held.
    value: Rating | DontKnow | None = Field(default_factory=lambda: _counted_default(None))
    comment: str = Field(default_factory=lambda: _counted_default(""), max_length=MAX_COMMENT)

    @field_validator("comment")
    @classmethod
    def _clean(cls, v: str) -> str:
        return _clean_text(v) or ""

    @classmethod
    def stored(cls, value: int | DontKnow | None, comment: str) -> ItemAnswer:
        """An answer read back from the store, where it was validated when saved: made without validating or
        cleaning again, so that its text reads back exactly as stored."""
        answer = object.__new__(cls)
        answer.value = value
        answer.comment = comment
        return answer

    @property
    def rating(self) -> int | None:
        return self.value if isinstance(self.value, int) else None


class AnswerSet(Strict):
    """One respondent's answers, as saved to and resumed from a JSON file."""

    format: Literal["innovation-readiness-answers"] = ANSWERS_FORMAT
    schema_version: Literal[1, 2] = ANSWERS_SCHEMA_VERSION
    bank_version: str
    mode: vocabulary.Mode = "full"
    context: Context = Field(default_factory=Context)
    answers: dict[str, ItemAnswer] = Field(default_factory=dict)
    saved_at: datetime | None = None
    # Where the respondent was in the questionnaire when saving (a section id of the app); not scored.
    section: str | None = Field(default=None, max_length=64)

    @field_validator("schema_version", mode="before")
    @classmethod
    def _not_a_truth_value(cls, v: object) -> object:
        if isinstance(v, bool):  # JSON true would pass as the version 1
            raise ValueError("the schema version must be a number")
        return v

    @field_validator("schema_version")
    @classmethod
    def _current(cls, v: int) -> int:
        return ANSWERS_SCHEMA_VERSION  # a version 1 file is read into today's shape (see Context), and saved so

    def ratings(self) -> dict[str, int | str]:
        """item id -> 1..5 or 'dont_know', for the answered items only."""
        return {k: a.value for k, a in self.answers.items() if a.value is not None}

    def to_json(self) -> str:
        stamped = self.model_copy(update={"saved_at": datetime.now(UTC)})
        return stamped.model_dump_json(indent=2)


def check_against_bank(answer_set: AnswerSet, bank: QuestionBank) -> AnswerSet:
    """Reject answers to items this bank does not have (a file from another version). Answers to items the bank
    has retired (`retired_items`) are set aside and answers under an old id (`renamed_items`) are read under the
    new one, so that older files still load."""
    if answer_set.answers.keys() <= bank.item_by_id.keys():  # the usual case, without building two sets
        return answer_set
    retired = answer_set.answers.keys() & set(bank.retired_items)
    renamed = answer_set.answers.keys() & set(bank.renamed_items)
    if retired or renamed:
        kept = {bank.renamed_items.get(k, k): v for k, v in answer_set.answers.items() if k not in retired}
        answer_set = answer_set.model_copy(update={"answers": kept})
    unknown = sorted(answer_set.answers.keys() - bank.item_by_id.keys())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise AnswersError(
            f"this file was saved with question bank {answer_set.bank_version} and answers "
            f"{len(unknown)} item(s) this version ({bank.bank_version}) does not have: {shown}"
        )
    return answer_set


_JSON_SPACE = b" \t\n\r"  # the whitespace JSON allows between tokens


def _pairs_at_least(data: bytes) -> int:
    """At least as many as the key-value pairs of a valid JSON text, and exactly as many in a usual file.

    With JSON's whitespace deleted, every pair's key ends with a quote right before its colon; text inside a
    string can only add to the count (an escaped quote before a colon, or one that a deleted space separated from
    a colon). Two C passes over the bytes: cheaper than finding the spaced colons with a regular expression."""
    return data.translate(None, _JSON_SPACE).count(b'":')


def _keys_in(answer_set: AnswerSet, item_defaults: int) -> int:
    """How many keys the file held, by the fields each model was given (extra keys are refused): an answer's two
    fields less the `item_defaults` its answers were given by default."""
    return (
        len(answer_set.model_fields_set)
        + len(answer_set.context.model_fields_set)
        + len(answer_set.answers) * 3  # the item id and the answer's "value" and "comment"
        - item_defaults
    )


def parse_one_pass(data: bytes) -> AnswerSet | None:
    """The usual file in one pass from bytes (pydantic's JSON parser straight into the models), or None when it
    needs the careful reading of `parse_answers`: invalid in any way, no schema version, a version 1 file's list
    of plan answers to migrate, or a key given twice in one object (the JSON parser would keep the last one
    silently; the file then has more key-value pairs than keys reached the models, as `_pairs_at_least` counts
    them). NaN and Infinity are refused by every field of the models, as by the careful path."""
    defaults_before, rewrites_before = validation_marks()
    try:
        answer_set = AnswerSet.model_validate_json(data)
    except ValidationError:
        return None
    defaults_after, rewrites_after = validation_marks()
    item_defaults = defaults_after - defaults_before
    if "schema_version" not in answer_set.model_fields_set or rewrites_after != rewrites_before:
        return None  # the careful path says what is missing, or migrates a version 1 file's plan answers
    # at least one pair never reached a model: a duplicate key
    if _pairs_at_least(data) != _keys_in(answer_set, item_defaults):
        return None
    return answer_set


def parse_answers(data: bytes | str, bank: QuestionBank | None = None, name: str = "answers file") -> AnswerSet:
    """Parse a saved answers file; raise AnswersError with one clear reason if it is unusable.

    A valid file (bytes) is read in one pass (`parse_one_pass`); anything else takes the careful path below, which
    reads the JSON strictly (no duplicate keys, no NaN, bounded nesting) and says what is wrong."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise AnswersError(f"{name} is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if isinstance(data, bytes):
        fast = parse_one_pass(data)
        if fast is not None:
            return check_against_bank(fast, bank) if bank is not None else fast
    # Every container of an AnswerSet is typed, so a file that validates is shallow; the nesting is checked
    # only before an invalid file's errors are described (they quote and walk the raw value).
    raw = loads_json(data, name, AnswersError, check_depth=False)
    if not isinstance(raw, dict):
        raise AnswersError(f"{name} must hold a JSON object, not {type(raw).__name__}")
    if raw.get("format") not in (None, ANSWERS_FORMAT):
        check_nesting(raw, name, AnswersError)  # before a message quotes the value
        raise AnswersError(f"{name} is not an innovation-readiness answers file (format '{raw.get('format')}')")
    version = raw.get("schema_version")
    if version is None:
        raise AnswersError(f"{name} has no schema version, so it is not a saved answers file from this tool")
    if version not in READABLE_SCHEMA_VERSIONS or isinstance(version, bool):
        check_nesting(raw, name, AnswersError)
        raise AnswersError(
            f"{name} uses answers schema version {version}; this version of the tool reads "
            f"versions {READABLE_SCHEMA_VERSIONS[0]} to {READABLE_SCHEMA_VERSIONS[-1]}"
        )
    try:
        answer_set = AnswerSet.model_validate(raw)
    except ValidationError as err:
        check_nesting(raw, name, AnswersError)
        problems = describe_validation_error(err, raw)
        raise AnswersError(f"{name} has {len(problems)} invalid value(s): {problems[0]}", problems) from None
    return check_against_bank(answer_set, bank) if bank is not None else answer_set


def load_answers(path: str | Path, bank: QuestionBank | None = None) -> AnswerSet:
    p = Path(path)
    data = read_limited(p, MAX_FILE_BYTES, "answers file", AnswersError)
    return parse_answers(data, bank, name=p.name)
