"""The set-based bulk edit (``ticket_writes.edit_set``) writes what the per-ticket path writes:
the same tickets, timeline entries, read states, notifications, undo entries and results,
refusals included; undo restores the same; its statements do not grow with the tickets; the
undo entry is written in the operation's own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text

from helpdesk_desktop.domain.enums import Category, MessageKind, Priority
from helpdesk_desktop.domain.errors import HelpDeskError, NotFound
from helpdesk_desktop.domain.models import (
    Activity,
    Conversation,
    Message,
    Notification,
    ReadState,
    Ticket,
    UndoEntry,
    ticket_companies,
    ticket_contacts,
)
from helpdesk_desktop.services import split_merge, ticket_writes, undo, undo_journal
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import Database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.services import split_per_row
from tests.services.test_merge import follow, read

Scenario = Callable[[Workspace], list[Any]]


def snapshot(db: Database) -> dict[str, Any]:
    """Every row the edits touch, ids included (both runs start from the same database)."""
    with db.session() as session:
        tickets = [(t.id, t.name, t.description, t.status_id, t.owner_id, t.priority,
                    t.category, t.pipeline_id, t.inbox_id, t.source, t.version, t.created_at,
                    t.closed_at, t.updated_at, t.last_activity_at, t.state, t.contact_sort)
                   for t in session.scalars(select(Ticket).order_by(Ticket.id))]
        activities = [(a.id, a.ticket_id, a.actor_id, a.kind, a.created_at, a.summary, a.data)
                      for a in session.scalars(select(Activity).order_by(Activity.id))]
        conversations = [(c.id, c.ticket_id, c.origin_ticket_id, c.inbox_id, c.channel,
                          c.subject, c.contact_id, c.owner_id, c.created_at, c.spam_at)
                         for c in session.scalars(select(Conversation).order_by(Conversation.id))]
        messages = session.execute(select(Message.id, Message.conversation_id)
                                   .order_by(Message.id)).all()
        links = [session.execute(select(table).order_by(*table.c)).all()
                 for table in (ticket_contacts, ticket_companies)]
        notifications = sorted((n.user_id, n.ticket_id, n.activity_id, n.created_at,
                                n.read_at) for n in session.scalars(select(Notification)))
        states = sorted((s.ticket_id, s.user_id, s.read_at, s.forced_unread)
                        for s in session.scalars(select(ReadState)))
        entries = [(e.id, e.user_id, e.created_at, e.label, e.reversal, e.undone_at)
                   for e in session.scalars(select(UndoEntry).order_by(UndoEntry.id))]
    return {"tickets": tickets, "activities": activities, "notifications": notifications,
            "read_states": states, "undo": entries, "conversations": conversations,
            "messages": messages, "links": links}


def outcome(call: Callable[[], Any]) -> Any:
    """What an operation answered: its result's parts, or the refusal it raised."""
    try:
        result = call()
    except HelpDeskError as exc:
        return type(exc).__name__, str(exc)
    return (result.message, result.changed_ticket_ids, result.created_ticket_ids,
            result.removed_ticket_ids, result.payload, result.reversal)


@contextmanager
def per_ticket(monkeypatch: pytest.MonkeyPatch, on: bool) -> Iterator[None]:
    """The old paths: ``edit_set`` declines every edit, so ``edit_each`` loops per ticket;
    the split of ORM objects (``split_per_row``)."""
    with monkeypatch.context() as patch:
        if on:
            patch.setattr(ticket_writes, "edit_set", lambda *args, **kwargs: None)
            patch.setattr(split_merge, "split_ticket", split_per_row.split_ticket)
        yield


def both_ways(database_factory: Any, monkeypatch: pytest.MonkeyPatch,
              scenario: Scenario) -> None:
    runs = []
    for old in (False, True):
        with database_factory() as db:
            _restart_ids(db)
            ws = seed_workspace(db, FakeClock(_START))
            with per_ticket(monkeypatch, old):
                answers = scenario(ws)
            runs.append((answers, snapshot(db)))
    (new_answers, new_rows), (old_answers, old_rows) = runs
    assert new_answers == old_answers
    for table in old_rows:
        assert new_rows[table] == old_rows[table], table


