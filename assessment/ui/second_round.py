"""The second round on screen: the facilitator's panel on the dashboard (open it on the agenda's statements, then
agreement before and after) and the participant's card (re-rate the statements the room discussed, once).

The store decides everything (`store.rounds`); these are the widgets. A re-rating reaches the figures only in a
release with at least k people's changes, which the panel says while it waits."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..bank import QuestionBank
from ..store import Store, get_store
from ..workshop import WorkshopError, WorkshopSummary
from ..workshop.round_models import RoundComparison, RoundTask
from ..workshop.rounds import second_round_sentence, spread_text
from . import state
from . import workshop_state as ws
from .questions import accessible_name, question_label
from .widgets import esc, label_text

Act = Callable[[Callable[[Store, str, str], object], str], None]
PICK_PREFIX = "wdw_round_pick_"  # + the statement's id: one box per statement of the agenda
ROUND_FORM = "wk_round_form"
OPEN_BUTTON, CLOSE_BUTTON = "wd_open_round", "wd_close_round"  # one-shot buttons (`state.take_press`)
POLL_SECONDS = 10


def comparison_table(rc: RoundComparison) -> pd.DataFrame:
    """Agreement before and after, per statement and per dimension, in words with the figures (cells escaped:
    st.table draws Markdown)."""
    rows = [(f"{c.text} ({c.dimension_label})", c.before, c.after) for c in rc.statements]
    rows += [(f"Dimension: {d.label}", d.before, d.after) for d in rc.dimensions]
    return pd.DataFrame(
        [
            {
                "Statement or dimension": esc(label),
                "Before the discussion": spread_text(before),
                "After the second round": spread_text(after) if rc.used else "not in the figures yet",
            }
            for label, before, after in rows
        ]
    )


def round_results(summary: WorkshopSummary) -> None:
    """Below the agenda, once a round is open: how many re-rated, whether the result uses it, and how agreement
    moved (in the refreshing part of the dashboard)."""
    rc = summary.second_round
    if rc is None:
        return
    st.markdown("#### Second round")
    st.markdown(esc(second_round_sentence(rc, summary.min_group)))
    st.table(comparison_table(rc).set_index("Statement or dimension"))
    st.caption(
        "Agreement is r_wg, the share of the spread that is not random: 0 means answers as scattered as chance, "
        "1 means everyone gave the same answer (James, Demaree and Wolf 1984); above 0.70 is the usual bar for "
        "a shared view. SD is the spread of the ratings in points."
    )


def round_controls(summary: WorkshopSummary, act: Act) -> None:
    """Open a second round on the agenda's statements, or close an open one (drawn once per page run, not
    refreshed)."""
    rc = summary.second_round
    state.forget_drawn(OPEN_BUTTON, CLOSE_BUTTON)
    if rc is not None:
        if rc.info.closed_at is None:
            state.mark_drawn(CLOSE_BUTTON)
            st.button(
                "Close the second round",
                key=CLOSE_BUTTON,
                icon=":material/done_all:",
                on_click=_pressed,
                args=(CLOSE_BUTTON, act, lambda s, c, k: s.close_second_round(c, k), "Second round closed: whoever did "
                      "not re-rate keeps their first answers."),
                help="Whoever has not re-rated keeps their first answers, resubmitted as they are, so that the next "
                "release takes in everyone's answers together.",
            )  # fmt: skip
        return
    if not summary.agenda or summary.release is None:
        return
    seen = summary.release.number
    texts = {a.item_id: f"{a.rank}. {a.text}" for a in summary.agenda}
    with st.expander(":material/replay: Second round: re-rate the agenda after the discussion"):
        st.markdown(
            "After the room has discussed these statements (show them one at a time with **Show to the room**, "
            "then **Reveal results**), ask everyone whose answers are in these results to rate them again on "
            "their phones. The group result then uses the second-round answers, and every output shows agreement "
            "before and after. Re-ratings go into the figures only together, so that nobody's change can be told "
            "apart: at least "
            f"{summary.min_group} of them, sometimes more; closing the round takes in everyone's."
        )
        # One box per statement, not a multiselect: a multiselect grows by a line while it has the focus, so the
        # button under it moved up by that line as the first click took the focus away, and the click met no
        # button (bench/stress_round_press.py --after-pick). The agenda has at most AGENDA_SIZE statements.
        st.markdown("**Statements to re-rate**")
        for item_id, text in texts.items():
            st.checkbox(label_text(text), key=pick_key(item_id))
        order = list(texts)
        state.mark_drawn(OPEN_BUTTON)
        st.button(
            "Open the second round",
            key=OPEN_BUTTON,
            type="primary",
            icon=":material/replay:",
            disabled=not _picked(order),
            on_click=_pressed,
            # the choice is read when the button is pressed, not when it was drawn: a quick click can arrive
            # before the rerun that follows the last pick, and must still open the round on every statement ticked
            args=(OPEN_BUTTON, act, lambda s, c, k: s.open_second_round(c, k, _picked(order), seen_release=seen),
                  "Second round open: participants see it on their phones."),
        )  # fmt: skip


def _pressed(button: str, act: Act, action: Callable[[Store, str, str], object], done: str) -> None:
    """A press of a round button, taken only if the last run drew that button, and only once (`state.take_press`:
    the second press of a double click on *Open the second round* said "A second round has already been opened";
    tests/test_dashboard_presses.py)."""
    if state.take_press(button):
        act(action, done)


def pick_key(item_id: str) -> str:
    """The widget key of a statement's box in the second-round picker."""
    return f"{PICK_PREFIX}{item_id}"


