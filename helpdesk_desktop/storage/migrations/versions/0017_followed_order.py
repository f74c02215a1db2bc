"""Following: each user's followed tickets in activity order, one range of an index.

The Following view walked the live tickets by last activity (``ix_tickets_state_activity``)
and probed the followers' key for each: ~8,500 probes for a page of an agent who follows one
ticket in a hundred (6.6 ms of SQL at a million tickets, the slowest view). Each follow now
holds its ticket's ``state`` and ``last_activity_at``, copied by triggers, and
``ix_followers_user_state_activity (user_id, state, last_activity_at, ticket_id)`` holds a
user's followed tickets in the view's order: a page reads its range and the tickets of that
range alone.

The copies are written by the database, whatever program or process writes:

- a new follow (or one moved to another ticket) takes its ticket's values, once the row is
  in; on PostgreSQL the ticket row is read ``FOR SHARE``, so that an update of the ticket
  running at the same time is waited for and read as committed (READ COMMITTED re-reads the
  row), or waits for the follow and then updates it in its own trigger;
- a ticket's state or last activity changing updates its follows (SQLite: a row trigger;
  PostgreSQL: once per statement over its transition tables, as migration 0014's counters);
- a ticket deleted takes its follows with it (the foreign key's cascade).

``follow_counts``'s trigger on ``followers`` (migration 0011) is narrowed to an update of
the follow's ticket or user: the copies written here are not a follow moving, and it would
otherwise take a follow off its counter and put it back for each of them.

The upgrade fills the copies of existing follows in one statement (about 60,000 follows at
a million tickets).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

INDEX = "ix_followers_user_state_activity"
COLUMNS = ("state", "last_activity_at")

#: Every follow's copies from its ticket (the upgrade; the demo builders after a bulk load;
#: the invariants test compares against the same join).
BACKFILL = ("UPDATE followers SET state = t.state, last_activity_at = t.last_activity_at "
            "FROM tickets t WHERE t.id = followers.ticket_id")


def _sqlite_copy(row: str) -> str:
    return (f"UPDATE followers SET "
            f"state = (SELECT state FROM tickets WHERE id = {row}.ticket_id), "
            f"last_activity_at = (SELECT last_activity_at FROM tickets "
            f"WHERE id = {row}.ticket_id) "
            f"WHERE ticket_id = {row}.ticket_id AND user_id = {row}.user_id;")


# The names hold "sort": the bulk builders drop and restore such triggers (demo_bulk).
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER followers_sort_ai AFTER INSERT ON followers BEGIN "
    f"{_sqlite_copy('new')} END",
    f"CREATE TRIGGER followers_sort_au AFTER UPDATE OF ticket_id, user_id ON followers "
    f"BEGIN {_sqlite_copy('new')} END",
    "CREATE TRIGGER followers_sort_tickets_au AFTER UPDATE OF state, last_activity_at "
    "ON tickets WHEN old.state IS NOT new.state "
    "OR old.last_activity_at IS NOT new.last_activity_at BEGIN "
    "UPDATE followers SET state = new.state, last_activity_at = new.last_activity_at "
    "WHERE ticket_id = new.id; END",
]

POSTGRESQL_TRIGGERS = [
    # AFTER the row is in (as 0011's follow_counts_child): a BEFORE trigger would hold the
    # ticket's share lock while waiting on another window's insert of the same follow,
    # which then waits for it to update the ticket (its timeline): a deadlock.
    """CREATE FUNCTION followers_sort_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE followers f SET state = t.state, last_activity_at = t.last_activity_at
            FROM (SELECT state, last_activity_at FROM tickets WHERE id = NEW.ticket_id
                  FOR SHARE) t
            WHERE f.ticket_id = NEW.ticket_id AND f.user_id = NEW.user_id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER followers_sort_aiu AFTER INSERT OR UPDATE OF ticket_id, user_id
        ON followers FOR EACH ROW EXECUTE FUNCTION followers_sort_row()""",
    """CREATE FUNCTION followers_sort_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE followers f SET state = n.state, last_activity_at = n.last_activity_at
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE f.ticket_id = n.id AND (o.state IS DISTINCT FROM n.state
                OR o.last_activity_at IS DISTINCT FROM n.last_activity_at);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER followers_sort_ticket_updates AFTER UPDATE ON tickets
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION followers_sort_tickets()""",
]

# follow_counts' trigger on followers (migration 0011), without and with the column list.
_SQLITE_COUNTS = "follow_counts_au"
_PG_COUNTS = ("CREATE TRIGGER follow_counts_child AFTER INSERT OR DELETE OR UPDATE{columns} "
              "ON followers FOR EACH ROW EXECUTE FUNCTION follow_counts_child()")


def _sqlite_counts_trigger(columns: str) -> str:
    """0011's ``follow_counts_au`` with ``columns`` (``""``: any update)."""
    sql = op.get_bind().exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        (_SQLITE_COUNTS,)).scalar()
    if sql is None:  # dropped by a bulk build in progress: it restores 0011's form
        return ""
    head, body = sql.split(" BEGIN ", 1)
    prefix = head.split(" AFTER UPDATE")[0]
    return f"{prefix} AFTER UPDATE{columns} ON followers BEGIN {body}"


def _replace_counts_trigger(columns: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        sql = _sqlite_counts_trigger(columns)
        if sql:
            op.execute(f"DROP TRIGGER {_SQLITE_COUNTS}")
            op.execute(sql)
    else:
        op.execute("DROP TRIGGER follow_counts_child ON followers")
        op.execute(_PG_COUNTS.format(columns=columns))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("followers", sa.Column(
        "state", sa.Enum("live", "spam", "deleted", "merged", name="ticket_state",
                         native_enum=False, create_constraint=False, length=32),
        nullable=True))
    op.add_column("followers", sa.Column("last_activity_at", sa.DateTime(), nullable=True))
    op.execute(BACKFILL)
    op.create_index(INDEX, "followers", ["user_id", *COLUMNS, "ticket_id"], unique=False)
    _replace_counts_trigger(" OF ticket_id, user_id")
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)
    # The planner weighs indexes by the statistics ANALYZE keeps (as in 0006, 0016).
    op.execute(f"ANALYZE {INDEX}" if dialect == "sqlite" else "ANALYZE followers")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("followers_sort_ai", "followers_sort_au", "followers_sort_tickets_au"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER followers_sort_aiu ON followers")
        op.execute("DROP TRIGGER followers_sort_ticket_updates ON tickets")
        op.execute("DROP FUNCTION followers_sort_row()")
        op.execute("DROP FUNCTION followers_sort_tickets()")
    _replace_counts_trigger("")
    op.drop_index(INDEX, table_name="followers")
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE followers DROP COLUMN {column}")
