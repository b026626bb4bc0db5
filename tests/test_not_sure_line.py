"""Issue 20, finding 10: the "Not sure" line on the questionnaire and the participant page says what the engine
does, because it is generated from the engine."""

from __future__ import annotations

from pathlib import Path

from assessment import assess, default_bank, load_answers
from assessment.rules import load_rulebook
from assessment.rules.roles import not_sure_line

ROOT = Path(__file__).resolve().parents[1]


def test_the_line_matches_what_the_engine_does_on_eastvale() -> None:
    bank = default_bank()
    base = load_answers(ROOT / "examples" / "eastvale_centralized.json", bank)

    def rec(answer: str):
        ctx = base.context.model_copy(update={"political_work_first": answer})
        return assess(base.model_copy(update={"context": ctx}), bank).recommendation

    no, unsure = rec("no"), rec("not_sure")
    line = not_sure_line(load_rulebook())
    reads_as_no = (no.confidence.level, [w.id for w in no.warnings]) == (
        unsure.confidence.level,
        [w.id for w in unsure.warnings],
    )
    assert not reads_as_no  # the engine does not read "Not sure" as "No" ...
    assert "do not read it as “No”" in line  # ... and the line says so
    assert "political_work_first_unsure" in {w.id for w in unsure.warnings} and "flag it" in line
    assert unsure.confidence.level == "low" and "confidence is lowered" in line


def test_both_pages_show_the_generated_line() -> None:
    for path in ("assessment/ui/page_scripts/questionnaire.py", "assessment/ui/answering.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "not_sure_line(" in text and "read it as 'No'" not in text, path
