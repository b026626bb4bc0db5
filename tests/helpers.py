"""Helpers shared by the AppTest suites of the single-respondent pages and the workshop pages."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
HOSTILE = "<script>alert(1)</script> **bold** [click](https://evil.example) :red[red] $x$ # heading"


def plain(markdown: str) -> str:
    """Undo Markdown backslash escapes, to compare what a reader sees with the source text."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            i += 1
        out.append(markdown[i])
        i += 1
    return "".join(out)
