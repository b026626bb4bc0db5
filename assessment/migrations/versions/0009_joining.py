"""Joining a hospital can trust: keyed hashes for codes and guessing budgets, closing joining, devices.

- deployment_secret: one row holding a random secret for the keyed hashes (HMAC-SHA256), used when the setting
  ASSESSMENT_SECRET is not set; every process on the database shares it. Created here, once.
- workshops.join_code and audit_log.join_code: the plain codes become tags ("h" + the first 48 bits of the
  code's HMAC, base64url; 9 characters, so the columns keep their type). Only values shaped like a code are
  converted, so running this again after a downgrade leaves tags alone.
- join_attempts and join_budgets: emptied. Their keys were unsalted SHA-256 of addresses and session ids (an
  IPv4 address is found from its hash by trying them all); they only count the last 15 minutes.
- workshops.joining_closed_at: the facilitator closed joining (NULL: open).
- participants.device_hash: the keyed hash of the device that joined, so that an excluded device cannot re-join.

The downgrade drops the two columns but cannot turn tags back into codes, and keeps deployment_secret so that
the tags still match after the next upgrade.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Revision 0009 belongs to issue 18 (joining). It chains to the highest revision on main when written (0008);
whoever merges a branch with another 0009 re-points down_revision at the highest existing one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
# Frozen here rather than imported (migrations must not change when the code does): the shape of a stored plain
# code, and the tag as assessment.store.keys.Keyring.code_tag makes it.
PLAIN_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def _tag(secret: bytes, code: str) -> str:
    digest = hmac.new(secret, f"join-code\x00{code}".encode(), hashlib.sha256).digest()
    return "h" + base64.urlsafe_b64encode(digest[:6]).decode("ascii")


def _secret(conn: sa.Connection) -> bytes:
    from assessment.settings import load_settings  # the one reader of ASSESSMENT_SECRET

    configured = load_settings().secret.get_secret_value()
    if configured:
        return configured.encode("utf-8")
    return str(conn.execute(sa.text("SELECT secret FROM deployment_secret WHERE id = 1")).scalar()).encode("utf-8")


def _convert(conn: sa.Connection, table: str, secret: bytes) -> None:
    rows = conn.execute(sa.text(f"SELECT id, join_code FROM {table}")).all()
    changes = [{"id": i, "tag": _tag(secret, code)} for i, code in rows if PLAIN_CODE.match(code or "")]
    if changes:
        conn.execute(sa.text(f"UPDATE {table} SET join_code = :tag WHERE id = :id"), changes)


# Plain ADD COLUMN (see 0003: batch mode would rebuild tables on SQLite and cascade deletes).


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table("deployment_secret"):  # kept by a downgrade
        op.create_table(
            "deployment_secret",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("secret", sa.String(length=64), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_secret")),
        )
        conn.execute(sa.text("INSERT INTO deployment_secret (id, secret) VALUES (1, :s)"), {"s": secrets.token_hex(32)})
    secret = _secret(conn)
    _convert(conn, "workshops", secret)
    _convert(conn, "audit_log", secret)
    conn.execute(sa.text("DELETE FROM join_attempts"))
    conn.execute(sa.text("DELETE FROM join_budgets"))
    op.add_column("workshops", sa.Column("joining_closed_at", UTC_DATETIME, nullable=True))
    op.add_column("participants", sa.Column("device_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_participants_workshop_device", "participants", ["workshop_id", "device_hash"])


def downgrade() -> None:
    op.drop_index("ix_participants_workshop_device", table_name="participants")
    op.drop_column("participants", "device_hash")
    op.drop_column("workshops", "joining_closed_at")
