"""Indexes for the ticket list at a million tickets: the open views (state + closed_at IS
NULL) in the order of each sort column, and id order within one status, owner, priority or
category of a view (sorting on those pages one value at a time).

Revision ID: 0006
Revises: 0001
"""
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_tickets_state_closed_id": ["state", "closed_at", "id"],
    "ix_tickets_state_status_id": ["state", "status_id", "id"],
    "ix_tickets_state_closed_status_id": ["state", "closed_at", "status_id", "id"],
    "ix_tickets_state_owner_id": ["state", "owner_id", "id"],
    "ix_tickets_state_closed_owner_id": ["state", "closed_at", "owner_id", "id"],
    "ix_tickets_state_closed_priority_id": ["state", "closed_at", "priority", "id"],
    "ix_tickets_state_closed_category_id": ["state", "closed_at", "category", "id"],
    "ix_tickets_state_closed_name": ["state", "closed_at", "name", "id"],
    "ix_tickets_state_closed_created": ["state", "closed_at", "created_at", "id"],
    "ix_tickets_state_closed_status_activity": ["state", "closed_at", "status_id",
                                                "last_activity_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # The planner weighs indexes by the statistics ANALYZE keeps; refresh them for the
        # new indexes (a few seconds at a million tickets).
        op.execute("ANALYZE tickets")


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
