"""Opening a ticket in one read (``Desk.open_ticket``) and marking it read afterwards as of
what was shown (``Desk.mark_opened_read``): the same detail as ``Desk.ticket``, the same
refusals, nothing written by the read, later activity (from another process) left unread."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from helpdesk_desktop.domain.enums import MessageKind, TicketState
from helpdesk_desktop.domain.errors import NotFound, PermissionDenied
from helpdesk_desktop.domain.models import ReadState, Ticket
from helpdesk_desktop.services.dto import TicketChanges
from tests.factories import Workspace, make_ticket


def test_one_read_holds_what_the_view_shows(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, conversations=2, attachment=True)
    agent = ws.desk("agent")
    agent.save_draft(ticket_id, "note", "Half a thought")
    agent.set_signature("Arno, support")
    opened = agent.open_ticket(ticket_id)
    assert opened.detail == agent.ticket(ticket_id, last_messages=30)
    assert opened.users == tuple(agent.users())
    assert opened.signature == "Arno, support"
    assert opened.draft == agent.draft(ticket_id)
    assert opened.newest_incoming_id == agent.latest_customer_message_id(ticket_id)
    assert opened.detail.row.unread  # read, not marked
    assert agent.rows([ticket_id])[ticket_id].unread
    assert ws.desk("lead").open_ticket(ticket_id).draft is None  # drafts are the actor's


def test_the_read_writes_nothing(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    written: list[str] = []

    def watch(*args: Any) -> None:
        statement = str(args[2]).lstrip().upper()
        if not statement.startswith(("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK",
                                     "SET", "SHOW")):
            written.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", watch)
    try:
        ws.desk("agent").open_ticket(ticket_id)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", watch)
    assert written == []


def test_a_long_thread_opens_on_its_newest_messages(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, messages=tuple(
        (MessageKind.EMAIL if n % 2 == 0 else MessageKind.REPLY, f"Message {n}")
        for n in range(12)))
    agent = ws.desk("agent")
    opened = agent.open_ticket(ticket_id, last_messages=5)
    conversation = opened.detail.conversations[0]
    assert [m.text for m in conversation.messages] == [f"Message {n}" for n in range(7, 12)]
    assert conversation.earlier == 7
    # The newest customer message is Message 10, among those read; with only the last one
    # read it is asked for.
    assert opened.newest_incoming_id == agent.latest_customer_message_id(ticket_id)
    assert agent.open_ticket(ticket_id, last_messages=1).newest_incoming_id == \
        agent.latest_customer_message_id(ticket_id)


def test_refusals_and_merges_as_when_reading_a_ticket(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, owner="agent")
    with pytest.raises(NotFound):
        ws.desk("seller").open_ticket(ticket_id)  # another team's scope
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").open_ticket(ticket_id)
    with pytest.raises(NotFound):
        ws.desk("agent").open_ticket(999_999)
    with pytest.raises(NotFound):
        ws.desk("seller").mark_opened_read(ticket_id, ws.clock())
    survivor = make_ticket(ws, "Survivor", owner="agent")
    ws.desk("admin").merge(survivor, ticket_id)
    assert ws.desk("agent").open_ticket(ticket_id).detail.id == survivor
    ws.desk("admin").mark_spam(survivor)
    with pytest.raises(NotFound):
        ws.desk("agent").open_ticket(survivor)  # no delete permission: no spam
    assert ws.desk("lead").open_ticket(survivor).detail.row.state is TicketState.SPAM


def test_marking_read_is_for_this_user_and_as_of_what_was_shown(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    agent, lead = ws.desk("agent"), ws.desk("lead")
    seen: list[Any] = []
    agent.subscribe(seen.append)
    shown = agent.open_ticket(ticket_id).detail.row.last_activity_at
    # Meanwhile another process adds activity the agent has not seen.
    lead.add_note(ticket_id, "A note written while it opened")
    result = agent.mark_opened_read(ticket_id, shown)
    assert result.changed_ticket_ids == (ticket_id,)
    assert [r.changed_ticket_ids for r in seen] == [(ticket_id,)]
    assert agent.rows([ticket_id])[ticket_id].unread  # the note is news to the agent
    opened = agent.open_ticket(ticket_id)
    agent.mark_opened_read(ticket_id, opened.detail.row.last_activity_at)
    assert not agent.rows([ticket_id])[ticket_id].unread
    assert not agent.open_ticket(ticket_id).detail.row.unread
    # Already read as of then: nothing written, no change reported.
    seen.clear()
    assert agent.mark_opened_read(ticket_id, shown).changed_ticket_ids == ()
    assert seen == []
    with ws.db.session() as session:
        read_at = session.scalar(select(ReadState.read_at).where(
            ReadState.ticket_id == ticket_id, ReadState.user_id == ws.users["agent"]))
        last = session.scalar(select(Ticket.last_activity_at).where(Ticket.id == ticket_id))
    assert read_at == last  # never moved back by the older view
    # Marked unread by hand: opening it clears that.
    agent.mark_unread([ticket_id])
    assert agent.rows([ticket_id])[ticket_id].unread
    agent.mark_opened_read(ticket_id, agent.open_ticket(ticket_id).detail.row.last_activity_at)
    assert not agent.rows([ticket_id])[ticket_id].unread
    assert ws.desk("admin").rows([ticket_id])[ticket_id].unread


def test_a_read_time_in_the_future_is_refused_by_the_clock(ws: Workspace) -> None:
    """A client clock ahead of the database's cannot mark tomorrow's activity read."""
    ticket_id = make_ticket(ws)
    agent = ws.desk("agent")
    future = ws.clock.now.replace(year=ws.clock.now.year + 1)
    agent.mark_opened_read(ticket_id, future)
    ws.desk("lead").update(ticket_id, TicketChanges(priority="high"))
    assert agent.rows([ticket_id])[ticket_id].unread
