"""Register the vendored DejaVu Sans fonts with reportlab, once per process.

DejaVu covers Latin, Greek and Cyrillic and a few symbols (check marks, arrows, some emoticons);
characters it lacks (CJK, most emoji) print as empty boxes rather than failing. The core Helvetica font
would silently drop every non-Latin character, so no style in the report may fall back to it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) and its family mapping; return the two font names.

    There is no italic in the vendored set, so <i> maps to the upright faces rather than to Helvetica.
    """
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # Normal faces last, so that the reverse lookup of a font name gives upright, not italic.
    for bold, italic, name in ((0, 1, REGULAR), (1, 1, BOLD), (0, 0, REGULAR), (1, 0, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD
