"""The rows of a list (``services/list_rows.py``), on both back-ends: built past TicketRow's
``__init__``, they hold every field and equal the rows that ``__init__`` makes."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from helpdesk_desktop.domain.enums import MessageKind, Priority, TicketState
from helpdesk_desktop.domain.models import Follower, ReadState, Ticket
from helpdesk_desktop.services import list_rows, list_rows_pg, list_rows_sqlite
from helpdesk_desktop.services.dto import TicketQuery, TicketRow
from tests.factories import Workspace, make_ticket


def test_rows_equal_rows_made_by_init(ws: Workspace) -> None:
    make_ticket(ws, "plain")
    make_ticket(ws, "full", owner="agent", contact="john", priority=Priority.HIGH,
                messages=((MessageKind.EMAIL, "  hello\n there "), (MessageKind.NOTE, "x")))
    rows = ws.desk("admin").list_tickets(TicketQuery(), limit=10).rows
    assert len(rows) == 2
    names = [f.name for f in dataclasses.fields(TicketRow)]
    for row in rows:
        assert list(vars(row)) == names
        rebuilt = TicketRow(**{name: getattr(row, name) for name in names})
        assert rebuilt == row and hash(rebuilt) == hash(row)
        assert dataclasses.replace(row, name="renamed").name == "renamed"
    full = next(r for r in rows if r.name == "full")
    assert (full.priority, full.snippet, full.contact) == (Priority.HIGH, "hello there",
                                                           "John Smith")


def _every_kind_of_row(ws: Workspace, closed: str,
                       closed_priority: Priority = Priority.MEDIUM) -> tuple[list[int], int]:
    """Tickets that fill every column of a row (closed, spam, deleted, merged, read,
    followed, no owner, no category or priority); their ids and the admin's."""
    ids = [make_ticket(ws, "plain"),
           make_ticket(ws, "full", owner="agent", contact="john", priority=None, category=None,
                       messages=((MessageKind.EMAIL, "  hello\n there "),
                                 (MessageKind.NOTE, "x"))),
           make_ticket(ws, closed, owner="admin", priority=closed_priority),
           make_ticket(ws, "spam"), make_ticket(ws, "deleted"), make_ticket(ws, "merged")]
    admin = ws.users["admin"]
    moment = ws.clock()
    with ws.db.session() as session:
        tickets = {t.name: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))}
        tickets[closed].closed_at = moment
        tickets["spam"].state, tickets["spam"].spam_at = TicketState.SPAM, moment
        tickets["deleted"].state = TicketState.DELETED
        tickets["deleted"].deleted_at = moment
        tickets["merged"].merged_into_id = ids[1]
        session.add_all([Follower(ticket_id=ids[1], user_id=admin, since=moment),
                         Follower(ticket_id=ids[1], user_id=ws.users["agent"], since=moment),
                         ReadState(ticket_id=ids[0], user_id=admin, read_at=moment,
                                   forced_unread=False),
                         ReadState(ticket_id=ids[1], user_id=admin, read_at=None,
                                   forced_unread=True)])
        session.commit()
    return ids, admin


def _check_rows(ws: Workspace, ids: list[int]) -> dict[int, TicketRow]:
    rows = ws.desk("admin").rows(ids)
    assert rows[ids[1]].followers == ("admin@example.com", "agent@example.com")
    assert rows[ids[1]].merged_ids == (ids[5],) and rows[ids[1]].unread
    assert not rows[ids[0]].unread and rows[ids[3]].purge_at is not None
    return rows


def test_sqlite_rows_read_by_the_driver_equal_sqlalchemys(ws: Workspace) -> None:
    """On SQLite the rows statement runs on ``sqlite3`` itself (``list_rows_sqlite``): every
    value, and its type, is what SQLAlchemy's execution of the same statement returns, for
    tickets that fill every column (closed, spam, deleted, merged, read, followed, no owner,
    no category or priority)."""
    if ws.db.dialect != "sqlite":
        pytest.skip("the driver's own read is SQLite's")
    ids, admin = _every_kind_of_row(ws, "closed {braces} ? and 'quotes'")
    with ws.db.session() as session:
        connection = session.connection()
        statement = list_rows._rows_statement("sqlite")
        for chunk in (ids, ids[:1], ids[2:]):
            expected = sorted(tuple(r) for r in connection.execute(
                statement, {"ids": chunk, "actor_id": admin}))
            read = sorted(list_rows_sqlite.fetch(connection, statement, chunk,
                                                 {"actor_id": admin}))
            assert len(read) == len(chunk)
            assert read == expected
            assert [[type(v) for v in row] for row in read] == \
                [[type(v) for v in row] for row in expected]
    _check_rows(ws, ids)


def test_postgresql_rows_read_by_the_driver_equal_sqlalchemys(ws: Workspace) -> None:
    """On PostgreSQL the rows statement runs as the driver's SQL (``list_rows_pg``), its
    values converted there: every value, and its type, is what SQLAlchemy's execution of the
    same statement returns, for tickets that fill every column (as the SQLite test above),
    by ids and by one id."""
    if ws.db.dialect != "postgresql":
        pytest.skip("the driver's own read on PostgreSQL")
    ids, admin = _every_kind_of_row(ws, "closed %(braces)s ? and 'quotes'", Priority.HIGH)
    with ws.db.session() as session:
        connection = session.connection()
        for chunk in (ids, ids[:1], ids[2:]):
            one = len(chunk) == 1
            statement = list_rows._rows_statement("postgresql", one=one)
            given = {"id": chunk[0]} if one else {"ids": chunk}
            expected = sorted(tuple(r) for r in connection.execute(
                statement, {**given, "actor_id": admin}))
            read = sorted(list_rows_pg.fetch(connection, statement,
                                             {**given, "actor_id": admin}))
            assert len(read) == len(chunk)
            assert read == expected
            assert [[type(v) for v in row] for row in read] == \
                [[type(v) for v in row] for row in expected]
    assert _check_rows(ws, ids)[ids[2]].priority is Priority.HIGH
