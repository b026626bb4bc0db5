"""Errors the domain raises for bad input, with messages meant for people, not tracebacks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported for the annotation only: reading a file should not wait for pydantic to load
    from pydantic import ValidationError


def printable(text: str) -> str:
    """The text with control characters (newlines included) shown as escapes, so that a message quoting a hostile
    key or value stays on one line and cannot forge the next line of a log or a terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class AssessmentError(ValueError):
    """Base class: a problem with user-supplied or data-file input. Messages are kept to one line each."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        message = printable(message)
        self.problems = [printable(p) for p in problems] or [message]
        super().__init__(message)

    def one_line(self) -> str:
        if self.problems == [str(self)]:
            return str(self)
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        head = str(self)
        if self.problems[0] in head:  # the message already quotes the first problem
            return f"{head}{tail}"
        return f"{head}: {self.problems[0]}{tail}"


class BankError(AssessmentError):
    """The question bank (or a data file next to it) is malformed."""


class AnswersError(AssessmentError):
    """A saved answers file (or profile) is corrupt, from another version, or out of range."""


def describe_validation_error(
    err: ValidationError, raw: Any = None, list_keys: Sequence[str] = ("items", "dimensions", "rules")
) -> list[str]:
    """Turn pydantic errors into messages that name the offending entry by its id where possible. A value that may
    be one of several kinds (a rating: a whole number from 1 to 5, "dont_know" or nothing) fails once per kind;
    those are one problem, said in one message, and pydantic's names for the kinds ("constrained-int",
    "literal['dont_know']") never reach a person."""
    messages: list[str] = []
    kinds: dict[tuple[Any, ...], int] = {}  # a location whose kinds failed -> its message's index in `messages`
    for e in err.errors():
        loc, in_union = _without_kind_names(list(e.get("loc", ())), raw, e.get("input"), e.get("type") == "missing")
        where = _name_location(loc, raw, list_keys)
        msg = e.get("msg", "invalid")
        if e.get("type") in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a dataclass's
            msg = f"unknown key '{loc[-1]}'" if loc else "unknown key"
        elif e.get("type") in ("model_type", "model_attributes_type", "dict_type", "dataclass_type"):
            msg = "should be an object of keys and values"  # pydantic's text names a Python class
        elif e.get("type") == "missing":
            msg = f"missing required key '{loc[-1]}'" if loc else "missing required key"
        if in_union and tuple(loc) in kinds:  # another kind it could have been: "..., or 'dont_know'"
            i = kinds[tuple(loc)]
            messages[i] += ", or " + msg.removeprefix("Input should be ")
            continue
        if e.get("type") == "value_error" and msg.startswith("Value error, "):
            parts = msg.removeprefix("Value error, ").split("; ")
        else:
            parts = [msg]
        if in_union:
            kinds[tuple(loc)] = len(messages)
        messages.extend(f"{where}: {m}" if where else m for m in parts)
    return messages


# The names pydantic gives the kinds of a union in an error's location: "constrained-int", "literal['dont_know']",
# "function-after[...]", or a plain type's name.
_KIND_NAME = re.compile(r"[a-z]+(-[a-z]+)*\[.*\]|[a-z]+-[a-z-]+|int|str|float|bool|none")


def _without_kind_names(loc: list[Any], raw: Any, value: Any, missing: bool) -> tuple[list[Any], bool]:
    """The location without the names pydantic gives the kinds of a union, and whether it had any. A name is a kind's
    where the input holds a plain value or a list (so it cannot be a key), or where the value the error is about is
    the object itself (a rating given as an object, even one with a key spelt like a kind). Without the raw input
    nothing is dropped."""
    if raw is None:
        return loc, False
    out: list[Any] = []
    node = raw
    for key in loc:
        kind_name = isinstance(key, str) and _KIND_NAME.fullmatch(key)
        if kind_name and (not isinstance(node, dict) or (node is value and not missing)):
            continue
        out.append(key)
        node = _child(node, key)
    return out, len(out) < len(loc)


def _name_location(loc: list[Any], raw: Any, list_keys: Sequence[str]) -> str:
    parts: list[str] = []
    node = raw
    for i, key in enumerate(loc):
        label = str(key)
        if isinstance(key, int) and i > 0 and str(loc[i - 1]) in list_keys:
            entry = node[key] if isinstance(node, list) and key < len(node) else None
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            label = f"[{key}]" + (f" (id '{entry_id}')" if entry_id else "")
            parts[-1] = parts[-1] + label
        else:
            parts.append(label)
        node = _child(node, key)
    return ".".join(parts)


def _child(node: Any, key: Any) -> Any:
    """The raw input one step down a pydantic error's location (None where the location leaves it)."""
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return node[key]
    return None


class ReportError(AssessmentError):
    """The PDF (or slide) could not be produced from an otherwise valid result."""
