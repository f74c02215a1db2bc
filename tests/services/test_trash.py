"""Spam, the trash, permanent deletion and the purge."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from helpdesk_desktop.domain.enums import ActivityKind, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleState
from helpdesk_desktop.domain.models import (
    Activity,
    Contact,
    Conversation,
    Message,
    Ticket,
    User,
)
from helpdesk_desktop.services import id_lists
from helpdesk_desktop.services.dto import DeletionSummary, Refusal, SetDeleted
from tests.factories import Workspace, make_ticket
from tests.services.test_invariants import all_problems, rows_about


def conversations(ws: Workspace, ticket_id: int) -> list[int]:
    with ws.db.session() as session:
        return list(session.scalars(select(Conversation.id).where(
            Conversation.ticket_id == ticket_id).order_by(Conversation.id)))


def ticket_state(ws: Workspace, ticket_id: int) -> tuple[TicketState, bool, bool] | None:
    """(state, has spam_at, has deleted_at), or None once erased."""
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            return None
        return ticket.state, ticket.spam_at is not None, ticket.deleted_at is not None


def activity_kinds(ws: Workspace, ticket_id: int) -> list[ActivityKind]:
    with ws.db.session() as session:
        return list(session.scalars(select(Activity.kind).where(Activity.ticket_id == ticket_id)
                                    .order_by(Activity.id)))


# -- spam -----------------------------------------------------------------------------------

def test_a_whole_ticket_goes_to_the_spam_and_comes_back(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, conversations=2)
    desk = ws.desk("lead")
    assert desk.mark_spam(ticket_id).removed_ticket_ids == (ticket_id,)
    assert ticket_state(ws, ticket_id) == (TicketState.SPAM, True, False)
    assert desk.not_spam(ticket_id).changed_ticket_ids == (ticket_id,)
    assert ticket_state(ws, ticket_id) == (TicketState.LIVE, False, False)
    assert activity_kinds(ws, ticket_id)[-2:] == [ActivityKind.SPAM, ActivityKind.NOT_SPAM]


def test_some_conversations_go_to_the_spam(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, conversations=3)
    first, second, third = conversations(ws, ticket_id)
    desk = ws.desk("lead")
    result = desk.mark_spam(ticket_id, [second, third])
    assert result.changed_ticket_ids == (ticket_id,) and result.removed_ticket_ids == ()
    with ws.db.session() as session:
        spam = {c.id for c in session.scalars(select(Conversation).where(
            Conversation.spam_at.is_not(None)))}
    assert spam == {second, third}
    assert ticket_state(ws, ticket_id) == (TicketState.LIVE, False, False)
    # The last remaining conversation takes the whole ticket with it.
    assert desk.mark_spam(ticket_id, [first]).removed_ticket_ids == (ticket_id,)
    assert ticket_state(ws, ticket_id) == (TicketState.SPAM, True, False)
    desk.not_spam(ticket_id)
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Conversation).where(
            Conversation.spam_at.is_not(None))) == 0
    assert all_problems(ws.db) == []


def test_refused_spam_requests(ws: Workspace) -> None:
    ticket_id, other = make_ticket(ws, conversations=2), make_ticket(ws, "Other")
    first, second = conversations(ws, ticket_id)
    desk = ws.desk("lead")
    desk.mark_spam(ticket_id, [second])
    for selection, reason in (([], "at least one conversation"),
                              (conversations(ws, other), "not a conversation of ticket"),
                              ([second], "already marked as spam"),
                              ([first, 999_999], "not a conversation of ticket")):
        with pytest.raises(InvalidInput, match=reason):
            desk.mark_spam(ticket_id, selection)
    with pytest.raises(InvalidInput, match="is not spam"):
        desk.not_spam(other)
    with pytest.raises(NotFound):
        desk.mark_spam(999_999)
    assert ticket_state(ws, ticket_id) == (TicketState.LIVE, False, False)
    assert activity_kinds(ws, other) == [ActivityKind.CREATED]


@pytest.mark.parametrize("user", ["agent", "sales", "seller", "outsider"])
def test_spam_needs_the_delete_permission(ws: Workspace, user: str) -> None:
    ticket_id = make_ticket(ws)
    with pytest.raises(PermissionDenied):
        ws.desk(user).mark_spam(ticket_id)
    ws.desk("admin").mark_spam(ticket_id)
    with pytest.raises(PermissionDenied):
        ws.desk(user).not_spam(ticket_id)
    assert ticket_state(ws, ticket_id) == (TicketState.SPAM, True, False)


# -- trash ----------------------------------------------------------------------------------

def test_delete_and_restore(ws: Workspace) -> None:
    ids = [make_ticket(ws, f"T{i}", conversations=2, attachment=True) for i in range(3)]
    desk = ws.desk("lead")
    assert desk.deletion_summary(ids + ids[:1]) == DeletionSummary(3, 6)
    with ws.db.session() as session:
        messages = session.scalar(select(func.count()).select_from(Message))
    result = desk.delete(ids + ids[:1], confirm_count=3)
    assert set(result.removed_ticket_ids) == set(ids)
    assert all(ticket_state(ws, i) == (TicketState.DELETED, False, True) for i in ids)
    with ws.db.session() as session:  # conversations stay attached, contacts stay
        assert session.scalar(select(func.count()).select_from(Message)) == messages
        assert {c.ticket_id for c in session.scalars(select(Conversation))} == set(ids)
        assert session.scalar(select(func.count()).select_from(Contact)) == 2
    assert activity_kinds(ws, ids[0])[-1] is ActivityKind.DELETED
    ws.clock.advance(days=89)
    assert set(desk.restore(ids[:2]).changed_ticket_ids) == set(ids[:2])
    assert ticket_state(ws, ids[0]) == (TicketState.LIVE, False, False)
    assert activity_kinds(ws, ids[0])[-1] is ActivityKind.RESTORED
    ws.clock.advance(days=2)
    with pytest.raises(InvalidInput, match="more than 90 days ago"):
        desk.restore([ids[2]])
    assert ticket_state(ws, ids[2]) == (TicketState.DELETED, False, True)
    assert all_problems(ws.db) == []


def test_delete_asks_for_the_right_count(ws: Workspace) -> None:
    ids = [make_ticket(ws, f"T{i}") for i in range(3)]
    with pytest.raises(InvalidInput, match="You confirmed 2 tickets but 3 are selected."):
        ws.desk("lead").delete(ids, confirm_count=2)
    assert all(ticket_state(ws, i) == (TicketState.LIVE, False, False) for i in ids)


def test_delete_reports_progress_chunk_by_chunk(ws: Workspace,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_lists, "CHUNK", 2)
    ids = [make_ticket(ws, f"T{i}") for i in range(5)]
    calls: list[tuple[int, int]] = []
    ws.desk("lead").delete(ids, confirm_count=5, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert all(ticket_state(ws, i) == (TicketState.DELETED, False, True) for i in ids)


def test_thousands_of_tickets_are_deleted_in_chunks(ws: Workspace) -> None:
    first = make_ticket(ws, "Template")
    with ws.db.session() as session:
        template = session.get(Ticket, first)
        columns = {c.key: getattr(template, c.key) for c in Ticket.__table__.columns
                   if c.key != "id"}
        session.execute(insert(Ticket), [{**columns, "name": f"Bulk {i}"} for i in range(1_199)])
        session.commit()
        ids = list(session.scalars(select(Ticket.id).order_by(Ticket.id)))
    assert len(ids) == 1_200
    summary = ws.desk("lead").deletion_summary(ids)
    assert (summary.tickets, summary.conversations) == (1_200, 1)
    calls: list[tuple[int, int]] = []
    result = ws.desk("lead").delete(ids, confirm_count=1_200,
                                    progress=lambda d, t: calls.append((d, t)))
    assert calls == [(500, 1_200), (1_000, 1_200), (1_200, 1_200)]
    assert len(result.removed_ticket_ids) == 1_200
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.state == TicketState.DELETED)) == 1_200
        assert session.scalar(select(func.count()).select_from(Activity).where(
            Activity.kind == ActivityKind.DELETED)) == 1_200
    assert len(ws.desk("lead").delete_permanently(ids).removed_ticket_ids) == 1_200
    assert all_problems(ws.db) == []


def test_refused_deletes_change_nothing(ws: Workspace) -> None:
    mine, theirs = make_ticket(ws, owner="agent"), make_ticket(ws, owner="seller")
    deleted = make_ticket(ws)
    ws.desk("lead").delete([deleted], confirm_count=1)
    for ids, error in (([], InvalidInput), ([999_999], NotFound), ([deleted], StaleState),
                       ([999_999, deleted], NotFound)):  # none can go: the first refusal
        with pytest.raises(error):
            ws.desk("lead").delete(ids, confirm_count=len(ids))
    # The confirmed count is what will be deleted: counting a refused ticket changes nothing.
    with pytest.raises(InvalidInput, match=f"^You confirmed 2 tickets but only 1 of the 2 "
                       f"selected can be deleted. Ticket #{deleted} is already in the trash."):
        ws.desk("lead").delete([mine, deleted], confirm_count=2)
    agent_with_delete = ws.users["agent"]
    with ws.db.session() as session:
        session.get(User, agent_with_delete).can_delete_tickets = True
        session.commit()
    with pytest.raises(InvalidInput, match=f"#{theirs} does not exist or you cannot see it"):
        ws.desk("agent").delete([mine, theirs], confirm_count=2)
    with pytest.raises(InvalidInput, match="Select at least one ticket"):
        ws.desk("lead").deletion_summary([])
    assert ticket_state(ws, mine) == (TicketState.LIVE, False, False)
    assert ticket_state(ws, theirs) == (TicketState.LIVE, False, False)
    with pytest.raises(NotFound):
        ws.desk("lead").restore([mine])


def test_bulk_delete_counts_refusals_per_ticket(ws: Workspace) -> None:
    first, second = make_ticket(ws, "First", conversations=2), make_ticket(ws, "Second")
    merged, deleted, spam = make_ticket(ws, "M"), make_ticket(ws, "D"), make_ticket(ws, "S")
    desk = ws.desk("lead")
    desk.merge(first, merged)
    desk.delete([deleted], confirm_count=1)
    desk.mark_spam(spam)
    asked = [first, merged, 999_999, second, deleted, spam]
    summary = desk.deletion_summary(asked)
    # What will go: first (3 conversations after the merge) and second; why the rest stays.
    assert (summary.tickets, summary.conversations) == (2, 4)
    assert [r.ticket_id for r in summary.refusals] == [merged, 999_999, deleted, spam]
    assert summary.refusals[-1].reason == (f"Ticket #{spam} is in the spam. "
                                           "Only live tickets can be deleted.")
    result = desk.delete(asked, confirm_count=2)
    assert result.payload.done == result.removed_ticket_ids == (first, second)
    assert result.payload.refusals == (
        Refusal(merged, f"Ticket #{merged} was merged into ticket #{first}. "
                        "Only live tickets can be deleted."),
        Refusal(999_999, "Ticket #999999 does not exist or you cannot see it."),
        Refusal(deleted, f"Ticket #{deleted} is already in the trash. "
                         "Only live tickets can be deleted."),
        Refusal(spam, f"Ticket #{spam} is in the spam. Only live tickets can be deleted."))
    assert result.message == f"Deleted 2 tickets. 4 refused: {result.payload.refusals[0].reason}"
    assert result.reversal == SetDeleted((first, second), False)
    assert ticket_state(ws, first) == ticket_state(ws, second) == (
        TicketState.DELETED, False, True)
    assert ticket_state(ws, spam) == (TicketState.SPAM, True, False)
    # Undo brings back what was deleted, and only that.
    back = desk.undo(result.reversal)
    assert back.payload.done == (first, second) and back.payload.refusals == ()
    assert ticket_state(ws, first) == (TicketState.LIVE, False, False)
    assert ticket_state(ws, deleted) == (TicketState.DELETED, False, True)
    assert ticket_state(ws, spam) == (TicketState.SPAM, True, False)
    assert all_problems(ws.db) == []


def test_deleting_a_ticket_that_changed_meanwhile_says_what_it_became(ws: Workspace) -> None:
    # What a second window (or process) sees after another one merged, deleted or marked the
    # ticket as spam: a conflict (exit 4) naming the new state, not "does not exist".
    main, merged, deleted, spam = (make_ticket(ws, n) for n in ("M", "G", "D", "S"))
    desk = ws.desk("lead")
    desk.merge(main, merged)
    desk.delete([deleted], confirm_count=1)
    desk.mark_spam(spam)
    for ticket_id, sentence in (
            (merged, f"Ticket #{merged} was merged into ticket #{main}."),
            (deleted, f"Ticket #{deleted} is already in the trash."),
            (spam, f"Ticket #{spam} is in the spam.")):
        with pytest.raises(StaleState) as caught:  # one ticket asked: its own error
            desk.delete([ticket_id], confirm_count=1)
        assert str(caught.value) == f"{sentence} Only live tickets can be deleted."
        assert caught.value.exit_code == 4
    with pytest.raises(StaleState, match=f"^Ticket #{merged} was merged"):  # none can go
        desk.delete([merged, deleted, spam], confirm_count=0)
    assert ticket_state(ws, main) == (TicketState.LIVE, False, False)
    assert ticket_state(ws, deleted) == (TicketState.DELETED, False, True)
    # Out of sight stays "does not exist" (nothing said about a ticket one may not see).
    theirs = make_ticket(ws, owner="seller")
    ws.desk("admin").delete([theirs], confirm_count=1)
    with ws.db.session() as session:
        session.get(User, ws.users["agent"]).can_delete_tickets = True
        session.commit()
    with pytest.raises(NotFound, match=f"^Ticket #{theirs} does not exist or you cannot see"):
        ws.desk("agent").delete([theirs], confirm_count=1)


@pytest.mark.parametrize("user", ["agent", "sales", "seller", "outsider"])
def test_trash_needs_the_delete_permission(ws: Workspace, user: str) -> None:
    live, deleted = make_ticket(ws), make_ticket(ws, "Deleted")
    ws.desk("admin").delete([deleted], confirm_count=1)
    desk = ws.desk(user)
    for action in (lambda: desk.delete([live], confirm_count=1),
                   lambda: desk.restore([deleted]),
                   lambda: desk.delete_permanently([deleted]),
                   desk.purge):
        with pytest.raises(PermissionDenied):
            action()
    assert ticket_state(ws, live) == (TicketState.LIVE, False, False)
    assert ticket_state(ws, deleted) == (TicketState.DELETED, False, True)


# -- the end --------------------------------------------------------------------------------

def test_delete_permanently_only_from_the_trash_or_the_spam(ws: Workspace) -> None:
    live, deleted, spam = (make_ticket(ws, n, attachment=True) for n in ("L", "D", "S"))
    desk = ws.desk("lead")
    desk.delete([deleted], confirm_count=1)
    desk.mark_spam(spam)
    with pytest.raises(StaleState, match=f"^Ticket #{live} is live. Only tickets in the trash "
                       "or the spam can be deleted permanently.$"):
        desk.delete_permanently([live])
    with pytest.raises(NotFound, match="^Ticket #999999 does not exist or you cannot see it.$"):
        desk.delete_permanently([999_999, live])  # none can go: the first refusal
    assert ticket_state(ws, deleted) == (TicketState.DELETED, False, True)
    result = desk.delete_permanently([live, deleted, 999_999, spam])
    assert result.removed_ticket_ids == (deleted, spam)
    assert result.payload.refusals == (
        Refusal(live, f"Ticket #{live} is live. Only tickets in the trash or the spam can be "
                      "deleted permanently."),
        Refusal(999_999, "Ticket #999999 does not exist or you cannot see it."))
    assert result.message == f"Permanently deleted 2 tickets. 2 refused: " \
                             f"{result.payload.refusals[0].reason}"
    assert ticket_state(ws, live) == (TicketState.LIVE, False, False)
    assert ticket_state(ws, deleted) is None and ticket_state(ws, spam) is None
    with ws.db.session() as session:
        assert rows_about(session, {deleted, spam}) == []
        assert set(session.scalars(select(Conversation.ticket_id))) == {live}
    assert all_problems(ws.db) == []


def test_delete_permanently_takes_the_tombstones_along(ws: Workspace) -> None:
    survivor, merged, kept = make_ticket(ws, "S"), make_ticket(ws, "M"), make_ticket(ws, "K")
    desk = ws.desk("lead")
    desk.merge(survivor, merged)
    desk.delete([survivor], confirm_count=1)
    result = desk.delete_permanently([survivor])
    assert set(result.payload.ticket_ids) == {survivor, merged}
    with ws.db.session() as session:
        assert session.scalars(select(Ticket.id)).all() == [kept]
    assert all_problems(ws.db) == []


def test_purge_erases_only_what_is_older_than_90_days(ws: Workspace) -> None:
    old_spam, old_deleted, new_spam, new_deleted, live = (
        make_ticket(ws, n, conversations=2) for n in ("os", "od", "ns", "nd", "live"))
    live_conversations = conversations(ws, live)
    desk = ws.desk("admin")
    desk.mark_spam(old_spam)
    desk.delete([old_deleted], confirm_count=1)
    desk.mark_spam(live, live_conversations[:1])
    ws.clock.advance(days=60)
    desk.mark_spam(new_spam)
    desk.delete([new_deleted], confirm_count=1)
    ws.clock.advance(days=31)
    result = desk.purge()
    assert set(result.removed_ticket_ids) == {old_spam, old_deleted}
    assert result.changed_ticket_ids == (live,)
    assert list(result.payload.conversation_ids) == live_conversations[:1]
    with ws.db.session() as session:
        erased = session.scalars(select(Activity).order_by(Activity.id.desc())).first()
        assert (erased.ticket_id, erased.kind, erased.data["conversation_ids"]) == (
            live, ActivityKind.DELETED, live_conversations[:1])
        assert session.get(Ticket, live).last_activity_at < erased.created_at
    assert ticket_state(ws, old_spam) is None and ticket_state(ws, old_deleted) is None
    assert ticket_state(ws, new_spam) == (TicketState.SPAM, True, False)
    assert ticket_state(ws, new_deleted) == (TicketState.DELETED, False, True)
    assert conversations(ws, live) == live_conversations[1:]
    assert len(conversations(ws, new_spam)) == 2
    assert all_problems(ws.db) == []
    # Nothing more is due until the newer ones pass 90 days.
    assert desk.purge().removed_ticket_ids == ()
    ws.clock.advance(days=60)
    assert set(desk.purge().removed_ticket_ids) == {new_spam, new_deleted}
