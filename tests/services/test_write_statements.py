"""What the bulk writes send: a status edit writes ``closed_at`` only for the tickets it opens
or closes, a split moves its messages in one statement whatever their number, and a split
refused half-way (the database failing a later statement) leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.domain.models import Conversation, ReadState, Status, Ticket
from helpdesk_desktop.services.dto import TicketChanges
from tests.factories import Workspace, make_ticket
from tests.services.test_split import snapshot, ticket_messages


@contextmanager
def statements(ws: Workspace) -> Iterator[list[str]]:
    """The SQL text of every statement sent while inside."""
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(ws.db.engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", keep)


def _set_list(statement: str) -> str:
    return statement.split(" SET ", 1)[1].split(" WHERE ", 1)[0]


def _closed_at(ws: Workspace, ids: list[int]) -> dict[int, dt.datetime | None]:
    with ws.db.session() as session:
        return {i: c for i, c in session.execute(
            select(Ticket.id, Ticket.closed_at).where(Ticket.id.in_(ids)))}


def _second_closed_status(ws: Workspace) -> int:
    with ws.db.session() as session:
        status = Status(pipeline_id=ws.pipelines["Support Pipeline"], name="Solved",
                        position=9, is_closed=True)
        session.add(status)
        session.commit()
        return status.id


def test_a_bulk_status_edit_writes_closed_at_only_where_it_changes(ws: Workspace) -> None:
    """Open → open leaves ``closed_at`` out of the ``UPDATE`` (on SQLite every index holding
    it would be rewritten); open → closed sets it, closed → open clears it, closed → another
    closed status keeps the first closing time."""
    lead = ws.desk("lead")
    solved = _second_closed_status(ws)
    opened = [make_ticket(ws, f"Open {n}", messages=()) for n in range(3)]
    closed = [make_ticket(ws, f"Closed {n}", messages=()) for n in range(2)]
    lead.update_many(closed, TicketChanges(status=ws.status("Closed")))
    first_closing = _closed_at(ws, closed)
    assert None not in first_closing.values()
    ws.clock.advance(hours=1)

    with statements(ws) as sent:
        lead.update_many(opened, TicketChanges(status=ws.status("Waiting on us")))
    updates = [s for s in sent if s.startswith("UPDATE tickets SET")]
    assert updates and all("closed_at" not in _set_list(s) for s in updates), updates
    assert set(_closed_at(ws, opened).values()) == {None}

    with statements(ws) as sent:
        lead.update_many(closed, TicketChanges(status=solved))
    updates = [s for s in sent if s.startswith("UPDATE tickets SET")]
    assert updates and all("closed_at" not in _set_list(s) for s in updates), updates
    assert _closed_at(ws, closed) == first_closing

    # Both ways in one edit: two groups, each writing closed_at.
    lead.update_many(opened[:1], TicketChanges(status=ws.status("Closed")))
    with statements(ws) as sent:
        lead.update_many(opened[:1] + closed[:1], TicketChanges(status=ws.status("New")))
    updates = [s for s in sent if s.startswith("UPDATE tickets SET")]
    assert len(updates) == 1 and "closed_at" in _set_list(updates[0]), updates
    assert set(_closed_at(ws, opened[:1] + closed[:1]).values()) == {None}
    with statements(ws) as sent:
        lead.update_many(opened, TicketChanges(status=ws.status("Closed")))
    updates = [s for s in sent if s.startswith("UPDATE tickets SET")]
    assert len(updates) == 1 and "closed_at" in _set_list(updates[0]), updates
    assert None not in _closed_at(ws, opened).values()

    # Undo puts each ticket's status back, closed_at following.
    lead.undo_last()
    assert set(_closed_at(ws, opened).values()) == {None}


def test_a_single_status_edit_writes_closed_at_only_where_it_changes(ws: Workspace) -> None:
    lead = ws.desk("lead")
    ticket = make_ticket(ws, "One", messages=())
    with statements(ws) as sent:
        lead.update(ticket, TicketChanges(status=ws.status("Waiting on us")))
    updates = [s for s in sent if s.startswith("UPDATE tickets SET")]
    assert updates and "closed_at" not in _set_list(updates[0]), updates
    lead.update(ticket, TicketChanges(status=ws.status("Closed")))
    assert _closed_at(ws, [ticket])[ticket] is not None
    lead.update(ticket, TicketChanges(status=ws.status("New")))
    assert _closed_at(ws, [ticket])[ticket] is None


def test_a_split_moves_its_messages_in_one_statement(ws: Workspace) -> None:
    """600 messages (more than a chunk of 500 ids) move by one ``UPDATE`` with one
    parameter for their ids."""
    many = tuple((MessageKind.EMAIL, f"Message {n}") for n in range(601))
    ticket = make_ticket(ws, "Long", messages=many)
    moved = ticket_messages(ws, ticket)[1:]
    with statements(ws) as sent:
        done = ws.desk("lead").split(ticket, moved)
    moves = [s for s in sent if s.startswith("UPDATE messages")]
    assert len(moves) == 1, moves
    new_id = done.payload.ticket_id if done.payload else 0
    assert ticket_messages(ws, new_id) == moved
    assert len(ticket_messages(ws, ticket)) == 1


class Refused(Exception):
    """The database refusing a statement half-way through an operation."""


@contextmanager
def refusing(ws: Workspace, prefix: str) -> Iterator[None]:
    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if " ".join(statement.split()).upper().startswith(prefix):
            raise Refused(statement)

    event.listen(ws.db.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", refuse)


@pytest.mark.parametrize("prefix", ["UPDATE CONVERSATIONS", "INSERT INTO CONVERSATIONS",
                                    "UPDATE MESSAGES", "INSERT INTO ACTIVITIES",
                                    "INSERT INTO READ_STATES"])
def test_a_split_refused_half_way_changes_nothing(ws: Workspace, prefix: str) -> None:
    ticket = make_ticket(ws, "Two threads", conversations=2)
    messages = ticket_messages(ws, ticket)
    with ws.db.session() as session:
        first_thread = len(session.scalars(select(Conversation).where(
            Conversation.ticket_id == ticket).order_by(Conversation.id)).first().messages)
    # The first thread whole (its row moves) and one message of the second (moved).
    chosen = messages[:first_thread + 1]
    before = snapshot(ws)
    with ws.db.session() as session:
        states = session.execute(select(ReadState.ticket_id, ReadState.user_id)).all()
    with refusing(ws, prefix), pytest.raises(Refused):
        ws.desk("lead").split(ticket, chosen)
    assert snapshot(ws) == before
    with ws.db.session() as session:
        assert session.execute(select(ReadState.ticket_id, ReadState.user_id)).all() == states
    # And the same split then succeeds whole.
    done = ws.desk("lead").split(ticket, chosen)
    assert done.payload is not None
    assert ticket_messages(ws, done.payload.ticket_id) == chosen


@pytest.mark.parametrize("older", ["survivor", "merged"])
def test_a_merge_writes_the_surviving_ticket_once(ws: Workspace, older: str) -> None:
    """The guard that the survivor is still live also writes its last activity (its MERGED
    entry) and the older creation time: one ``UPDATE`` of it (and one of the merged ticket),
    where the timeline entry's flush wrote its last activity in a second one."""
    first = make_ticket(ws, "First")
    ws.clock.advance(minutes=5)
    second = make_ticket(ws, "Second")
    primary, secondary = (first, second) if older == "survivor" else (second, first)
    with ws.db.session() as session:
        created = dict(session.execute(select(Ticket.id, Ticket.created_at)
                                       .where(Ticket.id.in_((first, second)))).all())
    ws.clock.advance(minutes=5)
    with statements(ws) as sent:
        ws.desk("lead").merge(primary, secondary)
    updates = [s for s in sent if s.startswith("UPDATE tickets")]
    assert len(updates) == 2, updates
    with ws.db.session() as session:
        row = session.execute(select(Ticket.created_at, Ticket.updated_at,
                                     Ticket.last_activity_at).where(Ticket.id == primary)).one()
    assert row.created_at == created[first]
    assert row.updated_at == row.last_activity_at > created[second]
    # The unmerge puts the survivor's creation time back.
    ws.desk("admin").unmerge(secondary)
    with ws.db.session() as session:
        assert session.scalar(select(Ticket.created_at).where(Ticket.id == primary)) \
            == created[primary]
