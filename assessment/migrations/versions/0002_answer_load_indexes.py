"""Indexes for loading a whole workshop fast: a covering index for scores, a partial index for comments.

With them the 65,000 answers of a 1,000-person workshop are read from the index alone, and the comments
(usually a few per cent of answers) from a small partial index, roughly halving the load time on SQLite.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COMMENTED = "comment <> ''"


def upgrade() -> None:
    op.create_index("ix_answers_scores", "answers", ["participant_id", "item_id", "rating", "dont_know"])
    op.create_index(
        "ix_answers_commented",
        "answers",
        ["participant_id"],
        sqlite_where=sa.text(COMMENTED),
        postgresql_where=sa.text(COMMENTED),
    )


def downgrade() -> None:
    op.drop_index("ix_answers_commented", table_name="answers")
    op.drop_index("ix_answers_scores", table_name="answers")
