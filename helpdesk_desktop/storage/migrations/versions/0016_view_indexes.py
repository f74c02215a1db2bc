"""The first page of the views and filters that read the open tickets of one owner or one
priority, and of the Closed view, as one range of an index each.

Assigned to me, Unassigned, the owner and priority filters and Closed walked an index in the
list's order (``state, closed_at, last_activity_at, id`` or ``state, last_activity_at, id``)
and read each ticket's row to test its owner, priority or ``closed_at``: at a million tickets
up to a few thousand rows read for a page of a hundred (1–9 ms, against 0.1 ms for All
open). These indexes hold what those pages test, in the list's order:

- ``(state, closed_at, owner_id, last_activity_at, id)``: one owner's (or no owner's) open
  tickets by last activity;
- ``(state, closed_at, priority, last_activity_at, id)``: one priority's, the same way;
- ``(state, last_activity_at, id, closed_at) WHERE closed_at IS NOT NULL``: the closed
  tickets by last activity (partial: the open ones are in the indexes above; ``closed_at``
  in it, so that its pages read the index alone).

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: name -> columns (the partial index's condition is :data:`CLOSED`).
INDEXES = {
    "ix_tickets_state_closed_owner_activity": ["state", "closed_at", "owner_id",
                                               "last_activity_at", "id"],
    "ix_tickets_state_closed_priority_activity": ["state", "closed_at", "priority",
                                                  "last_activity_at", "id"],
}
CLOSED_INDEX = "ix_tickets_closed_activity"
CLOSED = "closed_at IS NOT NULL"


def upgrade() -> None:
    import sqlalchemy as sa

    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    op.create_index(CLOSED_INDEX, "tickets", ["state", "last_activity_at", "id", "closed_at"],
                    unique=False,
                    sqlite_where=sa.text(CLOSED), postgresql_where=sa.text(CLOSED))
    if op.get_bind().dialect.name == "sqlite":
        # The planner weighs indexes by the statistics ANALYZE keeps (as in 0006).
        for name in (*INDEXES, CLOSED_INDEX):
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE tickets")


def downgrade() -> None:
    for name in (CLOSED_INDEX, *reversed(INDEXES)):
        op.drop_index(name, table_name="tickets")
