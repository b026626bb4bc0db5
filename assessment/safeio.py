"""Reading untrusted files: at most a size limit, bounded nesting, no duplicate keys, one clear error.

Every loader of a file a person hands us (answers, profile, question bank) goes through here, so that a
hostile file (`/dev/zero`, JSON nested 100,000 deep, a YAML bank nested as deep, `{"a": 1, "a": 2}`) gets a
one-line `AssessmentError` in well under a second and a few megabytes, never a traceback or a runaway read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from .errors import AssessmentError

MAX_UPLOAD_BYTES = 2_000_000  # an answers file or a profile (answers.MAX_FILE_BYTES is this)
MAX_BANK_BYTES = 1_000_000  # questions.yaml is about 30 kB (bank.MAX_BANK_BYTES is this)
# libyaml's parser when PyYAML was built with it (the wheels are): about 100x faster than the pure-Python one
# on a hostile file. It only ever sees text whose nesting was bounded first, on the event stream.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64  # nothing we read nests deeper than about 5; 64 leaves room and stays far from recursion limits


def read_limited(path: str | Path, limit: int, what: str, error: type[AssessmentError] = AssessmentError) -> bytes:
    """Read at most `limit` bytes of a file; a longer file (or an endless one, like /dev/zero) is refused
    after reading `limit + 1` bytes, not after reading it all."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{what} not found: {p}") from None
    except IsADirectoryError:
        raise error(f"cannot read {what} {p}: it is a directory") from None
    except OSError as exc:
        raise error(f"cannot read {what} {p}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{p.name} is too large (more than {limit:,} bytes; the limit is {limit:,})")
    return data


def decode_utf8(data: bytes, name: str, error: type[AssessmentError] = AssessmentError) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{name} is not a UTF-8 text file") from None


def nesting_depth(value: object) -> int:
    """How deeply lists and dicts nest in a parsed value (0 for a scalar), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in node if isinstance(child, dict | list))
    return deepest


def _no_duplicates(error: type[AssessmentError], name: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)  # in C; only a file with a duplicate pays for finding which key it is
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise error(f"{name} has the key {key[:60]!r} twice in one object; which one is meant is unclear")
                seen.add(key)
        return out

    return hook


def _no_constants(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


def loads_json(
    data: str | bytes,
    name: str,
    error: type[AssessmentError] = AssessmentError,
    max_depth: int = MAX_DEPTH,
    check_depth: bool = True,
) -> object:
    """Parse JSON strictly: UTF-8, nesting at most `max_depth`, no duplicate keys, no NaN or Infinity.

    `check_depth=False` is for a caller that validates the value against a model whose every container is
    typed (so a valid value is shallow by construction) and calls `check_nesting` before it looks into an
    invalid one; walking the tree is most of the cost of reading a small file."""
    text = decode_utf8(data, name, error) if isinstance(data, bytes) else data
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates(error, name), parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise error(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:
        if isinstance(exc, AssessmentError):
            raise
        raise error(f"{name} is not valid JSON: {exc}") from None
    except RecursionError:  # the C decoder stops at the interpreter's recursion limit, quickly and cleanly
        raise error(f"{name} nests arrays and objects too deeply; the limit is {max_depth}") from None
    if check_depth:
        check_nesting(value, name, error, max_depth)
    return value


def check_nesting(value: object, name: str, error: type[AssessmentError], max_depth: int = MAX_DEPTH) -> None:
    if nesting_depth(value) > max_depth:
        raise error(f"{name} nests arrays and objects too deeply; the limit is {max_depth}")


def load_yaml(
    text: str, name: str, error: type[AssessmentError] = AssessmentError, max_depth: int = MAX_DEPTH
) -> object:
    """Parse YAML safely: nesting at most `max_depth` (checked on the event stream, without recursion),
    no anchors or aliases (a data file never needs them, and they make a small file expand), no duplicate keys."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise error(f"{name} nests lists and mappings more than {max_depth} deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise error(f"{name} uses a YAML anchor or alias ({_where(event)}); write the value out instead")
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise error(f"{name}: not valid YAML{where}: {problem}") from None


def _where(event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f"line {mark.line + 1}" if mark else "somewhere"


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, mark: Any) -> None:
        self.problem = f"the key {str(key)[:60]!r} appears twice in one mapping"
        self.problem_mark = mark
        super().__init__(self.problem)


class _UniqueKeyLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class reports it
                break
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def check_writable(output: Path) -> None:
    """Refuse an output path that cannot be written before the work is done (a typo costs no time)."""
    if output.is_dir():
        raise AssessmentError(f"cannot write {output}: it is a directory")
    folder = output.parent
    if not folder.is_dir():
        raise AssessmentError(f"cannot write {output}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise AssessmentError(f"cannot write {output}: permission denied")
