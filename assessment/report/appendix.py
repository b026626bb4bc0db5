"""Appendix: every question with its answer and comment (a workshop's findings come before it, in
workshop_findings.py). Then the glossary."""

from __future__ import annotations

from collections import Counter

from ..answers import MAX_COMMENT, AnswerSet
from ..bank import Item
from ..plain import GLOSSARY, score_cell
from ..vocabulary import GROUP_LABELS, GROUPS
from .blocks import SECTION_BREAK, Block, b, h, p, run, table
from .context import SECTION_TITLES, ReportData

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
            heading = f"{label}: score {score_cell(s.mean if s.sufficient else None)}"
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
                chunks = comment_chunks(comment)
                rows.append([str(number), statement, answer, chunks[0]])
                rows += [[str(number), f"{statement} (continued)", "", more] for more in chunks[1:]]
            widths: list[str | float] = [22, "1.25fr", 90, "1fr"] if single else [22, "1.1fr", 110, "1fr"]
            story.append(table(head, rows, widths, keep_rows=True))
    return story


CHUNK = MAX_COMMENT  # characters of comments per row (one comment is never cut): a row stays well under a page
CHUNK_LINES = 8  # and comments per row: a row that moves whole to the next page leaves little space behind


def comment_chunks(comments: str) -> list[str]:
    """Comments (one a line) packed into rows of at most CHUNK characters and CHUNK_LINES comments, whole
    comments where they fit and a longer one cut between words; each further row repeats the statement, so a page
    never starts with comments that belong to a statement on the page before."""
    chunks: list[str] = []
    current = ""
    for line in comments.split("\n") if comments else []:
        while len(line) > CHUNK:  # one comment longer than a row: cut it between words where it can be
            cut = line.rfind(" ", CHUNK // 2, CHUNK)
            cut = CHUNK if cut < 0 else cut
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut].rstrip() + " …")
            line = "… " + line[cut:].lstrip()
        if current and (len(current) + 1 + len(line) > CHUNK or current.count("\n") + 1 >= CHUNK_LINES):
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current or not chunks else chunks


def appendix(data: ReportData) -> list[Block]:
    story: list[Block] = [h(SECTION_TITLES["appendix"])]
    description = data.ctx("innovation_description")
    if description:
        story += [h("About the innovation", 2, outlined=False), p(description)]
    story += [*answers_tables(data), SECTION_BREAK]
    return story


def glossary(data: ReportData) -> list[Block]:
    story: list[Block] = [h(SECTION_TITLES["glossary"])]
    for term, text in GLOSSARY.items():
        story.append(p([b(term + ". "), run(text)]))
    return story
