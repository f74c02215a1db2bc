"""The Unread count without reading the read-state rows: an index on read_states that holds
every column the count tests (user, ticket, forced_unread, read_at), so the count walks the
user's range of the index alone (SQLite "COVERING INDEX", PostgreSQL index-only scans).

Revision ID: 0008
Revises: 0004
"""
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_read_states_user_ticket_read", "read_states",
                    ["user_id", "ticket_id", "forced_unread", "read_at"])


def downgrade() -> None:
    op.drop_index("ix_read_states_user_ticket_read", table_name="read_states")
