"""Hostile inputs for the report: very long names, scripts from several alphabets, emoji, markup in every
language the report might meet, many-line comments, and a 30-person group commenting on every item.

Shared by the report tests and `bench/render_all.py` (which renders them to PNG for a look)."""

from __future__ import annotations

from pathlib import Path

from assessment import AnswerSet, default_bank, load_answers

ROOT = Path(__file__).resolve().parent.parent
MARKUP = "<b>bold</b> & <script>alert('x')</script> *stars* #let x = 1 $x^2$ [link](http://x) \\ @ref"
SCRIPTS = "Ελληνικά Кириллица العربية עברית 中文 日本語 한국어 हिन्दी 😀 🦄 👩‍⚕️ ✓ €"
ROLES = ("executive", "middle_manager", "doctor", "nurse", "allied_health", "commissioner", "patient_public", "other")


def base(name: str = "riverside_two_step.json") -> AnswerSet:
    return load_answers(ROOT / "examples" / name, default_bank())


def hostile_single() -> AnswerSet:
    a = base()
    a.context.organisation_name = ("Организация " + SCRIPTS + " " + MARKUP + " ")[:200]
    a.context.innovation_title = ("العيادة المتكاملة 中文名称 " + MARKUP + " " + "Very long title " * 20)[:200]
    a.context.department = ("Кардиология & неврология " + "W" * 300)[:200]
    a.context.innovation_description = ("\n".join(f"line {i} {SCRIPTS}" for i in range(5)) + "\n" * 1990)[:1995] + "end"
    for i, item in enumerate(a.answers.values()):
        if i % 3 == 0:
            item.comment = "\n".join("x" for _ in range(68))
        elif i % 3 == 1:
            item.comment = (MARKUP + " " + SCRIPTS + " " + "L" * 300)[:1000]
    return AnswerSet.model_validate(a.model_dump())


def group(n: int = 30, comment: str = "ok") -> list[AnswerSet]:
    sets = []
    for k in range(n):
        a = base()
        a.context.respondent_role = ROLES[k % len(ROLES)]  # type: ignore[assignment]
        for item in a.answers.values():
            item.comment = comment
        sets.append(AnswerSet.model_validate(a.model_dump()))
    return sets
