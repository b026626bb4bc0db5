"""Releases: the frozen sets of submitted answers that every workshop figure is computed from (issue 18).

`releases` lists, per workshop and in order, the members of each release ((participant id, version) pairs, the
version being the submission's time); `released_answers` holds each released member's answers once, as they were
submitted, so a release reads the same after its people are reopened. Both go with their workshop (ON DELETE
CASCADE). No name is copied into a release.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE", name=None), nullable=False
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workshop_id", "seq", name="uq_releases_workshop_id_seq"),
    )
    op.create_table(
        "released_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE", name=None), nullable=False
        ),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.UniqueConstraint(
            "workshop_id", "participant_id", "version", name="uq_released_answers_workshop_id_participant_id_version"
        ),
    )


def downgrade() -> None:
    op.drop_table("released_answers")
    op.drop_table("releases")
