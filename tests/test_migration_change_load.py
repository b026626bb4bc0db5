"""Migration 0012: answers to the old `pr_change_load`, live and released, are read under `ce_change_load` after
an upgrade (issue 20 moved change load out of resistance), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import text
from test_store import CTX, QUICK, join

from assessment.store import Store
from assessment.store.database import alembic_config, make_engine


def test_old_change_load_answers_survive_the_upgrade(database_url: str) -> None:
    s = Store(database_url)
    assert "ce_change_load" in s.bank.item_by_id
    created = s.create_workshop("Change load", CTX, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    for i in range(3):
        token = join(s, code, "nurse", client_key=f"c{i}")
        s.save_answers(token, {**dict.fromkeys(QUICK, 3), "ce_change_load": 5})
        s.submit(token)
    s.summary(code, key)  # cuts the first release
    s.close()
    engine = make_engine(database_url)
    with engine.execution_options(assessment_write=True).begin() as conn:
        cfg = alembic_config(database_url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")  # the ids as an installation before bank 2026.12.2 held them
    with engine.connect() as conn:
        live = conn.execute(text("SELECT count(*) FROM answers WHERE item_id = 'pr_change_load'")).scalar_one()
        payloads = [json.loads(p) if isinstance(p, str) else p for (p,) in conn.execute(
            text("SELECT payload FROM released_answers"))]  # fmt: skip
    engine.dispose()
    assert live == 3
    assert all(any(a[0] == "pr_change_load" for a in p["answers"]) for p in payloads)

    again = Store(database_url)
    summary = again.summary(code, key)
    assert summary.item_spread["ce_change_load"].counts == [0, 0, 0, 0, 3]
    again.close()
