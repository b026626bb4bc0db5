"""The literature the tool cites: short names (as used in citations) and full references."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

DATA_DIR = Path(__file__).resolve().parent / "data"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    short_name: str
    reference: str
    evidence: str


class SourceList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    sources: list[Source]


@lru_cache(maxsize=1)
def load_sources() -> tuple[Source, ...]:
    raw = yaml.safe_load((DATA_DIR / "sources.yaml").read_text(encoding="utf-8"))
    return tuple(SourceList.model_validate(raw).sources)


SOURCE_NAMES: tuple[str, ...] = tuple(s.short_name for s in load_sources())


def reference_for(short_name: str) -> str:
    return next(s.reference for s in load_sources() if s.short_name == short_name)
