"""The small block vocabulary the sections write in and templates/report.typ draws.

A section is a list of blocks (plain dicts, serialised to JSON). Text is a plain string or a list of runs;
nothing in it is Typst markup, so user text always prints as written.

    [h("Heading", 2), p("Body text"), table(["A", "B"], rows, ["1fr", 60])]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Block = dict[str, Any]
Rich = str | list[dict[str, Any]]


def run(text: str, bold: bool = False, colour: str | None = None, size: float | None = None) -> dict[str, Any]:
    r: dict[str, Any] = {"t": text}
    if bold:
        r["b"] = True
    if colour:
        r["c"] = colour
    if size:
        r["s"] = size
    return r


def b(text: str) -> dict[str, Any]:
    return run(text, bold=True)


def h(text: str, level: int = 1, outlined: bool | None = None) -> Block:
    return {"k": "h", "text": text, "level": level, "outlined": level == 1 if outlined is None else outlined}


def p(text: Rich, style: str = "body") -> Block:
    return {"k": "p", "text": text, "style": style}


def bullets(items: Sequence[Rich], style: str = "body") -> Block:
    return {"k": "bullets", "items": items, "style": style}


def callout(body: list[Block], title: Rich | None = None, kind: str = "info") -> Block:
    return {"k": "callout", "title": title, "body": body, "kind": kind}


def keep(body: list[Block]) -> Block:
    return {"k": "keep", "body": body}


def cell(text: Rich, status: str | None = None, highlight: bool = False) -> dict[str, Any]:
    c: dict[str, Any] = {"t": text}
    if status:
        c["status"] = status
    if highlight:
        c["hl"] = True
    return c


def table(
    head: list[str],
    rows: list[list[Any]],
    widths: list[str | float],
    zebra: bool = False,
    align: list[str] | None = None,
    keep_rows: bool | None = None,
) -> Block:
    """A table with a header row repeated on every page; widths are points or 'Nfr' shares. `keep_rows`: no row
    breaks across pages, so a page never starts with the end of a row whose start is on the page before (by
    default when every row is short enough to stay well under a page)."""
    if keep_rows is None:
        keep_rows = all(sum(len(plain(c)) for c in r) <= KEEP_ROW_CHARS for r in rows)
    return {
        "k": "table",
        "head": head,
        "rows": rows,
        "widths": widths,
        "zebra": zebra,
        "align": align or [],
        "keep": keep_rows,
    }


KEEP_ROW_CHARS = 900


def plain(x: object) -> str:
    """The text of a cell, a rich text (runs) or a string."""
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return plain(x.get("t", ""))
    if isinstance(x, list):
        return "".join(plain(r) for r in x)
    return ""


def space(mm: float) -> Block:
    return {"k": "space", "mm": mm}


PAGEBREAK: Block = {"k": "pagebreak"}
SECTION_BREAK: Block = {"k": "sectionbreak"}
"""Between sections: a new page only when less than a third of this one is left, so that a section's last lines
never sit alone on a near-empty page before the next section starts."""
