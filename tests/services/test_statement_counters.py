"""The ticket counters kept once per statement (migration 0014, PostgreSQL; SQLite keeps its
row triggers): statements that insert, change and delete many tickets at once leave every
counter equal to the rows, also when two sessions write the same counter rows at the same
time; and the upgrade from 0013 replaces the row triggers without changing a count."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from alembic import command
from sqlalchemy import Connection, text

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_url
from tests.services.test_contact_sort import START
from tests.services.test_invariants import counter_problems, list_counter_problems


def _problems(db: Database) -> list[str]:
    with db.session() as session:
        return counter_problems(session) + list_counter_problems(session)


def _readers(ws: Workspace, ids: list[int]) -> None:
    """Read states (read and unread) and follows on ``ids``, by several users."""
    for user in ("admin", "agent", "lead"):
        desk = ws.desk(user)
        visible = [i for i in ids if i in desk.rows(ids)]
        desk.mark_read(visible[::2])
        desk.follow(visible[1::3])


def _bulk_statements(connection: Connection, ws: Workspace, ids: list[int],
                     check: Callable[[], None]) -> None:
    """Statements that change many tickets' counted columns at once, some of them in
    opposite directions within one statement; ``check`` after each."""
    new, waiting = ws.status("New"), ws.status("Waiting on us")
    agent, admin = ws.users["agent"], ws.users["admin"]
    among = f"id IN ({', '.join(str(i) for i in ids)})"
    steps = [
        ((f"UPDATE tickets SET status_id = CASE WHEN status_id = :new THEN :waiting ELSE :new "
         f"END WHERE {among}"), {"new": new, "waiting": waiting}),
        ((f"UPDATE tickets SET owner_id = CASE WHEN owner_id IS NULL THEN :agent "
         f"WHEN owner_id = :agent THEN :admin ELSE NULL END WHERE {among}"),
         {"agent": agent, "admin": admin}),
        # Activity after every read, then before every read, then mixed.
        (f"UPDATE tickets SET last_activity_at = '2099-06-01 00:00:00' WHERE {among}", {}),
        (f"UPDATE tickets SET last_activity_at = '2000-01-01 00:00:00' WHERE {among}", {}),
        ((f"UPDATE tickets SET last_activity_at = CASE WHEN id % 2 = 0 THEN created_at "
         f"ELSE '2099-06-01 00:00:00' END WHERE {among}"), {}),
        ((f"UPDATE tickets SET state = 'deleted', deleted_at = updated_at "
         f"WHERE {among} AND id % 3 = 0"), {}),
        (f"UPDATE tickets SET closed_at = updated_at WHERE {among} AND id % 2 = 0", {}),
        (f"UPDATE tickets SET name = name || '.' WHERE {among}", {}),  # no key changes
        ((f"UPDATE tickets SET state = 'live', deleted_at = NULL, closed_at = NULL "
         f"WHERE {among}"), {}),
    ]
    for sql, params in steps:
        connection.execute(text(sql), params)
        check()


def test_bulk_statements_keep_every_counter_exact(ws: Workspace) -> None:
    """Many tickets inserted, changed (status, owner, activity both ways, state, close,
    nothing counted) and deleted by single statements: after each, every counter equals
    the rows (on SQLite the row triggers, on PostgreSQL the statement triggers)."""
    ids = [make_ticket(ws, f"T{n}", owner=("agent", None, "admin")[n % 3],
                       status=("New", "Waiting on us")[n % 2]) for n in range(12)]
    _readers(ws, ids)
    assert _problems(ws.db) == []
    with ws.db.session() as session:
        connection = session.connection()

        def check() -> None:
            assert counter_problems(session) + list_counter_problems(session) == []

        _bulk_statements(connection, ws, ids, check)
        # Several tickets inserted by one statement, then deleted by one.
        connection.execute(text(
            "INSERT INTO tickets (name, description, pipeline_id, status_id, priority, category, "
            "owner_id, inbox_id, source, created_at, updated_at, last_activity_at, closed_at, "
            "state, version) SELECT name || ' copy', description, pipeline_id, status_id, "
            "priority, category, owner_id, inbox_id, source, created_at, updated_at, "
            "last_activity_at, closed_at, state, version FROM tickets"))
        check()
        connection.execute(text("DELETE FROM tickets WHERE name LIKE '% copy'"))
        check()
        session.commit()
    ws.desk("admin").update_many(ids, TicketChanges(status=ws.status("Closed")))
    ws.desk("admin").delete(ids[:4], confirm_count=4)
    ws.desk("admin").delete_permanently(ids[:2])
    assert _problems(ws.db) == []


# -- PostgreSQL: two sessions at once ---------------------------------------------------------


@pytest.fixture
def pg_ws() -> Iterator[Workspace]:
    """A migrated schema of its own (these tests commit, from several connections)."""
    with own_schema_url("hd_counters") as url:
        database = open_database(url)
        try:
            yield seed_workspace(database, FakeClock(START))
        finally:
            database.dispose()


def _run(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_sessions_moving_tickets_both_ways_at_once(pg_ws: Workspace) -> None:
    """Two sessions move their own tickets between the same statuses and owners in
    opposite directions, statement after statement, at the same time: both upsert the same
    counter rows (in key order: no deadlock), and every counter ends equal to the rows."""
    ws = pg_ws
    ids = [make_ticket(ws, f"T{n}", owner=("agent", None)[n % 2],
                       status=("New", "Waiting on us")[n % 2]) for n in range(20)]
    _readers(ws, ids)
    new, waiting = ws.status("New"), ws.status("Waiting on us")
    agent = ws.users["agent"]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def mover(mine: list[int], forward: bool) -> Callable[[], None]:
        def run() -> None:
            start.wait(10)
            for n in range(15):
                there = (n % 2 == 0) is forward
                with ws.db.engine.begin() as connection:
                    connection.execute(text(
                        "UPDATE tickets SET status_id = :s, owner_id = :o, "
                        "last_activity_at = last_activity_at + interval '1 minute' "
                        "WHERE id = ANY(:ids)"),
                        {"s": waiting if there else new, "o": None if there else agent,
                         "ids": mine})
                    connection.execute(text(
                        "UPDATE tickets SET state = :state WHERE id = ANY(:ids)"),
                        {"state": (TicketState.SPAM if n % 3 == 0 else TicketState.LIVE).value,
                         "ids": mine[::2]})
                    connection.execute(text(
                        "UPDATE tickets SET spam_at = CASE WHEN state = 'spam' THEN "
                        "updated_at END WHERE id = ANY(:ids)"), {"ids": mine})
        return run

    threads = [_run(mover(ids[0::2], True), errors), _run(mover(ids[1::2], False), errors)]
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert _problems(ws.db) == []


def test_a_statement_waiting_for_another_counts_against_what_it_committed(
        pg_ws: Workspace) -> None:
    """One session changes the same tickets as another that has not committed yet: it waits,
    then counts from the committed rows (no change counted twice or lost)."""
    ws = pg_ws
    ids = [make_ticket(ws, f"T{n}", owner="agent") for n in range(6)]
    _readers(ws, ids)
    errors: list[BaseException] = []
    with ws.db.engine.connect() as one:
        holder = one.begin()
        one.execute(text("UPDATE tickets SET owner_id = NULL, status_id = :s "
                         "WHERE id = ANY(:ids)"), {"s": ws.status("Waiting on us"), "ids": ids})

        def other() -> None:
            with ws.db.engine.begin() as two:
                two.execute(text("UPDATE tickets SET owner_id = :o, "
                                 "last_activity_at = last_activity_at + interval '1 day' "
                                 "WHERE id = ANY(:ids)"),
                            {"o": ws.users["admin"], "ids": ids[::2]})

        thread = _run(other, errors)
        thread.join(0.5)  # waiting for the first session's row locks
        assert thread.is_alive()
        holder.commit()
        thread.join(30)
    assert errors == []
    assert _problems(ws.db) == []


def test_the_upgrade_from_0013_replaces_the_row_triggers() -> None:
    """Down to 0013 (the row triggers back, counting as before), then up again: the
    statement triggers replace them and the counters stay exact through both."""
    with own_schema_url("hd_upgrade") as url:
        database = open_database(url)
        try:
            ws = seed_workspace(database, FakeClock(START))
            ids = [make_ticket(ws, f"T{n}", owner=("agent", None)[n % 2]) for n in range(6)]
            _readers(ws, ids)

            def triggers() -> set[str]:
                with database.engine.connect() as connection:
                    return set(connection.execute(text(
                        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tickets'::regclass "
                        "AND NOT tgisinternal")).scalars())

            statement_triggers = triggers()
            assert "ticket_status_counts_updates" in statement_triggers
            with database.engine.begin() as connection:
                command.downgrade(migrations.alembic_config(connection), "0013")
            assert triggers() >= {"status_counts_aid", "status_counts_au", "tickets_count_aid",
                                  "tickets_count_au", "read_counts_tickets_au"}
            ws.desk("admin").update_many(ids, TicketChanges(owner=ws.users["admin"]))
            assert _problems(database) == []
        finally:
            database.dispose()
        database = open_database(url)  # upgrades to the head again
        try:
            assert triggers() == statement_triggers
            ws.db = database
            ws.desk("admin").update_many(ids, TicketChanges(owner=None,
                                                            status=ws.status("Closed")))
            assert _problems(database) == []
        finally:
            database.dispose()
