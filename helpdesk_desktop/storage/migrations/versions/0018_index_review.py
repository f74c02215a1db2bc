"""Indexes of ``tickets`` that no query reads: dropped, or made partial, so that each ticket
written costs fewer index entries.

Every ticket row written (a status change of 1,000 tickets, a split's new ticket, a delete)
writes an entry in each index of ``tickets``: on PostgreSQL in all of them (no update of a
ticket is HOT while ``status_id`` and ``last_activity_at`` are indexed), about 95 % of a
status change's ``UPDATE`` (session 27); a partial index gets no entry for a row outside its
condition. ``tests/benchmarks/bench_index_use.py`` explained every statement of the list,
count, board, search, jump, open, purge and B9 operations on the 100,000-ticket PostgreSQL
benchmark database (and counted its own index scans, triggers and foreign-key checks
included); the plans of the statements concerned on the 1,000,000-ticket SQLite one (the
sorts, filters and purge below) decided what stays there:

- ``ix_tickets_spam_at``, ``ix_tickets_deleted_at``: read only by the purge's
  ``state = 'spam' AND spam_at < ? OR state = 'deleted' AND deleted_at < ?``. On
  PostgreSQL they become partial (``WHERE state = 'spam'`` / ``'deleted'``): the purge's
  plan is the same, and a live ticket has no entry in them. SQLite never read them (its
  purge reads the table), so they are dropped there.
- PostgreSQL only: ``ix_tickets_state_closed_created``, ``ix_tickets_state_closed_name``
  and ``ix_tickets_state_closed_priority_activity``, read by no plan (its planner walks
  ``(state, created_at, id)``, ``(state, name, id)`` and ``(state, last_activity_at, id)``
  and tests ``closed_at`` and the priority on the way). SQLite's plans read them at a
  million tickets (a sort by name or creation of the open views, the priority filter's
  first page: migration 0016), so they stay there.
- ``ix_tickets_inbox_id`` stays: no PostgreSQL plan read it (three inboxes of a third each),
  but SQLite's inbox filter in id order reads it, and a small inbox would need it on both.

Revision ID: 0018
Revises: 0017
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: name -> (column, the state of the tickets it holds on PostgreSQL).
BY_STATE = {
    "ix_tickets_spam_at": ("spam_at", "spam"),
    "ix_tickets_deleted_at": ("deleted_at", "deleted"),
}
#: name -> columns, dropped on PostgreSQL only.
UNUSED_ON_POSTGRESQL = {
    "ix_tickets_state_closed_created": ["state", "closed_at", "created_at", "id"],
    "ix_tickets_state_closed_name": ["state", "closed_at", "name", "id"],
    "ix_tickets_state_closed_priority_activity": ["state", "closed_at", "priority",
                                                  "last_activity_at", "id"],
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for name in BY_STATE:
        op.drop_index(name, table_name="tickets")
    if not _postgresql():
        return
    import sqlalchemy as sa

    for name, (column, state) in BY_STATE.items():
        op.create_index(name, "tickets", [column], unique=False,
                        postgresql_where=sa.text(f"state = '{state}'"))
    for name in UNUSED_ON_POSTGRESQL:
        op.drop_index(name, table_name="tickets")
    op.execute("ANALYZE tickets")


def downgrade() -> None:
    postgresql = _postgresql()
    if postgresql:
        for name, columns in UNUSED_ON_POSTGRESQL.items():
            op.create_index(name, "tickets", columns, unique=False)
        for name in BY_STATE:
            op.drop_index(name, table_name="tickets")
    for name, (column, _state) in BY_STATE.items():
        op.create_index(name, "tickets", [column], unique=False)
    if postgresql:
        op.execute("ANALYZE tickets")
