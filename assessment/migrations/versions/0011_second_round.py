"""The second round: the statements a facilitator asked the room to re-rate after the discussion, when, and the
release the room discussed (issue 19): one JSON column on `workshops`, NULL when no second round was opened; and
`participants.rerated_at`, when a participant gave their second-round answers (NULL: not yet, or never asked). The
re-ratings themselves are ordinary answers and a resubmission, released like any other (`disclosure.releases`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workshops", sa.Column("second_round", sa.JSON(), nullable=True))
    op.add_column("participants", sa.Column("rerated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("participants", "rerated_at")
    op.drop_column("workshops", "second_round")
