"""The ticket list at a million tickets: indexes for the open views (state + closed_at IS
NULL) in the order of each sort column, and id order within one status, owner, priority or
category of a view (sorting on those pages one value at a time); ``ticket_counts``, kept by
triggers, for the per-view counts.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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


# The key of a ticket in ticket_counts, as SQL over the row ``{row}`` (new or old).
_KEY = "{row}.state, CASE WHEN {row}.closed_at IS NULL THEN 1 ELSE 0 END, coalesce({row}.owner_id, 0)"
_CHANGED = ("old.state IS NOT new.state OR (old.closed_at IS NULL) <> (new.closed_at IS NULL) "
            "OR old.owner_id IS NOT new.owner_id")


def _sqlite_add(row: str) -> str:
    return (f"INSERT OR IGNORE INTO ticket_counts(state, is_open, owner_key, n) "
            f"VALUES ({_KEY.format(row=row)}, 0); "
            f"UPDATE ticket_counts SET n = n + 1 WHERE (state, is_open, owner_key) = "
            f"({_KEY.format(row=row)});")


def _sqlite_remove(row: str) -> str:
    return (f"UPDATE ticket_counts SET n = n - 1 WHERE (state, is_open, owner_key) = "
            f"({_KEY.format(row=row)});")


SQLITE_COUNTERS = [
    f"CREATE TRIGGER tickets_count_ai AFTER INSERT ON tickets BEGIN {_sqlite_add('new')} END",
    f"CREATE TRIGGER tickets_count_ad AFTER DELETE ON tickets BEGIN {_sqlite_remove('old')} END",
    f"""CREATE TRIGGER tickets_count_au AFTER UPDATE OF state, closed_at, owner_id ON tickets
        WHEN {_CHANGED} BEGIN {_sqlite_remove('old')} {_sqlite_add('new')} END""",
]

POSTGRESQL_COUNTERS = [
    f"""CREATE FUNCTION tickets_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE ticket_counts SET n = n - 1
            WHERE (state, is_open, owner_key) = ({_KEY.format(row='OLD')});
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ticket_counts(state, is_open, owner_key, n)
            VALUES ({_KEY.format(row='NEW')}, 1)
            ON CONFLICT (state, is_open, owner_key) DO UPDATE SET n = ticket_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER tickets_count_aid AFTER INSERT OR DELETE ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_count()""",
    """CREATE TRIGGER tickets_count_au AFTER UPDATE OF state, closed_at, owner_id ON tickets
        FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state
                           OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)
                           OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
        EXECUTE FUNCTION tickets_count()""",
]


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    op.create_table(
        "ticket_counts",
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("is_open", sa.Integer(), nullable=False),
        sa.Column("owner_key", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("state", "is_open", "owner_key", name=op.f("pk_ticket_counts")),
    )
    op.execute(f"INSERT INTO ticket_counts(state, is_open, owner_key, n) "
               f"SELECT {_KEY.format(row='tickets')}, count(*) FROM tickets "
               f"GROUP BY {_KEY.format(row='tickets')}")
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_COUNTERS if dialect == "sqlite" else POSTGRESQL_COUNTERS:
        op.execute(statement)
    if dialect == "sqlite":
        # The planner weighs indexes by the statistics ANALYZE keeps; refresh them for the
        # new indexes (a few seconds at a million tickets).
        op.execute("ANALYZE tickets")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("tickets_count_ai", "tickets_count_ad", "tickets_count_au"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER tickets_count_aid ON tickets")
        op.execute("DROP TRIGGER tickets_count_au ON tickets")
        op.execute("DROP FUNCTION tickets_count()")
    op.drop_table("ticket_counts")
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
