"""Bulk operations (one transaction, refusals counted per ticket), undo and redo of every
reversible operation with their refusals, the per-user undo journal, and unmerge."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from helpdesk_desktop.domain.enums import ActivityKind, MessageKind, Priority, TicketState
from helpdesk_desktop.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.models import (
    Activity,
    Conversation,
    Follower,
    MergeRecord,
    Message,
    Ticket,
)
from helpdesk_desktop.services import undo
from helpdesk_desktop.services.dto import (
    Bulk,
    MoveBack,
    MoveBackMany,
    Refusal,
    RestoreProperties,
    SetDeleted,
    SetFollowing,
    SetRead,
    SetSpam,
    TicketChanges,
    Unmerge,
)
from tests.factories import Workspace, make_ticket
from tests.services.test_invariants import all_problems
from tests.services.test_merge import conversations_of, follow


def state(ws: Workspace, ticket_id: int) -> Ticket:
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        session.expunge(ticket)
        return ticket


# -- bulk ------------------------------------------------------------------------------------

def test_update_many_counts_refusals_and_changes_the_rest(ws: Workspace) -> None:
    mine, theirs = make_ticket(ws, owner="agent"), make_ticket(ws, owner="seller")
    escalated = make_ticket(ws, pipeline="Escalations", status="Triage")
    result = ws.desk("agent").update_many(
        [mine, theirs, escalated], TicketChanges(status=ws.status("Closed"),
                                                 priority=Priority.URGENT))
    assert result.payload.done == (mine,)
    assert [r.ticket_id for r in result.payload.refusals] == [theirs, escalated]
    assert "does not exist or you cannot see it" in result.payload.refusals[0].reason
    assert "does not belong to the pipeline" in result.payload.refusals[1].reason
    assert result.message.startswith("Updated 1 ticket. 2 refused: ")
    assert state(ws, mine).priority is Priority.URGENT and state(ws, mine).closed_at is not None
    assert state(ws, escalated).version == 1  # a refused ticket is untouched
    assert all_problems(ws.db) == []


def test_update_many_refused_for_every_ticket_changes_nothing(ws: Workspace) -> None:
    theirs = make_ticket(ws, owner="seller")
    with pytest.raises(NotFound, match=f"#{theirs} does not exist"):
        ws.desk("agent").update_many([theirs], TicketChanges(priority=Priority.LOW))
    assert state(ws, theirs).version == 1


def test_update_many_undo_spares_a_ticket_edited_since(ws: Workspace) -> None:
    first, second = make_ticket(ws), make_ticket(ws)
    desk = ws.desk("lead")
    result = desk.update_many([first, second], TicketChanges(priority=Priority.HIGH))
    assert isinstance(result.reversal, RestoreProperties)
    ws.desk("admin").update(second, TicketChanges(name="Renamed"))  # someone else, meanwhile
    undone = desk.undo(result.reversal)
    assert undone.payload.done == (first,)
    assert "Someone else changed this ticket" in undone.payload.refusals[0].reason
    assert state(ws, first).priority is Priority.MEDIUM
    assert state(ws, second).priority is Priority.HIGH
    redone = desk.undo(undone.reversal)  # the undo's reversal is the redo
    assert redone.changed_ticket_ids == (first,)
    assert state(ws, first).priority is Priority.HIGH


def test_follow_read_spam_and_trash_in_bulk_with_undo(ws: Workspace) -> None:
    a, b = make_ticket(ws, "A"), make_ticket(ws, "B")
    desk = ws.desk("lead")
    followed = desk.follow([a, b])
    assert followed.reversal == SetFollowing((a, b), False)
    desk.undo(followed.reversal)
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Follower)) == 0

    read = desk.mark_read([a, b])
    assert read.reversal == SetRead((a, b), False)  # both were unread
    again = desk.mark_read([a])
    assert again.reversal is None  # nothing flipped: nothing to undo

    spam = desk.mark_spam_many([a, b])
    assert spam.payload == Bulk((a, b)) and spam.removed_ticket_ids == (a, b)
    assert spam.reversal == SetSpam((a, b), False)
    partly = desk.not_spam_many([a])
    assert partly.reversal == SetSpam((a,), True)
    back = desk.undo(spam.reversal)  # a is no longer spam: refused for it alone
    assert back.payload.done == (b,)
    assert "is not spam" in back.payload.refusals[0].reason
    assert state(ws, a).state is TicketState.LIVE and state(ws, b).state is TicketState.LIVE

    deleted = desk.delete([a, b], 2)
    assert deleted.reversal == SetDeleted((a, b), False)
    desk.restore([a])
    undone = desk.undo(deleted.reversal)  # a is back already: refused for it alone
    assert undone.payload.done == (b,)
    assert "is not in the trash" in undone.payload.refusals[0].reason
    assert state(ws, b).state is TicketState.LIVE
    with pytest.raises(NotFound, match="is not in the trash"):
        desk.restore([a, b])  # none of them can: one sentence, nothing changed
    deleted_again = desk.undo(undone.reversal)  # the redo deletes b again
    assert deleted_again.removed_ticket_ids == (b,)
    assert state(ws, b).state is TicketState.DELETED
    assert all_problems(ws.db) == []


def test_bulk_spam_refuses_what_is_not_live(ws: Workspace) -> None:
    live, gone = make_ticket(ws, "Live"), make_ticket(ws, "Gone")
    desk = ws.desk("lead")
    desk.delete([gone], 1)
    result = desk.mark_spam_many([live, gone])
    assert result.payload.done == (live,)
    assert result.payload.refusals == (
        Refusal(gone, f"Ticket #{gone} does not exist or you cannot see it."),)
    with pytest.raises(PermissionDenied):
        ws.desk("agent").mark_spam_many([live])


def test_move_back_is_refused_once_moved_again(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, owner="agent", status="Waiting on us")
    desk = ws.desk("admin")
    conversation = desk.ticket(ticket_id).conversations[0].id
    moved = desk.move_conversation(conversation, ws.inboxes["Shared inbox"], owner_id=None,
                                   pipeline_id=ws.pipelines["Escalations"],
                                   status_id=ws.status("Triage", "Escalations"))
    assert moved.reversal == MoveBack(conversation, ws.inboxes["Help Desk"], ws.users["agent"],
                                      ws.pipelines["Support Pipeline"],
                                      ws.status("Waiting on us"), ws.inboxes["Shared inbox"])
    desk.move_conversation(conversation, ws.inboxes["Sales inbox"],
                           pipeline_id=ws.pipelines["Escalations"],
                           status_id=ws.status("Triage", "Escalations"))
    with pytest.raises(Conflict, match="was moved again since"):
        desk.undo(moved.reversal)


# -- the per-user journal --------------------------------------------------------------------

def test_undo_last_takes_the_users_latest_operation(ws: Workspace) -> None:
    first, second = make_ticket(ws, "One"), make_ticket(ws, "Two")
    lead, admin = ws.desk("lead"), ws.desk("admin")
    lead.update(first, TicketChanges(priority=Priority.LOW))
    lead.update(second, TicketChanges(priority=Priority.HIGH))
    admin.follow([first])  # another user's operation is not the lead's to undo
    lead.undo_last()
    assert state(ws, second).priority is Priority.MEDIUM
    lead.undo_last()
    assert state(ws, first).priority is Priority.MEDIUM
    with pytest.raises(NotFound, match="Nothing to undo"):
        lead.undo_last()


def test_reversals_survive_their_json_form() -> None:
    for reversal in (RestoreProperties(()), SetFollowing((1, 2), True), SetRead((3,), False),
                     SetSpam((4,), True), SetDeleted((5,), False), Unmerge(6),
                     MoveBack(7, 8, None, 9, 10, 11), MoveBack(7, 8),
                     MoveBackMany((MoveBack(1, 2), MoveBack(3, 4, 5, 6, 7, 8)))):
        assert undo.from_json(undo.to_json(reversal)) == reversal
    with pytest.raises(InvalidInput):
        undo.from_json({"kind": "FormatDisk"})


# -- unmerge ---------------------------------------------------------------------------------

def test_unmerge_puts_everything_back(ws: Workspace) -> None:
    primary = make_ticket(ws, "Primary", contact="john")
    secondary = make_ticket(ws, "Secondary", conversations=2)
    follow(ws, secondary, "agent")
    before_primary, before_secondary = conversations_of(ws, primary), conversations_of(ws,
                                                                                       secondary)
    desk = ws.desk("admin")
    merged = desk.merge(primary, secondary)
    assert merged.reversal == Unmerge(secondary)
    result = desk.undo(merged.reversal)
    assert result.created_ticket_ids == (secondary,)
    assert conversations_of(ws, primary) == before_primary
    assert conversations_of(ws, secondary) == before_secondary
    back = state(ws, secondary)
    assert back.state is TicketState.LIVE and back.merged_into_id is None
    detail = desk.ticket(secondary)
    assert [c.name for c in detail.contacts] == ["Marie Dupont"]
    assert [c.name for c in desk.ticket(primary).contacts] == ["John Smith"]
    with ws.db.session() as session:
        assert session.scalars(select(Follower.ticket_id).where(
            Follower.user_id == ws.users["agent"])).all() == [secondary]
        assert session.scalar(select(func.count()).select_from(MergeRecord)) == 0
        kinds = session.scalars(select(Activity.ticket_id).where(
            Activity.kind == ActivityKind.UNMERGED)).all()
        assert sorted(kinds) == sorted([primary, secondary])
    assert all_problems(ws.db) == []
    desk.undo(result.reversal)  # redo: merged again
    assert state(ws, secondary).state is TicketState.MERGED


def test_unmerge_is_refused_after_new_activity_and_for_non_super_admins(ws: Workspace) -> None:
    primary, secondary = make_ticket(ws, "Primary"), make_ticket(ws, "Secondary")
    ws.desk("admin").merge(primary, secondary)
    with pytest.raises(PermissionDenied, match="Only a super admin"):
        ws.desk("lead").unmerge(secondary)
    moved = conversations_of(ws, primary)
    conversation = max(c for c in moved if c != min(moved))
    ws.desk("lead").reply(primary, "Any news?", conversation_id=conversation)
    with pytest.raises(InvalidInput, match="has new or moved messages since the merge"):
        ws.desk("admin").unmerge(secondary)
    assert state(ws, secondary).state is TicketState.MERGED
    with pytest.raises(InvalidInput, match="was not merged"):
        ws.desk("admin").unmerge(primary)


def test_unmerge_is_refused_once_a_conversation_is_spam(ws: Workspace) -> None:
    primary, secondary = make_ticket(ws, "Primary"), make_ticket(ws, "Secondary")
    desk = ws.desk("admin")
    desk.merge(primary, secondary)
    with ws.db.session() as session:
        moved = session.scalars(select(Conversation.id).where(
            Conversation.ticket_id == primary, Conversation.origin_ticket_id == secondary)).all()
        assert session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id.in_(moved), Message.kind == MessageKind.EMAIL)) == 1
    desk.mark_spam(primary, list(moved))
    with pytest.raises(InvalidInput, match="was marked as spam since the merge"):
        desk.unmerge(secondary)


# -- one rule per fact -----------------------------------------------------------------------

def test_rows_in_is_the_views_membership(ws: Workspace) -> None:
    from helpdesk_desktop.domain.enums import View
    from helpdesk_desktop.services.dto import TicketQuery

    live, spam = make_ticket(ws, "Live"), make_ticket(ws, "Spam")
    desk = ws.desk("admin")
    desk.mark_spam(spam)
    assert set(desk.rows_in(TicketQuery(view=View.ALL_OPEN), [live, spam])) == {live}
    assert set(desk.rows_in(TicketQuery(view=View.SPAM), [live, spam])) == {spam}
    desk.not_spam(spam)
    assert set(desk.rows_in(TicketQuery(view=View.SPAM), [live, spam])) == set()
    assert set(desk.rows_in(TicketQuery(view=View.ALL_OPEN, search="Spam"), [live, spam])) \
        == {spam}


def test_subject_prefixes_and_the_owner_rule() -> None:
    from helpdesk_desktop.domain.rules import may_own_tickets
    from helpdesk_desktop.services.subjects import bare_subject, subject_key

    for subject in ("Re: Printer", "RE[2]: Fwd: Printer", "AW: WG: Printer", "TR: Printer",
                    "RV: Printer", "SV: Printer", "  re :  Printer "):
        assert bare_subject(subject) == "Printer", subject
    assert bare_subject("Return policy") == "Return policy"  # a word, not a prefix
    assert subject_key("Re:  The   PRINTER") == "the printer"

    class Person:
        def __init__(self, access: bool, admin: bool) -> None:
            self.help_desk_access, self.super_admin = access, admin

    assert may_own_tickets(Person(True, False)) and may_own_tickets(Person(False, True))
    assert not may_own_tickets(Person(False, False))


def test_help_desk_conversations_of_tickets_for_a_bulk_move(ws: Workspace) -> None:
    two, one = make_ticket(ws, "Two", conversations=2), make_ticket(ws, "One")
    theirs = make_ticket(ws, "Theirs", owner="seller")
    desk = ws.desk("admin")
    conversations = {t: [c.id for c in desk.ticket(t).conversations] for t in (two, one, theirs)}
    shared = ws.inboxes["Shared inbox"]
    desk.move_conversation(conversations[two][1], shared, pipeline_id=ws.pipelines["Escalations"],
                           status_id=ws.status("Triage", "Escalations"))
    # Only what is still in the help desk, in the order of the tickets; out of sight: left out.
    assert desk.help_desk_conversation_ids([one, two, theirs]) == [
        *conversations[one], conversations[two][0], *conversations[theirs]]
    assert ws.desk("agent").help_desk_conversation_ids([one, two, theirs]) == [
        *conversations[one], conversations[two][0]]
    with pytest.raises(InvalidInput, match="None of these tickets has a conversation in the "
                                           "help desk."):
        ws.desk("agent").help_desk_conversation_ids([theirs])


def test_move_many_counts_refusals_and_moves_back_in_one_undo(ws: Workspace) -> None:
    first, second = make_ticket(ws, "First"), make_ticket(ws, "Second")
    gone = make_ticket(ws, "Gone")
    desk = ws.desk("admin")
    conversations = [desk.ticket(t).conversations[0].id for t in (first, second, gone)]
    desk.delete([gone], 1)
    shared = ws.inboxes["Shared inbox"]
    result = desk.move_many(conversations, shared, pipeline_id=ws.pipelines["Escalations"],
                            status_id=ws.status("Triage", "Escalations"))
    assert result.payload.done == tuple(conversations[:2])
    assert "is in the spam or the trash" in result.payload.refusals[0].reason
    assert result.changed_ticket_ids == (first, second)
    with ws.db.session() as session:
        inboxes = {c.id: c.inbox_id for c in session.scalars(
            select(Conversation).where(Conversation.id.in_(conversations)))}
    assert inboxes[conversations[0]] == inboxes[conversations[1]] == shared
    assert result.reversal is not None
    back = desk.undo(result.reversal)
    assert back.payload.done == tuple(conversations[:2])
    with ws.db.session() as session:
        assert set(session.scalars(select(Conversation.inbox_id).where(
            Conversation.id.in_(conversations[:2])))) == {ws.inboxes["Help Desk"]}
    assert state(ws, first).status_id == ws.status("New")
    with pytest.raises(PermissionDenied):
        ws.desk("lead").move_many(conversations[:2], shared)


def test_every_reversible_operation_undoes_and_redoes(ws: Workspace) -> None:
    """Each reversible operation's reversal undoes it, and the undo's own reversal (the redo)
    does it again, as Edit › Undo / Redo apply them."""
    a, b = make_ticket(ws, "A", owner="agent"), make_ticket(ws, "B", owner="agent")
    desk = ws.desk("admin")
    shared, help_desk = ws.inboxes["Shared inbox"], ws.inboxes["Help Desk"]
    triage = {"pipeline_id": ws.pipelines["Escalations"],
              "status_id": ws.status("Triage", "Escalations")}

    def inbox_of(ticket_id: int) -> set[int]:
        with ws.db.session() as session:
            return set(session.scalars(select(Conversation.inbox_id).where(
                Conversation.ticket_id == ticket_id)))

    def following() -> set[int]:
        with ws.db.session() as session:
            return set(session.scalars(select(Follower.ticket_id).where(
                Follower.user_id == ws.users["admin"])))

    def unread(ticket_id: int) -> bool:
        return desk.rows([ticket_id])[ticket_id].unread

    checks = [
        (lambda: desk.update_many([a, b], TicketChanges(priority=Priority.URGENT)),
         lambda: {state(ws, t).priority for t in (a, b)} == {Priority.URGENT},
         lambda: {state(ws, t).priority for t in (a, b)} == {Priority.MEDIUM}),
        (lambda: desk.follow([a, b]), lambda: following() == {a, b}, lambda: following() == set()),
        (lambda: desk.mark_read([a, b]), lambda: not unread(a) and not unread(b),
         lambda: unread(a) and unread(b)),
        (lambda: desk.mark_spam_many([a, b]),
         lambda: {state(ws, t).state for t in (a, b)} == {TicketState.SPAM},
         lambda: {state(ws, t).state for t in (a, b)} == {TicketState.LIVE}),
        (lambda: desk.delete([a, b], 2),
         lambda: {state(ws, t).state for t in (a, b)} == {TicketState.DELETED},
         lambda: {state(ws, t).state for t in (a, b)} == {TicketState.LIVE}),
        (lambda: desk.move_conversation(desk.ticket(a).conversations[0].id, shared, **triage),
         lambda: inbox_of(a) == {shared}, lambda: inbox_of(a) == {help_desk}),
        (lambda: desk.move_many(desk.help_desk_conversation_ids([a, b]), shared, **triage),
         lambda: inbox_of(a) == inbox_of(b) == {shared},
         lambda: inbox_of(a) == inbox_of(b) == {help_desk}),
        (lambda: desk.merge(a, b), lambda: state(ws, b).state is TicketState.MERGED,
         lambda: state(ws, b).state is TicketState.LIVE),
    ]
    for index, (operation, done, undone) in enumerate(checks):
        result = operation()
        assert done(), f"operation {index}"
        assert result.reversal is not None, f"operation {index} cannot be undone"
        back = desk.undo(result.reversal)
        assert undone(), f"undo of operation {index}"
        assert back.reversal is not None, f"undo of operation {index} cannot be redone"
        again = desk.undo(back.reversal)
        assert done(), f"redo of operation {index}"
        assert again.reversal is not None
        desk.undo(again.reversal)  # leave it undone for the next one
        assert undone(), f"undo after redo of operation {index}"
    assert all_problems(ws.db) == []
