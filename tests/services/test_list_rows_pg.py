"""A list page on PostgreSQL, with the database opened as the window opens it (an engine, not
the tests' connection inside an outer transaction): its statements stay prepared from one unit
of work to the next, read-only units end without undoing what they did not write and undo what
they did, and pooled connections are pinged only after sitting idle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import event, select, text

from helpdesk_desktop.domain.models import Contact
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage import database as storage
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_url


@pytest.fixture
def pg_ws() -> Iterator[Workspace]:
    with own_schema_url("hd_pgpage") as url:
        database = open_database(url)
        try:
            ws = seed_workspace(database, FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
            for n in range(7):
                make_ticket(ws, f"Ticket {n}")
            yield ws
        finally:
            database.dispose()


def _prepared(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(text("SELECT statement FROM pg_prepared_statements")))


def test_rows_statement_stays_prepared_across_units_of_work(pg_ws: Workspace) -> None:
    # psycopg forgets every prepared statement of a connection at a ROLLBACK: a read-only unit
    # of work must end otherwise for the rows' statement (the same text for any page) to be
    # planned once.
    desk = pg_ws.desk("admin")
    first = desk.list_tickets(TicketQuery(), limit=3)
    pages = [desk.list_tickets(TicketQuery(), limit=3, after=first.next_cursor)
             for _ in range(7)]
    assert [len(p.rows) for p in pages] == [3] * 7
    prepared = _prepared(pg_ws.db)
    assert sum("read_states" in s and "snippet" in s for s in prepared) == 1
    assert sum(s.startswith("SELECT users.id") for s in prepared) == 1  # the actor
    # The page's ids are planned for the values of each run, never prepared.
    assert not [s for s in prepared if "LIMIT" in s and "snippet" not in s]


def test_a_search_page_keeps_the_prepared_statements(pg_ws: Workspace) -> None:
    # A word's page asks the planner for its estimate of the hits (an EXPLAIN, a textual
    # statement): it writes nothing, so the read-only unit still ends with COMMIT and the
    # rows' statement stays prepared (it ended with ROLLBACK, and every page of a search
    # parsed and planned its rows anew: ~2-4 ms of server CPU at 100k tickets).
    desk = pg_ws.desk("admin")
    ends: list[str] = []
    engine = pg_ws.db.engine
    event.listen(engine, "commit", lambda _c: ends.append("commit"))
    event.listen(engine, "rollback", lambda _c: ends.append("rollback"))
    for _ in range(3):
        assert desk.list_tickets(TicketQuery(search="ticket"), limit=3).rows
    assert ends == ["commit"] * 3
    prepared = _prepared(pg_ws.db)
    assert sum("read_states" in s and "snippet" in s for s in prepared) == 1


def test_a_textual_statement_counts_as_a_write_unless_it_says_otherwise(
        pg_ws: Workspace) -> None:
    with UnitOfWork(pg_ws.db, pg_ws.users["admin"]).read_only() as uow:
        connection = uow.session.connection()
        connection.execute(text("SELECT 1").execution_options(
            **{storage.WRITES_NOTHING: True}))
        assert not storage.may_have_written(connection)
        connection.execute(text("SELECT 1"))
        assert storage.may_have_written(connection)


def test_one_ticket_row_is_planned_once_for_any_id(pg_ws: Workspace) -> None:
    # An opened ticket's row is read alone. PostgreSQL weighs a prepared statement's generic
    # plan against its plans for the values: "= ANY(:ids)" it costs for ten ids, so for one id
    # it kept planning the statement anew at every run (2.3 of 2.6 ms at 100k tickets).
    desk = pg_ws.desk("admin")
    ids = [row.id for row in desk.list_tickets(TicketQuery(), limit=7).rows]
    for ticket_id in ids * 2:
        assert desk.open_ticket(ticket_id).detail.id == ticket_id
    with pg_ws.db.session() as session:
        generic = session.scalar(text(
            "SELECT sum(generic_plans) FROM pg_prepared_statements "
            "WHERE statement LIKE '%read_states%' AND statement LIKE '%snippet%'"))
    # Five plans for the first values, then the one generic plan (the page read above adds
    # a statement of its own).
    assert generic >= len(ids) * 2 - 5


def test_a_ticket_opens_on_statements_planned_once(pg_ws: Workspace) -> None:
    # Every statement of a ticket's open seeks by key (the ticket, its conversations and
    # messages, its attachments, activities, links, pipeline, the users, the draft): each is
    # prepared, then run on its one generic plan, where each was parsed and planned at every
    # open (~2.7 of ~4.4 ms of server CPU at 100k tickets).
    desk = pg_ws.desk("admin")
    ids = [row.id for row in desk.list_tickets(TicketQuery(), limit=7).rows]
    for ticket_id in ids * 2:
        assert desk.open_ticket(ticket_id).detail.id == ticket_id
    with pg_ws.db.session() as session:
        plans = session.execute(text(
            "SELECT statement, generic_plans FROM pg_prepared_statements")).all()
    for part in ("FROM tickets \nWHERE tickets.id = ", "FROM conversations JOIN inboxes",
                 "anon_1.part", "FROM attachments", "FROM activities",
                 "FROM pipelines LEFT OUTER JOIN statuses", "FROM drafts",
                 "LEFT OUTER JOIN teams", "ORDER BY anon_1.kind, anon_1.id"):
        found = [generic for statement, generic in plans if part in statement]
        assert len(found) == 1, (part, [s for s, _g in plans if part in s])
        assert found[0] >= len(ids) * 2 - 5, part


def test_reads_one_at_a_time_run_on_one_connection(pg_ws: Workspace) -> None:
    # The pool hands out the connection returned last: with three pooled (as the window's
    # threads leave them), pages read one after another stay on one connection, whose
    # prepared statements are planned once, instead of taking each in turn.
    engine = pg_ws.db.engine
    held = [engine.connect() for _ in range(3)]
    for connection in held:
        connection.close()
    backends: list[int] = []
    event.listen(engine, "before_cursor_execute",
                 lambda connection, *_rest: backends.append(
                     connection.connection.driver_connection.info.backend_pid))
    desk = pg_ws.desk("admin")
    for _ in range(4):
        assert desk.list_tickets(TicketQuery(), limit=2).rows
    assert engine.pool.checkedin() == 3  # type: ignore[attr-defined]
    assert len(set(backends)) == 1


def test_read_only_unit_that_wrote_is_rolled_back(pg_ws: Workspace) -> None:
    with UnitOfWork(pg_ws.db, pg_ws.users["admin"]).read_only() as uow:
        uow.session.add(Contact(name="Never kept", email="never@example.com"))
        uow.session.flush()
    with UnitOfWork(pg_ws.db, pg_ws.users["admin"]).read_only() as uow:
        uow.session.execute(text("UPDATE contacts SET name = 'Renamed'"))
    with pg_ws.db.session() as session:
        names = set(session.scalars(select(Contact.name)))
    assert "Never kept" not in names and "Renamed" not in names
    assert names == {"Marie Dupont", "John Smith"}


def test_idle_connection_is_pinged_and_replaced(pg_ws: Workspace,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    desk = pg_ws.desk("admin")
    pings: list[object] = []
    dialect = pg_ws.db.engine.dialect
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda c: pings.append(c) or ping(c))
    desk.list_tickets(TicketQuery(), limit=2)
    desk.list_tickets(TicketQuery(), limit=2)
    assert pings == []  # returned a moment ago: no round trip for a ping
    with pg_ws.db.engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    url = pg_ws.db.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False).split("?")[0]
    with psycopg.connect(url, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
    monkeypatch.setattr(storage, "PING_AFTER_IDLE_S", -1.0)  # as if idle for long
    page = desk.list_tickets(TicketQuery(), limit=2)
    assert len(page.rows) == 2 and len(pings) == 1


def test_connection_events_see_one_transaction_per_page(pg_ws: Workspace) -> None:
    desk = pg_ws.desk("admin")
    desk.list_tickets(TicketQuery(), limit=2)
    ends: list[str] = []
    engine = pg_ws.db.engine
    event.listen(engine, "commit", lambda _c: ends.append("commit"))
    event.listen(engine, "rollback", lambda _c: ends.append("rollback"))
    desk.list_tickets(TicketQuery(), limit=2)
    assert ends == ["commit"]

