"""The report's fonts and the text clean-up that keeps every string printable.

The vendored DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and a set of symbols and monochrome
emoji. Chinese, Japanese and Korean come from Noto Sans CJK when the system has it (Debian `fonts-noto-cjk`,
which .ci/run installs). A character that no font in the chain covers is replaced by U+FFFD before the
text reaches Typst: in PDF/UA mode Typst refuses a glyph it cannot display, and a report must never fail
because of what someone typed.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
VENDORED = (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf")
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
REPLACEMENT = "\ufffd"
# Characters that draw nothing and may be dropped when no font has them (joiners, variation selectors, marks).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\U000e0000-\U000e01ef]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0/C1 controls except tab and newline
_LINE_SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x85"
_BLANK_RUN = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")


@cache
def _cmap(path: Path) -> frozenset[int]:
    if path.suffix == ".ttc":
        coll = TTCollection(str(path), lazy=True)
        return frozenset(coll.fonts[0].getBestCmap())
    return frozenset(TTFont(str(path), lazy=True).getBestCmap())


@cache
def cjk_font() -> Path | None:
    return next((p for p in CJK_FILES if p.is_file()), None)


def families() -> list[str]:
    """The fallback chain Typst uses, in order."""
    return ["DejaVu Sans", CJK_FAMILY] if cjk_font() else ["DejaVu Sans"]


def _covered(cp: int) -> bool:
    if cp in _base():
        return True
    cjk = cjk_font()
    return cjk is not None and cp in _cmap(cjk)


@cache
def _base() -> frozenset[int]:
    """What the vendored faces all cover (a bold run must not meet a glyph only the regular face has)."""
    return frozenset.intersection(*(_cmap(f) for f in VENDORED))


@lru_cache(maxsize=8192)
def printable(text: str) -> str:
    """Text with newline runs collapsed to one blank line and every character the fonts lack replaced. (A very long
    word wraps in its column through lib.typ's `breakable`, which adds no character to the text.)"""
    if _CONTROL.search(text):  # a control character draws nothing and PDF/UA refuses it; callers may not clean
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub(lambda m: "\n" if m.group(0) in _LINE_SEPARATORS else "", text)
    if "\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)  # a \r is a control character: already a newline above
    if text.isascii():  # every printable ASCII character is in DejaVu (controls are gone by now)
        return text
    base = _base()
    if all(ord(ch) in base or ch == "\n" for ch in text):
        return text
    out: list[str] = []
    for ch in text:
        if ch == "\n" or ord(ch) in base or _covered(ord(ch)):
            out.append(ch)
        elif not _INVISIBLE.match(ch):
            out.append(REPLACEMENT)
    return "".join(out)


def clean_tree(value: object) -> object:
    """`printable` applied to every string in a JSON-like tree."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_tree(v) for k, v in value.items()}
    return value
