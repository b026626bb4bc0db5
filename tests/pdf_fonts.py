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
    y: float = 0.0  # the baseline's height above the bottom of the page, in points
    x: float = 0.0  # where the run starts, from the left edge of the page, in points


def _scale(m: list[float]) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def text_runs(pdf: bytes) -> list[Run]:
    """Every non-blank text run with its printed size in points (a 1:1 page: no scaling of the page itself)."""
    runs: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, n: int = number) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(n, round(size * _scale(tm) * _scale(cm), 2), text, y, x))

        page.extract_text(visitor_text=visit)
    return runs


def body_fill(pdf: bytes, top: float, bottom: float) -> dict[int, float]:
    """For each page, how far down its body text reaches, as a share of the body's height (the body lies between
    `bottom` and `top`, in points above the bottom of the page)."""
    lowest: dict[int, float] = {}
    for r in text_runs(pdf):
        if bottom < r.y < top:
            lowest[r.page] = min(lowest.get(r.page, top), r.y)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {n: (top - lowest[n]) / (top - bottom) if n in lowest else 0.0 for n in range(1, pages + 1)}


def smallest(pdf: bytes) -> Run:
    return min(text_runs(pdf), key=lambda r: r.size)
