"""The live reveal on the room screen: the facilitator steps through the disagreement agenda one statement at a
time; the room sees how the group answered it (how many gave each rating), the spread and agreement in words, the
role split where the release publishes one, and, once a second round is in, agreement before and after.

Everything here comes from the released summary (`assessment.disclosure`): the counts are published only for
statements whose whole-group figures the release shows, a role's mean only from k or more of its ratings. Never a
name, a department or a single person's rating. Layout only: one block of HTML in the room screen's style.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..bank import QuestionBank
from ..disclosure.policy import group_label
from ..plain import score_text
from ..workshop import AgendaItem, WorkshopSummary
from ..workshop.round_models import ItemSpread, RoundProgress, StatementChange
from ..workshop.rounds import spread_text


def _bars(spread: ItemSpread, anchors: dict[int, str]) -> str:
    top = max([*spread.counts, spread.dont_know, 1])
    rows = []
    for level, count in zip(range(1, 6), spread.counts, strict=True):
        rows.append(
            '<div class="rv-row">'
            f'<span class="rv-label">{html.escape(anchors.get(level, str(level)))}</span>'
            f'<span class="rv-bar"><span style="width:{100 * count / top:.0f}%"></span></span>'
            f'<span class="rv-count">{count}</span></div>'
        )
    rows.append(
        '<div class="rv-row rv-dk">'
        '<span class="rv-label">Don\'t know</span>'
        f'<span class="rv-bar"><span style="width:{100 * spread.dont_know / top:.0f}%"></span></span>'
        f'<span class="rv-count">{spread.dont_know}</span></div>'
    )
    return '<div class="rv-bars" role="img" aria-label="How many people gave each answer">' + "".join(rows) + "</div>"


def _roles(item: AgendaItem | None) -> str:
    if item is None:
        return '<p class="rv-roles">Role averages are shown for the statements on the current agenda.</p>'
    if not item.by_role:
        return '<p class="rv-roles">No role is shown apart: each role needs its own ratings from enough people.</p>'
    parts = [
        f"{html.escape(group_label(role))} <b>{score_text(g.mean)}</b> (n = {g.n})"
        for role, g in item.by_role.items()
        if g.mean is not None
    ]
    return '<p class="rv-roles">Average by role: ' + " · ".join(parts) + "</p>"


def _change(change: StatementChange | None, used: bool) -> str:
    if change is None:
        return ""
    if not used or change.before is None or change.after is None:
        return (
            '<p class="rv-round">Before the discussion: '
            f"{html.escape(spread_text(change.before))}. The second-round answers are not in the figures yet.</p>"
        )
    return (
        '<p class="rv-round">Before the discussion: '
        f"{html.escape(spread_text(change.before))}. After the second round: "
        f"<b>{html.escape(spread_text(change.after))}</b>.</p>"
    )


@dataclass(frozen=True)
class Step:
    """One statement on the room screen: from the agenda, or (once a second round is open) from the round."""

    item_id: str
    text: str
    dimension_label: str
    agenda: AgendaItem | None
    change: StatementChange | None


def steps(summary: WorkshopSummary) -> tuple[str, list[Step]]:
    """What the reveal steps through, and what to call it: the second round's statements once one is open (they
    may have left the agenda by agreeing), else the disagreement agenda."""
    agenda = {a.item_id: a for a in summary.agenda}
    rc = summary.second_round
    if rc is not None:
        return "in the second round", [
            Step(c.item_id, c.text, c.dimension_label, agenda.get(c.item_id), c) for c in rc.statements
        ]
    return "on the agenda", [Step(a.item_id, a.text, a.dimension_label, a, None) for a in summary.agenda]


def reveal_markup(
    summary: WorkshopSummary, step: int, bank: QuestionBank, progress: RoundProgress | None = None
) -> str:
    """The reveal of statement `step` (0-based; clamped), or a message when there is nothing to step through."""
    where, shown = steps(summary)
    if not shown:
        return (
            '<div class="room-screen"><div class="room-text">'
            '<p class="room-title">Nothing to reveal yet</p>'
            '<p class="room-lead">The agenda lists the statements the group answered most differently. It appears '
            f"once the answers of at least {summary.min_group} people are released and some statement has a spread."
            "</p></div></div>"
        )
    step = max(0, min(step, len(shown) - 1))
    here = shown[step]
    spread = summary.item_spread.get(here.item_id)
    item = bank.item_by_id.get(here.item_id)
    scale = bank.scales[item.scale].anchors if item is not None else {}
    rc = summary.second_round
    rounds = ""
    if progress is not None:
        rounds = (
            f'<p class="rv-progress" aria-live="polite">Second round: <b>{progress.rerated}</b> of '
            f"{progress.asked} have re-rated on their phones</p>"
        )
    reverse = (
        " This statement is worded the other way round: agreeing is the weaker position."
        if item is not None and item.reverse
        else ""
    )
    release = f" · release {summary.release.number}" if summary.release else ""
    if spread is None:
        figures = '<p class="rv-agree">The latest release does not show this statement\'s answers.</p>'
    else:
        figures = _bars(spread, scale) + (
            f'<p class="rv-agree">{html.escape(spread_text(spread))} · '
            f"{spread.n} rating{'s' if spread.n != 1 else ''}{html.escape(reverse)}</p>"
        )
    body = [
        '<div class="room-screen rv-screen"><div class="rv-main">',
        f'<p class="rv-step">Statement {step + 1} of {len(shown)} {where} · '
        f"{html.escape(here.dimension_label)}{release}</p>",
        f'<p class="rv-text">{html.escape(here.text)}</p>',
        figures,
        _roles(here.agenda),
        _change(here.change, bool(rc and rc.used)),
        rounds,
        "</div></div>",
    ]
    return "".join(body)


REVEAL_CSS = """
<style>
.rv-screen { align-items: stretch; }
.rv-main { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; gap: 2vh; justify-content: center; }
.rv-main p { margin: 0; }
.rv-step { font-size: min(3vh, 1.7vw); color: #333333; }
.rv-text { font-size: min(5.2vh, 2.9vw); font-weight: 600; line-height: 1.25; overflow: hidden;
  display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; }
.rv-bars { display: flex; flex-direction: column; gap: 0.9vh; }
.rv-row { display: grid; grid-template-columns: 30% 1fr 4em; align-items: center; gap: 1.2vw;
  font-size: min(3.2vh, 1.8vw); }
.rv-bar { background: #e8e8e8; height: min(4.2vh, 2.4vw); display: block; }
.rv-bar span { display: block; height: 100%; background: #0b3d91; }
.rv-dk .rv-bar span { background: #6b6b6b; }
.rv-count { font-weight: 700; text-align: right; }
.rv-agree, .rv-roles, .rv-round, .rv-progress { font-size: min(3.2vh, 1.8vw); line-height: 1.3; }
.rv-round { color: #0b3d91; }
</style>
"""
