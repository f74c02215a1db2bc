"""Counters for the board's columns and the per-agent views, kept by triggers.

``ticket_status_counts``: how many tickets share a state, open/closed, owner (0: unassigned),
pipeline and status; a board column's count (one status of a view, maybe narrowed to some
owners) is then the sum of a few rows instead of a count over every ticket of the status.

``read_counts`` and ``follow_counts``: for each user and owner key, how many live tickets the
user has read since their last activity (the Unread rule of ``read_state.unread_clause``) and
how many live tickets the user follows. Unread is "live minus read"; both counts were reads
of every read state / follow of the user (720,000 read states for an agent at a million
tickets).

The triggers run in the writing transaction, so the counters are exact whatever program or
process writes. On PostgreSQL the triggers on ``read_states`` and ``followers`` first lock the
ticket row ``FOR SHARE``: a ticket update (owner, state, last activity) running at the same
time is then either waited for (and read as committed) or waits, and its own trigger sees
the committed read state — no change is counted twice or missed. A ticket's counters are
taken off *before* it is deleted (the cascade then finds no ticket to count against). New
activity alone only moves the read states read between the old and the new last activity.
The two counter rows of a move are locked in key order (fewer deadlocks between writers).

Also an index on ``ticket_contacts (contact_id, ticket_id)``: search's contact part reads the
tickets of the matching contacts from it alone (the single-column index made each of those
rows a lookup in the table: 39 ms for 5,000 rows at 200,000 tickets, 1.6 ms with it).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# -- ticket_status_counts ------------------------------------------------------------------

_STATUS_KEY = ("{row}.state, CASE WHEN {row}.closed_at IS NULL THEN 1 ELSE 0 END, "
               "coalesce({row}.owner_id, 0), {row}.pipeline_id, {row}.status_id")
_STATUS_COLUMNS = "(state, is_open, owner_key, pipeline_id, status_id)"
_STATUS_CHANGED = ("old.state IS NOT new.state OR (old.closed_at IS NULL) <> (new.closed_at IS NULL) "
                   "OR old.owner_id IS NOT new.owner_id OR old.pipeline_id IS NOT new.pipeline_id "
                   "OR old.status_id IS NOT new.status_id")


def _sqlite_status_add(row: str) -> str:
    key = _STATUS_KEY.format(row=row)
    # Not INSERT OR IGNORE: an outer statement's conflict clause would override it.
    return (f"INSERT INTO ticket_status_counts{_STATUS_COLUMNS[:-1]}, n) "
            f"SELECT {key}, 0 WHERE NOT EXISTS (SELECT 1 FROM ticket_status_counts "
            f"WHERE {_STATUS_COLUMNS} = ({key})); "
            f"UPDATE ticket_status_counts SET n = n + 1 WHERE {_STATUS_COLUMNS} = ({key});")


def _sqlite_status_remove(row: str) -> str:
    return (f"UPDATE ticket_status_counts SET n = n - 1 WHERE {_STATUS_COLUMNS} = "
            f"({_STATUS_KEY.format(row=row)});")


# -- read_counts and follow_counts ---------------------------------------------------------

# Whether read state {r} counts as "read" for ticket row {t} (the Unread rule, negated).
_READ = ("{t}.state = 'live' AND NOT {r}.forced_unread AND {r}.read_at IS NOT NULL "
         "AND {r}.read_at >= {t}.last_activity_at")
# Whether follow {r} counts for ticket row {t}.
_FOLLOWED = "{t}.state = 'live'"

#: counter table -> (child table, its condition, the ticket columns the condition reads)
USER_COUNTERS = {
    "read_counts": ("read_states", _READ, ("state", "owner_id", "last_activity_at")),
    "follow_counts": ("followers", _FOLLOWED, ("state", "owner_id")),
}


def _sqlite_child_triggers(counter: str, child: str, cond: str) -> list[str]:
    def owner_of(r: str) -> str:
        # The owner key of r's ticket when r counts; NULL (nothing updated) otherwise or
        # when the ticket is gone.
        return (f"(SELECT coalesce(t.owner_id, 0) FROM tickets t WHERE t.id = {r}.ticket_id "
                f"AND {cond.format(t='t', r=r)})")

    def add(r: str) -> str:
        return (f"INSERT INTO {counter}(user_id, owner_key, n) "
                f"SELECT {r}.user_id, {owner_of(r)}, 0 WHERE {owner_of(r)} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {counter} WHERE user_id = {r}.user_id "
                f"AND owner_key = {owner_of(r)}); "
                f"UPDATE {counter} SET n = n + 1 WHERE user_id = {r}.user_id "
                f"AND owner_key = {owner_of(r)};")

    def remove(r: str) -> str:
        return (f"UPDATE {counter} SET n = n - 1 WHERE user_id = {r}.user_id "
                f"AND owner_key = {owner_of(r)};")

    return [
        f"CREATE TRIGGER {counter}_ai AFTER INSERT ON {child} BEGIN {add('new')} END",
        f"CREATE TRIGGER {counter}_ad AFTER DELETE ON {child} BEGIN {remove('old')} END",
        f"CREATE TRIGGER {counter}_au AFTER UPDATE ON {child} BEGIN {remove('old')} "
        f"{add('new')} END",
    ]


def _sqlite_ticket_triggers(counter: str, child: str, cond: str,
                            columns: tuple[str, ...]) -> list[str]:
    def users(t: str) -> str:
        return (f"(SELECT r.user_id FROM {child} r WHERE r.ticket_id = {t}.id "
                f"AND {cond.format(t=t, r='r')})")

    def remove(t: str) -> str:
        return (f"UPDATE {counter} SET n = n - 1 WHERE owner_key = coalesce({t}.owner_id, 0) "
                f"AND user_id IN {users(t)};")

    def add(t: str) -> str:
        return (f"INSERT INTO {counter}(user_id, owner_key, n) "
                f"SELECT u.user_id, coalesce({t}.owner_id, 0), 0 FROM {users(t)} u "
                f"WHERE NOT EXISTS (SELECT 1 FROM {counter} c WHERE c.user_id = u.user_id "
                f"AND c.owner_key = coalesce({t}.owner_id, 0)); "
                f"UPDATE {counter} SET n = n + 1 WHERE owner_key = coalesce({t}.owner_id, 0) "
                f"AND user_id IN {users(t)};")

    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    statements = [
        f"CREATE TRIGGER {counter}_tickets_bd BEFORE DELETE ON tickets BEGIN {remove('old')} END",
    ]
    if "last_activity_at" not in columns:
        return [f"CREATE TRIGGER {counter}_tickets_au AFTER UPDATE OF {', '.join(columns)} "
                f"ON tickets WHEN {changed} BEGIN {remove('old')} {add('new')} END",
                *statements]
    # New activity alone (the common write: every message, every edit) flips only the read
    # states read between the old and the new last activity: a range, not every reader
    # taken off and put back (that cost 0.15 ms per ticket, a bulk edit of 1,000 +150 ms).
    same = "old.state IS new.state AND old.owner_id IS new.owner_id"
    key = "coalesce(new.owner_id, 0)"

    def between(low: str, high: str) -> str:
        return (f"(SELECT r.user_id FROM {child} r WHERE r.ticket_id = new.id "
                f"AND NOT r.forced_unread AND r.read_at >= {low} AND r.read_at < {high})")

    later = between("old.last_activity_at", "new.last_activity_at")
    earlier = between("new.last_activity_at", "old.last_activity_at")
    return [
        f"CREATE TRIGGER {counter}_tickets_au AFTER UPDATE OF {', '.join(columns)} ON tickets "
        f"WHEN NOT ({same}) BEGIN {remove('old')} {add('new')} END",
        f"CREATE TRIGGER {counter}_tickets_later AFTER UPDATE OF last_activity_at ON tickets "
        f"WHEN {same} AND new.state = 'live' AND new.last_activity_at > old.last_activity_at "
        f"BEGIN UPDATE {counter} SET n = n - 1 WHERE owner_key = {key} "
        f"AND user_id IN {later}; END",
        f"CREATE TRIGGER {counter}_tickets_earlier AFTER UPDATE OF last_activity_at ON tickets "
        f"WHEN {same} AND new.state = 'live' AND new.last_activity_at < old.last_activity_at "
        f"BEGIN INSERT INTO {counter}(user_id, owner_key, n) "
        f"SELECT u.user_id, {key}, 0 FROM {earlier} u WHERE NOT EXISTS (SELECT 1 FROM "
        f"{counter} c WHERE c.user_id = u.user_id AND c.owner_key = {key}); "
        f"UPDATE {counter} SET n = n + 1 WHERE owner_key = {key} AND user_id IN {earlier}; END",
        *statements,
    ]


def sqlite_triggers() -> list[str]:
    statements = [
        f"CREATE TRIGGER status_counts_ai AFTER INSERT ON tickets BEGIN "
        f"{_sqlite_status_add('new')} END",
        f"CREATE TRIGGER status_counts_ad AFTER DELETE ON tickets BEGIN "
        f"{_sqlite_status_remove('old')} END",
        f"CREATE TRIGGER status_counts_au AFTER UPDATE OF state, closed_at, owner_id, "
        f"pipeline_id, status_id ON tickets WHEN {_STATUS_CHANGED} BEGIN "
        f"{_sqlite_status_remove('old')} {_sqlite_status_add('new')} END",
    ]
    for counter, (child, cond, columns) in USER_COUNTERS.items():
        statements += _sqlite_child_triggers(counter, child, cond)
        statements += _sqlite_ticket_triggers(counter, child, cond, columns)
    return statements


def _pg_activity_delta(counter: str, child: str) -> str:
    """New activity alone: only the read states between the old and the new last activity
    change sides (see the SQLite triggers)."""
    return f"""IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state
                   AND OLD.owner_id IS NOT DISTINCT FROM NEW.owner_id THEN
                    IF NEW.state = 'live' THEN
                        UPDATE {counter} c SET n = c.n - 1 FROM {child} r
                            WHERE r.ticket_id = NEW.id AND c.user_id = r.user_id
                            AND c.owner_key = coalesce(NEW.owner_id, 0) AND NOT r.forced_unread
                            AND r.read_at >= OLD.last_activity_at
                            AND r.read_at < NEW.last_activity_at;
                        INSERT INTO {counter}(user_id, owner_key, n)
                            SELECT r.user_id, coalesce(NEW.owner_id, 0), 1 FROM {child} r
                            WHERE r.ticket_id = NEW.id AND NOT r.forced_unread
                            AND r.read_at >= NEW.last_activity_at
                            AND r.read_at < OLD.last_activity_at
                            ORDER BY r.user_id
                            ON CONFLICT (user_id, owner_key) DO UPDATE SET n = {counter}.n + 1;
                    END IF;
                    RETURN NULL;
                END IF;"""


def postgresql_triggers() -> list[str]:
    status_key = _STATUS_KEY
    statements = [
        # The two counter rows of a move are locked in key order: two tickets moved in
        # opposite directions at once (New -> Open and Open -> New) would otherwise each hold
        # one row and wait for the other's (a deadlock; one of them refused).
        f"""CREATE FUNCTION status_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND ROW({status_key.format(row='NEW')})
                                    < ROW({status_key.format(row='OLD')}) THEN
                INSERT INTO ticket_status_counts{_STATUS_COLUMNS[:-1]}, n)
                VALUES ({status_key.format(row='NEW')}, 1)
                ON CONFLICT {_STATUS_COLUMNS} DO UPDATE SET n = ticket_status_counts.n + 1;
                UPDATE ticket_status_counts SET n = n - 1
                WHERE {_STATUS_COLUMNS} = ({status_key.format(row='OLD')});
                RETURN NULL;
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE ticket_status_counts SET n = n - 1
                WHERE {_STATUS_COLUMNS} = ({status_key.format(row='OLD')});
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO ticket_status_counts{_STATUS_COLUMNS[:-1]}, n)
                VALUES ({status_key.format(row='NEW')}, 1)
                ON CONFLICT {_STATUS_COLUMNS} DO UPDATE SET n = ticket_status_counts.n + 1;
            END IF;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER status_counts_aid AFTER INSERT OR DELETE ON tickets
            FOR EACH ROW EXECUTE FUNCTION status_counts()""",
        """CREATE TRIGGER status_counts_au AFTER UPDATE OF state, closed_at, owner_id,
            pipeline_id, status_id ON tickets
            FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state
                               OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)
                               OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
                               OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id
                               OR OLD.status_id IS DISTINCT FROM NEW.status_id)
            EXECUTE FUNCTION status_counts()""",
    ]
    for counter, (child, cond, columns) in USER_COUNTERS.items():
        statements += [
            f"""CREATE FUNCTION {counter}_child() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                key integer;
            BEGIN
                -- The ticket rows first (a concurrent update of them is waited for, and read
                -- as committed by the statements below).
                PERFORM 1 FROM tickets WHERE id IN (
                    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.ticket_id END,
                    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.ticket_id END)
                    ORDER BY id FOR SHARE;
                IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    SELECT coalesce(t.owner_id, 0) INTO key FROM tickets t
                        WHERE t.id = OLD.ticket_id AND {cond.format(t='t', r='OLD')};
                    IF FOUND THEN
                        UPDATE {counter} SET n = n - 1
                            WHERE user_id = OLD.user_id AND owner_key = key;
                    END IF;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    SELECT coalesce(t.owner_id, 0) INTO key FROM tickets t
                        WHERE t.id = NEW.ticket_id AND {cond.format(t='t', r='NEW')};
                    IF FOUND THEN
                        INSERT INTO {counter}(user_id, owner_key, n) VALUES (NEW.user_id, key, 1)
                            ON CONFLICT (user_id, owner_key) DO UPDATE SET n = {counter}.n + 1;
                    END IF;
                END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE TRIGGER {counter}_child AFTER INSERT OR DELETE OR UPDATE ON {child}
                FOR EACH ROW EXECUTE FUNCTION {counter}_child()""",
            f"""CREATE FUNCTION {counter}_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {_pg_activity_delta(counter, child) if "last_activity_at" in columns else ""}
                IF TG_OP = 'UPDATE' AND coalesce(NEW.owner_id, 0) < coalesce(OLD.owner_id, 0)
                THEN  -- the rows in key order (see status_counts)
                    INSERT INTO {counter}(user_id, owner_key, n)
                        SELECT r.user_id, coalesce(NEW.owner_id, 0), 1 FROM {child} r
                        WHERE r.ticket_id = NEW.id AND {cond.format(t='NEW', r='r')}
                        ORDER BY r.user_id
                        ON CONFLICT (user_id, owner_key) DO UPDATE SET n = {counter}.n + 1;
                    UPDATE {counter} c SET n = c.n - 1 FROM {child} r
                        WHERE r.ticket_id = OLD.id AND c.user_id = r.user_id
                        AND c.owner_key = coalesce(OLD.owner_id, 0)
                        AND {cond.format(t='OLD', r='r')};
                    RETURN NULL;
                END IF;
                UPDATE {counter} c SET n = c.n - 1 FROM {child} r
                    WHERE r.ticket_id = OLD.id AND c.user_id = r.user_id
                    AND c.owner_key = coalesce(OLD.owner_id, 0)
                    AND {cond.format(t='OLD', r='r')};
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                INSERT INTO {counter}(user_id, owner_key, n)
                    SELECT r.user_id, coalesce(NEW.owner_id, 0), 1 FROM {child} r
                    WHERE r.ticket_id = NEW.id AND {cond.format(t='NEW', r='r')}
                    ORDER BY r.user_id
                    ON CONFLICT (user_id, owner_key) DO UPDATE SET n = {counter}.n + 1;
                RETURN NULL;
            END $$""",
            f"""CREATE TRIGGER {counter}_tickets_au AFTER UPDATE OF {', '.join(columns)}
                ON tickets FOR EACH ROW WHEN ({' OR '.join(
                    f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in columns)})
                EXECUTE FUNCTION {counter}_tickets()""",
            f"""CREATE TRIGGER {counter}_tickets_bd BEFORE DELETE ON tickets
                FOR EACH ROW EXECUTE FUNCTION {counter}_tickets()""",
        ]
    return statements


#: Each counter table filled from the rows themselves (the upgrade; the demo builder after
#: its bulk load; the invariants test compares against the same queries).
BACKFILL = {
    "ticket_status_counts": (
        f"INSERT INTO ticket_status_counts{_STATUS_COLUMNS[:-1]}, n) "
        f"SELECT {_STATUS_KEY.format(row='tickets')}, count(*) FROM tickets "
        f"GROUP BY {_STATUS_KEY.format(row='tickets')}"),
    **{counter: (f"INSERT INTO {counter}(user_id, owner_key, n) "
                 f"SELECT r.user_id, coalesce(t.owner_id, 0), count(*) FROM {child} r "
                 f"JOIN tickets t ON t.id = r.ticket_id WHERE {cond.format(t='t', r='r')} "
                 f"GROUP BY r.user_id, coalesce(t.owner_id, 0)")
       for counter, (child, cond, _columns) in USER_COUNTERS.items()},
}


def upgrade() -> None:
    op.create_table(
        "ticket_status_counts",
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("is_open", sa.Integer(), nullable=False),
        sa.Column("owner_key", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("state", "is_open", "owner_key", "pipeline_id", "status_id",
                                name=op.f("pk_ticket_status_counts")),
    )
    for counter in USER_COUNTERS:
        op.create_table(
            counter,
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("owner_key", sa.Integer(), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("user_id", "owner_key", name=op.f(f"pk_{counter}")),
        )
    for statement in BACKFILL.values():
        op.execute(statement)
    op.create_index("ix_ticket_contacts_contact_ticket", "ticket_contacts",
                    ["contact_id", "ticket_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in sqlite_triggers() if dialect == "sqlite" else postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        names = ["status_counts_ai", "status_counts_ad", "status_counts_au"]
        for counter, (_child, _cond, columns) in USER_COUNTERS.items():
            names += [f"{counter}_ai", f"{counter}_ad", f"{counter}_au",
                      f"{counter}_tickets_au", f"{counter}_tickets_bd"]
            if "last_activity_at" in columns:
                names += [f"{counter}_tickets_later", f"{counter}_tickets_earlier"]
        for name in names:
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER status_counts_aid ON tickets")
        op.execute("DROP TRIGGER status_counts_au ON tickets")
        op.execute("DROP FUNCTION status_counts()")
        for counter, (child, _cond, _columns) in USER_COUNTERS.items():
            op.execute(f"DROP TRIGGER {counter}_child ON {child}")
            op.execute(f"DROP TRIGGER {counter}_tickets_au ON tickets")
            op.execute(f"DROP TRIGGER {counter}_tickets_bd ON tickets")
            op.execute(f"DROP FUNCTION {counter}_child()")
            op.execute(f"DROP FUNCTION {counter}_tickets()")
    op.drop_index("ix_ticket_contacts_contact_ticket", table_name="ticket_contacts")
    for counter in USER_COUNTERS:
        op.drop_table(counter)
    op.drop_table("ticket_status_counts")
