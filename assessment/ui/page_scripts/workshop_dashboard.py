"""The facilitator's dashboard: opened with the join code (`?facilitate=CODE`) and the facilitator key, which is
typed on this page and kept only in this browser session, never in a URL.

Views: live results (refreshing every 10 seconds in a fragment), agreed scores, the board view of the group
result, downloads and settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

import streamlit as st

from assessment.answers import MAX_COMMENT
from assessment.bank import QuestionBank, default_bank
from assessment.plain import score_text
from assessment.report.board import GroupAgreement
from assessment.store import Store, get_store
from assessment.ui import dashboard_admin as admin
from assessment.ui import room, routes, second_round, state
from assessment.ui import workshop_state as ws
from assessment.ui import workshop_views as views
from assessment.ui.board import render_board
from assessment.ui.labels import MODE_LABELS, RESEARCH_USE_DASHBOARD_OFF, RESEARCH_USE_DASHBOARD_ON
from assessment.ui.widgets import esc, guarded
from assessment.vocabulary import DIMENSION_IDS, STAGE_LABELS, long_date
from assessment.workshop import (
    MalformedJoinCode,
    WorkshopError,
    WorkshopInfo,
    WorkshopSummary,
    WorkshopView,
    normalise_join_code,
)
from assessment.workshop.rounds import second_round_sentence

LOG = logging.getLogger(__name__)
Action = Callable[[Store, str, str], object]

VIEW_WIDGET = "wd_view"
LIVE, CONSENSUS, BOARD, DOWNLOADS, SETTINGS = "Live results", "Agreed scores", "Board view", "Downloads", "Settings"
VIEWS = {
    LIVE: ":material/monitoring:",
    CONSENSUS: ":material/handshake:",
    BOARD: ":material/co_present:",
    DOWNLOADS: ":material/download:",
    SETTINGS: ":material/settings:",
}
AUTO_WIDGET = "wd_auto"
REFRESH_SECONDS = 10
CONSENSUS_DIM = "wd_cons_dim"


def _code_of(text: str | None) -> str | None:
    try:
        return normalise_join_code(text or "")
    except MalformedJoinCode:
        return None


# ----- access ------------------------------------------------------------------------------------------------


def _credentials() -> tuple[str, str] | None:
    """The code and key of this session's dashboard, or None after drawing the form that asks for them."""
    linked = st.query_params.get(routes.FACILITATE_PARAM)
    current = ws.facilitator()
    if current and (not linked or _code_of(linked) == current[0]):
        if linked != current[0]:
            st.query_params.from_dict({routes.FACILITATE_PARAM: current[0]})
        return current
    _key_form(linked)
    return None


def _key_form(linked: str | None) -> None:
    st.title("Workshop dashboard")
    st.markdown(
        "Enter the workshop's join code and the **facilitator key** you were shown when you created the workshop. "
        "The key is never part of a link, so the dashboard asks for it in each new browser session."
    )
    with st.form("wd_open_form", enter_to_submit=True):
        code = st.text_input("Join code", value=linked or "", max_chars=40, placeholder="ABCD-EFGH", key="wdw_code")
        key = st.text_input("Facilitator key", type="password", max_chars=256, key="wdw_key")
        go = st.form_submit_button("Open the dashboard", type="primary", icon=":material/dashboard:", key="wd_open")
    st.page_link(routes.WORKSHOP_NEW, label="Set up a new workshop instead", icon=":material/groups:")
    if not go:
        return
    join_code = ws.unlock_dashboard(code, key)
    if join_code is None:
        return
    st.query_params.from_dict({routes.FACILITATE_PARAM: join_code})
    st.rerun()


# ----- callbacks (full reruns; failures are flashed, never raised) ---------------------------------------------


def _act(action: Action, done: str) -> None:
    creds = ws.facilitator()
    if creds is None:
        return
    try:
        action(get_store(), *creds)
    except WorkshopError as exc:
        state.flash("error", exc.one_line())
        return
    except Exception:
        LOG.exception("dashboard action failed")
        state.flash("error", "That did not work just now. Please try again.")
        return
    if done:
        state.flash("success", done)


