"""Every reversible operation writes its undo entry in its own transaction, and undo marks the
entry undone in the undo's: a failure between the change and the journal row (here the
database refusing the journal's statement) leaves neither, never one without the other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, update

from helpdesk_desktop.domain.enums import Priority
from helpdesk_desktop.domain.errors import Conflict
from helpdesk_desktop.domain.models import Conversation, Follower, UndoEntry
from helpdesk_desktop.services import undo
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import Database
from tests.factories import Workspace, make_ticket
from tests.services.test_bulk_writes import snapshot
from tests.services.test_merge import conversations_of


class JournalRefused(Exception):
    """The database refusing the journal's statement (disk gone, process killed)."""


def everything(db: Database) -> dict[str, Any]:
    rows = snapshot(db)
    with db.session() as session:
        rows["followers"] = sorted(session.execute(
            select(Follower.ticket_id, Follower.user_id, Follower.since)).all())
    return rows


@contextmanager
def journal_fails(db: Database, verb: str) -> Iterator[None]:
    """Statements ``verb`` (``INSERT``, ``UPDATE``) on ``undo_entries`` fail."""
    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(f"{verb} INTO UNDO_ENTRIES" if verb == "INSERT"
                                                 else f"{verb} UNDO_ENTRIES"):
            raise JournalRefused(statement)

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)


def commits(db: Database, call: Callable[[], Any]) -> int:
    count = [0]

    def commit(*_args: Any) -> None:
        count[0] += 1

    event.listen(db.engine, "commit", commit)
    try:
        call()
    finally:
        event.remove(db.engine, "commit", commit)
    return count[0]


def entries(ws: Workspace) -> list[tuple[str, bool]]:
    with ws.db.session() as session:
        return [(label, undone is not None) for label, undone in session.execute(
            select(UndoEntry.label, UndoEntry.undone_at).order_by(UndoEntry.id))]


def _operations(ws: Workspace) -> dict[str, Callable[[], Any]]:
    """Each reversible operation, ready to run once on a fresh workspace."""
    lead, admin = ws.desk("lead"), ws.desk("admin")
    one, two = make_ticket(ws, "One"), make_ticket(ws, "Two", conversations=2)
    conversation = max(conversations_of(ws, two))
    spam = make_ticket(ws, "Spam")
    ws.desk("admin").mark_spam(spam)
    merged_primary, merged = make_ticket(ws, "Primary"), make_ticket(ws, "Merged")
    ws.desk("admin").merge(merged_primary, merged)
    with ws.db.session() as session:  # the setup's own entries are not under test
        session.query(UndoEntry).delete()
        session.commit()
    move_options = {"pipeline_id": ws.pipelines["Escalations"],
                    "status_id": ws.status("Triage", "Escalations")}
    return {
        "follow": lambda: lead.follow([one, two]),
        "unfollow": lambda: (ws.desk("agent").follow([one]), ws.desk("agent").unfollow([one])),
        "mark read": lambda: lead.mark_read([one, two]),
        "mark unread": lambda: (lead.mark_read([one]), lead.mark_unread([one])),
        "spam": lambda: lead.mark_spam(one),
        "spam a conversation": lambda: lead.mark_spam(two, [conversation]),
        "spam many": lambda: lead.mark_spam_many([one, two]),
        "not spam": lambda: lead.not_spam(spam),
        "not spam many": lambda: lead.not_spam_many([spam]),
        "move": lambda: admin.move_conversation(conversation, ws.inboxes["Shared inbox"],
                                                **move_options),
        "move many": lambda: admin.move_many([conversation], ws.inboxes["Shared inbox"],
                                             **move_options),
        "unmerge": lambda: admin.unmerge(merged),
        "update": lambda: lead.update(one, TicketChanges(priority=Priority.LOW)),
        "update many": lambda: lead.update_many([one, two], TicketChanges(priority=Priority.LOW)),
        "delete": lambda: lead.delete([one], confirm_count=1),
        "merge": lambda: admin.merge(one, two),
    }


OPERATIONS = ("follow", "unfollow", "mark read", "mark unread", "spam", "spam a conversation",
              "spam many", "not spam", "not spam many", "move", "move many", "unmerge", "update",
              "update many", "delete", "merge")


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_journal_that_fails_leaves_the_operation_undone(ws: Workspace, name: str) -> None:
    operation = _operations(ws)[name]
    before = everything(ws.db)
    with journal_fails(ws.db, "INSERT"), pytest.raises(JournalRefused):
        operation()
    assert everything(ws.db) == before


@pytest.mark.parametrize("name", OPERATIONS)
def test_the_change_and_its_entry_are_one_commit(ws: Workspace, name: str) -> None:
    operation = _operations(ws)[name]
    before = entries(ws)
    committed = commits(ws.db, operation)
    written = entries(ws)[len(before):]
    assert written and all(not undone for _, undone in written)
    if ws.db.dialect == "sqlite":  # (the PostgreSQL tests run inside an outer transaction)
        assert committed == len(written)  # two-step scenarios: two operations, two entries


def test_undo_last_marks_its_entry_in_its_own_transaction(ws: Workspace) -> None:
    ticket = make_ticket(ws)
    lead = ws.desk("lead")
    lead.follow([ticket])
    following = everything(ws.db)
    with journal_fails(ws.db, "UPDATE"), pytest.raises(JournalRefused):
        lead.undo_last()
    assert everything(ws.db) == following  # still followed, the entry still to undo
    assert commits(ws.db, lead.undo_last) == (1 if ws.db.dialect == "sqlite" else 0)
    assert entries(ws) == [("Following 1 ticket.", True)]
    with ws.db.session() as session:
        assert session.scalars(select(Follower)).all() == []


def test_undo_of_a_result_marks_the_journal_in_the_same_transaction(ws: Workspace) -> None:
    ticket = make_ticket(ws, conversations=2)
    admin = ws.desk("admin")
    conversation = max(conversations_of(ws, ticket))
    moved = admin.move_conversation(conversation, ws.inboxes["Shared inbox"],
                                    pipeline_id=ws.pipelines["Escalations"],
                                    status_id=ws.status("Triage", "Escalations"))
    assert moved.reversal is not None
    after_move = everything(ws.db)
    with journal_fails(ws.db, "UPDATE"), pytest.raises(JournalRefused):
        admin.undo(moved.reversal)
    assert everything(ws.db) == after_move
    admin.undo(moved.reversal)
    assert entries(ws) == [("Moved the conversation to Shared inbox.", True)]
    with ws.db.session() as session:
        assert session.get(Conversation, conversation).inbox_id == ws.inboxes["Help Desk"]


def test_an_entry_undone_meanwhile_refuses_the_second_undo(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two windows of the same user undo the same entry: the second one changes nothing."""
    ticket = make_ticket(ws)
    lead = ws.desk("lead")
    lead.update(ticket, TicketChanges(priority=Priority.LOW))
    apply = undo.apply

    def other_window_first(*args: Any, **kwargs: Any) -> Any:
        with ws.db.session() as session:  # the entry is undone by the other window now
            session.execute(update(UndoEntry).values(undone_at=ws.clock()))
            session.commit()
        return apply(*args, **kwargs)

    monkeypatch.setattr(undo, "apply", other_window_first)
    before = everything(ws.db)
    with pytest.raises(Conflict, match="undone a moment ago"):
        lead.undo_last()
    after = everything(ws.db)
    assert [e[:-1] for e in after.pop("undo")] == [e[:-1] for e in before.pop("undo")]
    assert after == before  # the priority stays Low: undone once, by the other window
