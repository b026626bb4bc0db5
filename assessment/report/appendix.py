"""Appendix: every question with its answer and comment; for a workshop, the spread per dimension and the
agenda of items the respondents disagreed on."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from ..answers import AnswerSet
from ..bank import Item
from ..vocabulary import DIMENSION_IDS, GROUP_LABELS, GROUPS
from .context import SECTION_TITLES, ReportData, fmt_score, role_label
from .document import Heading
from .styles import (
    FRAME_WIDTH,
    MUTED,
    STYLES,
    CellText,
    TextBlock,
    bold,
    esc,
    grid_table,
    hexcol,
    muted,
    para,
    run,
    table_heading,
)
from .workshop_section import WorkshopSection

DONT_KNOW = "Don't know"
NO_ANSWER = "No answer"


def _grey(text: str) -> str:
    return f'<font color="{hexcol(MUTED)}">{esc(text)}</font>'


def answer_text(data: ReportData, item: Item, value: object) -> CellText:
    """An answer as a plain cell: '4 · Agree', "Don't know" (bold) or 'No answer' (grey)."""
    if value == "dont_know":
        return bold(DONT_KNOW)
    if isinstance(value, int):
        anchor = data.bank.scales[item.scale].anchors.get(value, "")
        return CellText(f"{value} · {anchor}")
    return muted(NO_ANSWER)


def distribution_text(data: ReportData, item: Item, sets: list[AnswerSet]) -> str:
    """Several respondents' answers to one item, counted: '3 × 4 · Agree', "1 × Don't know", '1 × No answer'."""
    counts: Counter[object] = Counter()
    for a in sets:
        ans = a.answers.get(item.id)
        counts[ans.value if ans is not None else None] += 1
    parts: list[str] = []
    for value in (5, 4, 3, 2, 1, "dont_know", None):
        if counts.get(value):
            parts.append(f"{counts[value]} × {answer_text(data, item, value)}")
    return "\n".join(parts)


def _asked_items(data: ReportData) -> list[Item]:
    full = data.mode != "quick"
    answered = {k for a in data.answer_sets for k in a.answers}
    return [i for i in data.bank.items if full or i.core or i.id in answered]


def answers_tables(data: ReportData) -> list[Flowable]:
    sets = data.answer_sets
    story: list[Flowable] = []
    if not sets:
        story.append(para("No answers file was supplied with this report, so the individual answers are not shown."))
        return story
    single = len(sets) == 1
    items = _asked_items(data)
    asked = {i.id for i in items}
    n_bank = len(data.bank.items)
    if len(items) < n_bank:
        story.append(
            para(
                f"This was a quick scan: {len(items)} of the {n_bank} questions in the bank were asked; only those "
                "are listed.",
                STYLES.small,
            )
        )
    story.append(
        para(
            "Statements marked “reverse” are worded negatively; their rating is reversed before scoring. "
            + (
                "Answers are shown as given, with the scale's wording."
                if single
                else "With several respondents, each line counts how many gave that answer; comments carry the "
                "respondent's role."
            ),
            STYLES.small,
        )
    )
    innovation = data.ctx("innovation_title")
    head = ["#", "Statement", "Answer" if single else "Answers", "Comment" if single else "Comments"]
    number = 0
    for group, dims in GROUPS.items():
        story.append(CondPageBreak(40 * mm))
        story.append(Heading(GROUP_LABELS[group], STYLES.h2, f"appendix-{group}", level=1))
        for dim in dims:
            dim_items = [i for i in data.bank.items_by_dimension[dim] if i.id in asked]
            if not dim_items:
                continue
            label = data.bank.dimension_by_id[dim].label
            s = data.result.scores[dim]
            story += table_heading(
                f"{label}: score {fmt_score(s.mean if s.sufficient else None)}, coverage {s.coverage:.0%}"
            )
            rows: list[list[object]] = [list(head)]
            for item in dim_items:
                number += 1
                statement = TextBlock(
                    run(item.render(innovation) + (" (reverse)" if item.reverse else "")),
                    run(item.id, size=6.5, colour=MUTED),
                )
                answer: str
                if single:
                    ans = sets[0].answers.get(item.id)
                    answer = answer_text(data, item, ans.value if ans is not None else None)
                    comment = ans.comment if ans is not None and ans.comment else ""
                else:
                    answer = distribution_text(data, item, sets)
                    comment = "\n".join(
                        f"{role_label(a.context.respondent_role)}: {a.answers[item.id].comment}"
                        for a in sets
                        if item.id in a.answers and a.answers[item.id].comment
                    )
                rows.append(
                    [
                        str(number),
                        statement,
                        answer,
                        CellText(comment),
                    ]
                )
            widths = [22, 215, 88] if single else [22, 195, 122]
            story.append(grid_table(rows, [*widths, FRAME_WIDTH - sum(widths)]))
            story.append(Spacer(1, 2 * mm))
    return story


