"""Participants' plan answers in the one shape of a plan answer: "yes" / "no" / "not_sure", NULL when not answered.

Until now a plan answer took two columns: a nullable boolean per plan question, and `plan_unsure` (0003) listing
the questions answered "not sure" (comma-separated). Each question now has one text column holding
`vocabulary.PlanAnswer`; the data is carried over in both directions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Revision 0008 belongs to issue 11 (plan answers, one type). It chains to the highest revision on main when
written (0007); whoever merges a branch with another 0008 re-points down_revision at the highest existing one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here rather than imported, as migrations must not change when the code does.
PLAN_FACTS = ("political_work_first", "step_one_evidence")

# Plain ALTER TABLE (ADD, DROP and RENAME COLUMN work in place on SQLite 3.35+ and on PostgreSQL): batch mode
# would rebuild the participants table on SQLite, and with foreign keys on, dropping the old table deletes every
# answer through ON DELETE CASCADE (see 0003).


def upgrade() -> None:
    for fact in PLAN_FACTS:
        op.add_column("participants", sa.Column(f"{fact}_new", sa.String(8), nullable=True))
        op.execute(
            sa.text(
                f"UPDATE participants SET {fact}_new = CASE "
                f"WHEN ',' || plan_unsure || ',' LIKE '%,{fact},%' THEN 'not_sure' "
                f"WHEN {fact} THEN 'yes' WHEN NOT {fact} THEN 'no' END"
            )
        )
    op.drop_column("participants", "plan_unsure")
    for fact in PLAN_FACTS:
        op.drop_column("participants", fact)
        op.execute(sa.text(f"ALTER TABLE participants RENAME COLUMN {fact}_new TO {fact}"))


def downgrade() -> None:
    first, second = PLAN_FACTS
    op.add_column("participants", sa.Column("plan_unsure", sa.String(64), nullable=False, server_default=""))
    op.execute(
        sa.text(
            "UPDATE participants SET plan_unsure = CASE "
            f"WHEN {first} = 'not_sure' AND {second} = 'not_sure' THEN '{first},{second}' "
            f"WHEN {first} = 'not_sure' THEN '{first}' WHEN {second} = 'not_sure' THEN '{second}' ELSE '' END"
        )
    )
    for fact in PLAN_FACTS:
        op.add_column("participants", sa.Column(f"{fact}_old", sa.Boolean(), nullable=True))
        op.execute(
            sa.text(
                f"UPDATE participants SET {fact}_old = CASE WHEN {fact} = 'yes' THEN TRUE "
                f"WHEN {fact} = 'no' THEN FALSE END"
            )
        )
        op.drop_column("participants", fact)
        op.execute(sa.text(f"ALTER TABLE participants RENAME COLUMN {fact}_old TO {fact}"))
