"""Participants' "not sure" answers to the plan questions.

A plan fact (political_work_first, step_one_evidence) was stored as a nullable boolean, so "not sure" and
"not answered" both read back as NULL and a resumed participant saw the question unanswered. This column
keeps the facts answered "not sure" (comma-separated fact names; empty for none).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Plain ALTER TABLE in both directions (SQLite 3.35+ drops columns in place). Batch mode would rebuild the
# participants table on SQLite, and with foreign keys on, dropping the old table deletes every answer
# through ON DELETE CASCADE.


def upgrade() -> None:
    op.add_column("participants", sa.Column("plan_unsure", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("participants", "plan_unsure")
