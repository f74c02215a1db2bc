"""The stored contact sort key (``tickets.contact_sort``, migration 0009): kept by the
database's triggers through every write that links, unlinks or renames a contact or moves
links between tickets, on both databases, also when two transactions race; backfilled by the
migration; and walked in order by the list's contact sort."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, delete, insert, inspect, select, text, update

from helpdesk_desktop.domain.enums import MessageKind, SortKey, View
from helpdesk_desktop.domain.models import Contact, Message, Ticket, ticket_contacts
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_database
from tests.services.test_invariants import contact_sort_problems

THREE = ((MessageKind.EMAIL, "one"), (MessageKind.REPLY, "two"), (MessageKind.EMAIL, "three"))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _sort_key(ws: Workspace, ticket_id: int) -> str | None:
    with ws.db.session() as session:
        return session.scalar(select(Ticket.contact_sort).where(Ticket.id == ticket_id))


def _problems(db: Database) -> list[str]:
    with db.session() as session:
        return contact_sort_problems(session)


def test_the_key_follows_links_renames_merge_and_split(ws: Workspace) -> None:
    desk = ws.desk("admin")
    marie, john = ws.contacts["marie"], ws.contacts["john"]  # Marie has the lower id
    ticket = make_ticket(ws, "Two contacts", contact="john")
    assert _sort_key(ws, ticket) == "John Smith"

    desk.set_associations(ticket, add_contact_ids=[marie])
    assert _sort_key(ws, ticket) == "Marie Dupont"  # the lowest contact id comes first
    desk.set_associations(ticket, remove_contact_ids=[marie])
    assert _sort_key(ws, ticket) == "John Smith"
    desk.set_associations(ticket, remove_contact_ids=[john])
    assert _sort_key(ws, ticket) is None

    other = make_ticket(ws, "John again", contact="john")
    with ws.db.session() as session:  # a rename (no service renames yet: any writer)
        session.execute(update(Contact).where(Contact.id == john).values(name="Jon Smyth"))
        session.commit()
    assert _sort_key(ws, other) == "Jon Smyth"

    older = make_ticket(ws, "Older", contact="marie")
    survivor = make_ticket(ws, "Survivor", contact="john")
    desk.merge(survivor, older)  # the survivor gains Marie: she now comes first
    assert _sort_key(ws, survivor) == "Marie Dupont"

    split_from = make_ticket(ws, "To split", contact="john", messages=THREE)
    with ws.db.session() as session:
        messages = list(session.scalars(select(Message.id).join(Message.conversation)
                                        .where(Message.conversation.has(ticket_id=split_from))
                                        .order_by(Message.id)))
    (new,) = desk.split(split_from, messages[1:]).created_ticket_ids
    assert _sort_key(ws, new) == "Jon Smyth"

    with ws.db.session() as session:  # every link of a contact removed in one statement
        session.execute(delete(ticket_contacts).where(ticket_contacts.c.contact_id == john))
        session.commit()
    assert _sort_key(ws, other) is None
    assert _sort_key(ws, survivor) == "Marie Dupont"
    assert _problems(ws.db) == []


def test_the_contact_sort_pages_through_both_ranges(ws: Workspace) -> None:
    ids = [make_ticket(ws, f"t{i}", contact=("marie", "john")[i % 2], messages=())
           for i in range(7)]
    with ws.db.session() as session:
        session.execute(delete(ticket_contacts).where(ticket_contacts.c.ticket_id.in_(ids[::3])))
        session.commit()
    desk = ws.desk("admin")
    for descending in (False, True):
        query = TicketQuery(view=View.ALL_OPEN, sort=SortKey.CONTACT, descending=descending)
        seen, cursor = [], None
        while True:
            page = desk.list_tickets(query, limit=2, after=cursor)
            seen.extend((row.contact, row.id) for row in page.rows)
            cursor = page.next_cursor
            if cursor is None:
                break
        named = sorted((c, i) for c, i in seen if c is not None)
        unnamed = sorted(i for c, i in seen if c is None)
        if descending:
            assert seen == [(None, i) for i in reversed(unnamed)] + named[::-1]
        else:
            assert seen == named + [(None, i) for i in unnamed]
        assert len(seen) == 7


def test_the_migration_backfills_the_key(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    database = open_database(str(path))
    ws = seed_workspace(database, FakeClock(START))
    first = make_ticket(ws, "Marie's", contact="marie")
    second = make_ticket(ws, "John's", contact="john")
    with database.engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), "0008")
        names = {c["name"] for c in inspect(connection).get_columns("tickets")}
        assert "contact_sort" not in names
        # The other triggers on tickets survived the downgrade: the counters still count.
        assert connection.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'tickets_%'")).scalar() == 6
        connection.execute(insert(ticket_contacts).values(ticket_id=first,
                                                          contact_id=ws.contacts["john"]))
    database.dispose()
    database = open_database(str(path))  # upgrades to 0009 and backfills
    try:
        with database.session() as session:
            keys = {i: key for i, key in session.execute(select(Ticket.id, Ticket.contact_sort))}
            assert keys == {first: "Marie Dupont", second: "John Smith"}
            assert contact_sort_problems(session) == []
    finally:
        database.dispose()


# -- PostgreSQL: two transactions at once -----------------------------------------------------


@pytest.fixture
def pg_own_schema() -> Iterator[Database]:
    """A migrated schema of its own: these tests commit, from several connections."""
    with own_schema_database("hd_sort") as database:
        yield database


def _in_thread(work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work)
    thread.start()
    return thread


@pytest.mark.parametrize("first", ["link", "rename"])
def test_a_rename_racing_a_link_leaves_the_new_name(pg_own_schema: Database,
                                                    first: str) -> None:
    database = pg_own_schema
    ws = seed_workspace(database, FakeClock(START))
    ticket = make_ticket(ws, "No contact yet", contact="john", messages=())
    with database.session() as session:
        session.execute(delete(ticket_contacts).where(ticket_contacts.c.ticket_id == ticket))
        session.commit()
    marie = ws.contacts["marie"]
    errors: list[BaseException] = []

    def link(connection: Connection) -> None:
        connection.execute(insert(ticket_contacts).values(ticket_id=ticket, contact_id=marie))

    def rename(connection: Connection) -> None:
        connection.execute(update(Contact).where(Contact.id == marie)
                           .values(name="Marie Martin"))

    steps = {"link": link, "rename": rename}
    second = "rename" if first == "link" else "link"
    with database.engine.connect() as one:
        holder = one.begin()
        steps[first](one)  # done, not committed: holds its locks

        def other() -> None:
            try:
                with database.engine.begin() as two:
                    steps[second](two)  # waits for the first transaction's locks
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = _in_thread(other)
        time.sleep(0.5)  # the second transaction is now waiting
        holder.commit()
        thread.join(30)
    assert errors == []
    with database.session() as session:
        assert session.scalar(select(Ticket.contact_sort).where(Ticket.id == ticket)) == \
            "Marie Martin"
        assert contact_sort_problems(session) == []