def _picked(order: list[str]) -> list[str]:
    """The statements ticked in the picker as the browser last sent them, in agenda order (read inside the
    button's callback)."""
    return [item_id for item_id in order if st.session_state.get(pick_key(item_id))]


def participant_card(token: str, task: RoundTask, bank: QuestionBank, innovation: str) -> None:
    """The statements to re-rate, each with the participant's own earlier answer chosen, and one submit."""
    if task.done:
        st.success("Your second-round answers are in. Thank you!", icon=":material/task_alt:")
        return
    n = len(task.info.items)
    with st.container(border=True, key="wk_round"):
        st.markdown(f"### Second round: {n} statement{'s' if n != 1 else ''} to look at again")
        st.markdown(
            "The room has discussed these. Rate each one again: keep your earlier answer (already chosen) if your "
            "view has not changed."
        )
        with st.form(ROUND_FORM, border=False):
            given: dict[str, object] = {}
            for number, item_id in enumerate(task.info.items, start=1):
                item = bank.item_by_id.get(item_id)
                if item is None:
                    continue
                anchors = bank.scales[item.scale].anchors
                options: list[object] = [1, 2, 3, 4, 5, "dont_know"]
                before = task.answers.get(item_id)
                text = item.render(innovation)
                question_label(number, text, None)
                given[item_id] = st.radio(
                    accessible_name(number, text),
                    options,
                    index=options.index(before) if before in options else None,
                    format_func=lambda v, a=anchors: "Don't know" if v == "dont_know" else a[int(v)],
                    label_visibility="collapsed",
                    key=f"wk_round_{item_id}",
                )
            sent = st.form_submit_button(
                "Submit my second-round answers", type="primary", icon=":material/send:", key="wk_round_submit"
            )
        if sent:
            try:
                get_store().submit_second_round(token, given)
                resume = get_store().resume(token)
            except WorkshopError as exc:
                st.error(esc(exc.one_line()), icon=":material/error:")
                return
            # the session's answers become the store's, so the read-only view and a reopening show the new ratings
            ws.load(resume.model_copy(update={"workshop": ws.info()}), token, bank)
            st.rerun()


def poll_for_round(token: str) -> None:
    """For a participant who has submitted: look for a second round every few seconds, and redraw the page when one
    opens (the phone stays on the thank-you page during the discussion)."""

    @st.fragment(run_every=f"{POLL_SECONDS}s")
    def poll() -> None:
        try:
            task = get_store().second_round_task(token)
        except WorkshopError:
            return
        if task is not None:
            st.rerun(scope="app")

    poll()
