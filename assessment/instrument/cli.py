"""`python -m assessment instrument [--database URL] [--format json|text] [--export CSV]`."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import AssessmentError
from ..safeio import check_writable
from ..store import Store, connection_error, database_url
from .export import validation_csv
from .present import report_text
from .source import database_exists, report_from_store


def check_database(url: str, *, named: bool = True) -> None:
    """A mistyped SQLite path must not quietly create an empty database and report on it. `named`: the URL was
    given on the command line (else it is the configured default, which a fresh checkout does not have yet)."""
    if database_exists(url):
        return
    path = make_url(url).database
    if named:
        raise AssessmentError(f"no database at {path}: the SQLite file does not exist (check the path)")
    raise AssessmentError(
        f"no workshop database yet: {path} is created when the app first runs (make run, or assessment serve) and "
        "holds the workshops' answers; name another with --database or ASSESSMENT_DATABASE_URL"
    )


def run_instrument(database: str | None, fmt: str, export: str | None = None) -> int:
    url = database or database_url()
    check_database(url, named=bool(database))
    if export:
        check_writable(Path(export))  # before the database is read: a typo costs no time
    try:
        store = Store(url)
    except SQLAlchemyError as exc:
        raise AssessmentError(connection_error(url, exc)) from None
    try:
        report = report_from_store(store)
        csv = validation_csv(store) if export else ""
    except SQLAlchemyError as exc:
        raise AssessmentError(connection_error(url, exc)) from None
    finally:
        store.close()
    print(report_text(report) if fmt == "text" else report.model_dump_json(indent=2))
    if export:
        try:
            Path(export).write_text(csv, encoding="utf-8")
        except OSError as exc:
            raise AssessmentError(f"cannot write {export}: {exc.strerror or exc}") from None
        print(f"wrote {export}", file=sys.stderr)
    return 0
