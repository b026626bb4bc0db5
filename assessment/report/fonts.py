"""The report's fonts and the text clean-up that keeps every string printable.

The vendored DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and a set of symbols and monochrome
emoji. The rest of the chain (`CHAIN`) comes from Debian's Noto packages when the system has them: Chinese,
Japanese and Korean (`fonts-noto-cjk`), the Indic scripts, Thai and symbols (`fonts-noto-core`) and emoji
(`fonts-noto-color-emoji`); `.ci/run` and the Dockerfile install the same list (`FONT_PACKAGES`, compared by
tests/test_fonts.py). A character that no font in the chain covers is replaced by U+FFFD before the text reaches
Typst (in PDF/UA mode Typst refuses a glyph it cannot display, and a report must never fail because of what someone
typed); `unprintable` names those characters, so the command line, the app and the PDF can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
VENDORED = (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf")
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-noto-cjk", "fonts-noto-core", "fonts-noto-color-emoji")
_NOTO = Path("/usr/share/fonts/truetype/noto")
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
# The fallback chain after DejaVu: (family, files where Debian puts it); a family whose file is missing is skipped.
CHAIN: tuple[tuple[str, tuple[Path, ...]], ...] = (
    (CJK_FAMILY, CJK_FILES),
    *(
        (f"Noto Sans {script}", (_NOTO / f"NotoSans{script}-Regular.ttf",))
        for script in (
            "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam",
            "Sinhala", "Thai", "Symbols", "Symbols2", "Math",
        )
    ),
    ("Noto Color Emoji", (_NOTO / "NotoColorEmoji.ttf",)),
)  # fmt: skip
REPLACEMENT = "\ufffd"
# Characters that draw nothing and may be dropped when no font has them (joiners, variation selectors, marks).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\U000e0000-\U000e01ef]")
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
def installed() -> tuple[tuple[str, Path], ...]:
    """The chain's families present on this system, in order, with their files."""
    found = ((family, next((p for p in files if p.is_file()), None)) for family, files in CHAIN)
    return tuple((family, path) for family, path in found if path is not None)


def cjk_font() -> Path | None:
    return next((path for family, path in installed() if family == CJK_FAMILY), None)


def families() -> list[str]:
    """The fallback chain Typst uses, in order."""
    return ["DejaVu Sans", *(family for family, _ in installed())]


@lru_cache(maxsize=65536)
def _covered(cp: int) -> bool:
    return cp in _base() or any(cp in _cmap(path) for _, path in installed())


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


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def unprintable(value: object) -> list[str]:
    """The characters in any string of a JSON-like tree that no font in the chain covers (they print as U+FFFD),
    each once, in order of appearance; invisible ones (joiners, selectors) are dropped silently and not listed."""
    seen: dict[str, None] = {}
    for text in _strings(value):
        if text.isascii():
            continue
        for ch in text:
            quiet = ch == "\n" or _INVISIBLE.match(ch) or _CONTROL.match(ch)
            if ch not in seen and not quiet and not _covered(ord(ch)):
                seen[ch] = None
    return list(seen)


def describe(chars: list[str], limit: int = 8) -> str:
    """'U+1F3E5, U+0D9A' for a warning: code points, as the characters themselves cannot be shown."""
    shown = ", ".join(f"U+{ord(c):04X}" for c in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")


def without_controls(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def clean_tree(value: object, glyphs: bool = True) -> object:
    """`printable` applied to every string in a JSON-like tree; `glyphs=False`: control characters removed only."""
    if isinstance(value, str):
        return printable(value) if glyphs else without_controls(value)
    if isinstance(value, list | tuple):
        return [clean_tree(v, glyphs) for v in value]
    if isinstance(value, dict):
        return {k: clean_tree(v, glyphs) for k, v in value.items()}
    return value
