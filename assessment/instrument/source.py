"""Item-level answers pooled across every workshop in the store, for the instrument-quality report and export.

Who counts: participants who submitted their answers (work in progress is left out) and whom the facilitator did
not exclude, in any workshop. Answers to
items the current bank no longer has (from an older bank version) are left out and counted in the notes.
This module reads the store's tables through its public `Base` metadata and the store's engine, in one read
transaction, and hands the statistics core nothing but tables of numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..bank import QuestionBank, default_bank
from ..errors import AssessmentError
from ..store import Store, database_url, safe_url
from .models import InstrumentReport
from .present import MethodLines
from .report import build_report
from .responses import ItemResponses

LOG = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class PooledAnswers:
    """Answers (rows: participant ids) and, row for row, who gave them: workshop id, role and department."""

    responses: ItemResponses
    respondents: pd.DataFrame  # index: participant id; workshop_id, role, department, bank_version, mode, k
    notes: list[str] = field(default_factory=list)


def pooled_answers(store: Store, bank: QuestionBank | None = None, *, research_only: bool = False) -> PooledAnswers:
    """Every counted participant's answers, as an ItemResponses over the bank's items."""
    bank = bank or store.bank or default_bank()
    # the latest release of each workshop, never live answers (`assessment.disclosure`: figures change only when
    # at least k people's submitted answers do)
    people_rows, answer_rows = store.released_pool(research_only=research_only)
    people = pd.DataFrame(
        people_rows,
        columns=["participant_id", "workshop_id", "role", "department", "bank_version", "mode", "min_group_size"],
    ).set_index("participant_id")
    answers = pd.DataFrame(answer_rows, columns=["participant_id", "item_id", "rating", "dont_know"])
    known = answers["item_id"].isin(list(bank.item_by_id))
    notes: list[str] = []
    if (~known).any():
        stale = answers.loc[~known, "item_id"].nunique()
        notes.append(
            f"{int((~known).sum()):,} answers to {stale} item(s) that question bank {bank.bank_version} no longer "
            "has were left out."
        )
    answers = answers[known]
    item_ids = [i.id for i in bank.items]
    rows = people.index.get_indexer(answers["participant_id"])
    cols = pd.Index(item_ids).get_indexer(answers["item_id"])
    ratings = np.full((len(people), len(item_ids)), np.nan)
    dont_know = np.zeros((len(people), len(item_ids)), dtype=bool)
    rated = answers["rating"].notna().to_numpy()
    ratings[rows[rated], cols[rated]] = answers["rating"].to_numpy(dtype=float)[rated]
    dk = answers["dont_know"].astype(bool).to_numpy() & ~rated
    dont_know[rows[dk], cols[dk]] = True
    index = pd.Index(people.index, name="participant_id")
    responses = ItemResponses.from_frames(
        pd.DataFrame(ratings, index=index, columns=item_ids),
        pd.DataFrame(dont_know, index=index, columns=item_ids),
        bank,
    )
    versions = sorted(set(people["bank_version"]))
    if len(versions) > 1 or (versions and versions[0] != bank.bank_version):
        notes.append(
            "Answers given under question bank version(s) "
            + ", ".join(versions)
            + f" are pooled with the current version {bank.bank_version} where the item ids match; an item whose "
            "wording changed between versions is treated as the same item."
        )
    return PooledAnswers(responses=responses, respondents=people, notes=notes)


def report_from_store(store: Store, bank: QuestionBank | None = None, *, structure: bool = True) -> InstrumentReport:
    """The instrument-quality report over every submitted answer in the store (the CLI and the page call this)."""
    bank = bank or store.bank
    pooled = pooled_answers(store, bank)
    check = None
    if structure:
        from .structure import structure_check  # semopy is imported only when the check runs

        check = structure_check(pooled.responses, bank)
    workshops = pooled.respondents["workshop_id"].nunique()
    notes = [
        f"{pooled.responses.n:,} respondents who submitted their answers, in {workshops:,} workshop(s).",
        *pooled.notes,
    ]
    return build_report(pooled.responses, bank, structure=check, notes=notes)


def database_exists(url: str) -> bool:
    """False for a SQLite file that is not there (other databases are assumed to exist)."""
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):  # never echo the URL: it may hold a password
        raise AssessmentError(
            f"not a database URL: {safe_url(url)} (URL-encode special characters in the password, or set it apart "
            "in ASSESSMENT_DATABASE_PASSWORD)"
        ) from None
    file = u.database if u.get_backend_name() == "sqlite" and u.database else None
    return not file or file.startswith(":memory:") or Path(file).expanduser().exists()


def method_lines_from_store(url: str | None = None) -> MethodLines:
    """The report's method-section lines (`present.method_lines`) for the database at `url` (default: the
    configured one).

    For callers outside the app (the `report` command): it needs no Streamlit and never creates a database file.
    With no database yet, or one that cannot be read, the lines say plainly that no figures are available (and
    the failure is logged): a report is never refused because the store is unreachable.
    """
    from .present import method_lines

    try:
        url = url or database_url()
        if not database_exists(url):
            return method_lines(None)
        store = Store(url)
        try:
            return method_lines(report_from_store(store, structure=False))
        finally:
            store.close()
    except (AssessmentError, SQLAlchemyError):
        LOG.exception("reliability figures for the report could not be read from the store")
        return method_lines(None)
