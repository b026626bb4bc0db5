"""The dashboard's downloads and settings views: exports (each one logged), the workshop's settings, reopening or
excluding a participant, and the audit log. Drawn from the `WorkshopView` the page loaded once."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..bank import QuestionBank
from ..disclosure import promise
from ..instrument.present import MethodLines, method_lines
from ..report.fonts import unprintable
from ..settings import get_settings
from ..store import JoiningStatus, Store, get_store
from ..vocabulary import long_date
from ..workshop import ParticipantStatus, WorkshopView, responses_csv, summary_json
from . import organiser_gate as og
from . import state
from . import workshop_views as views
from .board import font_warning
from .instrument_data import current_report
from .widgets import slug

Act = Callable[[Callable[[Store, str, str], object], str], None]


def _csv(code: str, key: str, bank: QuestionBank, min_group: int) -> str:
    store = get_store()
    text = responses_csv(store.released_responses(code, key), bank, min_group=min_group)
    store.record_export(code, key, "responses CSV")
    return text


def _json(code: str, key: str) -> str:
    store = get_store()
    view, _ = store.workshop_view(code, key)
    if view.summary is None:
        return "{}"
    store.record_export(code, key, "results JSON")
    return summary_json(view.summary, store.audit_log(code, key))


def _pdf(code: str, key: str, bank: QuestionBank, reliability: MethodLines) -> bytes:
    pdf = views.group_report(code, key, bank, reliability)
    get_store().record_export(code, key, "group report PDF")
    return pdf


def downloads(code: str, key: str, bank: QuestionBank, view: WorkshopView) -> None:
    summary = view.summary
    name = slug(view.info.title, "workshop")
    hidden = summary is None
    if hidden:
        st.info(view.hidden_message, icon=":material/visibility_off:")
    st.markdown(
        "- **All responses (CSV)**: the latest release, one row per respondent and answered statement: a "
        "respondent number drawn afresh for each download (not the participant list's), the statement, the "
        'rating or "dont_know", and the comment. No names, roles or departments, so no row can be matched '
        "with a person; excluded participants are left out. Row-level data: it needs an organiser sign-in.\n"
        "- **Workshop results (JSON)**: every figure on the dashboard, for other tools, with the audit log.\n"
        "- **Group report (PDF)**: the final result (with agreed scores where recorded, and it says so), the "
        "spread, the agenda and the role findings.\n\n"
        f"{promise(view.info.min_group_size)} Each download is recorded in the audit log (Settings)."
    )
    too_few = summary is None or summary.too_few or not summary.has_answers  # before the first release: nothing
    if summary is not None and not too_few:  # what the group report prints comes from the released summary
        font_warning(unprintable([view.info.title, summary.model_dump(mode="json")]), "the group report")
    reliability = method_lines(current_report())  # read while the page runs (cached), used when the PDF is made
    row_level = og.is_organiser()  # the responses CSV is row-level: closed unless an organiser is signed in
    with st.container(horizontal=True):
        k = view.info.min_group_size
        if row_level:
            st.download_button("All responses (CSV)", data=lambda: _csv(code, key, bank, k),
                               file_name=f"{name}-responses.csv", mime="text/csv", icon=":material/table:",
                               key="wd_csv", on_click="ignore", disabled=too_few)  # fmt: skip
        st.download_button("Workshop results (JSON)", data=lambda: _json(code, key),
                           file_name=f"{name}-results.json", mime="application/json", icon=":material/data_object:",
                           key="wd_json", on_click="ignore", disabled=hidden)  # fmt: skip
        st.download_button("Group report (PDF)", data=lambda: _pdf(code, key, bank, reliability),
                           file_name=f"{name}-report.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                           key="wd_pdf", on_click="ignore",
                           type="primary", disabled=too_few or not (summary and summary.has_answers))  # fmt: skip
    if not row_level:
        st.markdown("**All responses (CSV)** needs an organiser sign-in.")
        og.sign_in("workshop_dashboard", "wd_organiser")


def _who(p: ParticipantStatus, number: int) -> str:
    return f"#{number} {p.role_label}, {p.name or views.ANONYMOUS}" + (f", {p.department}" if p.department else "")


def _pick(
    label: str,
    people: list[ParticipantStatus],
    number: dict[int, int],
    key: str,
    on_change: Callable[[], None] | None = None,
) -> int | None:
    """A participant chosen by the facilitator: nobody is chosen until they pick one (numbers 1..N as listed)."""
    by_id = {p.participant_id: p for p in people}
    chosen = st.selectbox(
        label, list(by_id), index=None, placeholder="Choose a participant",
        format_func=lambda pid: _who(by_id[pid], number[pid]), key=key, on_change=on_change,
    )  # fmt: skip
    return None if chosen is None else int(chosen)


EXCLUDE_WHO = "wd_exclude_who"
EXCLUDE_REASON = "wd_exclude_reason"
EXCLUDE_CONFIRM = "wd_exclude_confirm"


def exclude(view: WorkshopView, act: Act) -> None:
    """Exclude a participant: chosen (nobody preselected), a reason, and a confirmation before the button works."""
    number = views.numbering(view.participants)
    present = [p for p in view.participants if not p.excluded]
    if not present:
        return
    st.markdown(
        "**Exclude a participant** (a fake or duplicate join): their answers leave every figure and export, the "
        "device they joined from cannot join again, and the exclusion is logged with its reason. It cannot be "
        "undone."
    )
    # another choice takes back the confirmation given for the one before: it named someone else
    who = _pick("Participant to exclude", present, number, EXCLUDE_WHO, on_change=_unconfirm)
    st.text_input("Reason (required; recorded in the audit log)", max_chars=200, key=EXCLUDE_REASON,
                  placeholder="e.g. joined twice from two devices")  # fmt: skip
    label = f"#{number[who]}" if who is not None else "the chosen participant"
    st.checkbox(f"Yes, exclude {label}: this cannot be undone", key=EXCLUDE_CONFIRM, disabled=who is None)
    # Not disabled until the reason is in: a reason reaches the server only when its box loses the focus, so the
    # click that takes the focus away met a disabled button and did nothing. The press checks instead, and says what
    # is missing.
    st.button("Exclude", key="wd_exclude", icon=":material/person_remove:", on_click=_exclude_confirmed,
              args=(act, who, label), disabled=who is None)  # fmt: skip


def _unconfirm() -> None:
    st.session_state.pop(EXCLUDE_CONFIRM, None)


def _exclude_confirmed(act: Act, confirmed_who: int | None, label: str) -> None:
    """Exclude whoever is chosen when the button is pressed (the press can arrive with a change the page has not
    redrawn yet), and only the person the confirmation named: it cannot be undone."""
    who, reason = st.session_state.get(EXCLUDE_WHO), str(st.session_state.get(EXCLUDE_REASON) or "").strip()
    if who is None or who != confirmed_who:
        st.session_state.pop(EXCLUDE_CONFIRM, None)
        state.flash("warning", "Nobody was excluded: the choice changed as you pressed Exclude. Check it and confirm "
                    "again.")  # fmt: skip
        return
    sure = bool(st.session_state.get(EXCLUDE_CONFIRM))
    if not reason or not sure:
        missing = [
            w for w, given in (("give a reason", reason), (f"tick \u2018Yes, exclude {label}\u2019", sure)) if not given
        ]
        state.flash("warning", f"Nobody was excluded: {' and '.join(missing)} first.")
        return
    act(lambda s, c, k: s.exclude_participant(c, k, int(who), reason), f"Participant {label} excluded.")
    for key in (EXCLUDE_WHO, EXCLUDE_REASON, EXCLUDE_CONFIRM):
        st.session_state.pop(key, None)


def rejoins_note(status: JoiningStatus) -> str:
    """The dashboard's line on re-joins: joins from a device that had already joined this workshop."""
    if not status.rejoins:
        return ""
    return (
        f"{status.rejoins} of the {status.joins} joins came from a device that had already joined (a second tab, "
        "someone joining again, or a fake participant): check the participant list for duplicates."
    )


