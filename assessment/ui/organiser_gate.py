"""The organiser sign-in on the pages: who is an organiser in this browser session, and the way in.

The rules are `assessment.organisers` (closed by default; a key of at least 128 bits, limited like join codes;
or the identity provider with an allow-list). A right key is remembered for the browser session only. With an
identity provider, Streamlit's `st.user` says who is signed in (OpenID Connect, `st.login`).
"""

from __future__ import annotations

import streamlit as st

from ..organisers import (
    HOW_TO_OPEN,
    Gate,
    OrganiserGate,
    account_allowed,
    account_hash,
    gate_in_force,
    organiser_key_ok,
)
from ..workshop import TooManyAttempts

SIGNED_IN = "organiser_signed_in"  # session state: "key" once this session has typed the right organiser key
_CHECKED = "organiser_accounts_checked"  # session state: allow-list answers per signed-in account


def identity_provider_configured() -> bool:
    """True when an OpenID Connect provider is set up for st.login (an [auth] section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def gate() -> OrganiserGate:
    return gate_in_force(identity_provider_configured())


def signed_in_account() -> tuple[str, str] | None:
    """(e-mail, subject) of the person signed in with the identity provider, or None."""
    if not identity_provider_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    return str(st.user.get("email") or ""), str(st.user.get("sub") or "")


def on_allow_list() -> bool:
    """True when the signed-in account is on ASSESSMENT_ORGANISER_ACCOUNTS; checked (and a refusal logged) once
    per account and browser session."""
    account = signed_in_account()
    if account is None:
        return False
    checked: dict[str, bool] = st.session_state.setdefault(_CHECKED, {})
    verified = st.user.get("email_verified")
    seen = f"{account}|{verified}"
    if seen not in checked:
        checked[seen] = account_allowed(*account, email_verified=verified)
    return checked[seen]


def is_organiser() -> bool:
    """True when this session is signed in through the gate in force (never while it is closed)."""
    in_force = gate()
    if in_force == "identity_provider":
        return on_allow_list()
    return in_force == "key" and st.session_state.get(SIGNED_IN) == "key"


def organiser_account() -> str:
    """Who created a workshop, for the log: "oidc:" and a short hash of the signed-in address, "key" or "open"."""
    account = signed_in_account()
    if account is not None:
        return account_hash(account[0] or account[1])
    return "key" if st.session_state.get(SIGNED_IN) == "key" else "open"


def check_key(typed: str, where: Gate) -> bool:
    """Check a typed organiser key against the limit; remember a right one for the session, say what is wrong."""
    from .workshop_state import client_key, network_key

    try:
        right = organiser_key_ok(typed, where, client_key=client_key(), network_key=network_key())
    except TooManyAttempts as exc:
        st.error(exc.one_line(), icon=":material/timer:")
        return False
    if right:
        st.session_state[SIGNED_IN] = "key"
        return True
    st.error("That is not the organiser key. Ask whoever runs this deployment for it.")
    return False


def sign_in(where: Gate, prefix: str) -> bool:
    """True when this session is an organiser's; otherwise draw the way in (the key form, the provider's sign-in
    button, or, with no gate configured, how to turn the organiser sign-in on) and return False."""
    if is_organiser():
        return True
    in_force = gate()
    if in_force == "closed":
        st.info(HOW_TO_OPEN, icon=":material/lock:")
        return False
    if in_force == "identity_provider":
        if signed_in_account() is not None:
            st.warning(
                "You are signed in, but your account is not on this deployment's list of organisers. Ask whoever "
                "runs it to add you, or sign in with another account.",
                icon=":material/block:",
            )
            st.button("Sign out", on_click=st.logout, key=f"{prefix}_logout")
        else:
            st.button("Sign in as an organiser", type="primary", icon=":material/login:", on_click=st.login,
                      key=f"{prefix}_login")  # fmt: skip
        return False
    with st.form(f"{prefix}_key_form"):
        typed = st.text_input("Organiser key", type="password", max_chars=256, key=f"{prefix}_key")
        go = st.form_submit_button("Open", icon=":material/lock_open:", key=f"{prefix}_open")
    if go and check_key(typed, where):
        st.rerun()
    return False
