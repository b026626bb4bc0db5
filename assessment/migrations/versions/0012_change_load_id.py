"""Bank 2026.12.2 moved "change load" out of professional resistance (issue 20: resistance in the paper is defending
interests, norms and values, Two-step institutional work L807-811): the item `pr_change_load` is now
`ce_change_load`. Answers files are read under the new id by the bank's `renamed_items`; this revision renames the
answers already in the database, live and released, so a running workshop keeps them. The retired
`tds_protects_experiments` is left as it is: its answers are kept and no longer read, as for any item a bank drops.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

RENAMES = {"pr_change_load": "ce_change_load"}


def _rename(old_to_new: dict[str, str]) -> None:
    bind = op.get_bind()
    answers = sa.table("answers", sa.column("item_id", sa.String))
    for old, new in old_to_new.items():
        bind.execute(answers.update().where(answers.c.item_id == old).values(item_id=new))
    released = sa.table("released_answers", sa.column("id", sa.Integer), sa.column("payload", sa.JSON))
    for row_id, payload in bind.execute(sa.select(released.c.id, released.c.payload)).all():
        items: list[list[Any]] = payload.get("answers", []) if isinstance(payload, dict) else []
        if not any(entry and entry[0] in old_to_new for entry in items):
            continue
        renamed = [[old_to_new.get(entry[0], entry[0]), *entry[1:]] for entry in items]
        bind.execute(released.update().where(released.c.id == row_id).values(payload={**payload, "answers": renamed}))


def upgrade() -> None:
    _rename(RENAMES)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMES.items()})