def joining(status: JoiningStatus, act: Act) -> None:
    """Close joining once the room is in (and open it again); each change is in the audit log."""
    st.markdown("**Joining**")
    if status.open:
        st.markdown(
            f"Open: anyone with the code can join ({status.joins} joined so far). Close it once everyone is in, so "
            "that nobody else can join with the code."
        )
        close = (lambda s, c, k: s.close_joining(c, k), "Joining closed: nobody new can join.")
        st.button("Close joining", key="wd_close_joining", icon=":material/lock:", on_click=act, args=close)
    else:
        when = f" on {long_date(status.closed_at)} at {status.closed_at:%H:%M} UTC" if status.closed_at else ""
        st.markdown(f"Closed{when}: nobody new can join; the {status.joins} who joined carry on.")
        reopen = (lambda s, c, k: s.open_joining(c, k), "Joining open again: people can join with the code.")
        st.button("Open joining again", key="wd_open_joining", icon=":material/lock_open:", on_click=act,
                  args=reopen)  # fmt: skip
    if note := rejoins_note(status):
        st.caption(note)


# Callbacks read the widgets as the browser sent them with the press, not as they were when the button was drawn.


def _extend(act: Act, drawn_days: int) -> None:
    days = int(st.session_state.get("wd_extend_days") or drawn_days)
    act(lambda s, c, k: s.extend_workshop(c, k, days), f"Extended by {days} days.")