def _record_consensus(dim: str, label: str) -> None:
    if st.session_state.get(CONSENSUS_DIM, dim) != dim:  # another dimension chosen as the button was pressed
        state.flash("warning", f"Nothing was recorded: the dimension changed from {label} as you pressed the button. "
                    "Check the score shown and record it again.")  # fmt: skip
        return
    score = float(st.session_state.get(f"wd_cons_score_{dim}") or 0)
    note = st.session_state.get(f"wd_cons_note_{dim}") or ""
    done = f"Agreed score for {label} recorded: {score_text(score)}."
    _act(lambda s, c, k: s.set_consensus(c, k, dim, score, note), done)


def _clear_consensus(dims: list[str], what: str) -> None:
    def clear(s: Store, c: str, k: str) -> None:
        for d in dims:
            s.clear_consensus(c, k, d)

    _act(clear, f"Agreed score cleared for {what}.")


def _set_hidden() -> None:
    hide = bool(st.session_state.get("wd_hide"))
    _act(
        lambda s, c, k: s.set_hide_until_submitted(c, k, hide),
        "Individual answers are now hidden until everyone has submitted."
        if hide
        else "Results are shown as answers come in.",
    )


def _lock() -> None:
    ws.forget_facilitator()
    st.query_params.clear()


# ----- header ------------------------------------------------------------------------------------------------


def _header(code: str, info: WorkshopInfo) -> None:
    ctx = info.context
    st.title(f"Workshop: {esc(info.title)}")
    what = " · ".join(esc(x) for x in (ctx.organisation_name, ctx.innovation_title) if x)
    stage = STAGE_LABELS.get(ctx.stage, ctx.stage)
    st.markdown(
        (f"**{what}**  \n" if what else "")
        + f":small[{MODE_LABELS[info.mode]} · {esc(stage)} stage · open until {long_date(info.expires_at)}"
        + (" · individual answers hidden until everyone has submitted" if info.hide_until_submitted else "")
        + "]"
    )
    st.caption(RESEARCH_USE_DASHBOARD_ON if info.research_use else RESEARCH_USE_DASHBOARD_OFF)
    left, right = st.columns([1, 2], vertical_alignment="center")
    left.markdown(f"Join code: **:blue[{code}]**")
    with right:
        st.code(ws.join_link(code), language=None)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.page_link(routes.WORKSHOP_ROOM, label="Show to the room", icon=":material/co_present:")
        room.projector_safe_toggle()


# ----- views -------------------------------------------------------------------------------------------------


def _live_body(code: str, key: str, bank: QuestionBank, loaded: list[WorkshopView]) -> None:
    view = loaded.pop() if loaded else get_store().workshop_view(code, key)[0]  # one read per (fragment) run
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"Updated at {datetime.now(UTC):%H:%M:%S} UTC")
        st.button("Refresh now", key="wd_refresh", icon=":material/refresh:", type="tertiary")
    st.subheader("Participants")
    if view.pace.suspicious:
        st.warning(esc(view.pace.message), icon=":material/group_add:")
    joining = get_store().joining_status(code, key)
    if not joining.open:
        st.caption(":material/lock: Joining is closed: nobody new can join (Settings).")
    if note := admin.rejoins_note(joining):
        st.warning(esc(note), icon=":material/devices:")
    safe = room.projector_safe()
    views.participation(view.participants, view.info.min_group_size, safe=safe)
    summary = view.summary
    if summary is None:
        st.info(
            esc(view.hidden_message) + "  \nOnly participation is shown until then, so that nobody's answers can be "
            "singled out while others are still answering.",
            icon=":material/visibility_off:",
        )
        return
    if summary.too_few:
        st.info(
            f"Results appear once at least {summary.min_group} people have answered (the workshop's minimum group "
            f"size), so that no figure describes fewer people. {summary.participation.started} have answered so far.",
            icon=":material/groups:",
        )
        return
    views.release_notice(summary)
    if not summary.has_answers:
        return
    st.subheader("Group recommendation")
    views.group_recommendation(summary, bank)
    st.subheader("Scores, spread and agreement")
    views.dimension_spread(summary, bank)
    st.subheader("Disagreement agenda")
    views.agenda(summary)
    second_round.round_results(summary)
    st.subheader("How the roles see it")
    views.role_split(summary, bank)
    views.role_recommendations(summary)
    st.markdown("#### Disagreement between roles")
    views.role_disagreement(summary, bank)
    st.subheader("Perception gaps")
    views.perception_gaps(summary)
    st.subheader("Department pockets")
    views.department_pockets(summary, bank, safe=safe)


