"""The board view: one 16:9 screen to screenshot for a board paper. Title, a line of who, what and when, the
recommendation, the ingredients radar and at most three key messages. Drawn by the board page for a single
respondent and by the workshop dashboard for a group result.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

import streamlit as st

from ..bank import QuestionBank
from ..chart_data import radar_data
from ..report.board import GroupAgreement, board_messages, render_slide, slide_data, slide_unprintable
from ..report.fonts import describe
from ..results import Result
from ..rules import load_rulebook
from ..rules.roles import ingredient_roles
from ..vocabulary import AGREEMENT_LABELS, INGREDIENTS
from . import routes
from .figures import radar_figure
from .widgets import chart_name, esc, recommendation_card, show_chart, who_and_what

TITLE = "Innovation readiness: board summary"


def font_warning(missing: list[str], document: str) -> None:
    """The one warning, drawn above a download, that some characters have no font for `document` ("the slide",
    "the PDF report") and print there as U+FFFD; nothing when every character is covered. `missing`: from
    `report.fonts.unprintable` over the text the document prints."""
    if missing:
        st.warning(
            f"Some characters have no font for {document} and print as \ufffd: {describe(missing)}. "
            f"{document[0].upper()}{document[1:]} notes them; the screen shows them in your browser's fonts.",
            icon=":material/warning:",
        )


def render_board(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str],
    notes: Sequence[str] = (),
    key: str = "board_radar",
    title: str = TITLE,
    group: GroupAgreement | None = None,
) -> None:
    """The board view of a result. `facts` are plain phrases for the line under the title (date, stage, kind),
    `notes` plain sentences shown under the key messages (e.g. that agreed scores were used); both escaped.
    A workshop's board passes `group`: each ingredient's agreement band on the radar, a line counting the bands
    and a key message on roles whose own answers give another recommendation or none.

    Presentation mode shows the board slide (the same Typst source as the downloads) filling the window, with
    Streamlit's header, sidebar and chart toolbar hidden, so a 16:9 screen shows the whole board and nothing else.
    """
    if st.session_state.get(f"{key}_present"):
        present(result, bank, facts=facts, notes=notes, key=key, title=title, group=group)
        return
    st.title(title)
    st.markdown(f"**{who_and_what(result)}**  \n:small[{esc(' · '.join(facts))}]")
    left, right = st.columns([5, 6], gap="large", vertical_alignment="top")
    with left:
        recommendation_card(result, compact=True)
        st.markdown("#### Key messages")
        messages = board_messages(result, group)
        st.markdown("\n".join(f"{n}. {esc(m)}" for n, m in enumerate(messages, start=1)))
        for note in notes:
            st.caption(esc(note))
        st.page_link(
            routes.GLOSSARY, label="Terms explained: two-step work, affordances, r_wg…", icon=":material/menu_book:"
        )
    with right:
        short = {d.id: d.short_label for d in bank.dimensions}
        st.markdown("**The eight ingredients of innovation success (scores 1-5)**", text_alignment="center")
        notes_ = [AGREEMENT_LABELS[group.bands[d]].lower() for d in INGREDIENTS] if group and group.bands else []
        figure = radar_figure(radar_data(result, short), height=560 if notes_ else 500, spoke_notes=notes_)
        show_chart(figure, key=key, filename=chart_name(result, "board-radar"))
        st.caption(esc(ingredient_roles(load_rulebook(), bank)))
        if group is not None:
            st.markdown(f"**{esc(group.line)}**", text_alignment="center")
        st.caption(esc(result.recommendation.disclaimer))
    slide_buttons(result, bank, facts=facts, notes=notes, key=key, title=title, group=group)


def slide_buttons(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str],
    notes: Sequence[str],
    key: str,
    title: str,
    group: GroupAgreement | None = None,
) -> None:
    """Presentation mode and the two slide downloads, drawn from the same Typst source."""
    name = chart_name(result, "board-slide")
    font_warning(slide_unprintable(result, facts, notes), "the slide")
    a, b, c = st.columns(3)
    a.toggle(
        "Presentation mode",
        key=f"{key}_present",
        help="The board alone, filling the window: for a projector "
        "or a screenshot. Switch it off with the same switch, faint at the top right.",
    )
    b.download_button(
        "Download slide (PNG)",
        data=lambda: render_slide(result, bank, facts=facts, notes=notes, title=title, group=group),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
        help="3840 × 2160 pixels (16:9), ready for a slide deck.",
    )
    c.download_button(
        "Download slide (PDF)",
        data=lambda: render_slide(result, bank, facts=facts, notes=notes, title=title, fmt="pdf", group=group),
        file_name=f"{name}.pdf",
        mime="application/pdf",
        key=f"{key}_pdf",
        icon=":material/picture_as_pdf:",
        help="One 16:9 vector page.",
    )


PRESENT_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer, .modebar {
  display: none !important;
}
[data-testid="stMain"], [data-testid="stAppViewContainer"] { overflow: hidden !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
.board-slide { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center;
  background: #ffffff; z-index: 999; }
.board-slide img { width: 100vw; height: 100vh; object-fit: contain; }
.st-key-KEY_present { position: fixed; right: 12px; top: 8px; z-index: 1000; opacity: 0.35; width: auto !important; }
.st-key-KEY_present:hover, .st-key-KEY_present:focus-within { opacity: 1; }
</style>
"""


def present(
    result: Result,
    bank: QuestionBank,
    *,
    facts: Sequence[str],
    notes: Sequence[str],
    key: str,
    title: str,
    group: GroupAgreement | None = None,
) -> None:
    """The slide as one image filling the viewport (SVG, so it is sharp at any size), and the switch back."""
    svg = render_slide(result, bank, facts=facts, notes=notes, title=title, fmt="svg", group=group)
    data = slide_data(result, bank, facts=facts, notes=notes, title=title, group=group)
    alt = f"{data['title']}. {data['who']}. {data['card_label']}: {data['strategy']}. {data['headline']} " + " ".join(
        [*data["messages"], data["agreement"]]
    )
    st.html(PRESENT_CSS.replace("KEY", key))
    encoded = base64.b64encode(svg).decode("ascii")
    st.html(f'<div class="board-slide"><img alt="{html.escape(alt)}" src="data:image/svg+xml;base64,{encoded}"></div>')
    st.toggle("Presentation mode", key=f"{key}_present")
