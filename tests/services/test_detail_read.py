"""The ticket detail read in a few Core statements (``services/detail_read.py``) gives what
the ORM read before it gave (``detail_reference.py``): for every ticket of a seeded workspace
(live, closed, spam, deleted, merged; several conversations, one of them spam; attachments,
outbox rows with and without an error, a note of files not kept), as every user, in each mode
(every message, the first ones, the newest ones with what was left out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, func, select, update

from helpdesk_desktop.domain.enums import OutboxState, TicketState
from helpdesk_desktop.domain.models import Conversation, Message, OutboxItem, Ticket, User
from helpdesk_desktop.services import detail_read
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.storage.database import Database
from tests.services.detail_reference import read_detail as orm_read_detail

MODES = ((None, None), (2, None), (None, 2), (None, 30))


def _varied(db: Database) -> None:
    """What the demo does not make: a merged and a deleted ticket, a spam conversation on a
    live ticket, outbox rows, a note of attachments not kept."""
    with db.session(writes=True) as session, session.begin():
        live = session.scalars(select(Ticket.id).where(Ticket.state == TicketState.LIVE)
                               .order_by(Ticket.id)).all()
        survivor, merged, with_spam, deleted = live[0], live[1], live[2], live[3]
        session.execute(update(Ticket).where(Ticket.id == deleted).values(
            state=TicketState.DELETED, deleted_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)))
        session.execute(update(Conversation).where(Conversation.ticket_id == merged)
                        .values(ticket_id=survivor, origin_ticket_id=merged))
        session.execute(update(Ticket).where(Ticket.id == merged)
                        .values(state=TicketState.MERGED, merged_into_id=survivor))
        session.add(Conversation(ticket_id=with_spam, inbox_id=session.scalar(
            select(Conversation.inbox_id).where(Conversation.ticket_id == with_spam).limit(1)),
            subject="Spam", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            spam_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)))
        messages = session.scalars(
            select(Message.id).join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.ticket_id == survivor).order_by(Message.id)).all()
        now = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
        session.add_all([
            OutboxItem(message_id=messages[0], state=OutboxState.QUEUED, next_attempt_at=now,
                       created_at=now),
            OutboxItem(message_id=messages[1], state=OutboxState.FAILED, next_attempt_at=now,
                       created_at=now, last_error="550 no such user",
                       error_sentence={"msgid": "The server refused the message: {reason}",
                                       "reason": "550 no such user"}),
        ])
        session.execute(update(Message).where(Message.id == messages[2])
                        .values(intake_note="big.iso (4 GB)\n\nhuge.zip (2 GB)"))


def test_the_core_read_gives_what_the_orm_read_gave(db: Database) -> None:
    generate_demo(db, tickets=40, seed=5)
    _varied(db)
    with db.session() as session:
        users = session.scalars(select(User.id).order_by(User.id)).all()
        tickets = session.scalars(select(Ticket.id).order_by(Ticket.id)).all()
        states = set(session.scalars(select(Ticket.state)))
        cut = session.scalar(select(func.count()).select_from(
            select(Message.conversation_id).group_by(Message.conversation_id)
            .having(func.count() > 2).subquery()))
    assert states == set(TicketState) and cut
    compared = 0
    for n, user_id in enumerate(users):
        for ticket_id in tickets:
            for first, last in MODES if n == 0 else MODES[-1:]:
                reads = []
                for read in (orm_read_detail, detail_read.read_detail):
                    with db.session() as session:
                        actor, ticket = session.get(User, user_id), session.get(Ticket, ticket_id)
                        assert actor is not None and ticket is not None
                        reads.append(read(session, actor, ticket, first, last))
                assert reads[0] == reads[1], (user_id, ticket_id, first, last)
                compared += 1
    assert compared == len(tickets) * (len(MODES) + len(users) - 1)


def test_a_ticket_opens_in_a_few_statements(db: Database) -> None:
    generate_demo(db, tickets=20, seed=5)
    with db.session() as session:
        ticket_id = session.scalars(
            select(Conversation.ticket_id).where(Conversation.ticket_id.is_not(None))
            .group_by(Conversation.ticket_id).order_by(func.count().desc())).first()
        user_id = session.scalar(select(func.min(User.id)))
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    with db.session() as session:
        actor, ticket = session.get(User, user_id), session.get(Ticket, ticket_id)
        assert actor is not None and ticket is not None
        # On SQLite the row is read on the driver's connection, past SQLAlchemy's events
        # (list_rows_sqlite): there the driver's own trace counts every statement.
        driver = session.connection().connection.driver_connection
        traced = db.dialect == "sqlite"
        if traced:
            driver.set_trace_callback(seen.append)  # type: ignore[union-attr]
        else:
            event.listen(db.engine, "before_cursor_execute", count)
        try:
            detail = detail_read.read_detail(session, actor, ticket, None, 30)
        finally:
            if traced:
                driver.set_trace_callback(None)  # type: ignore[union-attr]
            else:
                event.remove(db.engine, "before_cursor_execute", count)
    assert detail.conversations and detail.conversations[0].messages
    # conversations, messages, attachments, activities, the row, links, pipeline
    assert len(seen) == 7, seen