def _splittable(heading: Heading) -> Heading:
    """A heading that does not drag a long table after it to the next page (a CondPageBreak precedes it)."""
    heading.keepWithNext = 0
    return heading


def agreement_word(r_wg: float | None) -> str:
    """The workshop domain's conventional bands for r_wg, so the report and the app use the same words."""
    from ..workshop import AGREEMENT_LABELS, agreement_for  # numpy and pandas: only loaded for workshops

    return AGREEMENT_LABELS[agreement_for(r_wg)] if r_wg is not None else "–"


def workshop_tables(data: ReportData) -> list[Flowable]:
    w = data.workshop
    if w is None:
        return []
    labels = {d.id: d.label for d in data.bank.dimensions}
    story: list[Flowable] = [
        CondPageBreak(60 * mm),
        _splittable(Heading("Workshop: spread of the answers", STYLES.h2, "appendix-spread", level=1)),
        para(
            "For each dimension, the mean of the respondents' scores, their standard deviation (SD) and the "
            "within-group agreement index r_wg, which is 1 when everyone answered alike and 0 when the answers are "
            "as scattered as random ones. By the usual convention, more than 0.7 counts as strong agreement.",
            STYLES.small,
        ),
    ]
    if w.note:
        story.append(para(w.note, STYLES.small))
    head = ["Dimension", "n", "Mean", "SD", "r_wg", "Agreement"]
    rows: list[list[object]] = [list(head)]
    for dim in DIMENSION_IDS:
        sp = w.spread.get(dim)
        if sp is None:
            continue
        rows.append(
            [
                labels.get(dim, dim),
                str(sp.n),
                fmt_score(sp.mean),
                "–" if sp.sd is None else f"{sp.sd:.2f}",
                "–" if sp.r_wg is None else f"{sp.r_wg:.2f}",
                agreement_word(sp.r_wg),
            ]
        )
    if len(rows) > 1:
        story.append(grid_table(rows, [FRAME_WIDTH - 290, 30, 45, 45, 45, 125]))
    else:
        story.append(para("No spread was recorded."))

    story += [
        CondPageBreak(50 * mm),
        _splittable(Heading("Workshop: agenda of disagreements", STYLES.h2, "appendix-agenda", level=1)),
        para(
            "The questions on which the respondents differed most, widest spread first, with each role's mean "
            "rating as answered (before any reversal). These are the questions worth discussing first.",
            STYLES.small,
        ),
    ]
    if not w.agenda:
        story.append(para("The respondents did not disagree markedly on any single question."))
        return story + _role_findings(w)
    rows = [["#", "Statement", "SD", "Mean by role"]]
    for rank, a in enumerate(w.agenda, 1):
        by_role = "\n".join(f"{role_label(r)}: {fmt_score(m)}" for r, m in a.means_by_role.items())
        statement = TextBlock(
            run(a.text), run(a.item_id, size=6.5, colour=MUTED), *(run(f"“{c}”", size=7.5) for c in a.comments)
        )
        rows.append(
            [
                str(rank),
                statement,
                f"{a.sd:.2f}",
                by_role,
            ]
        )
    story.append(grid_table(rows, [22, FRAME_WIDTH - 222, 40, 160]))
    return story + _role_findings(w)


def _role_findings(w: WorkshopSection) -> list[Flowable]:
    """Disagreement between roles, perception gaps and department pockets, as the dashboard shows them."""
    index = "not enough answers" if w.disagreement_index is None else f"{w.disagreement_index:.2f} points"
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        _splittable(Heading("Workshop: roles and departments", STYLES.h2, "appendix-roles", level=1)),
        para(
            f"No figure here describes fewer than {w.min_group} people: smaller roles and departments are merged.",
            STYLES.small,
        ),
        para(f"Role-disagreement index: {index}. {w.disagreement_note}"),
    ]
    if w.perception_gaps:
        story.append(para("Perception gaps between managers and clinicians", STYLES.h3))
        story += [para(g, STYLES.bullet) for g in w.perception_gaps]
    if w.pockets:
        story += [para("Department pockets", STYLES.h3), para(w.pockets)]
    return story


def appendix(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [Heading(SECTION_TITLES["appendix"], STYLES.h1, "appendix")]
    description = data.ctx("innovation_description")
    if description:
        story += [para("About the innovation", STYLES.h3), para(description)]
    story += answers_tables(data)
    story += workshop_tables(data)
    return story
