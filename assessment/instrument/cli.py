"""`python -m assessment instrument [--database URL] [--format json|text] [--export CSV]`."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from ..errors import AssessmentError
from ..store import Store, database_url
from .export import validation_csv
from .present import report_text
from .source import database_exists, report_from_store


def check_database(url: str) -> None:
    """A mistyped SQLite path must not quietly create an empty database and report on it."""
    if not database_exists(url):
        raise AssessmentError(f"no database at {make_url(url).database}")


def run_instrument(database: str | None, fmt: str, export: str | None = None) -> int:
    url = database or database_url()
    check_database(url)
    store = Store(url)
    try:
        report = report_from_store(store)
        print(report_text(report) if fmt == "text" else report.model_dump_json(indent=2))
        if export:
            Path(export).write_text(validation_csv(store), encoding="utf-8")
            print(f"wrote {export}", file=sys.stderr)
    finally:
        store.close()
    return 0
