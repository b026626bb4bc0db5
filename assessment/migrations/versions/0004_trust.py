"""Workshops a hospital can trust: anonymity threshold, expected size, exclusion, audit log, guessing budgets.

- workshops.min_group_size: no figure describing fewer people than this is shown (default 3, never below 2);
- workshops.expected_size: joins beyond it are refused (NULL: no cap);
- participants.excluded_at: set when the facilitator excludes someone (their answers leave every aggregate);
- audit_log: who created, exported, reopened, excluded, purged a workshop, and when;
- join_budgets: one row per rate-limited key (client, network, all), locked while a join is checked, so that
  concurrent wrong guesses from one key are counted one after another (on PostgreSQL a count-then-insert
  let 16-20 of 50 simultaneous guesses through a limit of 10).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)

# Plain ADD COLUMN (see 0003: batch mode would rebuild tables on SQLite and cascade deletes).


def upgrade() -> None:
    op.add_column("workshops", sa.Column("min_group_size", sa.Integer(), nullable=False, server_default="3"))
    op.add_column("workshops", sa.Column("expected_size", sa.Integer(), nullable=True))
    op.add_column("participants", sa.Column("excluded_at", UTC_DATETIME, nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("join_code", sa.String(length=9), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_audit_log_workshop_id_workshops"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_workshop_id"), "audit_log", ["workshop_id"])
    op.create_table(
        "join_budgets",
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("client_hash", name=op.f("pk_join_budgets")),
    )


def downgrade() -> None:
    op.drop_table("join_budgets")
    op.drop_index(op.f("ix_audit_log_workshop_id"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_column("participants", "excluded_at")
    op.drop_column("workshops", "expected_size")
    op.drop_column("workshops", "min_group_size")
