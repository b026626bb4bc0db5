"""The parts of the workshop dashboard, each drawn from the store's `WorkshopSummary` (or participant list).

Layout only: every number and sentence comes from `assessment.workshop`. Participants' text (names,
departments, comments) and the facilitator's (titles, notes) is shown escaped in Markdown, or as plain cells in
st.dataframe (which renders no Markdown or HTML).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ..bank import QuestionBank
from ..chart_data import STATUS_LABELS
from ..disclosure import merge_rule, promise
from ..instrument.present import MethodLines
from ..plain import citation_for_people as cite
from ..plain import score_cell, score_text
from ..report import WorkshopSection, render_report
from ..store import get_store
from ..vocabulary import DIMENSION_IDS, STRONG_AGREEMENT_ABOVE
from ..workshop import (
    AGREEMENT_LABELS,
    ParticipantStatus,
    ResultsHidden,
    WorkshopSummary,
    group_label,
)
from ..workshop.wording import perception_gap_finding, role_finding, role_verdict
from .widgets import esc, recommendation_card, show_chart, slug
from .workshop_figures import dimension_label, role_heatmap, spread_figure

ANONYMOUS = "anonymous"
RWG_WORDS = "agreement (r_wg, 0 = none, 1 = full)"  # said once per view where r_wg is shown
RWG_HELP = (
    "r_wg: how far the participants' ratings agree, from 0 (no more agreement than random answers) to 1 (everyone "
    "gave the same rating)."
)


def _one_line(text: str) -> str:
    """User text for a Markdown list item: line breaks become spaces (the text is escaped separately)."""
    return " ".join(text.split())


def fmt(x: float | None, nd: int = 2) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


def chart_file(summary: WorkshopSummary, what: str) -> str:
    return f"{slug(summary.title, 'workshop')}-{what}"


# ----- participation ---------------------------------------------------------------------------------------


PROGRESS_LABELS = {
    "not_started": "not started",
    "answering": "in progress",
    "submitted": "submitted",
    "excluded": "excluded",
}


def status_of(p: ParticipantStatus) -> str:
    return PROGRESS_LABELS[p.progress]


def numbering(people: Sequence[ParticipantStatus]) -> dict[int, int]:
    """Participant numbers 1..N within the workshop, by join order (the store's ids stay behind the screen)."""
    ordered = sorted(people, key=lambda p: (p.joined_at, p.participant_id))
    return {p.participant_id: n for n, p in enumerate(ordered, start=1)}


def participants_frame(people: Sequence[ParticipantStatus], *, safe: bool = False) -> pd.DataFrame:
    """The participant list; `safe` (projector-safe mode) leaves out names and departments."""
    columns = ["#", "Role", "Status"] if safe else ["#", "Role", "Department", "Name", "Status"]
    number = numbering(people)
    return pd.DataFrame(
        {
            "#": [number[p.participant_id] for p in people],
            "Role": [p.role_label for p in people],
            "Department": [p.department or "–" for p in people],
            "Name": [p.name or ANONYMOUS for p in people],
            "Status": [status_of(p) for p in people],
        },
        columns=columns,
    )


def participation(people: Sequence[ParticipantStatus], k: int, *, safe: bool = False) -> None:
    """Counts (submitted, in progress and not started apart; excluded people in none), then who joined (without
    names and departments when `safe`)."""
    counted = [p for p in people if not p.excluded]
    states = [status_of(p) for p in counted]
    cols = st.columns(4)
    cols[0].metric("Joined", len(counted))
    cols[1].metric("Not started", states.count("not started"))
    cols[2].metric("In progress", states.count("in progress"))
    cols[3].metric("Submitted", f"{states.count('submitted')} of {len(counted)}")
    excluded = len(people) - len(counted)
    if excluded:
        st.caption(f"{excluded} excluded participant{'s' if excluded != 1 else ''}: in no figure or export.")
    if not people:
        st.info("Nobody has joined yet. Share the join code or link.", icon=":material/hourglass_empty:")
        return
    st.caption(f"{promise(k)} {merge_rule(k)}")
    st.caption(
        "Progress is shown as a status, not a count of answers, so that no line here can be matched with a row "
        "of an export."
    )
    st.dataframe(participants_frame(people, safe=safe), hide_index=True, width="stretch")


# ----- releases ---------------------------------------------------------------------------------------------


def release_text(summary: WorkshopSummary) -> tuple[str, str]:
    """What the results are computed from, in words: (headline, detail)."""
    r = summary.release
    if r is None:
        return "", ""
    waiting = (
        f" {r.waiting} more {'person has' if r.waiting == 1 else 'people have'} submitted, changed or been "
        f"excluded since; their answers are added once at least {r.k} can be added together."
        if r.waiting
        else ""
    )
    if r.number == 0:
        return (
            f"No results yet: results appear once at least {r.k} people have submitted their answers.{waiting}",
            "",
        )
    when = f" at {r.at:%H:%M} UTC" if r.at else ""
    held = (
        f" {r.held_back} figure{'s are' if r.held_back != 1 else ' is'} held back in this release, because together "
        f"with the figures already shown {'they' if r.held_back != 1 else 'it'} would let someone work out the "
        f"answers of fewer than {r.k} people."
        if r.held_back
        else ""
    )
    return (
        f"Results from the submitted answers of {r.people} people (release {r.number}{when}).{waiting}",
        held.strip(),
    )


def release_notice(summary: WorkshopSummary) -> None:
    headline, detail = release_text(summary)
    if headline:
        st.info(headline + (f"  \n:small[{detail}]" if detail else ""), icon=":material/lock:")


# ----- group result ----------------------------------------------------------------------------------------


def consensus_notice(summary: WorkshopSummary, bank: QuestionBank) -> None:
    """Say plainly whether the result rests on agreed scores, and whether they changed the strategy."""
    if not summary.consensus_used:
        st.caption(
            "The result below is computed from the participants' answers: no agreed (consensus) scores are "
            "recorded yet."
        )
        return
    names = ", ".join(bank.dimension_by_id[d].label for d in summary.consensus_dimensions)
    text = f"Agreed (consensus) scores are used in this result for: {names}. The other dimensions keep the group score."
    if summary.consensus_changed_strategy:
        before = summary.group_result.recommendation.strategy_label
        after = summary.result.recommendation.strategy_label
        text += f" The agreed scores changed the recommended strategy from {before} to {after}."
    else:
        text += " The recommended strategy is the same as from the computed group scores."
    st.info(esc(text), icon=":material/handshake:")


def group_recommendation(summary: WorkshopSummary, bank: QuestionBank) -> None:
    consensus_notice(summary, bank)
    recommendation_card(summary.result)


def role_recommendations(summary: WorkshopSummary) -> None:
    """Each role group's own recommendation beside the group's, and whether they differ, as a finding."""
    group = summary.group_result.recommendation
    rows = []
    for g in summary.role_groups:
        own, verdict = role_verdict(g)
        rows.append(
            {
                "Role": g.label,
                "Respondents": g.respondents,
                "Their answers alone recommend": own,
                "Readiness": fmt(g.readiness),
                "Compared with the group": verdict,
            }
        )
    kind, text = role_finding(summary.role_groups, group.strategy_label)
    if kind == "flagged":
        st.warning(esc(text), icon=":material/call_split:")
    elif kind == "clear":
        st.success(esc(text), icon=":material/join_inner:")
    else:
        st.caption(esc(text))
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# ----- spread and agreement ----------------------------------------------------------------------------------


def spread_frame(summary: WorkshopSummary, bank: QuestionBank) -> pd.DataFrame:
    dims = [summary.dimensions[d] for d in DIMENSION_IDS]
    frame = pd.DataFrame(
        {
            "Dimension": [dimension_label(bank, d.dimension) for d in dims],
            "Group score": [score_cell(d.mean) for d in dims],  # text, so a missing value reads "–", never "None"
            "SD": [fmt(d.sd) for d in dims],
            "n": [d.n for d in dims],
            "Don't know": [d.dont_know for d in dims],
            "r_wg": [fmt(d.rwg) for d in dims],
            "Agreement": [AGREEMENT_LABELS[d.agreement] for d in dims],
            "Status": [STATUS_LABELS.get(d.status, d.status) for d in dims],
            "Agreed score": [score_cell(d.consensus) for d in dims],
        }
    )
    return frame if summary.consensus_used else frame.drop(columns="Agreed score")


def dimension_spread(summary: WorkshopSummary, bank: QuestionBank, *, chart_key: str = "ws_spread") -> None:
    st.markdown(
        "Each dot is the group score (the mean of the participants' own dimension scores); the blue bar spans "
        "± 1 standard deviation (no lowest or highest score is shown: each would be one person's). At the right, "
        f"{RWG_WORDS}: 1 = everyone gave the same ratings, 0 = no more agreement than random answers; above "
        f"{STRONG_AGREEMENT_ABOVE:.2f} is the usual bar for treating the group score as shared."
    )
    show_chart(spread_figure(summary, bank), key=chart_key, filename=chart_file(summary, "spread"))
    st.dataframe(
        spread_frame(summary, bank),
        hide_index=True,
        width="stretch",
        height="content",
        column_config={"r_wg": st.column_config.TextColumn(help=RWG_HELP)},
    )
    with st.expander("How these figures are computed"):
        st.markdown(esc(summary.method))


# ----- roles -------------------------------------------------------------------------------------------------


def role_split(summary: WorkshopSummary, bank: QuestionBank, *, chart_key: str = "ws_roles") -> None:
    st.markdown("How each role sees every dimension: the mean score of the participants in that role (1-5).")
    show_chart(role_heatmap(summary, bank), key=chart_key, filename=chart_file(summary, "roles"))


def role_disagreement(summary: WorkshopSummary, bank: QuestionBank) -> None:
    rd = summary.role_disagreement
    left, right = st.columns(2)
    left.metric(
        "Role-disagreement index",
        fmt(rd.index),
        help="Mean difference between role groups' scores for the same dimension, in points on the 1-5 scale.",
    )
    right.metric(
        "Heterogeneity as answered",
        score_cell(rd.heterogeneity_score),
        help="The group score of the heterogeneity dimension: how different participants said the groups are.",
    )
    st.markdown(esc(rd.explanation))
    if rd.largest:
        st.markdown(
            "**Largest differences between roles:**\n"
            + "\n".join(
                f"- {esc(bank.dimension_by_id[g.dimension].label)}: {esc(group_label(g.role_a))} "
                f"{score_text(g.mean_a)} vs {esc(group_label(g.role_b))} {score_text(g.mean_b)} "
                f"({g.difference:.1f} points)"
                for g in rd.largest
            )
        )


def perception_gaps(summary: WorkshopSummary) -> None:
    kind, lines, needs = perception_gap_finding(summary.perception_gaps, summary.min_group)
    for line in lines:
        box = st.warning if kind == "flagged" else st.success
        box(esc(line), icon=":material/visibility:")
    if needs:
        (st.info if kind == "missing" else st.caption)(esc(needs))
    st.dataframe(
        pd.DataFrame(
            {
                "Dimension": [g.label for g in summary.perception_gaps],
                "Executives and managers": [score_cell(g.managers.mean) for g in summary.perception_gaps],
                "n (managers)": [g.managers.n for g in summary.perception_gaps],
                "Clinicians": [score_cell(g.clinicians.mean) for g in summary.perception_gaps],
                "n (clinicians)": [g.clinicians.n for g in summary.perception_gaps],
                "Gap": [fmt(g.gap) for g in summary.perception_gaps],
                "Flagged": ["yes" if g.flagged else "no" for g in summary.perception_gaps],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("Sources: " + esc("; ".join(cite(c) for c in summary.perception_gap_citations)))


def department_pockets(summary: WorkshopSummary, bank: QuestionBank, *, safe: bool = False) -> None:
    if safe:
        st.caption("Department pockets are hidden in projector-safe mode (they name departments).")
        return
    dp = summary.department_pockets
    (st.warning if dp.flagged else st.markdown)(esc(dp.explanation))
    if dp.departments:
        data: dict[str, list] = {
            "Department": [d.department for d in dp.departments],
            "Participants": [d.respondents for d in dp.departments],
        }
        for dim in dp.dimensions:
            data[bank.dimension_by_id[dim].label] = [score_cell(d.scores[dim].mean) for d in dp.departments]
        st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch")
    st.caption(f"Source: {esc(cite(dp.citation))}")


# ----- agenda ------------------------------------------------------------------------------------------------


def agenda(summary: WorkshopSummary) -> None:
    if not summary.agenda:
        st.info(
            "No statement divides the group yet: an item reaches the agenda once at least two participants rated it "
            "differently.",
            icon=":material/forum:",
        )
        return
    st.markdown(
        "The statements the participants disagreed on most (largest standard deviation first): a running order for "
        "the discussion. Means are as answered (for a reverse-worded statement a high rating is the unfavourable one); "
        f"{RWG_WORDS} is given for each statement.",
        help=RWG_HELP,
    )
    for a in summary.agenda:
        with st.container(border=True):
            st.markdown(
                f"**{a.rank}. {esc(a.text)}**  \n"
                f":small[{esc(a.dimension_label)}"
                + (" · reverse-worded" if a.reverse else "")
                + f" · mean {score_cell(a.mean)} · SD {fmt(a.sd)}"
                f" · agreement {fmt(a.rwg)} · {a.n} rating{'s' if a.n != 1 else ''}"
                + (f" · {a.dont_know} don't know" if a.dont_know else "")
                + "]"
            )
            if a.by_role:
                st.markdown(
                    "By role: "
                    + " · ".join(
                        f"{esc(group_label(r))} **{score_cell(g.mean)}** (n = {g.n})" for r, g in a.by_role.items()
                    )
                )
            if a.comments:
                st.markdown("Comments:\n" + "\n".join(f"- {esc(_one_line(c))}" for c in a.comments))


# ----- downloads ---------------------------------------------------------------------------------------------


def group_report(code: str, key: str, bank: QuestionBank, reliability: MethodLines | None = None) -> bytes:
    """The group PDF report: the final result (agreed scores where recorded), the answers of everyone counted, and
    the workshop section (participation, spread, agenda, role findings), all from one snapshot of the store.
    `reliability`: the method section's lines on how well the items agree in use (`instrument_data`).

    The appendix's tallies and comments come from the latest release only, for the statements whose figures it
    publishes, with no role, name or department."""
    view, answer_sets = get_store().workshop_view(code, key, with_answers=True)
    summary = view.summary
    if summary is None or summary.too_few:
        needed = f"The report needs answers from at least {view.info.min_group_size} people."
        raise ResultsHidden(view.hidden_message or needed)
    private = answer_sets  # released answers, without roles, names or departments (`Store.workshop_view`)
    section = WorkshopSection.from_summary(summary)
    return render_report(summary.result, bank, private, section, reliability=reliability)
