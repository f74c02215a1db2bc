"""Migration 0018: the indexes of ``tickets`` that no query read are dropped (three more on
PostgreSQL than on SQLite), the purge's two partial on PostgreSQL, and all come back as they
were with the downgrade. The plans that must still seek are checked by
``test_query_plans.py`` and ``test_query_plans_pg.py``; the purge's plan here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, text

from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import Database, open_database
from tests.pg_schemas import own_schema_database

BY_STATE = {"ix_tickets_spam_at", "ix_tickets_deleted_at"}
DROPPED_ON_POSTGRESQL = {"ix_tickets_state_closed_created", "ix_tickets_state_closed_name",
                         "ix_tickets_state_closed_priority_activity"}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A newly created database at the newest revision, on either back-end."""
    if request.param == "sqlite":
        database = open_database(str(tmp_path / "desk.sqlite3"))
        yield database
        database.dispose()
        return
    if not os.environ.get("HELPDESK_TEST_DATABASE_URL"):
        pytest.skip("HELPDESK_TEST_DATABASE_URL is not set")
    with own_schema_database("hd_index") as database:
        yield database


def _indexes(connection: Connection) -> dict[str, str]:
    """Index name -> its definition (SQLite's or PostgreSQL's own text)."""
    if connection.dialect.name == "sqlite":
        sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
               "AND tbl_name = 'tickets' AND sql IS NOT NULL")
    else:
        sql = ("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets' "
               "AND schemaname = current_schema()")
    return {str(name): str(definition) for name, definition in connection.execute(text(sql))}


def test_the_unused_indexes_go_and_come_back_with_the_downgrade(fresh: Database) -> None:
    postgresql = fresh.engine.dialect.name == "postgresql"
    with fresh.engine.begin() as connection:
        present = _indexes(connection)
        assert "ix_tickets_state_closed_activity" in present
        assert "ix_tickets_inbox_id" in present
        if postgresql:
            assert not set(present) & DROPPED_ON_POSTGRESQL
            assert "WHERE ((state)::text = 'spam'::text)" in present["ix_tickets_spam_at"]
            assert "WHERE ((state)::text = 'deleted'::text)" in present["ix_tickets_deleted_at"]
        else:
            assert not set(present) & BY_STATE
            # SQLite's planner reads these (sorts of the open views, the priority filter).
            assert DROPPED_ON_POSTGRESQL <= set(present)
        config = migrations.alembic_config(connection)
        command.downgrade(config, "0017")
        before = _indexes(connection)
        assert set(before) == set(present) | BY_STATE | DROPPED_ON_POSTGRESQL
        assert not any("WHERE" in before[name] for name in BY_STATE)
        command.upgrade(config, "0018")
        assert _indexes(connection) == present


def test_the_purge_reads_the_spam_and_the_trash_by_index(fresh: Database) -> None:
    """PostgreSQL's purge still finds what is due through the (now partial) indexes."""
    if fresh.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's purge never read these indexes")
    from helpdesk_desktop.application import startup
    from helpdesk_desktop.services import trash
    from helpdesk_desktop.services.demo import generate_demo
    from helpdesk_desktop.services.uow import UnitOfWork
    from tests.query_plans import analyze, capture, pg_plan

    generate_demo(fresh, tickets=300, seed=4)
    analyze(fresh.engine)
    user_id = startup.default_user_id(fresh)
    assert user_id is not None
    with capture(fresh.engine) as captured:
        trash.purge(UnitOfWork(fresh, user_id), older_than_days=10**5)
    due = [(s, p) for s, p in captured.statements if "tickets.deleted_at <" in s]
    assert len(due) == 1
    plan = "\n".join(pg_plan(fresh.engine, *due[0]))
    assert "Bitmap Index Scan on ix_tickets_spam_at" in plan, plan
    assert "Bitmap Index Scan on ix_tickets_deleted_at" in plan, plan
