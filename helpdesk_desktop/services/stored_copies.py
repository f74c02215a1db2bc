"""Values the database keeps by triggers, checked against what they copy or count.

Each follow holds its ticket's state and last activity (migration 0017), each ticket the name
of its first contact (``contact_sort``, migration 0009), and four tables count tickets, read
and followed tickets by state, owner and status (migrations 0006 and 0011). Triggers keep
them right in the transaction that changes what they copy, so they differ only after a bug or
an edit of the file by hand; then a list, a sort or a count is wrong without any error.
``check`` reports them (:func:`problems`), ``check --repair`` computes them again from the
rows (:func:`repair`), with the statements the bulk demo build uses after its data.
"""

from __future__ import annotations

from sqlalchemy import Connection

from helpdesk_desktop.domain.i18n import _, ngettext

#: What the triggers of migration 0009 keep: each ticket's first contact's name (the lowest
#: contact id), for the tickets that have a contact.
CONTACT_SORT_BACKFILL = (
    "UPDATE tickets SET contact_sort = (SELECT c.name FROM ticket_contacts tc "
    "JOIN contacts c ON c.id = tc.contact_id WHERE tc.ticket_id = tickets.id "
    "ORDER BY tc.contact_id LIMIT 1) WHERE id IN (SELECT ticket_id FROM ticket_contacts)")
#: What the triggers of migration 0017 keep: each follow's copy of its ticket's state and
#: last activity (the migration's ``BACKFILL``).
FOLLOWED_ORDER_BACKFILL = (
    "UPDATE followers SET state = t.state, last_activity_at = t.last_activity_at "
    "FROM tickets t WHERE t.id = followers.ticket_id")
#: What each counter table counts: its key columns, then the query that counts them in
#: parts (what it selects, the column of the ticket counted from, ``FROM``, ``WHERE``,
#: ``GROUP BY``), so that it can also count the rows of a range of tickets
#: (:data:`COUNTERS_ADDED`).
_SOURCES = {
    "ticket_counts": (  # migration 0006
        "state, is_open, owner_key",
        ("SELECT state, CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END, coalesce(owner_id, 0), "
        "count(*)"), "id", "tickets", "", "1, 2, 3"),
    "ticket_status_counts": (  # migration 0011, as the three below
        "state, is_open, owner_key, pipeline_id, status_id",
        ("SELECT state, CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END, coalesce(owner_id, 0), "
        "pipeline_id, status_id, count(*)"), "id", "tickets", "", "1, 2, 3, 4, 5"),
    "read_counts": (
        "user_id, owner_key",
        "SELECT r.user_id, coalesce(t.owner_id, 0), count(*)", "r.ticket_id",
        "read_states r JOIN tickets t ON t.id = r.ticket_id",
        ("t.state = 'live' AND NOT r.forced_unread AND r.read_at IS NOT NULL AND "
        "r.read_at >= t.last_activity_at"), "1, 2"),
    "follow_counts": (
        "user_id, owner_key",
        "SELECT f.user_id, coalesce(t.owner_id, 0), count(*)", "f.ticket_id",
        "followers f JOIN tickets t ON t.id = f.ticket_id", "t.state = 'live'", "1, 2"),
}
#: What each counter table holds, counted from the rows: (its key columns, the count).
_COUNTED = {table: (keys, (f"{select} FROM {source} {'WHERE ' + where + ' ' if where else ''}"
                          f"GROUP BY {group}"))
            for table, (keys, select, _ticket, source, where, group) in _SOURCES.items()}
#: The counter tables emptied and counted again in one pass each.
COUNTERS_BACKFILL = tuple(statement for table, (keys, counted) in _COUNTED.items()
                          for statement in (f"DELETE FROM {table}",
                                            f"INSERT INTO {table}({keys}, n) {counted}"))
#: The counts of rows just written, added to the counters: for each table the rows are
#: counted from (tickets, read states, follows), statements that add what its rows of the
#: tickets with ids from ``?`` to ``?`` count (a bulk build, whose counter triggers are
#: off, runs them after each batch: :mod:`demo_bulk`).
COUNTERS_ADDED: dict[str, tuple[str, ...]] = {}


