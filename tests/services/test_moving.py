"""Moving conversations between the help desk and the conversations inboxes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    TicketState,
)
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.models import (
    Activity,
    Conversation,
    Message,
    ReadState,
    Ticket,
)
from helpdesk_desktop.services import moving
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace, make_ticket
from tests.services.test_invariants import all_problems


def conversation_of(ws: Workspace, ticket_id: int) -> int:
    with ws.db.session() as session:
        return session.scalars(select(Conversation.id).where(
            Conversation.ticket_id == ticket_id).order_by(Conversation.id)).first()


def loose_conversation(ws: Workspace, subject: str = "Question about prices",
                       inbox: str = "Shared inbox") -> int:
    """A conversation in a conversations inbox, with no ticket yet."""
    with ws.db.session() as session:
        conversation = Conversation(inbox_id=ws.inboxes[inbox], channel=Channel.EMAIL,
                                    subject=subject, contact_id=ws.contacts["marie"],
                                    created_at=ws.clock())
        session.add(conversation)
        session.flush()
        session.add(Message(conversation_id=conversation.id, kind=MessageKind.EMAIL,
                            direction=Direction.INCOMING, author_name="Marie Dupont",
                            author_email="marie@dupont.fr", sent_at=ws.clock(), subject=subject,
                            body_text="How much is it?"))
        session.commit()
        return conversation.id


def test_moving_out_of_the_help_desk_keeps_the_ticket(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, owner="agent")
    conversation_id = conversation_of(ws, ticket_id)
    result = ws.desk("admin").move_conversation(
        conversation_id, ws.inboxes["Shared inbox"], pipeline_id=ws.pipelines["Escalations"],
        status_id=ws.status("Resolved", "Escalations"), comment="Sales will take it from here.")
    assert result.changed_ticket_ids == (ticket_id,)
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        conversation = session.get(Conversation, conversation_id)
        assert conversation.inbox_id == ws.inboxes["Shared inbox"]
        assert conversation.ticket_id == ticket_id
        assert ticket.inbox_id == ws.inboxes["Help Desk"]
        assert (ticket.pipeline_id, ticket.status_id) == (
            ws.pipelines["Escalations"], ws.status("Resolved", "Escalations"))
        assert ticket.closed_at is not None and ticket.state is TicketState.LIVE
        assert ticket.owner_id == ws.users["agent"]
        comment = conversation.messages[-1]
        assert (comment.kind, comment.direction, comment.body_text, comment.author_user_id) == (
            MessageKind.COMMENT, Direction.INTERNAL, "Sales will take it from here.",
            ws.users["admin"])
        moved = session.scalars(select(Activity).where(
            Activity.ticket_id == ticket_id,
            Activity.kind == ActivityKind.CONVERSATION_MOVED)).one()
        assert (moved.data["from_inbox_id"], moved.data["to_inbox_id"]) == (
            ws.inboxes["Help Desk"], ws.inboxes["Shared inbox"])
    shown = ws.desk("admin").inbox_conversations(ws.inboxes["Shared inbox"])
    assert [c.id for c in shown] == [conversation_id]
    assert shown[0].inbox_kind is InboxKind.CONVERSATIONS and shown[0].ticket_id == ticket_id
    assert all_problems(ws.db) == []


def test_moving_into_the_help_desk_creates_a_ticket(ws: Workspace) -> None:
    conversation_id = loose_conversation(ws)
    result = ws.desk("admin").move_conversation(conversation_id, ws.inboxes["Help Desk"])
    (ticket_id,) = result.created_ticket_ids
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        conversation = session.get(Conversation, conversation_id)
        assert ticket.name == "Question about prices"
        assert ticket.pipeline_id == ws.pipelines["Support Pipeline"]
        assert ticket.status_id == ws.status("New")
        assert [c.id for c in ticket.contacts] == [ws.contacts["marie"]]
        assert (conversation.ticket_id, conversation.origin_ticket_id, conversation.inbox_id) == (
            ticket_id, ticket_id, ws.inboxes["Help Desk"])
        assert session.get(ReadState, (ticket_id, ws.users["admin"])).read_at is not None
    assert ws.desk("admin").inbox_conversations(ws.inboxes["Shared inbox"]) == []
    assert all_problems(ws.db) == []


def test_moving_into_the_help_desk_with_pipeline_status_and_owner(ws: Workspace) -> None:
    conversation_id = loose_conversation(ws)
    result = ws.desk("admin").move_conversation(
        conversation_id, ws.inboxes["Help Desk"], pipeline_id=ws.pipelines["Escalations"],
        status_id=ws.status("In progress", "Escalations"), owner_id=ws.users["seller"])
    with ws.db.session() as session:
        ticket = session.get(Ticket, result.created_ticket_ids[0])
        assert (ticket.pipeline_id, ticket.status_id, ticket.owner_id) == (
            ws.pipelines["Escalations"], ws.status("In progress", "Escalations"),
            ws.users["seller"])


@pytest.mark.parametrize(("conversation_owner", "ticket_owner"), [
    ("seller", "seller"), ("outsider", None), (None, None)])
def test_the_conversation_owner_takes_the_new_ticket_if_they_can(
        ws: Workspace, conversation_owner: str | None, ticket_owner: str | None) -> None:
    conversation_id = loose_conversation(ws)
    with ws.db.session() as session:
        session.get(Conversation, conversation_id).owner_id = (
            ws.users[conversation_owner] if conversation_owner else None)
        session.commit()
    result = ws.desk("admin").move_conversation(conversation_id, ws.inboxes["Help Desk"])
    with ws.db.session() as session:
        assert session.get(Ticket, result.created_ticket_ids[0]).owner_id == (
            ws.users[ticket_owner] if ticket_owner else None)


def test_a_conversation_moved_out_comes_back_to_its_ticket(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    conversation_id = conversation_of(ws, ticket_id)
    desk = ws.desk("admin")
    desk.move_conversation(conversation_id, ws.inboxes["Shared inbox"],
                           pipeline_id=ws.pipelines["Support Pipeline"],
                           status_id=ws.status("Closed"))
    desk.move_conversation(conversation_id, ws.inboxes["Sales inbox"], owner_id=None)
    result = desk.move_conversation(conversation_id, ws.inboxes["Help Desk"],
                                    status_id=ws.status("Waiting on us"))
    assert result.created_ticket_ids == ()
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert session.get(Conversation, conversation_id).inbox_id == ws.inboxes["Help Desk"]
        assert ticket.status_id == ws.status("Waiting on us") and ticket.closed_at is None
        kinds = session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket_id))
        assert list(kinds).count(ActivityKind.CONVERSATION_MOVED) == 3
    assert all_problems(ws.db) == []


def test_a_new_owner_must_be_able_to_see_the_ticket(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    conversation_id = conversation_of(ws, ticket_id)
    uow = UnitOfWork(ws.db, ws.users["admin"], ws.clock)
    assert moving.owner_can_see(uow, conversation_id, ws.users["agent"]) == (True, "")
    assert moving.owner_can_see(uow, conversation_id, None) == (True, "")
    can, reason = moving.owner_can_see(uow, conversation_id, ws.users["outsider"])
    assert not can and "Otto Outsider has no access to the help desk" in reason
    with pytest.raises(InvalidInput, match="no access to the help desk"):
        ws.desk("admin").move_conversation(
            conversation_id, ws.inboxes["Shared inbox"], owner_id=ws.users["outsider"],
            pipeline_id=ws.pipelines["Support Pipeline"], status_id=ws.status("Closed"))
    ws.desk("admin").move_conversation(
        conversation_id, ws.inboxes["Shared inbox"], owner_id=ws.users["seller"],
        pipeline_id=ws.pipelines["Support Pipeline"], status_id=ws.status("Closed"))
    with ws.db.session() as session:
        assert session.get(Ticket, ticket_id).owner_id == ws.users["seller"]


@pytest.mark.parametrize("user", ["lead", "agent", "sales", "seller"])
def test_moving_needs_account_access(ws: Workspace, user: str) -> None:
    conversation_id = conversation_of(ws, make_ticket(ws))
    with pytest.raises(PermissionDenied, match="Needs account access"):
        ws.desk(user).move_conversation(
            conversation_id, ws.inboxes["Shared inbox"],
            pipeline_id=ws.pipelines["Support Pipeline"], status_id=ws.status("Closed"))


def test_outsiders_cannot_move_or_list(ws: Workspace) -> None:
    conversation_id = conversation_of(ws, make_ticket(ws))
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").move_conversation(conversation_id, ws.inboxes["Shared inbox"])
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").inbox_conversations(ws.inboxes["Shared inbox"])


def test_refused_moves_change_nothing(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    spam_ticket = make_ticket(ws, "Spam")
    conversation_id = conversation_of(ws, ticket_id)
    loose = loose_conversation(ws)
    desk = ws.desk("admin")
    desk.mark_spam(spam_ticket)

    def state() -> list[object]:
        with ws.db.session() as session:
            return [session.execute(select(Conversation.id, Conversation.inbox_id,
                                           Conversation.ticket_id)).all(),
                    session.execute(select(Ticket.id, Ticket.status_id, Ticket.version)).all(),
                    session.scalars(select(Message.id)).all()]

    before = state()
    shared, help_desk = ws.inboxes["Shared inbox"], ws.inboxes["Help Desk"]
    support = ws.pipelines["Support Pipeline"]
    for args, options, reason in (
        ((conversation_id, help_desk), {}, "already in Help Desk"),
        ((conversation_id, shared), {"comment": "x"}, "Choose the pipeline and status"),
        ((conversation_id, shared), {"pipeline_id": support}, "Choose the pipeline and status"),
        ((conversation_id, shared), {"pipeline_id": support,
                                     "status_id": ws.status("Triage", "Escalations")},
         "does not belong to the pipeline"),
        ((loose, help_desk), {"status_id": ws.status("Triage", "Escalations"),
                              "pipeline_id": support}, "does not belong to the pipeline"),
        ((loose, ws.inboxes["Sales inbox"]), {"status_id": ws.status("Closed")},
         "without a ticket"),
        ((conversation_of(ws, spam_ticket), shared), {}, "spam or the trash"),
    ):
        with pytest.raises(InvalidInput, match=reason):
            desk.move_conversation(*args, **options)
    for args in ((999_999, shared), (conversation_id, 999_999)):
        with pytest.raises(NotFound):
            desk.move_conversation(*args)
    with pytest.raises(NotFound):
        desk.move_conversation(loose, help_desk, pipeline_id=999_999)
    assert state() == before


def test_inbox_view_shows_what_the_user_may_see_newest_first(ws: Workspace) -> None:
    admin = ws.desk("admin")
    shared = ws.inboxes["Shared inbox"]
    theirs = make_ticket(ws, "Sales owned", owner="seller")
    first = loose_conversation(ws, "First")
    admin.move_conversation(conversation_of(ws, theirs), shared,
                            pipeline_id=ws.pipelines["Support Pipeline"],
                            status_id=ws.status("Closed"))
    second = loose_conversation(ws, "Second")
    spam = loose_conversation(ws, "Spam")
    with ws.db.session() as session:
        session.get(Conversation, spam).spam_at = ws.clock()
        session.commit()
    assert [c.subject for c in admin.inbox_conversations(shared)] == [
        "Second", "First", "Sales owned"]
    assert [c.id for c in ws.desk("agent").inbox_conversations(shared)] == [second, first]
    listed = ws.desk("seller").inbox_conversations(shared)
    assert [c.subject for c in listed] == ["Second", "First", "Sales owned"]
    assert listed[-1].messages[0].text == "Hello, my printer is on fire."
    with pytest.raises(NotFound):
        admin.inbox_conversations(999_999)