def _live(code: str, key: str, bank: QuestionBank, view: WorkshopView) -> None:
    auto = st.toggle(
        f"Refresh automatically every {REFRESH_SECONDS} seconds",
        value=True,
        key=AUTO_WIDGET,
        help="Pause it while you discuss, so the page stays still.",
    )
    loaded = [view]  # the page's snapshot for the first run; the fragment's own reruns read a fresh one

    @st.fragment(run_every=f"{REFRESH_SECONDS}s" if auto else None)
    def live() -> None:
        guarded(lambda: _live_body(code, key, bank, loaded), ws.UNEXPECTED_FACILITATOR)

    live()
    # outside the refreshing part, so a choice being made is not redrawn under the facilitator's hands; the page's
    # snapshot names the release the room saw, and the store refuses the round if a newer one came since
    if view.summary is not None and not view.summary.too_few:
        second_round.round_controls(view.summary, _act)


def _consensus(bank: QuestionBank, view: WorkshopView) -> None:
    st.markdown(
        "After discussing a dimension, record the score the group agreed (1-5) with a note. Agreed scores replace "
        "the computed group score of their dimension in the final result, the board view and the report, and "
        "each of them says so. Clear an agreed score to go back to the computed one."
    )
    agreed = view.consensus
    summary = view.summary if view.summary is not None and not view.summary.too_few else None
    if summary is None:
        st.caption("The computed group scores are not shown yet (hidden, or too few answers).")

    def label(d: str) -> str:  # fixed labels: a selectbox whose option labels change can lose its selection
        return bank.dimension_by_id[d].label

    with st.container(border=True):
        dim = st.selectbox("Dimension", DIMENSION_IDS, format_func=label, key=CONSENSUS_DIM)
        computed = summary.dimensions[dim].mean if summary else None
        facts = []
        if summary is not None:
            agg = summary.dimensions[dim]
            facts.append(
                "Computed group score "
                + (
                    "–"
                    if agg.mean is None
                    else f"{score_text(agg.mean)} ± {agg.sd or 0:.2f} (SD), {views.RWG_WORDS} {views.fmt(agg.rwg)}"
                )
            )
        facts.append(f"agreed score {score_text(agreed[dim].score)}" if dim in agreed else "no agreed score yet")
        st.caption(esc(" · ".join(facts)))
        # the computed score as printed everywhere: 2.47 stays below the cut point 2.5 (not rounded up to it)
        default = agreed[dim].score if dim in agreed else float(score_text(computed)) if computed is not None else 3.0
        state.seed(f"wd_cons_score_{dim}", float(default))
        state.seed(f"wd_cons_note_{dim}", agreed[dim].note if dim in agreed else "")
        left, right = st.columns([1, 3])
        left.number_input("Agreed score (1-5)", min_value=1.0, max_value=5.0, step=0.1, format="%.2f",
                          key=f"wd_cons_score_{dim}")  # fmt: skip
        right.text_input("Note (optional)", max_chars=MAX_COMMENT, key=f"wd_cons_note_{dim}",
                         placeholder="e.g. Agreed after discussing the ward managers' comments")  # fmt: skip
        name = bank.dimension_by_id[dim].label
        st.button("Record the agreed score", type="primary", icon=":material/check:", key="wd_cons_record",
                  on_click=_record_consensus, args=(dim, name))  # fmt: skip
    if agreed:
        st.markdown("**Agreed scores recorded**")
        for d in DIMENSION_IDS:
            if d not in agreed:
                continue
            c = agreed[d]
            computed_here = summary.dimensions[d].mean if summary else None
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(
                    f"**{esc(bank.dimension_by_id[d].label)}**: agreed {score_text(c.score)}"
                    + (f" (computed group score {score_text(computed_here)})" if computed_here is not None else "")
                    + (f" · {esc(c.note)}" if c.note else "")
                )
                st.button("Clear", key=f"wd_cons_clear_{d}", icon=":material/close:",
                          on_click=_clear_consensus, args=([d], bank.dimension_by_id[d].label))  # fmt: skip
        st.button("Clear all agreed scores", key="wd_cons_clear_all", icon=":material/delete_sweep:",
                  on_click=_clear_consensus, args=(list(agreed), "every dimension"))  # fmt: skip
    if summary is not None:
        st.markdown("**The final result**")
        views.group_recommendation(summary, bank)