_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _restart_ids(db: Database) -> None:
    """Both runs number their rows from 1 (a PostgreSQL rollback keeps sequences moving)."""
    if db.dialect != "postgresql":
        return
    with db.connect() as connection:
        for name in connection.scalars(text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()")).all():
            connection.execute(text("SELECT setval(:name, 1, false)"), {"name": name})


def _mixed(ws: Workspace) -> dict[str, int]:
    """Tickets the agent may and may not edit, followed, read and unread."""
    ids = {
        "mine": make_ticket(ws, "Mine", owner="agent"),
        "open": make_ticket(ws, "Unassigned"),
        "read": make_ticket(ws, "Read", owner="agent", priority=None),
        "theirs": make_ticket(ws, "Theirs", owner="seller"),
        "escalated": make_ticket(ws, "Escalated", pipeline="Escalations", status="Triage"),
        "already": make_ticket(ws, "Already closed", status="Closed"),
        "team": make_ticket(ws, "Team", owner="lead", category=Category.BILLING_ISSUE),
    }
    follow(ws, ids["mine"], "lead")
    follow(ws, ids["open"], "lead")
    follow(ws, ids["open"], "seller")  # sees it unassigned, not once the agent owns it
    follow(ws, ids["read"], "agent")  # the author: never notified of their own edit
    follow(ws, ids["team"], "sales")
    read(ws, ids["read"], "agent")
    read(ws, ids["team"], "agent")
    read(ws, ids["mine"], "agent", unread=True)
    return ids


def test_a_bulk_status_and_owner_edit_writes_what_the_per_ticket_path_writes(
        database_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def scenario(ws: Workspace) -> list[Any]:
        ids = _mixed(ws)
        desk = ws.desk("agent")
        answers = [outcome(lambda: desk.update_many(
            list(ids.values()), TicketChanges(status=ws.status("Closed"),
                                              owner=ws.users["agent"],
                                              priority=Priority.HIGH)))]
        answers.append(outcome(desk.undo_last))
        answers.append(outcome(lambda: desk.update_many(
            [ids["mine"], ids["open"]], TicketChanges(name="Renamed", category=None))))
        return answers

    both_ways(database_factory, monkeypatch, scenario)


def test_stale_versions_refuse_what_the_per_ticket_path_refuses(
        database_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def scenario(ws: Workspace) -> list[Any]:
        a, b, c = (make_ticket(ws, name) for name in "ABC")
        ws.desk("admin").update(b, TicketChanges(priority=Priority.LOW))  # b: version 2
        ws.desk("admin").update(c, TicketChanges(name="C2"))  # c: version 2, another field
        desk = ws.desk("lead")
        answers = [outcome(lambda: desk.update_many(
            [a, b, c], TicketChanges(priority=Priority.URGENT),
            expected_versions={a: 1, b: 1, c: 1}))]
        answers.append(outcome(lambda: desk.update_many(
            [a], TicketChanges(priority=Priority.LOW), expected_versions={a: 1})))
        first = desk.update_many([a, b], TicketChanges(status=ws.status("Closed")))
        ws.desk("admin").update(a, TicketChanges(name="A2"))  # undo must spare a
        answers.append(outcome(lambda: desk.undo(first.reversal)))
        return answers

    both_ways(database_factory, monkeypatch, scenario)


def test_every_ticket_refused_raises_and_changes_nothing(
        database_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def scenario(ws: Workspace) -> list[Any]:
        theirs = make_ticket(ws, owner="seller")
        gone = make_ticket(ws)
        ws.desk("admin").delete([gone], confirm_count=1)
        return [outcome(lambda: ws.desk("agent").update_many(
            [theirs, gone, 10**9], TicketChanges(priority=Priority.LOW)))]

    both_ways(database_factory, monkeypatch, scenario)


def test_a_split_writes_what_the_split_of_orm_objects_wrote(
        database_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def scenario(ws: Workspace) -> list[Any]:
        old = make_ticket(ws, "Re: Printer and invoice", owner="agent", conversations=2,
                          messages=((MessageKind.EMAIL, "On fire."),
                                    (MessageKind.REPLY, "Unplug it."),
                                    (MessageKind.EMAIL, "And my invoice?")))
        follow(ws, old, "lead")
        follow(ws, old, "seller")  # may not see a ticket the agent owns: not notified
        read(ws, old, "agent")
        with ws.db.session() as session:
            ids = session.scalars(select(Message.id).join(Conversation).where(
                Conversation.ticket_id == old).order_by(Message.id)).all()
        desk = ws.desk("agent")
        answers = [outcome(lambda: desk.split(old, [ids[5], ids[3], ids[4], ids[1]]))]
        answers.append(outcome(lambda: desk.split(
            old, [ids[2]], name="Invoice", owner_id=None, status_id=ws.status("Closed"),
            priority="high", contact_id=ws.contacts["john"], category=None)))
        answers.append(outcome(lambda: desk.split(old, [ids[0]])))  # the last one stays
        answers.append(outcome(lambda: desk.split(old, [10**6])))
        answers.append(outcome(lambda: ws.desk("lead").split(
            old, [ids[0]], status_id=ws.status("Triage", "Escalations"))))
        return answers

    both_ways(database_factory, monkeypatch, scenario)


def test_a_merged_ticket_s_old_id_is_edited_ticket_by_ticket(ws: Workspace) -> None:
    survivor, merged, other = make_ticket(ws, "S"), make_ticket(ws, "M"), make_ticket(ws, "O")
    desk = ws.desk("lead")
    desk.merge(survivor, merged)
    result = desk.update_many([merged, other], TicketChanges(priority=Priority.URGENT))
    assert result.payload.done == (merged, other)
    with ws.db.session() as session:
        assert session.get(Ticket, survivor).priority is Priority.URGENT  # type: ignore[union-attr]


def _statements(db: Database, call: Callable[[], Any]) -> tuple[int, int]:
    counts = {"statements": 0, "commits": 0}

    def statement(*_args: Any) -> None:
        counts["statements"] += 1

    def commit(*_args: Any) -> None:
        counts["commits"] += 1

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "commit", commit)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "commit", commit)
    return counts["statements"], counts["commits"]


def test_statements_do_not_grow_with_the_tickets_and_one_transaction_holds_the_undo(
        ws: Workspace) -> None:
    few = [make_ticket(ws, f"F{i}", messages=()) for i in range(4)]
    many = [make_ticket(ws, f"M{i}", messages=()) for i in range(40)]
    for ticket_id in few[:2] + many[:20]:
        follow(ws, ticket_id, "agent")
    desk = ws.desk("lead")
    closed = TicketChanges(status=ws.status("Closed"))
    small = _statements(ws.db, lambda: desk.update_many(few, closed))
    large = _statements(ws.db, lambda: desk.update_many(many, closed))
    assert small == large
    if ws.db.dialect == "sqlite":  # (the PostgreSQL tests run inside an outer transaction)
        assert large[1] == 1  # the edit and its undo entry: one commit
    with ws.db.session() as session:
        labels = session.scalars(select(UndoEntry.label).order_by(UndoEntry.id)).all()
    assert labels == ["Updated 4 tickets.", "Updated 40 tickets."]


def test_the_undo_entry_goes_with_a_refused_operation(ws: Workspace) -> None:
    theirs = make_ticket(ws, owner="seller")
    with pytest.raises(NotFound):
        ws.desk("agent").update_many([theirs], TicketChanges(priority=Priority.LOW))
    with ws.db.session() as session:
        assert session.scalars(select(UndoEntry)).all() == []


def test_the_journal_keeps_the_last_entries_of_each_user(ws: Workspace) -> None:
    ticket = make_ticket(ws)
    lead, admin = ws.desk("lead"), ws.desk("admin")
    admin.update(ticket, TicketChanges(name="Admin's"))
    for n in range(undo_journal.KEPT + 3):
        lead.update(ticket, TicketChanges(name=f"Name {n}"))
    with ws.db.session() as session:
        kept = session.scalars(select(UndoEntry.label).where(
            UndoEntry.user_id == ws.users["lead"]).order_by(UndoEntry.id)).all()
        assert len(kept) == undo_journal.KEPT and kept[-1].endswith(f"Name {undo.KEPT + 2}")
        assert session.scalars(select(UndoEntry).where(
            UndoEntry.user_id == ws.users["admin"])).all() != []
    assert lead.undo_last().message == f"Name: Name {undo.KEPT + 2} → Name {undo.KEPT + 1}"


def test_progress_reaches_the_end(ws: Workspace) -> None:
    tickets = [make_ticket(ws, f"T{i}", messages=()) for i in range(3)]
    seen: list[tuple[int, int]] = []
    ws.desk("lead").update_many(tickets, TicketChanges(priority=Priority.LOW),
                                progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (3, 3)
