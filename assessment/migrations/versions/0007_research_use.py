"""Workshops whose facilitator allowed research use of the anonymised answers (off unless chosen at creation).

The instrument-quality validation export (assessment.instrument.export) includes only these workshops.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01

Revision 0007 belongs to issue 14; 0005 and 0006 belong to other branches. It chains to the highest revision on
main when written (0004); whoever merges them re-points down_revision at the highest existing one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


# Plain ALTER TABLE in both directions, as in 0003 (batch mode would rebuild the table on SQLite).


def upgrade() -> None:
    op.add_column("workshops", sa.Column("research_use", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("workshops", "research_use")
