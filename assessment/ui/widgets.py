"""Small building blocks shared by the pages: safe text, the page guard, charts, labels and the recommendation
card. Layout only: every number and sentence comes from the assessment package.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

import plotly.graph_objects as go
import streamlit as st

from ..advice import PlannedStep
from ..errors import AssessmentError
from ..plain import citation_for_people as cite
from ..results import Recommendation, Result
from ..vocabulary import ROLE_LABELS, STAGE_LABELS
from . import keyboard, state

LOG = logging.getLogger(__name__)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=])")
# What Markdown changes inside a widget's label, which Streamlit draws inline (no lists or headings: "1. text" stays
# as it is, and HTML shows as text): emphasis and code, links, `:red[...]` directives, entities (`&name;`), and the
# closing colon of an emoji code (`:smile:`: Streamlit looks for those in the raw text, so only a backslash inside
# the run stops it). Maths and strike-through (`$...$`, `~...~`) need two marks: `label_text` escapes those only in
# pairs. Ordinary text, "A&E", "$5" and "10:30" included, passes as it is.
_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]<]|:(?=[A-Za-z])|&(?=#?[A-Za-z0-9]+;))|(?<=:)([\w+-]+):")
_SLUG = re.compile(r"[^a-z0-9]+")

CONFIDENCE_COLOURS = {"high": "green", "medium": "orange", "low": "red"}
UNEXPECTED = (
    "Something went wrong while drawing this page. Your answers are kept: you can save them from the "
    "sidebar, then reload the page."
)


def esc(text: object) -> str:
    """Escape text for st.markdown and widget labels, so user text shows as typed (no links, HTML or styling)."""
    cleaned = str(text).replace("\r", "")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", cleaned)


def label_text(text: object) -> str:
    """Escape text for a widget's label, where Streamlit also puts the string as it is into the `aria-label` that a
    screen reader announces: only what inline Markdown would change is escaped, so an ordinary sentence reaches the
    screen reader without backslashes (`esc` escapes every full stop)."""
    out = _LABEL_SPECIAL.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\:",
        str(text).replace("\r", "").replace("\n", " "),
    )
    for mark in "$~":
        if out.count(mark) >= 2:
            out = out.replace(mark, "\\" + mark)
    return out


def slug(text: str, fallback: str = "assessment") -> str:
    s = _SLUG.sub("-", text.lower()).strip("-")[:40].strip("-")
    return s or fallback


_SCROLL_TOP_SCRIPT = (
    "<script>/* %d */document.querySelector('[data-testid=\"stMain\"]')?.scrollTo({top: 0, behavior: 'instant'});"
    "</script>"
)
_SCROLLS = "scroll_top_runs"  # a new script text each time, so that it runs again when drawn at the same place


def scroll_to_top(asked: bool = True) -> None:
    """Show the page from its top (after 'Next section' at the bottom of a long section). Fixed script, no user text.

    A page that draws this above its questions draws it on every run, asked or not (then an idle script), in a
    hidden container: drawn on one run and not the next, it moved everything below it, which Streamlit then drew
    anew, and the keyboard focus on the answer just given fell back to the page's body (issue 19, finding 2)."""
    ss = st.session_state
    script = keyboard.IDLE
    if asked:
        ss[_SCROLLS] = ss.get(_SCROLLS, 0) + 1
        script = _SCROLL_TOP_SCRIPT % ss[_SCROLLS]
    with st.container(key=keyboard.SCROLL_SLOT_KEY):
        st.html(script, unsafe_allow_javascript=True, width="content")


def flash_messages() -> None:
    for level, text in state.take_flash():
        {"error": st.error, "warning": st.warning, "success": st.success}.get(level, st.info)(esc(text))
        if level == "error":  # also where the user is looking, however far down the page they are
            st.toast(esc(text), icon=":material/error:")


def guarded(body: Callable[[], object], unexpected: str = UNEXPECTED) -> None:
    """Run a page body; show a plain message instead of a traceback if anything goes wrong."""
    try:
        body()
    except AssessmentError as exc:
        st.error(esc(exc.one_line()))
    except Exception:
        LOG.exception("page failed")
        st.error(unexpected)


def show_chart(fig: go.Figure, *, key: str, filename: str, max_width: int | None = None) -> None:
    """Every chart goes through here so that Plotly's PNG download works the same way everywhere. `max_width`:
    at most this many pixels wide (narrower in a narrower column), so a chart is not stretched across a wide
    screen."""
    st.plotly_chart(
        fig,
        key=key,
        width=max_width if max_width is not None else "stretch",
        theme=None,
        config={
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 3},
            "displaylogo": False,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        },
    )


def chart_name(result: Result, what: str) -> str:
    return f"{slug(str(result.context.get('innovation_title') or ''))}-{what}"


def role(r: str) -> str:
    return ROLE_LABELS.get(r, r)


def roles(rs: Sequence[str]) -> str:
    return ", ".join(role(r) for r in rs) or "none named"


def stages(ss: Sequence[str]) -> str:
    return ", ".join(STAGE_LABELS.get(s, s) for s in ss)


def who_and_what(result: Result) -> str:
    """'Organisation · Innovation' as escaped Markdown (user text)."""
    ctx = result.context
    parts = [str(ctx.get("organisation_name") or "").strip(), str(ctx.get("innovation_title") or "").strip()]
    return " · ".join(esc(p) for p in parts if p) or "Unnamed assessment"


def step_markdown(step: PlannedStep) -> str:
    now = " **(this stage)**" if step.in_current_stage else ""
    return (
        f"- {esc(step.text)}{now}  \n"
        f"  :small[Lead: {esc(role(step.owner))} · Stages: {esc(stages(step.stages))} · {esc(cite(step.citation))}]"
    )


def decisive_unknowns(rec: Recommendation, limit: int | None = None) -> None:
    """'Answering these would decide it': the open questions that settle the result in some band first, then
    the others that would only narrow it, named in one line."""
    st.markdown("**Answering these would decide it**")
    st.markdown("\n".join(f"- {esc(d.description)}" for d in rec.answer_first[:limit]))
    if rec.also_open:
        st.caption("Also still open: " + esc(", ".join(d.label.lower() for d in rec.also_open)) + ".")


def recommendation_card(result: Result, *, compact: bool = False) -> None:
    """Strategy, reason, confidence and warnings, in one bordered card."""
    rec = result.recommendation
    with st.container(border=True):
        st.caption("Recommended strategy")
        st.markdown(f"### {esc(rec.strategy_label)}")
        st.markdown(f"**{esc(rec.headline)}**")
        if not compact:
            st.markdown(esc(rec.reason))
        conf = rec.confidence
        if rec.strategy != "insufficient_evidence":
            st.badge(
                f"{conf.level.capitalize()} confidence",
                color=CONFIDENCE_COLOURS.get(conf.level, "gray"),  # type: ignore[arg-type]
                icon=":material/insights:",
            )
        st.caption(esc(conf.statement))
        if rec.decisive_unknown_details:
            decisive_unknowns(rec, limit=3 if compact else None)
        if rec.current_step:
            st.markdown(f"You are in **step {rec.current_step}** of the two steps.")
        if compact:
            return  # the board view carries the top warning in its key messages
        for w in rec.warnings:
            show = st.error if w.severity == "high" else st.warning
            show(
                f"**Warning: {esc(w.title)}**  \n{esc(w.message)}  \n:small[{esc(cite(w.citation))}]",
                icon=":material/warning:",
            )
