"""Incoming e-mail: threading, new tickets vs conversation-only, refusals, sanitizing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from helpdesk_desktop.domain.enums import ActivityKind, Channel, Direction, MessageKind
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Contact,
    Conversation,
    Follower,
    Message,
    Notification,
    Ticket,
)
from helpdesk_desktop.services.dto import OpResult, TicketChanges
from helpdesk_desktop.services.intake import IncomingAttachment, receive_email
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace


def _receive(ws: Workspace, inbox: str = "Help Desk", **overrides: Any) -> OpResult:
    values: dict[str, Any] = {
        "inbox_id": ws.inboxes[inbox], "from_name": "Marie Dupont",
        "from_email": "Marie@Dupont.fr", "to": "support@example.com",
        "subject": "Oven broken", "text": "Hello, our oven stopped working.",
        "message_id": "<m1@dupont.fr>",
    }
    values.update(overrides)
    return receive_email(UnitOfWork(ws.db, None, ws.clock), **values)


def _count(ws: Workspace, model: Any) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_new_email_in_the_help_desk_opens_a_ticket(ws: Workspace) -> None:
    result = _receive(ws)
    assert len(result.created_ticket_ids) == 1
    ticket_id = result.created_ticket_ids[0]
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        assert ticket.name == "Oven broken"
        assert ticket.pipeline_id == ws.pipelines["Support Pipeline"]
        assert ticket.status_id == ws.status("New")
        assert ticket.source is Channel.EMAIL
        assert ticket.owner_id is None
        # The sender was a known contact (matched case-insensitively); her company came along.
        assert [c.id for c in ticket.contacts] == [ws.contacts["marie"]]
        assert [c.id for c in ticket.companies] == [ws.companies["dupont"]]
        (conversation,) = ticket.conversations
        assert conversation.origin_ticket_id == ticket_id
        (message,) = conversation.messages
        assert message.kind is MessageKind.EMAIL and message.direction is Direction.INCOMING
        assert message.author_contact_id == ws.contacts["marie"]
        assert message.author_email == "marie@dupont.fr"
        assert message.message_id_header == "<m1@dupont.fr>"
        created = session.scalars(select(Activity).where(Activity.ticket_id == ticket_id)).all()
        assert [(a.kind, a.actor_id) for a in created] == [(ActivityKind.CREATED, None)]


def test_an_unknown_sender_becomes_a_new_contact(ws: Workspace) -> None:
    before = _count(ws, Contact)
    result = _receive(ws, from_name="", from_email="new.customer@example.org")
    assert _count(ws, Contact) == before + 1
    with ws.db.session() as session:
        ticket = session.get(Ticket, result.created_ticket_ids[0])
        assert ticket is not None
        assert [(c.name, c.email) for c in ticket.contacts] == [("new.customer",
                                                                 "new.customer@example.org")]
        assert ticket.companies == []


def test_a_reply_joins_the_thread_of_the_message_it_answers(ws: Workspace) -> None:
    first = _receive(ws)
    ticket_id = first.created_ticket_ids[0]
    reply = _receive(ws, subject="Re: Oven broken", text="Any news?", message_id="<m2@dupont.fr>",
                     in_reply_to="<m1@dupont.fr>", references="<m1@dupont.fr>")
    assert reply.created_ticket_ids == ()
    assert reply.changed_ticket_ids == (ticket_id,)
    # Threading by References alone, pointing at the newest known message.
    third = _receive(ws, subject="Re: Oven broken", text="Hello?", message_id="<m3@dupont.fr>",
                     references="<unknown@elsewhere> <m1@dupont.fr> <m2@dupont.fr>")
    assert third.changed_ticket_ids == (ticket_id,)
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
        conversation = session.get(Conversation, first.payload.conversation_id)
        assert conversation is not None
        assert [m.body_text for m in conversation.messages] == [
            "Hello, our oven stopped working.", "Any news?", "Hello?"]
        kinds = session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket_id)
                                .order_by(Activity.id)).all()
        assert kinds == [ActivityKind.CREATED, ActivityKind.MESSAGE, ActivityKind.MESSAGE]


def test_an_unknown_reference_opens_a_new_ticket(ws: Workspace) -> None:
    _receive(ws)
    other = _receive(ws, message_id="<x2@dupont.fr>", in_reply_to="<never-seen@dupont.fr>")
    assert len(other.created_ticket_ids) == 1
    assert _count(ws, Ticket) == 2


def test_a_reply_notifies_followers_and_makes_the_ticket_unread(ws: Workspace) -> None:
    ticket_id = _receive(ws).created_ticket_ids[0]
    desk = ws.desk("lead")
    desk.follow([ticket_id])
    desk.mark_read([ticket_id])
    assert desk.rows([ticket_id])[ticket_id].unread is False
    ws.clock.advance(minutes=5)
    _receive(ws, text="Still broken.", message_id="<m2@dupont.fr>", in_reply_to="<m1@dupont.fr>")
    with ws.db.session() as session:
        notified = session.scalars(select(Notification.user_id)
                                   .where(Notification.ticket_id == ticket_id)).all()
        assert notified == [ws.users["lead"]]
        assert session.scalar(select(func.count()).select_from(Follower)) == 1
    assert desk.rows([ticket_id])[ticket_id].unread is True


def test_in_a_conversations_inbox_only_a_conversation_is_created(ws: Workspace) -> None:
    result = _receive(ws, inbox="Shared inbox")
    assert result.created_ticket_ids == () and result.changed_ticket_ids == ()
    assert result.payload.ticket_id is None
    assert _count(ws, Ticket) == 0
    with ws.db.session() as session:
        conversation = session.get(Conversation, result.payload.conversation_id)
        assert conversation is not None
        assert conversation.ticket_id is None
        assert conversation.inbox_id == ws.inboxes["Shared inbox"]
        assert len(conversation.messages) == 1
    follow_up = _receive(ws, inbox="Shared inbox", message_id="<m2@dupont.fr>",
                         in_reply_to="<m1@dupont.fr>")
    assert follow_up.payload.conversation_id == result.payload.conversation_id
    assert _count(ws, Conversation) == 1


@pytest.mark.parametrize("email", ["not-an-address", "two@@example.com", "", "a b@example.com"])
def test_a_malformed_sender_is_refused_and_nothing_is_written(ws: Workspace, email: str) -> None:
    counts = {m: _count(ws, m) for m in (Ticket, Conversation, Message, Contact, Activity)}
    with pytest.raises(InvalidInput):
        _receive(ws, from_email=email)
    assert {m: _count(ws, m) for m in counts} == counts


def test_an_unknown_inbox_is_refused(ws: Workspace) -> None:
    with pytest.raises(NotFound):
        _receive(ws, inbox_id=999_999)
    assert _count(ws, Contact) == 2 and _count(ws, Message) == 0


def test_html_is_sanitized_and_gives_the_text_when_there_is_none(ws: Workspace) -> None:
    html = ('<p onclick="x()">Hello</p><script>steal()</script>'
            '<img src="https://tracker.example/p.gif" alt="[logo]">'
            '<ul><li><a href="javascript:alert(1)">bad</a></li>'
            '<li><a href="https://example.com/order">order</a></li></ul>')
    result = _receive(ws, text="", html=html)
    with ws.db.session() as session:
        message = session.get(Message, result.payload.message_id)
        assert message is not None
        assert message.body_html is not None
        for bad in ("script", "onclick", "javascript", "tracker.example"):
            assert bad not in message.body_html
        assert message.body_text == "Hello\n\n[logo]\n\n- bad\n- order <https://example.com/order>"


def test_the_text_part_wins_over_the_html_part(ws: Workspace) -> None:
    result = _receive(ws, text="Plain words.", html="<p>Rich <b>words</b></p>")
    with ws.db.session() as session:
        message = session.get(Message, result.payload.message_id)
        assert message is not None
        assert message.body_text == "Plain words."
        assert message.body_html == "<p>Rich <b>words</b></p>"


def test_attachments_are_stored_with_their_size(ws: Workspace) -> None:
    result = _receive(ws, attachments=[
        IncomingAttachment("photo.png", b"\x89PNG-bytes", "image/png"),
        ("notes.txt", "text/plain", b"hello"),
    ])
    with ws.db.session() as session:
        rows = session.scalars(select(Attachment).where(
            Attachment.message_id == result.payload.message_id).order_by(Attachment.id)).all()
        assert [(a.filename, a.content_type, a.size, a.content) for a in rows] == [
            ("photo.png", "image/png", 10, b"\x89PNG-bytes"),
            ("notes.txt", "text/plain", 5, b"hello"),
        ]


def test_an_empty_subject_gets_a_placeholder_name(ws: Workspace) -> None:
    result = _receive(ws, subject="   ")
    with ws.db.session() as session:
        ticket = session.get(Ticket, result.created_ticket_ids[0])
        assert ticket is not None and ticket.name == "(no subject)"


def test_nul_characters_are_dropped_so_both_back_ends_store_the_email(ws: Workspace) -> None:
    # PostgreSQL cannot store a NUL character; an e-mail holding one must still arrive.
    result = _receive(ws, from_name="Marie\x00 Dupont", subject="Oven\x00 broken",
                      text="Hello,\x00 our oven stopped working.", html="<p>Hi\x00</p>")
    with ws.db.session() as session:
        ticket = session.get(Ticket, result.created_ticket_ids[0])
        assert ticket is not None and ticket.name == "Oven broken"
        (message,) = ticket.conversations[0].messages
        assert (message.author_name, message.body_text) == (
            "Marie Dupont", "Hello, our oven stopped working.")
        assert "\x00" not in (message.body_html or "")


def test_the_customer_writing_again_reopens_a_closed_ticket(ws: Workspace) -> None:
    ticket_id = _receive(ws).created_ticket_ids[0]
    desk = ws.desk("lead")
    desk.follow([ticket_id])
    desk.update(ticket_id, TicketChanges(status=ws.status("Closed")))
    closed = desk.ticket(ticket_id)
    assert closed.row.closed_at is not None
    ws.clock.advance(days=2)
    _receive(ws, text="It broke again.", message_id="<m2@dupont.fr>", in_reply_to="<m1@dupont.fr>")
    reopened = desk.ticket(ticket_id)
    assert reopened.row.status == "New"  # the pipeline's first open status
    assert reopened.row.closed_at is None
    assert reopened.version == closed.version + 1  # an edit based on the closed ticket conflicts
    entry = reopened.activities[0]
    assert entry.kind is ActivityKind.MESSAGE and entry.actor_id is None
    assert entry.data["reopened"]["from"] == "Closed" and entry.data["reopened"]["to"] == "New"
    assert "reopened" in entry.summary
    with ws.db.session() as session:  # one notification for the one new activity
        assert session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.ticket_id == ticket_id)) == 1


def test_a_reply_on_an_open_or_deleted_ticket_changes_no_status(ws: Workspace) -> None:
    ticket_id = _receive(ws).created_ticket_ids[0]
    desk = ws.desk("lead")
    desk.update(ticket_id, TicketChanges(status=ws.status("Waiting on contact")))
    before = desk.ticket(ticket_id)
    _receive(ws, text="Here you go.", message_id="<m2@dupont.fr>", in_reply_to="<m1@dupont.fr>")
    after = desk.ticket(ticket_id)
    assert after.row.status == "Waiting on contact" and after.version == before.version
    assert "reopened" not in after.activities[0].data
    desk.update(ticket_id, TicketChanges(status=ws.status("Closed")))
    desk.delete([ticket_id], confirm_count=1)
    _receive(ws, text="Hello?", message_id="<m3@dupont.fr>", in_reply_to="<m2@dupont.fr>")
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None and ticket.closed_at is not None  # stays closed in the trash


def test_oversized_bodies_and_attachments_are_cut_with_a_visible_note(ws: Workspace) -> None:
    from helpdesk_desktop.services import intake as intake_module

    big = "<p>" + "word " * (intake_module.MAX_BODY_CHARS // 5) + "</p>"
    result = intake_module.receive_email(
        ws.desk("admin")._uow(), inbox_id=ws.inboxes["Help Desk"], from_name="Big",
        from_email="big@example.com", to="support@example.com", subject="Huge", text="",
        html=big, attachments=[("small.txt", "text/plain", b"ok"),
                               ("huge.bin", "application/octet-stream",
                                b"\0" * (intake_module.MAX_ATTACHMENT_BYTES + 1)),
                               ("huge2.bin", "application/octet-stream",
                                b"\0" * (intake_module.MAX_ATTACHMENT_BYTES + 1))])
    detail = ws.desk("admin").ticket(result.created_ticket_ids[0])
    message = detail.conversations[0].messages[0]
    assert [a.filename for a in message.attachments] == ["small.txt"]
    assert "2 attachments were not kept (over the size limit)." in message.text
    assert "the rest was not kept" in message.text
    assert len(message.text) < intake_module.MAX_BODY_CHARS + 500


def test_the_notes_written_into_a_cut_message_follow_the_receiving_language() -> None:
    """The notes are part of the stored message, written in the language of the process that
    receives it (the window's, or the command line's environment)."""
    from helpdesk_desktop.domain.i18n import set_language
    from helpdesk_desktop.services.intake import not_kept_note

    assert not_kept_note(1) == "1 attachment was not kept (over the size limit)."
    set_language("fr")
    try:
        assert not_kept_note(1) == "1 pièce jointe n'a pas été conservée (taille maximale dépassée)."
        assert not_kept_note(2) == ("2 pièces jointes n'ont pas été conservées "
                                    "(taille maximale dépassée).")
    finally:
        set_language("en")
