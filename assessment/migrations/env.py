"""Alembic environment for the workshop store.

The store runs `upgrade head` programmatically on start-up and passes its open connection in
`config.attributes["connection"]`. For authoring a new migration by hand:

    ASSESSMENT_DATABASE_URL=sqlite:///data/assessment.sqlite \
        .venv/bin/alembic -c assessment/migrations/alembic.ini revision --autogenerate -m "what changed"
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from assessment.store import Base, database_url, make_engine

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs: Any) -> None:
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def _run(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _configure(url=config.get_main_option("sqlalchemy.url") or database_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.execution_options(assessment_write=True).begin() as conn:
        _run(conn)
    engine.dispose()