def board_facts(summary: WorkshopSummary) -> list[str]:
    stage = summary.result.readiness.stage
    # the people the figures describe: the release's, not everyone who has joined since
    n = summary.release.people if summary.release is not None else summary.participation.started
    facts = [
        long_date(date.today()),
        f"{STAGE_LABELS.get(stage, stage)} stage",
        f"workshop of {n} participant{'s' if n != 1 else ''}",
        "quick scan" if summary.mode == "quick" else "full assessment",
    ]
    if summary.consensus_used:
        k = len(summary.consensus_dimensions)
        facts.append(f"agreed scores for {k} dimension{'s' if k != 1 else ''}")
    return facts


def board_notes(summary: WorkshopSummary, bank: QuestionBank) -> list[str]:
    rounds = [second_round_sentence(summary.second_round, summary.min_group)] if summary.second_round else []
    if not summary.consensus_used:
        return ["Group result computed from the participants' answers (no agreed scores recorded).", *rounds]
    names = ", ".join(bank.dimension_by_id[d].label for d in summary.consensus_dimensions)
    note = f"Agreed (consensus) scores used for: {names}."
    if summary.consensus_changed_strategy:
        note += (
            f" They changed the recommendation from {summary.group_result.recommendation.strategy_label} "
            f"to {summary.result.recommendation.strategy_label}."
        )
    return [note, *rounds]


def _board(bank: QuestionBank, view: WorkshopView) -> None:
    summary = view.summary
    if summary is None:
        st.info(esc(view.hidden_message), icon=":material/visibility_off:")
        return
    if summary.too_few or not summary.has_answers:
        st.info(
            f"No board view yet: it is drawn from the answers of at least {view.info.min_group_size} people.",
            icon=":material/info:",
        )
        return
    st.sidebar.caption(
        "For a clean 16:9 screenshot, collapse this sidebar and use a browser window of about 1600 × 900."
    )
    render_board(summary.result, bank, facts=board_facts(summary), notes=board_notes(summary, bank),
                 key="wd_board_radar", group=GroupAgreement.from_summary(summary))  # fmt: skip


def _settings(code: str, key: str, view: WorkshopView) -> None:
    admin.joining(get_store().joining_status(code, key), _act)
    admin.settings(code, view, _act, _set_hidden)


def render() -> None:
    bank = default_bank()
    creds = _credentials()
    if creds is None:
        return
    code, key = creds
    try:
        loaded, _ = get_store().workshop_view(code, key)  # one read transaction for this run
    except WorkshopError as exc:
        st.error(esc(exc.one_line()))
        st.button("Enter another code or key", on_click=_lock, key="wd_relock")
        return
    view = st.session_state.get(VIEW_WIDGET) or LIVE
    if view != BOARD:
        _header(code, loaded.info)
    state.seed(VIEW_WIDGET, LIVE)
    st.segmented_control(
        "View", list(VIEWS), format_func=lambda v: f"{VIEWS[v]} {v}", key=VIEW_WIDGET, required=True,
        label_visibility="collapsed",
    )  # fmt: skip
    view = st.session_state.get(VIEW_WIDGET) or LIVE
    {
        LIVE: lambda: _live(code, key, bank, loaded),
        CONSENSUS: lambda: _consensus(bank, loaded),
        BOARD: lambda: _board(bank, loaded),
        DOWNLOADS: lambda: admin.downloads(code, key, bank, loaded),
        SETTINGS: lambda: _settings(code, key, loaded),
    }[view]()


guarded(render, ws.UNEXPECTED_FACILITATOR)
