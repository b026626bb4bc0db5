"""A workshop's findings, straight after the executive summary and before the raw answers: the agenda of
disagreements first (what the room should discuss), then the roles and departments, then the spread per
dimension."""

from __future__ import annotations

from ..disclosure.policy import merge_rule, promise
from ..plain import score_cell
from ..vocabulary import DIMENSION_IDS, STRONG_AGREEMENT_ABOVE
from .blocks import SECTION_BREAK, Block, bullets, h, p, run, table
from .context import ReportData, role_label
from .workshop_section import WorkshopSection

TITLE = "Workshop findings"


def agreement_word(r_wg: float | None) -> str:
    """The workshop domain's conventional bands for r_wg, so the report and the app use the same words."""
    from ..workshop import AGREEMENT_LABELS, agreement_for  # numpy and pandas: only loaded for workshops

    return AGREEMENT_LABELS[agreement_for(r_wg)] if r_wg is not None else "–"


def spread(data: ReportData, w: WorkshopSection) -> list[Block]:
    labels = {d.id: d.label for d in data.bank.dimensions}
    story: list[Block] = [
        h("Workshop: spread of the answers", 2, outlined=True),
        p(
            "For each dimension, the mean of the respondents' scores, their standard deviation (SD) and the "
            "within-group agreement index r_wg, which is 1 when everyone answered alike and 0 when the answers are "
            "as scattered as random ones (see the glossary). By the usual convention, more than "
            f"{STRONG_AGREEMENT_ABOVE:.2f} counts as strong agreement.",
            "small",
        ),
    ]
    if w.note:
        story.append(p(w.note, "small"))
    rows: list[list[object]] = []
    for dim in DIMENSION_IDS:
        sp = w.spread.get(dim)
        if sp is None:
            continue
        rows.append(
            [
                labels.get(dim, dim),
                str(sp.n),
                score_cell(sp.mean),
                "–" if sp.sd is None else f"{sp.sd:.2f}",
                "–" if sp.r_wg is None else f"{sp.r_wg:.2f}",
                agreement_word(sp.r_wg),
            ]
        )
    if rows:
        story.append(
            table(
                ["Dimension", "n", "Mean", "SD", "r_wg", "Agreement"],
                rows,
                ["1fr", 30, 45, 45, 45, 125],
                align=["left", "center", "center", "center", "center"],
            )
        )
    else:
        story.append(p("No spread was recorded."))
    return story


def agenda(w: WorkshopSection) -> list[Block]:
    story: list[Block] = [
        h("Workshop: agenda of disagreements", 2, outlined=True),
        p(
            "The questions on which the respondents differed most, widest spread first, with each role's mean "
            "rating as answered (before any reversal). These are the questions worth discussing first.",
            "small",
        ),
    ]
    if not w.agenda:
        return [*story, p("The respondents did not disagree markedly on any single question.")]
    rows = []
    for rank, a in enumerate(w.agenda, 1):
        by_role = "\n".join(f"{role_label(r)}: {score_cell(m)}" for r, m in a.means_by_role.items())
        statement: list[dict[str, object]] = [run(a.text)]
        statement += [run(f"\n“{c}”", colour="muted", size=9) for c in a.comments]
        rows.append([str(rank), statement, f"{a.sd:.2f}", by_role])
    story.append(table(["#", "Statement and comments", "SD", "Mean by role"], rows, [22, "1fr", 40, 150]))
    return story


def second_round(w: WorkshopSection) -> list[Block]:
    """Agreement before the discussion and after the second round, per statement and dimension."""
    r = w.second_round
    if r is None:
        return []
    story: list[Block] = [h("Workshop: second round", 2, outlined=True), p(r.sentence)]
    if r.rows:
        rows: list[list[object]] = [[row.label, row.before, row.after] for row in r.rows]
        story.append(table(["Statement or dimension", "Before the discussion", "After the second round"], rows,
                           ["1fr", 150, 150]))  # fmt: skip
    return story


def role_findings(w: WorkshopSection) -> list[Block]:
    """Disagreement between roles, perception gaps and department pockets, as the dashboard shows them."""
    index = "not enough answers" if w.disagreement_index is None else f"{w.disagreement_index:.2f} points"
    story: list[Block] = [
        h("Workshop: roles and departments", 2, outlined=True),
        p(
            f"{promise(w.min_group)} {merge_rule(w.min_group)}",
            "small",
        ),
        p(f"Role-disagreement index: {index}. {w.disagreement_note}"),
    ]
    if w.perception_gaps:
        story += [h("Perception gaps between managers and clinicians", 3, outlined=False), bullets(w.perception_gaps)]
    if w.pockets:
        story += [h("Department pockets", 3, outlined=False), p(w.pockets)]
    return story


def workshop_findings(data: ReportData) -> list[Block]:
    """The section, or nothing for a single respondent's report."""
    w = data.workshop
    if w is None:
        return []
    return [h(TITLE), *agenda(w), *second_round(w), *role_findings(w), *spread(data, w), SECTION_BREAK]
