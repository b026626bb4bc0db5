"""Appendix: every question with its answer and comment; for a workshop, the spread per dimension and the
agenda of items the respondents disagreed on. Then the glossary."""

from __future__ import annotations

from collections import Counter

from ..answers import AnswerSet
from ..bank import Item
from ..disclosure.policy import merge_rule, promise
from ..plain import GLOSSARY
from ..vocabulary import DIMENSION_IDS, GROUP_LABELS, GROUPS, STRONG_AGREEMENT_ABOVE
from .blocks import Block, b, bullets, h, p, run, table
from .context import SECTION_TITLES, ReportData, fmt_score, role_label
from .workshop_section import WorkshopSection

DONT_KNOW = "Don't know"
NO_ANSWER = "No answer"


def answer_text(data: ReportData, item: Item, value: object) -> str:
    """An answer as plain text: '4 · Agree', "Don't know" or 'No answer'."""
    if value == "dont_know":
        return DONT_KNOW
    if isinstance(value, int):
        return f"{value} · {data.bank.scales[item.scale].anchors.get(value, '')}"
    return NO_ANSWER


def distribution_text(data: ReportData, item: Item, sets: list[AnswerSet]) -> str:
    """Several respondents' answers to one item, counted: '3 × 4 · Agree', "1 × Don't know", '1 × No answer'."""
    counts: Counter[object] = Counter()
    for a in sets:
        ans = a.answers.get(item.id)
        counts[ans.value if ans is not None else None] += 1
    return "\n".join(
        f"{counts[v]} × {answer_text(data, item, v)}" for v in (5, 4, 3, 2, 1, "dont_know", None) if counts.get(v)
    )


def _asked_items(data: ReportData) -> list[Item]:
    full = data.mode != "quick"
    answered = {k for a in data.answer_sets for k in a.answers}
    return [i for i in data.bank.items if full or i.core or i.id in answered]


def answers_tables(data: ReportData) -> list[Block]:
    sets = data.answer_sets
    if not sets:
        return [p("No answers file was supplied with this report, so the individual answers are not shown.")]
    story: list[Block] = []
    single = len(sets) == 1
    items = _asked_items(data)
    asked = {i.id for i in items}
    n_bank = len(data.bank.items)
    if len(items) < n_bank:
        story.append(
            p(
                f"This was a quick scan: {len(items)} of the {n_bank} questions in the bank were asked; only "
                "those are listed.",
                "small",
            )
        )
    story.append(
        p(
            "Statements marked “reverse” are worded negatively; their rating is reversed before scoring. "
            + (
                "Answers are shown as given, with the scale's wording."
                if single
                else "With several respondents, each line counts how many gave that answer, and comments are "
                "listed in alphabetical order without who wrote them. A statement whose figures are held back so "
                "that nobody can be worked out (see the workshop section) shows none."
            ),
            "small",
        )
    )
    innovation = data.ctx("innovation_title")
    head = ["#", "Statement", "Answer" if single else "Answers", "Comment" if single else "Comments"]
    number = 0
    for group, dims in GROUPS.items():
        story.append(h(GROUP_LABELS[group], 2, outlined=False))
        for dim in dims:
            dim_items = [i for i in data.bank.items_by_dimension[dim] if i.id in asked]
            if not dim_items:
                continue
            label = data.bank.dimension_by_id[dim].label
            s = data.result.scores[dim]
            heading = f"{label}: score {fmt_score(s.mean if s.sufficient else None)}"
            if s.asked and not (data.result.mode == "profile" and data.workshop is None):
                heading += f", coverage {s.coverage:.0%}"
            story.append(h(heading, 3, outlined=False))
            rows = []
            for item in dim_items:
                number += 1
                statement = item.render(innovation) + (" (reverse)" if item.reverse else "")
                if single:
                    ans = sets[0].answers.get(item.id)
                    answer = answer_text(data, item, ans.value if ans is not None else None)
                    comment = ans.comment if ans is not None and ans.comment else ""
                else:
                    answer = distribution_text(data, item, sets)
                    comment = "\n".join(
                        sorted(
                            a.answers[item.id].comment
                            for a in sets
                            if item.id in a.answers and a.answers[item.id].comment
                        )
                    )
                rows.append([str(number), statement, answer, comment])
            widths: list[str | float] = [22, "1.25fr", 90, "1fr"] if single else [22, "1.1fr", 110, "1fr"]
            story.append(table(head, rows, widths))
    return story


def agreement_word(r_wg: float | None) -> str:
    """The workshop domain's conventional bands for r_wg, so the report and the app use the same words."""
    from ..workshop import AGREEMENT_LABELS, agreement_for  # numpy and pandas: only loaded for workshops

    return AGREEMENT_LABELS[agreement_for(r_wg)] if r_wg is not None else "–"


def workshop_tables(data: ReportData) -> list[Block]:
    w = data.workshop
    if w is None:
        return []
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
                fmt_score(sp.mean),
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
    story += [
        h("Workshop: agenda of disagreements", 2, outlined=True),
        p(
            "The questions on which the respondents differed most, widest spread first, with each role's mean "
            "rating as answered (before any reversal). These are the questions worth discussing first.",
            "small",
        ),
    ]
    if not w.agenda:
        story.append(p("The respondents did not disagree markedly on any single question."))
        return story + _second_round(w) + _role_findings(w)
    rows = []
    for rank, a in enumerate(w.agenda, 1):
        by_role = "\n".join(f"{role_label(r)}: {fmt_score(m)}" for r, m in a.means_by_role.items())
        statement: list[dict[str, object]] = [run(a.text)]
        statement += [run(f"\n“{c}”", colour="muted", size=9) for c in a.comments]
        rows.append([str(rank), statement, f"{a.sd:.2f}", by_role])
    story.append(table(["#", "Statement and comments", "SD", "Mean by role"], rows, [22, "1fr", 40, 150]))
    return story + _second_round(w) + _role_findings(w)


def _second_round(w: WorkshopSection) -> list[Block]:
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


def _role_findings(w: WorkshopSection) -> list[Block]:
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


def appendix(data: ReportData) -> list[Block]:
    story: list[Block] = [h(SECTION_TITLES["appendix"])]
    description = data.ctx("innovation_description")
    if description:
        story += [h("About the innovation", 2, outlined=False), p(description)]
    story += answers_tables(data)
    story += workshop_tables(data)
    return story


def glossary(data: ReportData) -> list[Block]:
    story: list[Block] = [h(SECTION_TITLES["glossary"])]
    for term, text in GLOSSARY.items():
        story.append(p([b(term + ". "), run(text)]))
    return story
