"""The composer's services: replies with To/Cc, comments that notify mentioned agents, drafts in
the database, signatures, and the "customer wrote again" check."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk_desktop.domain.enums import MailSecurity, MessageKind, OutboxState
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.models import Draft, Message, Notification, OutboxItem
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.services.intake import ingest_raw
from helpdesk_desktop.services.mail.accounts import MailSettings
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace
from tests.services.test_ingest import mail


def _ticket(ws: Workspace) -> int:
    outcome = ingest_raw(UnitOfWork(ws.db, None, ws.clock), ws.inboxes["Help Desk"], mail(),
                         source="t")
    assert outcome.ticket_id is not None
    return outcome.ticket_id


def _connect_help_desk(ws: Workspace) -> None:
    """Connect the Help Desk inbox to a mailbox (settings only: nothing is sent here)."""
    ws.desk("admin").connect_inbox("Help Desk", MailSettings(
        imap_host="127.0.0.1", imap_port=1, imap_security=MailSecurity.NONE,
        smtp_host="127.0.0.1", smtp_port=1, smtp_security=MailSecurity.NONE, user="support",
        sender_address="support@acme.example"))


def test_a_reply_stores_to_and_cc_and_says_queued(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    _connect_help_desk(ws)
    result = ws.desk("lead").reply(ticket_id, "Hello", to="Marie <marie@dupont.fr>",
                                   cc="Boss@Dupont.fr; x@y.example, boss@dupont.fr")
    assert result.message == "Reply queued."
    assert "sent" not in result.message.lower()
    with ws.db.session() as session:
        message = session.get(Message, result.payload.message_id)
        assert message is not None
        assert message.to_addresses == "marie@dupont.fr"
        assert message.cc_addresses == "boss@dupont.fr, x@y.example"
        item = session.scalars(select(OutboxItem).where(
            OutboxItem.message_id == message.id)).one()  # queued in the same transaction
        assert item.state is OutboxState.QUEUED
    detail = ws.desk("lead").ticket(ticket_id)
    assert detail.conversations[0].messages[-1].cc == "boss@dupont.fr, x@y.example"
    assert detail.conversations[0].messages[-1].send_state == "queued"


def test_a_reply_in_an_unconnected_inbox_is_saved_and_says_not_sent(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    ws.desk("lead").save_draft(ticket_id, "reply", "Hello")
    result = ws.desk("lead").reply(ticket_id, "Hello")
    assert result.message == ("Reply saved; it was not sent because the inbox 'Help Desk' is "
                              "not connected to a mailbox.")
    with ws.db.session() as session:
        assert session.scalars(select(OutboxItem)).all() == []
        assert session.get(Message, result.payload.message_id) is not None
        assert session.scalars(select(Draft)).all() == []  # what was saved is no draft


def test_a_reply_defaults_to_the_contact_and_refuses_bad_addresses(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    result = ws.desk("lead").reply(ticket_id, "Hello")
    with ws.db.session() as session:
        message = session.get(Message, result.payload.message_id)
        assert message is not None and message.to_addresses == "marie@dupont.fr"
    with pytest.raises(InvalidInput, match="Cc: 'not an address'"):
        ws.desk("lead").reply(ticket_id, "Again", cc="not an address")
    with pytest.raises(InvalidInput, match="recipient"):
        ws.desk("lead").reply(ticket_id, "Again", to=" , ")
    with ws.db.session() as session:
        assert len(session.scalars(select(Message)).all()) == 2  # nothing half-written


def test_a_comment_notifies_the_mentioned_agents_who_can_see_it(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    ws.desk("lead").update(ticket_id, TicketChanges(owner=ws.users["lead"]))
    result = ws.desk("lead").add_comment(
        ticket_id, "@Arno Agent can you look? @Sam Sales too",
        mention_ids=[ws.users["agent"], ws.users["sales"], ws.users["lead"]])
    # Sam's scope is his own and unassigned tickets: he cannot see Léa's and is not told;
    # Léa does not notify herself.
    assert result.message == "Comment added; Arno Agent notified."
    with ws.db.session() as session:
        notified = session.scalars(select(Notification.user_id)).all()
        assert notified == [ws.users["agent"]]
        message = session.get(Message, result.payload.message_id)
        assert message is not None and message.kind is MessageKind.COMMENT
        assert message.to_addresses == "" and message.cc_addresses == ""
    (note,) = ws.desk("agent").notifications()
    assert note.ticket_id == ticket_id and "commented" in note.summary


def test_a_draft_is_kept_per_ticket_and_user_and_goes_when_sent(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    lead, agent = ws.desk("lead"), ws.desk("agent")
    assert lead.draft(ticket_id) is None
    lead.save_draft(ticket_id, "reply", "Half an answer", to="marie@dupont.fr", cc="a@b.example")
    agent.save_draft(ticket_id, "note", "My own note")
    # Another window (another Desk on the same database) sees the same draft.
    again = ws.desk("lead").draft(ticket_id)
    assert again is not None
    assert (again.mode, again.body, again.to, again.cc) == (
        "reply", "Half an answer", "marie@dupont.fr", "a@b.example")
    lead.reply(ticket_id, "The whole answer")
    assert lead.draft(ticket_id) is None
    other = agent.draft(ticket_id)
    assert other is not None and other.body == "My own note"
    agent.save_draft(ticket_id, "note", "   ")  # blank: the draft goes
    assert agent.draft(ticket_id) is None
    with ws.db.session() as session:
        assert session.scalars(select(Draft)).all() == []
    with pytest.raises(InvalidInput):
        lead.save_draft(ticket_id, "shout", "x")


def test_latest_customer_message_moves_when_the_customer_writes(ws: Workspace) -> None:
    ticket_id = _ticket(ws)
    desk = ws.desk("lead")
    seen = desk.latest_customer_message_id(ticket_id)
    assert seen is not None
    desk.reply(ticket_id, "Our answer")
    assert desk.latest_customer_message_id(ticket_id) == seen
    ingest_raw(UnitOfWork(ws.db, None, ws.clock), ws.inboxes["Help Desk"],
               mail("Re: Oven", message_id="<m2@d>", headers={"In-Reply-To": "<m1@dupont.fr>"}),
               source="t")
    newer = desk.latest_customer_message_id(ticket_id)
    assert newer is not None and newer > seen


def test_signature_per_agent(ws: Workspace) -> None:
    ws.desk("lead").set_signature("Léa\nSupport team\n")
    assert ws.desk("lead").signature() == "Léa\nSupport team"
    assert ws.desk("agent").signature() == ""
    with pytest.raises(InvalidInput):
        ws.desk("lead").set_signature("x" * 6000)
