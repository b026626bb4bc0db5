"""Text budgets: how many lines a string takes at a given size and width, and the string cut to a number of lines.

The slide gives every block a fixed number of lines, so it is one page for any input without shrinking its text.
Widths come from the vendored DejaVu faces' advance widths (the first font in the chain); a character they lack
counts as one em, as wide as a CJK ideograph, which over-estimates the narrower scripts. Lines are broken as Typst
breaks unjustified text: greedily, at spaces, between CJK characters, and inside a word of 30 or more
characters every 4 (lib.typ's `breakable`); a shorter word wider than the line is cut.

    fit_lines("A very long key message ...", width=470, size=13, lines=3)  # the text, or a cut with an ellipsis
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from fontTools.ttLib import TTFont

from .fonts import VENDORED

ELLIPSIS = "…"
SAFETY = 0.94  # a share of the width kept free for kerning and rounding differences from Typst's layout
LONG_WORD, CHUNK = 30, 4  # the same numbers as breakable() in templates/lib.typ
_TOKEN = re.compile(r"\S+\s*|\s+")


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Each code point's advance width in em for the regular or bold face, and the space's."""
    font = TTFont(str(VENDORED[1 if bold else 0]), lazy=True)
    upem = float(font["head"].unitsPerEm)
    hmtx = font["hmtx"]
    widths = {cp: hmtx[name][0] / upem for cp, name in font.getBestCmap().items()}
    return widths, widths.get(ord(" "), 0.32)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def char_width(ch: str, bold: bool = False) -> float:
    """The advance of one character in em."""
    widths, _ = _advances(bold)
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
        return 0.0
    return widths.get(ord(ch), 1.0) if not _wide(ch) else 1.0


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line, in points."""
    return sum(char_width(ch, bold) for ch in text) * size


def _pieces(text: str) -> list[str]:
    """Break opportunities: words with their trailing space; a wide (CJK) character is a piece of its own."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if any(_wide(ch) for ch in token):
            run = ""
            for ch in token:
                if _wide(ch):
                    if run:
                        out.append(run)
                    out.append(ch)
                    run = ""
                else:
                    run += ch
            if run:
                out.append(run)
        elif len(token.rstrip()) >= LONG_WORD:  # lib.typ's breakable(): a box every CHUNK characters
            body = token.rstrip()
            out += [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]
            out[-1] += token[len(body) :]
        else:
            out.append(token)
    return out


def _layout(text: str, width: float, size: float, bold: bool) -> list[tuple[int, int]]:
    """The lines greedy breaking gives, as (start, end) offsets into `text` (trailing spaces included); a piece
    wider than a line is split between characters."""
    room = width * SAFETY
    lines: list[tuple[int, int]] = []
    start = pos = 0
    used = 0.0
    for piece in _pieces(text):
        w = text_width(piece.rstrip(), size, bold)
        if used + w <= room:
            used += text_width(piece, size, bold)
        elif w <= room:
            if pos > start:
                lines.append((start, pos))
            start, used = pos, text_width(piece, size, bold)
        else:  # a word wider than the line: cut it between characters
            for i, ch in enumerate(piece):
                cw = text_width(ch, size, bold)
                if used + cw > room and pos + i > start:
                    lines.append((start, pos + i))
                    start, used = pos + i, 0.0
                used += cw
        pos += len(piece)
    if pos > start and text[start:pos].strip():
        lines.append((start, pos))
    return lines


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    return len(_layout(" ".join(text.split()), width, size, bold))


def fit_lines(text: str, width: float, size: float, lines: int, bold: bool = False) -> str:
    """`text` (spaces collapsed) when it takes at most `lines` lines; else cut at a word where it can be (a
    character where it cannot) so that it and an ellipsis take `lines` lines."""
    flat = " ".join(text.split())
    laid = _layout(flat, width, size, bold)
    if len(laid) <= lines:
        return flat
    start, end = laid[lines - 1]
    last = flat[start:end].rstrip()
    room = width * SAFETY - text_width(ELLIPSIS, size, bold)
    while last and text_width(last, size, bold) > room:
        cut = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        last = cut.rstrip()
    return (flat[:start] + last).rstrip(" ,;:·-") + ELLIPSIS


def shortened(original: str, shown: str) -> bool:
    return " ".join(original.split()) != shown
