"""PostgreSQL: the counters of the tickets' writes kept once per statement, not once per row.

The counters of migrations 0006 (``ticket_counts``) and 0011 (``ticket_status_counts``, and
``read_counts`` / ``follow_counts`` when a ticket changes) were kept by row triggers: a bulk
edit of 1,000 tickets ran four PL/pgSQL functions per ticket, each with its own ``UPDATE``
and upsert of a counter row (~23 % of the statement at 100,000 tickets). Here each of them
is one statement trigger over the statement's transition tables (``old_rows``,
``new_rows``): the rows' keys are counted, +1 for each new row and -1 for each old one,
summed per key, and the keys whose sum is not zero are applied in one upsert, in key order
(two writers lock the counter rows they share in the same order, as the row triggers did
for the two rows of one ticket). A statement that changes no key writes nothing.

``read_counts`` and ``follow_counts`` read, for the tickets whose state, owner (or last
activity, for reads) changed, their read states / followers under the old and the new
values of the ticket, in one join each. A ticket's deletion still takes its readers and
followers off in a row trigger *before* it is deleted (the cascade then removes them: an
``AFTER`` statement would find none).

Transition tables cannot go with a column list (``UPDATE OF …``), so the update triggers
run for every update of ``tickets``; one of a single ticket's name or version only reads
its own two rows of the transition tables. SQLite is unchanged (no statement triggers).

Revision ID: 0014
Revises: 0013
"""
from typing import Any

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: counter table -> (its key columns, the key of the ticket row ``{row}``)
ROW_COUNTERS = {
    "ticket_counts": (
        "state, is_open, owner_key",
        "{row}.state, CASE WHEN {row}.closed_at IS NULL THEN 1 ELSE 0 END, "
        "coalesce({row}.owner_id, 0)"),
    "ticket_status_counts": (
        "state, is_open, owner_key, pipeline_id, status_id",
        "{row}.state, CASE WHEN {row}.closed_at IS NULL THEN 1 ELSE 0 END, "
        "coalesce({row}.owner_id, 0), {row}.pipeline_id, {row}.status_id"),
}

# Whether read state / follow {r} counts for ticket row {t} (migration 0011's rules).
_READ = ("{t}.state = 'live' AND NOT {r}.forced_unread AND {r}.read_at IS NOT NULL "
         "AND {r}.read_at >= {t}.last_activity_at")
_FOLLOWED = "{t}.state = 'live'"

#: counter table -> (child table, its condition, the ticket columns the condition reads)
USER_COUNTERS = {
    "read_counts": ("read_states", _READ, ("state", "owner_id", "last_activity_at")),
    "follow_counts": ("followers", _FOLLOWED, ("state", "owner_id")),
}


def _row_counter_function(table: str) -> str:
    columns, key = ROW_COUNTERS[table]
    width = len(columns.split(","))
    groups = ", ".join(str(i) for i in range(1, width + 1))

    def upsert(rows: str) -> str:
        return (f"INSERT INTO {table} AS c ({columns}, n) "
                f"SELECT {columns}, sum(d)::integer "
                f"FROM ({rows}) AS x({columns}, d) GROUP BY {groups} HAVING sum(d) <> 0 "
                f"ORDER BY {groups} "
                f"ON CONFLICT ({columns}) DO UPDATE SET n = c.n + excluded.n;")

    added = f"SELECT {key.format(row='n')}, 1 FROM new_rows n"
    removed = f"SELECT {key.format(row='o')}, -1 FROM old_rows o"
    return f"""CREATE FUNCTION {table}_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {upsert(added)}
        ELSIF TG_OP = 'DELETE' THEN
            {upsert(removed)}
        ELSE
            {upsert(f"{added} UNION ALL {removed}")}
        END IF;
        RETURN NULL;
    END $$"""


def _user_counter_function(counter: str) -> str:
    child, cond, columns = USER_COUNTERS[counter]
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in columns)
    # The tickets whose counted columns changed, with their old and new values.
    moved = (f"SELECT o.id, {', '.join(f'o.{c} AS old_{c}, n.{c} AS new_{c}' for c in columns)} "
             f"FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}")

    def side(prefix: str, sign: int) -> str:
        t = {c: f"m.{prefix}_{c}" for c in columns}
        counts = cond.format(t="t", r="r")
        for c, value in t.items():
            counts = counts.replace(f"t.{c}", value)
        return (f"SELECT r.user_id, coalesce(m.{prefix}_owner_id, 0), {sign} FROM moved m "
                f"JOIN {child} r ON r.ticket_id = m.id WHERE {counts}")

    return f"""CREATE FUNCTION {counter}_ticket_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH moved AS MATERIALIZED ({moved})
        INSERT INTO {counter} AS c (user_id, owner_key, n)
        SELECT user_id, owner_key, sum(d)::integer
        FROM ({side('new', 1)} UNION ALL {side('old', -1)}) AS x(user_id, owner_key, d)
        GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (user_id, owner_key) DO UPDATE SET n = c.n + excluded.n;
        RETURN NULL;
    END $$"""


_EVENTS = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
           "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}

# The row triggers this replaces (and their functions, when nothing else uses them).
_OLD_TRIGGERS = ["tickets_count_aid", "tickets_count_au", "status_counts_aid",
                 "status_counts_au", "read_counts_tickets_au", "follow_counts_tickets_au"]
_OLD_FUNCTIONS = ["tickets_count()", "status_counts()"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in _OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON tickets")
    for name in _OLD_FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}")
    for table in ROW_COUNTERS:
        op.execute(_row_counter_function(table))
        for event, referencing in _EVENTS.items():
            op.execute(f"CREATE TRIGGER {table}_{event.lower()}s AFTER {event} ON tickets "
                       f"REFERENCING {referencing} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION {table}_rows()")
    for counter in USER_COUNTERS:
        op.execute(_user_counter_function(counter))
        op.execute(f"CREATE TRIGGER {counter}_ticket_updates AFTER UPDATE ON tickets "
                   f"REFERENCING {_EVENTS['UPDATE']} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION {counter}_ticket_rows()")


def _revision_module(revision: str) -> Any:
    """Another revision's module as Alembic loaded it (its SQL reused, not copied)."""
    environment = op.get_context().environment_context
    assert environment is not None and environment.script is not None
    script = environment.script.get_revision(revision)
    assert script is not None
    return script.module


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ROW_COUNTERS:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER {table}_{event.lower()}s ON tickets")
        op.execute(f"DROP FUNCTION {table}_rows()")
    for counter in USER_COUNTERS:
        op.execute(f"DROP TRIGGER {counter}_ticket_updates ON tickets")
        op.execute(f"DROP FUNCTION {counter}_ticket_rows()")
    # The row triggers of 0006 and 0011 as they were (their per-ticket functions for the
    # user counters are still there: the deletion triggers use them).
    statements = list(_revision_module("0006").POSTGRESQL_COUNTERS)
    wanted = {"CREATE FUNCTION status_counts()", "CREATE TRIGGER status_counts_aid",
              "CREATE TRIGGER status_counts_au", "CREATE TRIGGER read_counts_tickets_au",
              "CREATE TRIGGER follow_counts_tickets_au"}
    statements += [statement for statement
                   in _revision_module("0011").postgresql_triggers()
                   if " ".join(statement.split()[:3]) in wanted]
    for statement in statements:
        op.execute(statement)
