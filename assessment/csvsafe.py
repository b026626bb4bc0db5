"""CSV cells that no spreadsheet runs as a formula, whatever it splits on: the one rule for every CSV we write.

A spreadsheet runs a cell as a formula when it starts with `=`, `+`, `-` or `@` (and some treat a leading tab or
carriage return the same way): OWASP's *CSV injection*. Our files are comma-separated, but a spreadsheet in a
locale whose list separator is `;` (Italian, German, French) splits a line on `;`, and one opened as tab-separated
splits on tabs, ignoring the quotes the comma writer put around a cell. So the *parts* of a cell matter too: the
comment `fine;=cmd|' /C calc'!A0` is harmless in a comma split and a formula in a `;` split.

The rule (`safe_cell`): wherever the text starts, or a part of it starts after a `,`, `;`, tab, carriage return
or line feed, and that part begins (after any white space or double quotes) with `=`, `+`, `-` or `@`, or with
a tab or carriage return, a single quote `'` is inserted there (OWASP's prefix). Spreadsheets show the quote
at the start of a cell as "this is text"; inside a cell it is visible, which is the price of being safe in every
locale. Line breaks inside a cell are written as spaces (a spreadsheet splitting on `;` or tab would start a new
row there). Numbers are written as numbers and never changed. Other text is written exactly as typed.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_CHARACTERS = "=+-@"
SEPARATORS = ",;\t\r\n"  # comma, the `;` of many European locales, tab, and line breaks
# Zero-width: at the start of the text or just after a separator, where the part begins with (white space or
# double quotes and then) a formula character, or with (double quotes and then) a tab or carriage return.
_DANGEROUS_PART = re.compile(r'(^|[,;\t\r\n])(?=[\s"]*[=+\-@]|"*[\t\r])')


_LINE_BREAKS = re.compile(r"\r\n|[\r\n]")


def safe_cell(value: Any) -> Any:
    """`value` with a `'` before every part a spreadsheet could run as a formula (see the module docstring);
    anything that is not text is returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    # a line break inside a cell makes the writer quote it, and a spreadsheet that splits on `;` or tab ignores
    # those quotes and starts a new row there, with the rest of the cell as its first field: line breaks are
    # written as spaces, so every row is one line whatever the locale
    text = _LINE_BREAKS.sub(" ", value)
    return _DANGEROUS_PART.sub(r"\1'", text)


def is_safe(text: str) -> bool:
    """True when no part of `text` (split on any separator) would start a formula: what `safe_cell` ensures."""
    return safe_cell(text) == text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with `safe_cell` applied to every text cell and every column name."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def frame_to_csv(frame: pd.DataFrame, **to_csv: Any) -> str:
    """`frame` as CSV text, every text cell made safe first: no index, and line-feed line ends. No cell holds a line
    break (`safe_cell` writes them as spaces), so every row is one line; and a reader that misreads a cell's
    quotes in a `;` or tab split starts its stray field with a line feed, never with the carriage return of a CRLF
    line end, which some spreadsheets treat like a formula's first character."""
    to_csv.setdefault("index", False)
    to_csv.setdefault("lineterminator", "\n")
    return str(safe_frame(frame).to_csv(**to_csv))
