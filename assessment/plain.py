"""Plain words for values and references that people read (report, results page, board, dashboard).

No raw id, Python literal ("True", "None", "not_sure") or line locator should reach a person: the
functions here turn the engine's values into words. The method appendix alone keeps the full locators.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache

import yaml

from .bank import Citation
from .sources import DATA_DIR, SOURCE_NAMES
from .vocabulary import CUT_POINTS, STRONG_AGREEMENT_ABOVE

_SENTENCES = re.compile(r"^\s*s(\d+)(?:\s*-\s*s?(\d+))?\s*$")

VALUE_WORDS: dict[object, str] = {
    "not_sure": "not sure",
    "dont_know": "don't know",
    "incremental": "incremental",
    "radical": "radical",
}
OP_WORDS = {">=": "at least {v}", ">": "above {v}", "<=": "{v} or lower", "<": "below {v}"}


def score_text(value: float) -> str:
    """A score for print, the same in every sentence and table: one decimal, or two when one decimal would put it
    on the other side of a cut point (2.49 is not "2.5", which would read as meeting "at least 2.5")."""
    short = f"{value:.1f}"
    if any((float(short) >= cut) != (value >= cut) for cut in CUT_POINTS):
        # only a score just below a cut point rounds across it: two decimals, rounded down (2.496 is "2.49")
        return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))
    return short


def score_cell(value: float | None, missing: str = "–") -> str:
    """`score_text`, or `missing` for a score there is none of (not enough answers)."""
    return missing if value is None else score_text(value)


def value_text(value: object, missing: str = "not answered") -> str:
    """A value for print: scores as `score_text`, booleans as yes/no, ids as words, None as `missing`."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return score_text(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return VALUE_WORDS.get(text, text.replace("_", " "))


def op_text(op: str, value: float) -> str:
    return OP_WORDS.get(op, op + " {v}").format(v=f"{value:g}")


@lru_cache(maxsize=1)
def source_sections() -> dict[str, list[tuple[int, str]]]:
    """Per source: (first line, section name), in order, from data/source_sections.yaml."""
    raw = yaml.safe_load((DATA_DIR / "source_sections.yaml").read_text(encoding="utf-8"))
    return {src: sorted((int(n), str(t)) for n, t in rows) for src, rows in raw["sources"].items()}


def section_at(source: str, line: int) -> str | None:
    """The section of `source` that holds the given line, or None when the source has no section table."""
    found = None
    for start, name in source_sections().get(source, []):
        if start > line:
            break
        found = name
    return found


def citation_for_people(citation: Citation | str) -> str:
    """The source named for a reader: its short name with the sections (or table, or sentences) the locator
    points at, e.g. 'Two-step institutional work (the findings; Table 3)'. Line numbers ('L411-440') stay in
    the method appendix."""
    if isinstance(citation, Citation):
        source, locator = citation.source, citation.locator
    else:
        source, _, locator = str(citation).partition(", ")
    extra: list[str] = []
    for part in re.split(r"[;,]", locator):
        part = part.strip()
        if not part:
            continue
        other = None
        m = re.match(r"^(.*?)\s*L(\d+)(?:\s*-\s*L?\d+)?$", part)  # "L411-440" or "Manual (2023) L4254-4259"
        if m:
            other = m.group(1).strip() or None
            where = section_at(other or source, int(m.group(2)))
            if other and other in SOURCE_NAMES:
                extra.append(f"and {other}" + (f", {where}" if where else ""))
            elif where:
                extra.append(where)
            continue
        if part in SOURCE_NAMES:
            extra.append(f"and {part}")
            continue
        m = _SENTENCES.match(part)
        if m:
            extra.append(f"sentence{'s' if m.group(2) else ''} {m.group(1)}" + (f"-{m.group(2)}" if m.group(2) else ""))
        else:
            extra.append(part)
    return source + (f" ({'; '.join(dict.fromkeys(extra))})" if extra else "")


GLOSSARY: dict[str, str] = {
    "Affordances": "Features of a hospital's setting that loosen established professional habits and so leave room "
    "for new ways of working: clinicians facing several competing expectations (multiplicity), a mix of groups and "
    "interests (heterogeneity), or rules that no longer fit practice (ambiguity).",
    "Meso level": "The middle layer of an organisation, between the executive board and the front line: "
    "departments, clinical directorates and the managers and senior clinicians who lead them.",
    "r_wg (agreement index)": "A measure of how far a group of respondents agreed on a score: 1 means everyone "
    f"answered alike, 0 means the answers were as scattered as random ones. Above {STRONG_AGREEMENT_ABOVE:.2f} is "
    "usually read as strong agreement.",
    "Centralized project": "A strategy where executives run the change as a managed project with a clear "
    "mandate, plan and resources; suited to incremental changes that do not challenge professional routines.",
    "Two-step institutional work": "A strategy for radical change in two steps: first early-adopting clinicians "
    "experiment and build support (technical and cultural work), then managers change rules, structures and "
    "incentives (political work) once the new practice has taken hold.",
    "Hold back": "Wait before pushing the change: the conditions that would let it take hold are not yet there, so "
    "the effort goes into preparing them first.",
    "Readiness index": "A weighted mean of the eight ingredient scores, with weights that depend on the stage the "
    "innovation has reached.",
}
