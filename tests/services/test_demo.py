"""The demo workspace: deterministic, with the named agents and realistic threads."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import (
    AccessScope,
    InboxKind,
    MessageKind,
    TicketState,
    View,
)
from helpdesk_desktop.domain.models import (
    Attachment,
    Conversation,
    Follower,
    Inbox,
    Message,
    Pipeline,
    Ticket,
    User,
)
from helpdesk_desktop.services import workspace
from helpdesk_desktop.services.demo import BASE_NOW, SPAN_DAYS, generate_demo
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database
from tests.conftest import DatabaseFactory


def _snapshot(database: Database) -> list[tuple[Any, ...]]:
    with database.session() as session:
        tickets = session.execute(
            select(Ticket.name, Ticket.priority, Ticket.category, Ticket.state, Ticket.created_at)
            .order_by(Ticket.id)).all()
        messages = session.execute(
            select(Message.kind, Message.author_name, Message.subject, Message.body_text,
                   Message.sent_at, Message.message_id_header).order_by(Message.id)).all()
    return [tuple(row) for row in tickets] + [tuple(row) for row in messages]


def _count(database: Database, model: Any, *where: Any) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_the_same_seed_gives_the_same_data(database_factory: DatabaseFactory) -> None:
    with database_factory() as first:
        generate_demo(first, tickets=40, seed=7)
        one = _snapshot(first)
    with database_factory() as second:
        generate_demo(second, tickets=40, seed=7)
        two = _snapshot(second)
    with database_factory() as third:
        generate_demo(third, tickets=40, seed=8)
        other = _snapshot(third)
    assert one == two
    assert one != other


def test_the_four_named_agents_have_their_rights(db: Database) -> None:
    generate_demo(db, tickets=10, seed=1)
    with db.session() as session:
        users = {u.email: u for u in session.scalars(select(User))}
        admin, lead = users["admin@example.com"], users["lead@example.com"]
        agent, sales = users["agent@example.com"], users["sales@example.com"]
        assert admin.super_admin and admin.account_access and admin.can_delete_tickets
        assert admin.service_seat and admin.scope is AccessScope.ALL
        assert not lead.super_admin and lead.can_delete_tickets and lead.service_seat
        assert lead.scope is AccessScope.ALL
        assert agent.service_seat and not agent.can_delete_tickets
        assert agent.scope is AccessScope.TEAM and not agent.super_admin
        assert not sales.service_seat and not sales.can_delete_tickets
        assert sales.scope is AccessScope.OWNED
        assert sales.team_id != agent.team_id == lead.team_id
        others = [u for e, u in users.items() if e not in
                  ("admin@example.com", "lead@example.com", "agent@example.com",
                   "sales@example.com")]
        assert 3 <= len(others) <= 4
        assert all(u.service_seat and not u.super_admin for u in others)
        inboxes = {(i.name, i.kind) for i in session.scalars(select(Inbox))}
        assert sum(kind is InboxKind.HELP_DESK for _, kind in inboxes) == 1
        assert sum(kind is InboxKind.CONVERSATIONS for _, kind in inboxes) == 2
        pipelines = {p.name: [(s.name, s.is_closed) for s in p.statuses]
                     for p in session.scalars(select(Pipeline))}
        assert pipelines["Support Pipeline"] == [("New", False), ("Waiting on contact", False),
                                                 ("Waiting on us", False), ("Closed", True)]
        assert pipelines["Escalations"] == [("Triage", False), ("In progress", False),
                                            ("Resolved", True)]
        assert "Onboarding" in pipelines


def test_counts_spam_followers_and_inbox_conversations(db: Database) -> None:
    calls: list[tuple[int, int]] = []
    summary = generate_demo(db, tickets=120, seed=3, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (120, 120)
    assert summary["created_workspace"] is True
    assert summary["tickets"] == _count(db, Ticket) == 120
    assert summary["messages"] == _count(db, Message)
    assert summary["spam_tickets"] == _count(db, Ticket, Ticket.state == TicketState.SPAM) >= 1
    assert _count(db, Follower) >= 1
    assert summary["attachments"] == _count(db, Attachment)
    waiting = _count(db, Conversation, Conversation.ticket_id.is_(None))
    assert waiting == summary["inbox_conversations"] >= 4
    assert _count(db, Ticket, Ticket.closed_at.is_not(None)) >= 1
    with db.session() as session:
        owners = set(session.scalars(select(Ticket.owner_id)))
        assert None in owners and len(owners) >= 4
        oldest, newest = session.execute(select(func.min(Ticket.created_at),
                                                func.max(Ticket.last_activity_at))).one()
        assert BASE_NOW - dt.timedelta(days=SPAN_DAYS + 1) <= oldest
        assert newest <= BASE_NOW


def test_threads_have_replies_notes_and_headers(db: Database) -> None:
    generate_demo(db, tickets=60, seed=4)
    with db.session() as session:
        kinds = session.scalars(select(Message.kind)).all()
        assert {MessageKind.EMAIL, MessageKind.REPLY, MessageKind.NOTE} <= set(kinds)
        assert session.scalar(select(func.count()).select_from(Message)
                              .where(Message.body_html.is_not(None))) >= 1
        threads = session.scalars(select(Conversation).where(Conversation.ticket_id.is_not(None))
                                  .order_by(Conversation.id)).all()
        long_threads = [c for c in threads if len(c.messages) >= 3]
        assert long_threads
        for conversation in long_threads:
            emails = [m for m in conversation.messages if not m.kind.is_internal]
            assert emails[0].kind is MessageKind.EMAIL and emails[0].in_reply_to is None
            for previous, message in itertools.pairwise(emails):
                assert message.in_reply_to == previous.message_id_header
                assert previous.message_id_header in (message.references or "")
            notes = [m for m in conversation.messages if m.kind.is_internal]
            assert all(n.author_user_id is not None and n.message_id_header is None
                       for n in notes)


def test_running_again_adds_tickets_to_the_same_workspace(db: Database) -> None:
    generate_demo(db, tickets=20, seed=1)
    users = _count(db, User)
    summary = generate_demo(db, tickets=15, seed=1)
    assert summary["created_workspace"] is False
    assert _count(db, Ticket) == 35 and _count(db, User) == users
    with db.session() as session:
        headers = session.scalars(select(Message.message_id_header)
                                  .where(Message.message_id_header.is_not(None))).all()
        assert len(headers) == len(set(headers))  # Message-IDs stay unique across runs


def test_demo_fills_a_workspace_made_by_init(db: Database) -> None:
    workspace.create_workspace(UnitOfWork(db, None), "Ada Admin", "ada@example.com")
    summary = generate_demo(db, tickets=12, seed=2)
    assert summary["created_workspace"] is False
    assert _count(db, User) == 1 and _count(db, Ticket) == 12


def test_agents_see_demo_tickets_through_their_scope(db: Database) -> None:
    generate_demo(db, tickets=80, seed=5)
    with db.session() as session:
        ids = {u.email: u.id for u in session.scalars(select(User))}
    query = TicketQuery(view=View.ALL)
    everything = Desk(db, ids["admin@example.com"]).count_tickets(query)
    sales = Desk(db, ids["sales@example.com"]).count_tickets(query)
    live = _count(db, Ticket, Ticket.state == TicketState.LIVE)
    assert everything == live
    assert 0 < sales < everything


@pytest.mark.parametrize("tickets", [0, 3])
def test_tiny_demos_work(db: Database, tickets: int) -> None:
    summary = generate_demo(db, tickets=tickets, seed=0)
    assert summary["tickets"] == _count(db, Ticket) == tickets


def test_bulk_build_rebuilds_indexes_and_full_text(tmp_path: Path) -> None:
    """A bulk build drops indexes and full-text triggers while it writes, then brings back
    exactly the same schema, with a full-text index that finds what it wrote."""
    from sqlalchemy import text as sql

    from helpdesk_desktop.storage.database import open_database

    plain, bulk = open_database(str(tmp_path / "plain.sqlite3")), open_database(
        str(tmp_path / "bulk.sqlite3"))
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    with bulk.engine.connect() as connection:
        before = connection.execute(sql(schema)).all()
    generate_demo(plain, tickets=60, seed=3)
    generate_demo(bulk, tickets=60, seed=3, bulk=True)
    found = []
    for database in (plain, bulk):
        with database.engine.connect() as connection:
            found.append(connection.execute(sql(
                "SELECT rowid FROM message_fts WHERE message_fts MATCH 'bonjour' "
                "ORDER BY rowid")).scalars().all())
            names = connection.execute(sql(
                "SELECT rowid FROM ticket_name_fts WHERE ticket_name_fts MATCH 'facture' "
                "ORDER BY rowid")).scalars().all()
            found.append(names)
    with bulk.engine.connect() as connection:
        assert connection.execute(sql(schema)).all() == before
    assert found[0] and found[0] == found[2] and found[1] == found[3]
    # The counters whose triggers were dropped meanwhile (migration 0011) were refilled.
    from tests.services.test_invariants import counter_problems, list_counter_problems

    for database in (plain, bulk):
        with database.session() as session:
            assert list_counter_problems(session) == []
            assert counter_problems(session) == []
    plain.dispose()
    bulk.dispose()


def test_a_bulk_build_writes_exactly_the_rows_of_a_plain_build(tmp_path: Path) -> None:
    """The bulk build's own writer (raw executemany, ids given in order) stores every value
    as SQLAlchemy would: same ids, same text for times, enums and JSON, same defaults."""
    from sqlalchemy import text as sql

    from helpdesk_desktop.services.demo_bulk import BULK_TABLES
    from helpdesk_desktop.storage.database import open_database

    plain, bulk = open_database(str(tmp_path / "plain.sqlite3")), open_database(
        str(tmp_path / "bulk.sqlite3"))
    generate_demo(plain, tickets=120, seed=5)
    generate_demo(bulk, tickets=120, seed=5, bulk=True)
    contents = []
    for database in (plain, bulk):
        with database.engine.connect() as connection:
            contents.append({table: connection.execute(sql(
                f"SELECT * FROM {table} ORDER BY rowid")).all() for table in BULK_TABLES})
    for table in BULK_TABLES:
        assert contents[1][table] == contents[0][table], table
        assert contents[0][table] or table in ("notifications", "attachments"), table
    plain.dispose()
    bulk.dispose()