def _reopen(act: Act) -> None:
    chosen = st.session_state.get("wd_reopen_who")
    if chosen is not None:
        act(lambda s, c, k: s.reopen_participant(c, k, int(chosen)), "Answers reopened.")


def settings(code: str, view: WorkshopView, act: Act, set_hidden: Callable[[], None]) -> None:
    info = view.info
    st.toggle("Hide individual answers until everyone has submitted", value=info.hide_until_submitted, key="wd_hide",
              on_change=set_hidden, help="While on, the dashboard, downloads and report show only participation "
              "until the last participant submits.")  # fmt: skip
    size = f"up to {info.expected_size} participants" if info.expected_size else "no limit on participants"
    st.markdown(
        f"The workshop is open until **{long_date(info.expires_at)}** (code, links and key stop working then) · "
        f"{size} · no figure about fewer than **{info.min_group_size}** people."
    )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        keep = get_settings().retention_days  # ASSESSMENT_RETENTION_DAYS bounds each extension
        days = st.number_input("Keep it open for another (days)", min_value=1, max_value=keep, value=keep,
                               key="wd_extend_days")  # fmt: skip
        st.button("Extend", key="wd_extend", on_click=_extend, args=(act, int(days)))
    submitted = [p for p in view.participants if p.submitted and not p.excluded]
    if submitted:
        st.markdown("**Reopen a participant's answers** (after they submitted, so that they can change them)")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            chosen = _pick("Participant", submitted, views.numbering(view.participants), "wd_reopen_who")
            st.button("Reopen", key="wd_reopen", on_click=_reopen, args=(act,), disabled=chosen is None)
    exclude(view, act)
    st.markdown("**Audit log**")
    st.dataframe(
        pd.DataFrame(
            {
                "When (UTC)": [f"{e.at:%Y-%m-%d %H:%M:%S}" for e in view.audit],
                "What": [e.action for e in view.audit],
                "Who": [e.actor for e in view.audit],
                "Detail": [e.detail for e in view.audit],
            },
            columns=["When (UTC)", "What", "Who", "Detail"],
        ),
        hide_index=True,
        width="stretch",
    )
