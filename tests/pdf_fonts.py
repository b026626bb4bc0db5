"""Font sizes as printed: each text run's size times the text and transformation matrices' scale, read with
pypdf's visitor. Shared by the slide and report tests."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    page: int
    size: float
    text: str


def _scale(m: list[float]) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def text_runs(pdf: bytes) -> list[Run]:
    """Every non-blank text run with its printed size in points (a 1:1 page: no scaling of the page itself)."""
    runs: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, n: int = number) -> None:
            if text.strip():
                runs.append(Run(n, round(size * _scale(tm) * _scale(cm), 2), text))

        page.extract_text(visitor_text=visit)
    return runs


def smallest(pdf: bytes) -> Run:
    return min(text_runs(pdf), key=lambda r: r.size)
