"""Splitting messages of a ticket off into a new ticket."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Category,
    Channel,
    MessageKind,
    Priority,
    TicketState,
)
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Conversation,
    Message,
    ReadState,
    Ticket,
)
from tests.factories import Workspace, make_ticket
from tests.services.test_invariants import all_problems, attachment_owners, message_ids

THREE = (
    (MessageKind.EMAIL, "My printer is on fire."),
    (MessageKind.REPLY, "Please unplug it."),
    (MessageKind.EMAIL, "Also, my invoice is wrong."),
)


def ticket_messages(ws: Workspace, ticket_id: int) -> list[int]:
    with ws.db.session() as session:
        return list(session.scalars(
            select(Message.id).join(Conversation).where(Conversation.ticket_id == ticket_id)
            .order_by(Message.id)))


def snapshot(ws: Workspace) -> dict[str, object]:
    """Enough of the database to see that a refused split changed nothing."""
    with ws.db.session() as session:
        return {
            "tickets": session.execute(select(Ticket.id, Ticket.version, Ticket.updated_at,
                                              Ticket.last_activity_at)).all(),
            "messages": session.execute(select(Message.id, Message.conversation_id)).all(),
            "conversations": session.execute(select(Conversation.id, Conversation.ticket_id)
                                             ).all(),
            "activities": session.scalars(select(Activity.id)).all(),
        }


def test_split_moves_the_chosen_messages_to_a_new_ticket(ws: Workspace) -> None:
    old = make_ticket(ws, "Printer and invoice", messages=THREE, attachment=True,
                      status="Waiting on us", owner="agent")
    before, attachments = message_ids(ws.db), attachment_owners(ws.db)
    messages = ticket_messages(ws, old)
    with ws.db.session() as session:
        original = {m.id: (m.author_name, m.author_contact_id, m.sent_at, m.body_text)
                    for m in session.scalars(select(Message))}

    result = ws.desk("lead").split(old, [messages[2], messages[1]])

    (new,) = result.created_ticket_ids
    assert set(result.changed_ticket_ids) == {old, new}
    assert ticket_messages(ws, old) == messages[:1]
    assert ticket_messages(ws, new) == messages[1:]
    assert message_ids(ws.db) == before
    assert attachment_owners(ws.db) == attachments
    with ws.db.session() as session:
        assert {m.id: (m.author_name, m.author_contact_id, m.sent_at, m.body_text)
                for m in session.scalars(select(Message))} == original
        old_ticket, new_ticket = session.get(Ticket, old), session.get(Ticket, new)
        assert new_ticket.pipeline_id == old_ticket.pipeline_id
        assert new_ticket.status_id == ws.status("New")
        assert new_ticket.name == "Printer and invoice"  # the first moved message's subject
        assert new_ticket.owner_id == ws.users["agent"]
        assert new_ticket.state is TicketState.LIVE and new_ticket.closed_at is None
        assert [c.id for c in new_ticket.contacts] == [ws.contacts["marie"]]
        assert [c.id for c in new_ticket.companies] == [ws.companies["dupont"]]
        (conversation,) = new_ticket.conversations
        (source,) = old_ticket.conversations
        assert conversation.origin_ticket_id == new
        assert (conversation.inbox_id, conversation.contact_id, conversation.channel) == (
            source.inbox_id, source.contact_id, source.channel)
        split_into = session.scalars(select(Activity).where(
            Activity.ticket_id == old, Activity.kind == ActivityKind.SPLIT_INTO)).one()
        split_from = session.scalars(select(Activity).where(
            Activity.ticket_id == new, Activity.kind == ActivityKind.SPLIT_FROM)).one()
        assert split_into.data["ticket_id"] == new
        assert split_from.data["ticket_id"] == old
        lead_state = session.get(ReadState, (new, ws.users["lead"]))
        assert lead_state is not None and lead_state.read_at >= new_ticket.last_activity_at
        assert not lead_state.forced_unread
    assert all_problems(ws.db) == []


def test_split_takes_the_given_details(ws: Workspace) -> None:
    old = make_ticket(ws, messages=THREE)
    messages = ticket_messages(ws, old)
    result = ws.desk("admin").split(
        old, messages[2:], name="Invoice question", owner_id=ws.users["seller"],
        status_id=ws.status("Closed"), priority=Priority.URGENT, contact_id=ws.contacts["john"],
        category=Category.BILLING_ISSUE)
    with ws.db.session() as session:
        new = session.get(Ticket, result.created_ticket_ids[0])
        assert (new.name, new.owner_id, new.status_id, new.priority, new.category) == (
            "Invoice question", ws.users["seller"], ws.status("Closed"), Priority.URGENT,
            Category.BILLING_ISSUE)
        assert new.closed_at is not None
        assert [c.id for c in new.contacts] == [ws.contacts["john"]]
        assert new.companies == []


def test_explicit_none_clears_what_omission_keeps(ws: Workspace) -> None:
    old = make_ticket(ws, messages=THREE, owner="agent", priority=Priority.HIGH,
                      category=Category.BILLING_ISSUE)
    messages = ticket_messages(ws, old)
    desk = ws.desk("lead")
    kept = desk.split(old, messages[2:]).created_ticket_ids[0]
    cleared = desk.split(old, messages[1:2], name="  ", owner_id=None, priority=None,
                         category=None).created_ticket_ids[0]
    with ws.db.session() as session:
        k, c = session.get(Ticket, kept), session.get(Ticket, cleared)
        assert (k.owner_id, k.priority, k.category) == (
            ws.users["agent"], Priority.HIGH, Category.BILLING_ISSUE)
        assert (c.owner_id, c.priority, c.category) == (None, None, None)
        assert c.name == "Printer on fire"  # a blank name falls back to the subject


def test_a_conversation_split_off_whole_moves_as_one_row(ws: Workspace) -> None:
    """Every message of a thread chosen: the conversation itself moves to the new ticket
    (its id kept, the new ticket its origin, created at its first message), its messages
    are not written, and the original keeps only its other thread."""
    old = make_ticket(ws, "Two threads", conversations=2)
    with ws.db.session() as session:
        first, second = session.scalars(select(Conversation).where(
            Conversation.ticket_id == old).order_by(Conversation.id)).all()
        second_id, second_messages = second.id, [m.id for m in second.messages]
        first_sent = second.messages[0].sent_at
        kept = (second.inbox_id, second.channel, second.subject, second.contact_id,
                second.owner_id)
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()).upper())

    event.listen(ws.db.engine, "before_cursor_execute", keep)
    try:
        result = ws.desk("agent").split(old, second_messages)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", keep)
    assert not [s for s in sent if s.startswith(("UPDATE MESSAGES", "DELETE FROM CONVERSATIONS",
                                                 "INSERT INTO CONVERSATIONS"))]
    new_id = result.created_ticket_ids[0]
    with ws.db.session() as session:
        assert [c.id for c in session.get(Ticket, old).conversations] == [first.id]
        new = session.get(Ticket, new_id)
        assert [c.id for c in new.conversations] == [second_id]
        moved = new.conversations[0]
        assert (moved.origin_ticket_id, moved.created_at) == (new_id, first_sent)
        assert (moved.inbox_id, moved.channel, moved.subject, moved.contact_id,
                moved.owner_id) == kept
        assert [m.id for c in new.conversations for m in c.messages] == second_messages
        assert new.name == "Two threads (2)"
    assert all_problems(ws.db) == []


@pytest.mark.parametrize(("user", "error", "reason"), [
    ("sales", PermissionDenied, "Needs a service seat."),
    ("outsider", PermissionDenied, "no access to the help desk"),
])
def test_split_needs_a_service_seat(ws: Workspace, user: str, error: type[Exception],
                                    reason: str) -> None:
    old = make_ticket(ws)
    with pytest.raises(error, match=reason):
        ws.desk(user).split(old, ticket_messages(ws, old)[1:])


def test_split_of_a_ticket_out_of_scope_is_not_found(ws: Workspace) -> None:
    old = make_ticket(ws, owner="seller")
    with pytest.raises(NotFound):
        ws.desk("agent").split(old, ticket_messages(ws, old)[1:])
    result = ws.desk("seller").split(old, ticket_messages(ws, old)[1:])
    assert len(result.created_ticket_ids) == 1


def test_only_email_tickets_can_be_split(ws: Workspace) -> None:
    old = make_ticket(ws)
    with ws.db.session() as session:
        session.get(Ticket, old).source = Channel.CHAT
        session.commit()
    with pytest.raises(InvalidInput, match="Only e-mail tickets"):
        ws.desk("lead").split(old, ticket_messages(ws, old)[1:])


def test_refused_splits_change_nothing(ws: Workspace) -> None:
    old = make_ticket(ws, conversations=2)
    other = make_ticket(ws, "Other")
    messages = ticket_messages(ws, old)
    with ws.db.session() as session:
        spam = session.scalars(select(Conversation).where(Conversation.ticket_id == old)
                               .order_by(Conversation.id)).all()[1]
        spam.spam_at = ws.clock()
        spam_messages = [m.id for m in spam.messages]
        session.commit()
    desk = ws.desk("lead")
    before = snapshot(ws)
    refusals: list[tuple[object, dict[str, object], str]] = [
        ([], {}, "at least one message"),
        (messages[:2], {}, "At least one message must stay"),
        ([messages[0], 999_999], {}, "does not belong"),
        (ticket_messages(ws, other)[:1], {}, "does not belong"),
        (spam_messages[:1], {}, "does not belong"),
        (messages[1:2], {"status_id": ws.status("Triage", "Escalations")}, "another pipeline"),
        (messages[1:2], {"owner_id": ws.users["outsider"]}, "no access to the help desk"),
        (messages[1:2], {"owner_id": 999_999}, "does not exist"),
        (messages[1:2], {"contact_id": 999_999}, "does not exist"),
        (messages[1:2], {"priority": "extreme"}, "not a valid priority"),
        (messages[1:2], {"name": "x" * 501}, "too long"),
    ]
    for message_selection, details, reason in refusals:
        with pytest.raises(InvalidInput, match=reason):
            desk.split(old, message_selection, **details)
    with pytest.raises(NotFound):
        desk.split(999_999, messages[1:2])
    assert snapshot(ws) == before


def test_split_keeps_attachments_with_their_messages(ws: Workspace) -> None:
    old = make_ticket(ws, messages=THREE, attachment=True)
    messages = ticket_messages(ws, old)
    result = ws.desk("lead").split(old, messages[1:2])
    with ws.db.session() as session:
        attachment = session.scalars(select(Attachment).where(
            Attachment.message_id == messages[1])).one()
        assert attachment.message.conversation.ticket_id == result.created_ticket_ids[0]
        assert attachment.content == b"\xff\xd8ok"
