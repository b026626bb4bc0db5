"""The instrument-quality report for the pages, computed from the store at most every few minutes.

The results page shows one line per dimension from it; the Instrument quality page shows all of it. Both read
the same cached report, so they say the same thing as `assessment instrument` run against the same database.
"""

from __future__ import annotations

import logging

import streamlit as st

from ..instrument.models import InstrumentReport, StructureCheck
from ..store import database_url, get_store

LOG = logging.getLogger(__name__)
CACHE_SECONDS = 300


def _has_database(url: str) -> bool:
    """False for a SQLite file that does not exist yet: nobody has run a workshop, and none is created to say so."""
    from ..instrument.source import database_exists

    return database_exists(url)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Checking how well the items agree...")
def instrument_report(url: str) -> InstrumentReport | None:
    """The report (without the structure check) for the database at `url`, or None when there is none."""
    if not _has_database(url):
        return None
    from ..instrument.source import report_from_store

    store = get_store()
    return report_from_store(store, structure=False)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Fitting the structure check; this can take half a minute...")
def structure(url: str) -> StructureCheck | None:
    if not _has_database(url):
        return None
    from ..instrument.source import pooled_answers
    from ..instrument.structure import structure_check

    store = get_store()
    return structure_check(pooled_answers(store).responses, store.bank)


def current_report() -> InstrumentReport | None:
    """The cached report for the configured database; None (and a log line) if it cannot be read."""
    try:
        return instrument_report(database_url())
    except Exception:  # the results page must not fail because the store cannot be read
        LOG.exception("instrument-quality report failed")
        return None