def _count_added(table: str) -> str:
    keys, select, ticket, source, where, group = _SOURCES[table]
    return (f"INSERT INTO {table}({keys}, n) {select} FROM {source} WHERE "
            f"{where + ' AND ' if where else ''}{ticket} BETWEEN ? AND ? GROUP BY {group} "
            f"ON CONFLICT ({keys}) DO UPDATE SET n = n + excluded.n")


for _counter, _source in _SOURCES.items():
    _rows = _source[3].split()[0]
    COUNTERS_ADDED[_rows] = (*COUNTERS_ADDED.get(_rows, ()), _count_added(_counter))
_FIRST_CONTACT = ("(SELECT c.name FROM ticket_contacts tc JOIN contacts c ON "
                  "c.id = tc.contact_id WHERE tc.ticket_id = t.id ORDER BY tc.contact_id LIMIT 1)")


def _differs(connection: Connection) -> str:
    """The null-safe "not equal" of the connection's dialect."""
    return "IS NOT" if connection.dialect.name == "sqlite" else "IS DISTINCT FROM"


def stale_follows(connection: Connection) -> int:
    """How many follows hold another state or last activity than their ticket's."""
    differs = _differs(connection)
    return int(connection.exec_driver_sql(
        f"SELECT count(*) FROM followers f JOIN tickets t ON t.id = f.ticket_id "
        f"WHERE f.state {differs} t.state OR f.last_activity_at {differs} "
        f"t.last_activity_at").scalar_one())


def stale_contact_sorts(connection: Connection) -> int:
    """How many tickets sort by another name than their first contact's (none: NULL)."""
    return int(connection.exec_driver_sql(
        f"SELECT count(*) FROM tickets t WHERE t.contact_sort {_differs(connection)} "
        f"{_FIRST_CONTACT}").scalar_one())


def wrong_counters(connection: Connection) -> list[str]:
    """The counter tables whose counts differ from the rows' (rows counting zero ignored)."""
    wrong = []
    for table, (keys, counted) in _COUNTED.items():
        actual = {tuple(str(v) for v in row[:-1]): row[-1]
                  for row in connection.exec_driver_sql(counted)}
        kept = {tuple(str(v) for v in row[:-1]): row[-1] for row in connection.exec_driver_sql(
            f"SELECT {keys}, n FROM {table}") if row[-1]}
        if kept != actual:
            wrong.append(table)
    return wrong


def problems(connection: Connection) -> list[str]:
    """One sentence per kind of stored copy that differs from what it copies."""
    found = []
    follows = stale_follows(connection)
    if follows:
        found.append(ngettext(
            "{count} follow holds another state or last activity than its ticket's (the "
            "Following view may list it wrongly).",
            "{count} follows hold another state or last activity than their tickets' (the "
            "Following view may list them wrongly).", follows).format(count=follows))
    sorts = stale_contact_sorts(connection)
    if sorts:
        found.append(ngettext(
            "{count} ticket sorts by another name than its first contact's.",
            "{count} tickets sort by another name than their first contact's.",
            sorts).format(count=sorts))
    for table in wrong_counters(connection):
        found.append(_("The counts in {table} differ from the tickets (a view's count or a "
                       "board column's may be wrong).").format(table=table))
    return found


def repair(connection: Connection) -> list[str]:
    """Compute every stored copy that differs again from the rows; what was done."""
    done = []
    if stale_follows(connection):
        differs = _differs(connection)
        connection.exec_driver_sql(
            f"{FOLLOWED_ORDER_BACKFILL} AND (followers.state {differs} t.state OR "
            f"followers.last_activity_at {differs} t.last_activity_at)")
        done.append(_("The follows' copies of their tickets' state and last activity were "
                      "computed again."))
    if stale_contact_sorts(connection):
        first = _FIRST_CONTACT.replace("t.id", "tickets.id")
        connection.exec_driver_sql(f"UPDATE tickets SET contact_sort = {first} "
                                   f"WHERE contact_sort {_differs(connection)} {first}")
        done.append(_("The tickets' contact sort names were computed again."))
    if wrong_counters(connection):  # (after the follows: their counts read them)
        for statement in COUNTERS_BACKFILL:
            connection.exec_driver_sql(statement)
        done.append(_("The ticket counters were counted again from the tickets."))
    return done
