"""The room screen ("Show to the room"): what a projector shows while people join. The workshop's title, the join
code in large type, a QR code of the join link, the link as text and the live counts of people who joined and
submitted. Never a name, a department or a role: the screen is drawn from counts alone.

Layout only, drawn as one block of HTML that fills the window (position: fixed, sizes in viewport units), so it fits
any 16:9 screen (1280 x 720 to 1920 x 1080 and beyond) without scrolling; `ROOM_CSS` hides Streamlit's header,
sidebar, toolbar and footer, as the board slide's presentation mode does.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
import streamlit as st

from ..workshop import ParticipantStatus

QR_ERROR = "m"  # 15 % of the code can be lost (a reflection on the screen, a head in the way) and it still reads
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
BACK_KEY = "room_back"
CONTROLS_KEY = "room_controls"  # the small controls in the top right corner


@dataclass(frozen=True)
class RoomCounts:
    joined: int
    submitted: int

    def text(self) -> str:
        return f"{self.joined} joined · {self.submitted} submitted"


def room_counts(people: Sequence[ParticipantStatus]) -> RoomCounts:
    """People who joined and who submitted; excluded people count in neither (as on the dashboard)."""
    counted = [p for p in people if not p.excluded]
    return RoomCounts(joined=len(counted), submitted=sum(1 for p in counted if p.submitted))


def qr_code(url: str) -> segno.QRCode:
    """The QR code of a link: a full (not micro) code at error-correction level M."""
    return segno.make(url, error=QR_ERROR, micro=False)


SVG_STYLE = {"scale": 1, "border": QR_BORDER, "omitsize": True, "dark": "#000000", "light": "#ffffff"}


def qr_svg(url: str) -> str:
    """The QR code of `url` as an SVG document: black modules on white with the quiet zone, no fixed size (a viewBox
    only), so CSS scales it to the screen and it stays sharp."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", xmldecl=False, **SVG_STYLE)
    return out.getvalue().decode("utf-8")


def qr_data_uri(url: str) -> str:
    """The SVG as a data URI for an <img>: st.html does not draw inline SVG (the board slide is an <img> too)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode("utf-8")).decode("ascii")


def room_markup(title: str, code: str, url: str, counts: RoomCounts) -> str:
    """The room screen's HTML: the facilitator's title and the link escaped, the code and counts as text."""
    return (
        '<div class="room-screen">'
        '<div class="room-text">'
        f'<p class="room-title">{html.escape(title)}</p>'
        '<p class="room-lead">Join on your phone: scan the code, or open the link and type the workshop code</p>'
        f'<p class="room-code" aria-label="Workshop code">{html.escape(code)}</p>'
        f'<p class="room-url">{html.escape(url)}</p>'
        f'<p class="room-counts" aria-live="polite"><b>{counts.joined}</b> joined · '
        f"<b>{counts.submitted}</b> submitted</p>"
        "</div>"
        f'<div class="room-qr"><img alt="QR code of the join link {html.escape(url)}" src="{qr_data_uri(url)}"></div>'
        "</div>"
    )


def message_markup(title: str, text: str) -> str:
    """A full-screen message in the room screen's style (results hidden, nothing to reveal)."""
    return (
        '<div class="room-screen"><div class="room-text">'
        f'<p class="room-title">{html.escape(title)}</p><p class="room-lead">{html.escape(text)}</p>'
        "</div></div>"
    )


# Projector-safe mode: the dashboard without names and departments, for a screen the room can see. Kept under a key
# of its own (not the toggle's), so it survives a visit to another page (a widget's value is dropped when the
# widget is not drawn), e.g. the room screen and back.
PROJECTOR_SAFE = "wd_projector_safe"
PROJECTOR_SAFE_WIDGET = "wdw_projector_safe"


def projector_safe() -> bool:
    return bool(st.session_state.get(PROJECTOR_SAFE))


def _keep_projector_safe() -> None:
    st.session_state[PROJECTOR_SAFE] = bool(st.session_state.get(PROJECTOR_SAFE_WIDGET))


def projector_safe_toggle() -> bool:
    st.toggle(
        "Projector-safe: no names or departments",
        value=projector_safe(),
        key=PROJECTOR_SAFE_WIDGET,
        on_change=_keep_projector_safe,
        help="For a dashboard the room can see: the participant list without names and departments, and no "
        "department pockets. The counts stay.",
    )
    return projector_safe()


ROOM_CSS = f"""
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer {{
  display: none !important;
}}
html, body, [data-testid="stMain"], [data-testid="stAppViewContainer"] {{ overflow: hidden !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 0 !important; max-width: 100% !important; }}
.room-screen {{ position: fixed; inset: 0; z-index: 999; box-sizing: border-box; background: #ffffff;
  color: #111111; display: flex; align-items: center; justify-content: center; gap: 5vw; padding: 4vh 5vw;
  font-family: "Source Sans Pro", "Source Sans 3", sans-serif; }}
.room-text {{ flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; gap: 2.4vh; }}
.room-text p {{ margin: 0; padding: 0; }}
.room-title {{ font-size: min(5vh, 2.8vw); font-weight: 600; line-height: 1.2; overflow: hidden;
  display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; }}
.room-lead {{ font-size: min(3.4vh, 1.9vw); color: #333333; line-height: 1.3; }}
.room-code {{ font-family: "Source Code Pro", ui-monospace, monospace; font-weight: 700; color: #0b3d91;
  font-size: min(15vh, 6.6vw); letter-spacing: 0.04em; line-height: 1.05; white-space: nowrap; }}
.room-url {{ font-family: "Source Code Pro", ui-monospace, monospace; font-size: min(3vh, 1.6vw); color: #333333;
  overflow-wrap: anywhere; }}
.room-counts {{ font-size: min(6vh, 3.2vw); line-height: 1.2; }}
.room-counts b {{ font-size: 1.25em; }}
.room-qr {{ flex: 0 0 auto; width: min(80vh, 44vw); height: min(80vh, 44vw); }}
.room-qr img {{ display: block; width: 100%; height: 100%; }}
.st-key-{CONTROLS_KEY} {{ position: fixed; right: 12px; top: 8px; z-index: 1000; opacity: 0.35;
  width: auto !important; gap: 6px; }}
.st-key-{CONTROLS_KEY}:hover, .st-key-{CONTROLS_KEY}:focus-within {{ opacity: 1; }}
</style>
"""
