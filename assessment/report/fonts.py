"""Register the vendored DejaVu Sans fonts with reportlab, once per process.

DejaVu covers Latin, Greek and Cyrillic and a few symbols (check marks, arrows, some emoticons);
characters it lacks (CJK, most emoji) print as empty boxes rather than failing. The core Helvetica font
would silently drop every non-Latin character, so no style in the report may fall back to it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_WIDE_CODE = re.compile(r"<([0-9A-F]{5,6})>$", re.MULTILINE)


def _utf16(match: re.Match[str]) -> str:
    """A code point beyond U+FFFF as the UTF-16 surrogate pair that a ToUnicode CMap requires."""
    cp = int(match.group(1), 16) - 0x10000
    return f"<{0xD800 + (cp >> 10):04X}{0xDC00 + (cp & 0x3FF):04X}>"


class DejaVu(TTFont):
    """TTFont with one fix: reportlab writes characters beyond U+FFFF (emoji such as U+1F600) into the
    ToUnicode map as five hex digits, which readers reject, so copying or extracting them fails. This
    rewrites them as the surrogate pairs the PDF format expects, once the font's objects exist."""

    def addObjects(self, doc: object) -> None:
        super().addObjects(doc)
        for name, obj in doc.idToObject.items():  # type: ignore[attr-defined]
            if isinstance(name, str) and name.startswith("toUnicodeCMap:") and isinstance(obj.content, str):
                obj.content = _WIDE_CODE.sub(_utf16, obj.content)
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) and its family mapping; return the two font names.

    There is no italic in the vendored set, so <i> maps to the upright faces rather than to Helvetica.
    """
    pdfmetrics.registerFont(DejaVu(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(DejaVu(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # Normal faces last, so that the reverse lookup of a font name gives upright, not italic.
    for bold, italic, name in ((0, 1, REGULAR), (1, 1, BOLD), (0, 0, REGULAR), (1, 0, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD
